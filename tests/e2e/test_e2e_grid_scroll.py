"""The workplan grid in a real browser: its scroll position survives a save; Add line keeps
pending edits."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import log_in_and_wait, open_page, save_grid, settled, shot, type_in_title

SCROLLER = "[data-testid='stDataFrame'] .dvn-scroller"  # the grid's scrolling element


def _scroll_top(page) -> int:  # noqa: ANN001
    return page.eval_on_selector(SCROLLER, "e => e.scrollTop")


def _open_grid(browser, server):  # noqa: ANN001, ANN202
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    log_in_and_wait(page, server.url, "demo.planner")
    open_page(page, "Workplans", "Annual workplans")
    expect(_grid(page)).to_be_visible(timeout=30000)
    page.wait_for_timeout(1000)
    return context, page


def _grid(page):  # noqa: ANN001, ANN202
    return page.locator("[data-testid='stDataFrame']:visible").first


def _type_title(page, row: int, text: str) -> None:  # noqa: ANN001
    type_in_title(page, _grid(page), row, text)
    settled(page)


def test_scroll_position_survives_a_save(server, browser) -> None:  # noqa: ANN001
    context, page = _open_grid(browser, server)
    try:
        _grid(page).scroll_into_view_if_needed()
        box = _grid(page).bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        for _ in range(6):
            page.mouse.wheel(0, 250)
            page.wait_for_timeout(150)
        page.wait_for_timeout(500)
        before = _scroll_top(page)
        assert before >= 1000, before
        _type_title(page, 4, "Edited far down the grid")  # a row a few into the scrolled view
        expect(page.get_by_text("Unsaved: 1 changed, 0 new, 0 removed")).to_be_visible(
            timeout=15000)
        assert _scroll_top(page) == before  # editing keeps it
        save_grid(page, "Saved: 1 changed, 0 added, 0 removed.")  # not "Unsaved: …"
        page.wait_for_timeout(1000)
        after = _scroll_top(page)
        shot(page, "workplan-scroll-after-save")
        assert after == before, (before, after)  # still where the user was
        # the edit is not pending any more, even when the browser's next event stopped the
        # save's run right after the write (see rpsee/ui/workplan_reconcile.py)
        expect(page.get_by_text("No unsaved edits.")).to_be_visible(timeout=15000)
    finally:
        context.close()
    from rpsee.store.uow import UnitOfWork
    from rpsee.ui.version_label import default_version

    with UnitOfWork(url=f"sqlite:///{server.state}/rpsee.sqlite") as uow:
        plans = uow.workplans.list()
        # a planner's page opens on the plan in preparation (the demo's 2027 draft)
        opened = default_version(plans, uow.reference.load().figures.cycle_years,
                                 preparing=True)  # fmt: skip
        titles = [a.title for a in uow.workplans.activities(opened.id)]
    assert titles.index("Edited far down the grid") >= 1000 // 35  # the line was far down


def test_add_line_keeps_a_pending_edit_and_names_missing_fields(server, browser) -> None:  # noqa: ANN001
    context, page = _open_grid(browser, server)
    try:
        _grid(page).scroll_into_view_if_needed()
        _type_title(page, 1, "Pending before adding")
        expect(page.get_by_text("Unsaved: 1 changed, 0 new, 0 removed")).to_be_visible(
            timeout=15000)
        page.get_by_role("button", name="Add line").click()
        settled(page)
        # the grid redrawn with the new line on top (under load a fixed wait was too short:
        # the title then went to the line that was first before)
        expect(page.locator("#glide-cell-0-0").first).to_have_text("New row 1", timeout=15000)
        _grid(page).scroll_into_view_if_needed()
        _type_title(page, 1, "A new line from the browser")  # the new line is the first row
        expect(page.get_by_text("New row 1 is missing Output, Jurisdictions, Lead office, "
                                "Start, End")).to_be_visible(timeout=15000)
        expect(page.get_by_text("Unsaved: 1 changed, 0 new, 0 removed")).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
        shot(page, "workplan-add-line")
    finally:
        context.close()
