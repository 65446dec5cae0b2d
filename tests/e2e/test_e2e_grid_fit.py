"""The workplan grid at 1280x720 (sidebar open, as a planner logs in) and 1440x900: the line
Total and every budget column show without sideways scrolling, no header or amount is cut, and
the totals line keeps each sum under its column. In Chromium with its scrollbars (Playwright
hides them when headless; a desktop browser shows them beside the page and the grid)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, expect

from bench.browser import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.conftest import Server, log_in_and_wait, open_page, running_app, shot

BIG = Decimal("1234567.89")  # a large line, in the column with the narrowest header
_MEASURE = """(texts) => {  // the grid's boxes, and each text as the grid's font draws it
    const grids = [...document.querySelectorAll("[data-testid='stDataFrame']")]
        .filter(g => g.offsetParent !== null).map(g => {
            const s = g.querySelector('.dvn-scroller');
            return {x: g.getBoundingClientRect().x, client: s.clientWidth, scroll: s.scrollWidth};
        });
    const c = document.createElement('canvas').getContext('2d');
    const px = texts.map(([text, bold]) => {
        c.font = `${bold ? 'bold' : '400'} 14px "Source Sans", sans-serif`;
        return c.measureText(text).width;
    });
    return {grids, px};
}"""


@pytest.fixture(scope="module")
def fit_server() -> Iterator[Server]:
    """An app of its own: the last test saves a large amount."""
    with running_app() as app:
        yield app


@pytest.fixture(scope="module")
def desktop(browser):  # noqa: ANN001, ANN201
    """Chromium with its scrollbars, from the browser tests' Playwright."""
    shown = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                        ignore_default_args=["--hide-scrollbars"])  # fmt: skip
    yield shown
    shown.close()


def _plan_lines(server: Server, preparing: bool):  # noqa: ANN202
    """The reference, the version the Workplans page opens on and its lines; `preparing`: for
    a planner (the newest draft in preparation: the demo's 2027 draft), else the version in use
    for the year being implemented (the demo's approved 2026)."""
    from rpsee.store.uow import UnitOfWork
    from rpsee.ui.version_label import default_version

    with UnitOfWork(url=f"sqlite:///{server.state}/rpsee.sqlite") as uow:
        ref = uow.reference.load()
        opened = default_version(uow.workplans.list(), ref.figures.cycle_years,
                                 preparing=preparing)  # fmt: skip
        return ref, opened, uow.workplans.activities(opened.id)


def _texts(lines, ref) -> dict[str, list[tuple[str, bool]]]:  # noqa: ANN001
    """Per column up to the last budget column: each text it shows (bold: the totals line)."""
    from rpsee.domain.workplan_totals import by_category, grand_total
    from rpsee.ui.workplan_grid import amount_text, category_label

    sums = by_category(lines)
    texts = {"Code": [(a.code, False) for a in lines] + [("Total", True)],
             "Total": [(amount_text(a.total), False) for a in lines]
             + [(amount_text(grand_total(lines)), True)]}  # fmt: skip
    for c in ref.cost_categories:
        texts[category_label(c.code, ref)] = [(amount_text(a.budget.get(c.code)), False)
                                              for a in lines] + [
            (amount_text(sums.get(c.code)), True)]  # fmt: skip
    return texts


def _check_fit(desktop: Browser, server: Server, login: str, size: tuple[int, int],
               case: str = "demo") -> None:  # fmt: skip
    from rpsee.ui.workplan_grid import (
        GRID_PX,
        ICON_PX,
        amount_widths,
        category_label,
        header,
        totals_columns,
    )

    ref, _plan, lines = _plan_lines(server, preparing=login == "demo.planner")
    widths = amount_widths(lines, ref)
    span = sum(widths[c] for c in totals_columns(ref))  # Code, Title, Total and the budget
    texts = _texts(lines, ref)
    headers = {category_label(c.code, ref): header(c.code, ref) for c in ref.cost_categories}
    asked = [(h, False) for h in headers.values()] + [t for ts in texts.values() for t in ts]
    width, height = size
    context = desktop.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        log_in_and_wait(page, server.url, login)
        open_page(page, "Workplans", "Annual workplans")
        grid = page.locator("[data-testid='stDataFrame']:visible").first
        expect(grid).to_be_visible(timeout=30000)
        page.wait_for_timeout(1000)
        grid.scroll_into_view_if_needed()
        shot(page, f"workplan-grid-fit-{case}-{login.removeprefix('demo.')}-{width}x{height}")
        seen = page.evaluate(_MEASURE, asked)
    finally:
        context.close()
    editor, totals = seen["grids"][:2]
    # the editor shows Code up to the last budget column (Operating) without a sideways scroll
    assert editor["client"] >= span, (width, editor, span, widths)
    assert editor["client"] >= GRID_PX  # the room amount_widths counts on at 1280 px
    # the totals line: drawn at exactly these widths, whole, from the grid's left edge
    assert totals["scroll"] == span and totals["client"] >= span, (totals, span)
    assert totals["x"] == editor["x"], (totals, editor)
    px = dict(zip(asked, seen["px"], strict=True))
    for label, text in headers.items():  # after the edit icon, with room to spare
        assert ICON_PX + px[(text, False)] + 2 <= widths[label], (label, text, widths[label])
    for label, shown in texts.items():  # 8 px padding on the right, 2 px at least on the left
        for t in shown:
            assert 8 + px[t] + 2 <= widths[label], (label, t, px[t], widths[label])


@pytest.mark.parametrize(("login", "size"), [("demo.planner", (1280, 720)),
                                             ("demo.planner", (1440, 900)),
                                             ("demo.psc", (1280, 720))])  # fmt: skip
def test_budget_columns_fit_beside_the_pinned_title(desktop, fit_server, login, size) -> None:  # noqa: ANN001
    _check_fit(desktop, fit_server, login, size)


def test_a_line_of_a_million_in_the_staff_column_still_fits(desktop, fit_server) -> None:  # noqa: ANN001
    from rpsee.domain.roles import CurrentUser, Role
    from rpsee.services import workplans
    from rpsee.services.workplans import WorkplanEdit

    ref, plan, lines = _plan_lines(fit_server, preparing=True)  # the page the planner opens
    assert (plan.year, plan.status) == (2027, "draft")  # the demo's draft: 2026 is approved
    line = next(a for a in lines if a.budget.get("STAFF") and a.counts)  # it says whom it pays
    bigger = replace(line, budget={**line.budget, "STAFF": BIG})
    planner = CurrentUser("demo.planner", "Demo Planner", Role.PLANNER)
    workplans.save(planner, plan.id, WorkplanEdit(changed=[bigger]), ref,
                   url=f"sqlite:///{fit_server.state}/rpsee.sqlite")  # fmt: skip
    assert any(a.budget.get("STAFF") == BIG for a in _plan_lines(fit_server, True)[2])
    _check_fit(desktop, fit_server, "demo.planner", (1280, 720), "big")
