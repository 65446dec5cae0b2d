"""A real browser: the Copy forward tab previews next year's version and asks first when the
year already has a draft (the demo's approved 2026 copied into 2027, which has its draft)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import log_in_and_wait, open_page, settled, shot
from tests.e2e.test_e2e_finance_exports import choose

APPROVED_2026 = "2026 workplan, version 1, approved, in use"  # the demo's, as the selector says
DRAFT_2027 = "2027 workplan, version 1, draft shared for consultation, in use"


def _open_copy_tab_of_2026(page) -> None:  # noqa: ANN001
    """On the Workplans page (a planner's opens on the 2027 draft in preparation): choose the
    approved 2026 version, then its Copy forward tab."""
    open_page(page, "Workplans", "Annual workplans")
    expect(page.get_by_role("combobox", name="Workplan", exact=True)).to_have_value(
        DRAFT_2027, timeout=15000)  # fmt: skip
    choose(page, "Workplan", APPROVED_2026)
    page.get_by_role("tab", name="Copy forward").click()
    settled(page)


def test_copy_forward_tab_previews_and_asks(server, browser) -> None:  # noqa: ANN001
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    log_in_and_wait(page, server.url, "demo.planner")
    _open_copy_tab_of_2026(page)
    expect(page.get_by_text("2027 already has 1 version(s)")).to_be_visible(timeout=15000)
    create = page.get_by_role("button", name="Create the 2027 workplan, version 2")
    expect(create).to_be_disabled()
    shot(page, "workplan-copy-1280")
    page.get_by_text("2027 already has version 1: yes, create version 2").click()
    settled(page)
    expect(create).to_be_enabled()
    page.set_viewport_size({"width": 1440, "height": 2400})
    settled(page)
    shot(page, "workplan-copy-full")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    ctx.close()


def test_a_double_click_on_create_makes_one_version(browser) -> None:  # noqa: ANN001
    """The version just made opens with no Create button where the last one was: the second
    click of a double click creates nothing (before, it created next year's draft too)."""
    from rpsee.store.uow import UnitOfWork
    from tests.e2e.conftest import running_app

    with running_app() as server:
        ctx = browser.new_context(viewport={"width": 1280, "height": 720})
        page = ctx.new_page()
        log_in_and_wait(page, server.url, "demo.planner")
        _open_copy_tab_of_2026(page)
        page.get_by_text("2027 already has version 1: yes, create version 2").click()
        settled(page)
        create = page.get_by_role("button", name="Create the 2027 workplan, version 2")
        expect(create).to_be_enabled(timeout=15000)
        create.scroll_into_view_if_needed()
        where = create.bounding_box()
        create.dblclick()  # a quick double click
        settled(page)
        expect(page.get_by_text("Created the 2027 workplan, version 2")).to_be_visible(
            timeout=30000)
        # the version made is open, asking where to copy it: no next year's button
        expect(page.get_by_text("was just created from a copy")).to_be_visible(timeout=30000)
        expect(page.get_by_role("button", name="Create the 2028 workplan")).to_have_count(0)
        # a slow double click: the second click lands where the button was, once redrawn
        page.mouse.click(where["x"] + where["width"] / 2, where["y"] + where["height"] / 2)
        page.wait_for_timeout(2000)  # a run the click started would have written by now
        settled(page)
        with UnitOfWork(url=f"sqlite:///{server.state}/rpsee.sqlite") as uow:
            made = sorted((p.year, p.version_no) for p in uow.workplans.list())
        assert made == [(2026, 1), (2027, 1), (2027, 2)]  # (before: 2028 made by it too)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        ctx.close()
