"""axe-core on every page and tab, in each of the five roles, and on the
login page: no serious or critical violation and no heading-order gap from the app's own markup
(tests/e2e/axe.py; README, Accessibility); and no file path of the app's (`data/pipeline.yaml`,
`rpsee/...py`) in what the page shows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error as PlaywrightError

from rpsee.ui.nav import DEFAULT_PAGE, PAGES
from tests.e2e.axe import findings
from tests.e2e.conftest import log_in_and_wait, settled, show_sidebar

_OPENED = """(before) => {  // another page's title, and its run over
    const app = document.querySelector("[data-testid='stApp']");
    const h1 = document.querySelector("[data-testid='stMain'] h1");
    return app && app.getAttribute("data-test-script-state") === "notRunning" && h1
        && h1.innerText !== before; }"""
_PATH = re.compile(r"[\w./-]+\.(?:yaml|yml|py|toml)\b|\b(?:data|rpsee|pages)/[\w/.-]+")
_CLOSED = "[data-testid='stMain'] [data-testid='stExpander'] details:not([open]) > summary:visible"


def _open_expanders(page) -> None:  # noqa: ANN001
    """Open the expanders in view, so axe sees what they hold."""
    closed = page.locator(_CLOSED)
    for _ in range(20):
        if not closed.count():
            return
        closed.first.click()
        page.wait_for_timeout(100)


def _check(page, where: str, failures: list[str]) -> None:  # noqa: ANN001
    settled(page)
    _open_expanders(page)
    failures.extend(f"{where}: {f}" for f in findings(page))
    shown = page.get_by_test_id("stMain").inner_text()
    failures.extend(f"{where}: shows the file path {m!r}" for m in _PATH.findall(shown))


def test_login_page(server, context) -> None:  # noqa: ANN001
    page = context.new_page()
    page.goto(server.url)
    settled(page)
    page.get_by_role("textbox", name="Username").wait_for()
    failures: list[str] = []
    _check(page, "login", failures)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("login", ["demo.planner", "demo.observer", "demo.admin", "demo.psc",
                                   "demo.finance"])
def test_every_page_and_tab(server, context, login: str) -> None:  # noqa: ANN001
    page = context.new_page()
    log_in_and_wait(page, server.url, login)
    links = page.get_by_test_id("stSidebarNavLink")
    failures: list[str] = []
    seen = 0
    for spec in PAGES:
        link = links.filter(has_text=spec.title)
        if not link.count():
            continue  # not this role's
        if spec.path != DEFAULT_PAGE:  # the default page is open after the login
            show_sidebar(page)  # meeting mode opens with it collapsed
            before = page.locator("[data-testid='stMain'] h1").first.inner_text()
            link.first.click()
            try:
                page.wait_for_function(_OPENED, arg=before, timeout=30000)
            except PlaywrightError:
                failures.append(f"{spec.title}: did not open within 30 s")
                continue
        seen += 1
        tabs = page.locator("[data-testid='stMain'] [role='tab']:visible")
        names = [t.strip() for t in tabs.all_inner_texts()]
        if not names:
            _check(page, f"{login} {spec.title}", failures)
        for i, name in enumerate(names):
            tabs.nth(i).click()
            page.wait_for_timeout(300)
            _check(page, f"{login} {spec.title} / {name}", failures)
    assert seen >= 8, f"only {seen} pages in {login}'s navigation"
    assert not failures, "\n".join(failures)
