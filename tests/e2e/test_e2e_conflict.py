"""Two planners in two browsers: one saves; the other's pending edit is kept, then reported as a
conflict on save. Also screenshots of the grid at 1280x720 and 1440x900."""

from __future__ import annotations

import os
import subprocess
import sys

from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, log_in_and_wait, open_page, settled, shot, type_in_title

PASSWORDS = {"other.planner": "other-planner-pass-2026"}


def _add_planner(server, username: str) -> None:  # noqa: ANN001
    env = {**os.environ, "RPSEE_STATE_DIR": server.state, "RPSEE_BCRYPT_ROUNDS": "4",
           "RPSEE_NEW_PASSWORD": PASSWORDS[username]}  # fmt: skip
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "rpsee", "users", "add", username, "--role", "planner",
                    "--name", "Other planner"], env=env, cwd=ROOT, check=True,
                   capture_output=True, text=True)  # fmt: skip


def _open_grid(browser, server, username: str, width: int, height: int):  # noqa: ANN001, ANN202
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    log_in_and_wait(page, server.url, username, PASSWORDS.get(username, "rpsee-demo-2026"))
    open_page(page, "Workplans", "Annual workplans")
    grid = page.locator("[data-testid='stDataFrame']:visible").first
    expect(grid).to_be_visible(timeout=30000)
    page.wait_for_timeout(1000)
    return context, page, grid


def _type_title(page, grid, row: int, text: str) -> None:  # noqa: ANN001
    type_in_title(page, grid, row, text)
    settled(page)


def test_a_colleagues_save_keeps_my_edit_then_conflicts(server, browser) -> None:  # noqa: ANN001
    _add_planner(server, "other.planner")
    ctx_a, mine, grid_a = _open_grid(browser, server, "demo.planner", 1440, 900)
    ctx_b, theirs, grid_b = _open_grid(browser, server, "other.planner", 1440, 900)
    try:
        _type_title(mine, grid_a, 1, "My pending title")
        expect(mine.get_by_text("Unsaved: 1 changed, 0 new, 0 removed")).to_be_visible(
            timeout=15000)
        _type_title(theirs, grid_b, 1, "Their saved title")
        expect(theirs.get_by_text("Unsaved: 1 changed, 0 new, 0 removed")).to_be_visible(
            timeout=15000)  # under load the edit's run can end after settled(): Save waits
        theirs.get_by_role("button", name="Save").click()
        settled(theirs)
        expect(theirs.get_by_text("Saved: 1 changed, 0 added, 0 removed.", exact=True)
               ).to_be_visible(timeout=30000)  # not "Unsaved: …", still shown while it runs

        _type_title(mine, grid_a, 2, "My second pending title")  # my next click
        expect(mine.get_by_text("Unsaved: 2 changed, 0 new, 0 removed")).to_be_visible(
            timeout=15000)  # the first edit was kept
        expect(mine.get_by_text("your edits are kept")).to_be_visible()
        expect(mine.get_by_text("changed by other.planner at")).to_be_visible()
        shot(mine, "workplan-conflict-kept")
        mine.get_by_role("button", name="Save").click()
        settled(mine)
        expect(mine.get_by_text("Someone else saved some of these lines")).to_be_visible(
            timeout=15000)
        expect(mine.get_by_text("Unsaved: 2 changed, 0 new, 0 removed")).to_be_visible()
        expect(mine.get_by_test_id("stException")).to_have_count(0)
        shot(mine, "workplan-conflict-reported")
    finally:
        ctx_a.close()
        ctx_b.close()
    from rpsee.store.uow import UnitOfWork

    with UnitOfWork(url=f"sqlite:///{server.state}/rpsee.sqlite") as uow:
        plans = uow.workplans.list()
        titles = {a.title for p in plans for a in uow.workplans.activities(p.id)}
    assert "Their saved title" in titles
    assert not {"My pending title", "My second pending title"} & titles  # nothing half-saved


def test_grid_layout_screenshots(server, browser) -> None:  # noqa: ANN001
    """Ten rows of the grid show above the fold at 1280x720 as the page opens. Code, title and
    Total are pinned; every budget column is as wide as its header and its
    largest amount; at 1280x720 (sidebar open) and 1440x900 all 7 budget columns fit beside the
    pinned ones (test_e2e_grid_fit checks it with the browser's scrollbars shown)."""
    from rpsee.store.uow import UnitOfWork
    from rpsee.ui.version_label import default_version
    from rpsee.ui.workplan_grid import amount_widths, totals_columns

    with UnitOfWork(url=f"sqlite:///{server.state}/rpsee.sqlite") as uow:
        ref = uow.reference.load()
        opened = default_version(uow.workplans.list(), ref.figures.cycle_years)
        widths = amount_widths(uow.workplans.activities(opened.id), ref)
    fits = sum(widths[c] for c in totals_columns(ref))  # px: code, title, Total, the budget

    for width, height in ((1280, 720), (1440, 900)):
        context, page, grid = _open_grid(browser, server, "demo.planner", width, height)
        try:
            top = grid.bounding_box()["y"]  # the page as opened, not scrolled
            assert top + 36 + 35 * 10 <= height, f"fewer than 10 rows above the fold: {top}"
            grid.scroll_into_view_if_needed()
            assert grid.bounding_box()["width"] >= fits + 2  # and its border
            shot(page, f"workplan-grid-{width}x{height}")
            page.mouse.move(10, height // 2)  # over the sidebar edge, not the grid
            page.evaluate("document.querySelector('[data-testid=stMain]').scrollBy(0, 500)")
            page.wait_for_timeout(500)
            shot(page, f"workplan-grid-{width}x{height}-totals")
        finally:
            context.close()
