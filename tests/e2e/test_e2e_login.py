"""A real browser: log in through the form, see the overview, log out everywhere."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import log_in, settled, shot


def test_login_page_then_overview(server, context) -> None:
    page = context.new_page()
    page.goto(server.url)
    settled(page)
    expect(page.get_by_text("Demo data.", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)  # no page list before login
    assert shot(page, "login").stat().st_size > 10_000
    log_in(page, server.url, "demo.planner")
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible(timeout=30000)
    settled(page)
    title = page.get_by_role(
        "heading", name="Regional Programme for South-Eastern Europe 2024–2029"
    )
    expect(title).to_have_count(1)
    expect(title).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    links = page.get_by_test_id("stSidebarNavLink").all_inner_texts()
    assert any("Overview" in t for t in links) and not any("Users" in t for t in links)
    page.wait_for_timeout(1500)  # let the chart finish drawing before the screenshot
    assert shot(page, "overview").stat().st_size > 50_000


def test_wrong_password_is_refused(server, context) -> None:
    page = context.new_page()
    log_in(page, server.url, "demo.finance", "wrong-password-1")
    expect(page.get_by_text("Username or password is incorrect,", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)


def test_cookie_keeps_login_and_logout_ends_it_everywhere(server, browser) -> None:
    first = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = first.new_page()
    log_in(page, server.url, "demo.admin")
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible(timeout=30000)
    settled(page)
    cookies: list = []
    for _ in range(40):  # the cookie is set by a component after the login re-run
        cookies = [c for c in first.cookies() if c["name"].startswith("rpsee_auth_")]
        if cookies:
            break
        page.wait_for_timeout(250)
    assert cookies, "the login cookie was not set"

    # Reloading the page (F5 in front of the room) keeps the user signed in, on the page it was
    # on; the server runs as the quick start runs it (`rpsee serve`), whose cookie component
    # answered 404 before it was registered at the page run.
    page.goto(f"{server.url}/audit")
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible(timeout=30000)
    page.reload()
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible(timeout=30000)
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible(timeout=30000)
    expect(page.get_by_role("textbox", name="Username")).to_have_count(0)

    # A new tab of the same browser is logged in by the cookie alone.
    again = first.new_page()
    again.goto(server.url)
    expect(again.get_by_test_id("stSidebarNav")).to_be_visible(timeout=30000)

    # A copy of the cookie in another browser works too, until the user logs out.
    second = browser.new_context()
    second.add_cookies(cookies)
    other = second.new_page()
    other.goto(server.url)
    expect(other.get_by_test_id("stSidebarNav")).to_be_visible(timeout=30000)

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("textbox", name="Username")).to_be_visible(timeout=30000)

    # The copied cookie no longer logs anyone in: the revocation is checked on the server.
    stale = second.new_page()
    stale.goto(server.url)
    settled(stale)
    expect(stale.get_by_role("textbox", name="Username")).to_be_visible(timeout=30000)
    expect(stale.get_by_test_id("stSidebarNav")).to_have_count(0)
    first.close()
    second.close()
