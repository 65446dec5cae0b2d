"""A real browser: the Copy forward tab previews next year's version and asks first when the
year already has a draft."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import log_in_and_wait, open_page, settled, shot


def test_copy_forward_tab_previews_and_asks(server, browser) -> None:  # noqa: ANN001
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    log_in_and_wait(page, server.url, "demo.planner")
    open_page(page, "Workplans", "Annual workplans")
    page.get_by_role("tab", name="Copy forward").click()
    settled(page)
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
