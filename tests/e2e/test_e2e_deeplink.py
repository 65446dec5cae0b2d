"""Opening a page by its URL on a fresh load: the login form there, then that page.

Two ways in: the very first run of a server process (Streamlit then runs the `pages/` file the URL
names, without the entry point), and any later run (the entry point's navigation).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Server, running_app, settled, shot


@pytest.fixture(scope="module")
def fresh_server() -> Iterator[Server]:
    with running_app() as app:
        yield app


def _log_in_here(page, username: str) -> None:  # noqa: ANN001
    """Log in through the form on the page as it is (the URL the visitor opened). While a run
    replaces the page, the browser can briefly hold the old form beside the new one: wait until
    exactly one is left (a form drawn twice for good still fails here)."""
    settled(page)
    expect(page.get_by_role("textbox", name="Username")).to_have_count(1, timeout=30000)
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill("rpsee-demo-2026")
    page.get_by_test_id("stBaseButton-secondaryFormSubmit").click()


@pytest.mark.parametrize("first_run", [True, False], ids=["first-run", "later-run"])
def test_workplan_url_shows_the_workplan_after_login(fresh_server, context, first_run) -> None:  # noqa: ANN001
    server = fresh_server
    if not first_run:  # someone has used the server already
        warm = context.new_page()
        warm.goto(server.url)
        settled(warm)
        warm.close()
    page = context.new_page()
    page.goto(f"{server.url}/workplan")
    settled(page)
    expect(page.get_by_role("textbox", name="Username")).to_be_visible(timeout=30000)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_role("heading", name="Annual workplans")).to_have_count(0)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)  # nothing of the app shown
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    _log_in_here(page, "demo.planner")
    expect(page.get_by_role("heading", name="Annual workplans")).to_be_visible(timeout=30000)
    settled(page)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert page.url.rstrip("/").endswith("/workplan")
    expect(page.get_by_text("Please log in to see this page.")).to_have_count(0)
    shot(page, f"deeplink-workplan-{'first' if first_run else 'later'}")


def test_a_page_outside_the_role_is_still_refused_after_login(server, context) -> None:
    page = context.new_page()
    page.goto(f"{server.url}/users")
    settled(page)
    expect(page.get_by_role("textbox", name="Username")).to_be_visible()
    _log_in_here(page, "demo.psc")
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible(timeout=30000)
    settled(page)
    overview = page.get_by_role(
        "heading", name="Regional Programme for South-Eastern Europe 2024–2029"
    )
    expect(overview).to_be_visible(timeout=30000)
    expect(page.get_by_role("heading", name="Users")).to_have_count(0)
