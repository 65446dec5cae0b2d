"""A real browser edits a cell of the workplan grid and saves it."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import log_in_and_wait, open_page, save_grid, settled, shot, type_in_title


def _open_grid(context, server):  # noqa: ANN001, ANN202
    """The planner's Workplans page with its grid drawn: (page, grid)."""
    page = context.new_page()
    log_in_and_wait(page, server.url, "demo.planner")
    open_page(page, "Workplans", "Annual workplans")
    grid = page.locator("[data-testid='stDataFrame']:visible").first
    expect(grid).to_be_visible(timeout=30000)
    page.wait_for_timeout(1000)
    return page, grid


def _stored_titles(server) -> list[str]:  # noqa: ANN001
    """The titles of the workplan the page opens on for a planner (the 2027 draft), as stored."""
    from rpsee.store.uow import UnitOfWork
    from rpsee.ui.version_label import default_version

    with UnitOfWork(url=f"sqlite:///{server.state}/rpsee.sqlite") as uow:
        plans = uow.workplans.list()
        # a planner's page opens on the plan in preparation (the demo's 2027 draft)
        opened = default_version(plans, uow.reference.load().figures.cycle_years,
                                 preparing=True)  # fmt: skip
        return [a.title for a in uow.workplans.activities(opened.id)]


def test_edit_a_cell_and_save(server, context) -> None:  # noqa: ANN001
    page, grid = _open_grid(context, server)
    type_in_title(page, grid, 1, "Edited in the browser: Police & prosecutors <training>")
    settled(page)
    expect(page.get_by_text("Unsaved: 1 changed, 0 new, 0 removed")).to_be_visible(timeout=15000)
    shot(page, "workplan-edited")
    save_grid(page, "Saved: 1 changed, 0 added, 0 removed.")  # not "Unsaved: …"
    expect(page.get_by_text("No unsaved edits.")).to_be_visible(timeout=15000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    shot(page, "workplan-saved")
    # The change is in the server's database, with the markup characters kept as typed.
    from rpsee.store.uow import UnitOfWork

    assert "Edited in the browser: Police & prosecutors <training>" in _stored_titles(server)
    with UnitOfWork(url=f"sqlite:///{server.state}/rpsee.sqlite") as uow:
        entry = uow.audit.recent(limit=5, entity="activity")[0]
    assert entry.actor == "demo.planner" and entry.action == "workplan_save:update"


def test_save_clicked_as_soon_as_it_is_enabled_saves_with_one_click(server, context) -> None:  # noqa: ANN001
    """Save clicked the moment it is enabled after an edit, when the editor re-sends its state
    and starts a run that stops the click's: one click saves, every time (three edits)."""
    page, grid = _open_grid(context, server)
    save = page.get_by_role("button", name="Save")
    for n in range(1, 4):
        type_in_title(page, grid, n, f"Saved at once, edit {n}")
        save.click(timeout=15000)  # waits until enabled, then clicks at once
        expect(page.get_by_text("Saved: 1 changed, 0 added, 0 removed.", exact=True)).to_be_visible(
            timeout=15000)  # fmt: skip
        expect(page.get_by_text("No unsaved edits.")).to_be_visible(timeout=15000)
        expect(save).to_be_disabled()
        settled(page)
    assert {f"Saved at once, edit {n}" for n in range(1, 4)} <= set(_stored_titles(server))
