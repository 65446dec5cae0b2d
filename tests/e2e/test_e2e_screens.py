"""Screenshots of the pages with tables people read, at 1280×720 and 1440×900 (saved to
tests/artifacts/ to look at): no exception, no table cell reading "None" or "nan", and every
money column wide enough for its widest figure."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, log_in_and_wait, open_page, settled

RUNS = [  # (login, viewport): the planner at both sizes, read-only and finance roles at one each
    ("demo.planner", (1280, 720)), ("demo.planner", (1440, 900)),
    ("demo.psc", (1280, 720)), ("demo.finance", (1440, 900)),
]
EXPANDERS = ("Figures by year (exact)",)  # opened first, so that their tables are seen too
# Lists of text (no figures) that may scroll sideways: opened after the width check, then shot.
LIST_EXPANDERS = ("All 20 positions", "Risk matrix")
VIEWS = [  # navigation name, heading, tabs to open (None: the page as it opens)
    ("Overview", "Regional Programme for South-Eastern Europe 2024–2029", [None]),
    ("Workplans", "Annual workplans", ["Totals", "Checks"]),
    ("Envelope & allocation", "Envelope and allocation", [None, "By year"]),
    ("Staffing", "Staffing", [None, "What if"]),
]
# The accessible copy of each grid's cells that Streamlit's data grid keeps in the page.
CELLS = "[data-testid='stDataFrame'] table td, [data-testid='stTable'] td"  # and static tables


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def _check_tables(page, where: str) -> int:  # noqa: ANN001
    expect(page.get_by_test_id("stException")).to_have_count(0)
    texts = [t.strip() for t in page.locator(CELLS).all_inner_texts()]
    bad = [t for t in texts if t in ("None", "nan", "NaN", "<NA>")]
    assert not bad, f"{where}: cells reading {bad[:5]}"
    return len(texts)


def _open(page, titles: tuple[str, ...]) -> int:  # noqa: ANN001
    """Open the expanders of these titles that the page has; the grids draw after that."""
    opened = 0
    for title in titles:
        summary = page.locator("summary").filter(has_text=title)
        if summary.count():
            summary.first.click()
            opened += 1
    page.wait_for_timeout(800)
    return opened


def _overflowing(page) -> list[int | str]:  # noqa: ANN001
    """The visible grids and static tables wider than their box (a column would be cut at the
    right edge)."""
    widths = page.evaluate("""() => [...document.querySelectorAll("[data-testid='stDataFrame']")]
        .filter(g => g.offsetParent !== null).map(g => g.querySelector('.dvn-scroller'))
        .map(s => s ? [s.scrollWidth, s.clientWidth] : null)""")
    drawn = [w for w in widths if w]  # grids in a closed expander are not drawn
    static = page.evaluate("""() => [...document.querySelectorAll("[data-testid='stTable']")]
        .filter(t => t.offsetParent !== null).map(t => [t.scrollWidth, t.clientWidth])""")
    # a static table (the open points) wraps its text: it must not scroll either
    assert drawn or static, "no grid nor table found (did the grid markup change?)"
    return ([i for i, w in enumerate(widths) if w and w[0] > w[1] + 1]
            + [f"static {i}" for i, w in enumerate(static) if w[0] > w[1] + 1])


def _shoot(page, name: str) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    grids = page.locator("[data-testid='stDataFrame']:visible")
    for i in range(grids.count()):
        grids.nth(i).scroll_into_view_if_needed()
        grids.nth(i).screenshot(path=str(ARTIFACTS / f"{name}-table{i + 1}.png"))


@pytest.mark.parametrize(("login", "size"), RUNS, ids=[f"{u}-{w}x{h}" for u, (w, h) in RUNS])
def test_screens_with_tables(server, browser, login: str, size) -> None:  # noqa: ANN001
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        log_in_and_wait(page, server.url, login)
        cells = 0
        for name, heading, tabs in VIEWS:
            open_page(page, name, heading)
            for tab in tabs:
                if tab:
                    page.get_by_role("tab", name=tab).click()
                    settled(page)
                _open(page, EXPANDERS)
                where = f"{login} {name} {tab or ''} {width}x{height}"
                cells += _check_tables(page, where)
                assert not _overflowing(page), f"{where}: tables {_overflowing(page)} scroll"
                _shoot(page, _slug(f"screen-{login}-{width}x{height}-{name}-{tab or 'page'}"))
                if _open(page, LIST_EXPANDERS):
                    _check_tables(page, where)
                    _shoot(page, _slug(f"screen-{login}-{width}x{height}-{name}-lists"))
        assert cells > 0, "no table cells found in the page (did the grid markup change?)"
    finally:
        context.close()
