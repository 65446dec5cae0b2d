"""The README's reverse-proxy headers work: the app runs under its Content-Security-Policy and
X-Frame-Options with no violation (a browser reports every resource the policy blocks)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from bench.browser import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.conftest import ROOT, log_in_and_wait, open_page, settled


def readme_header(name: str) -> str:
    """The value of `add_header <name> "..."` in the README's nginx snippet."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf'add_header {re.escape(name)} "([^"]+)" always;', text)
    assert found, f"README has no {name} header in its nginx snippet"
    return found.group(1)


def test_the_app_runs_under_the_readme_security_headers(server, browser) -> None:  # noqa: ANN001
    # A page answered by the test (below) counts as public; its websocket to 127.0.0.1 would
    # then be a local-network request, which Chromium blocks unless told not to.
    own = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, "--disable-features=LocalNetworkAccessChecks"],
    )
    context = own.new_context(viewport={"width": 1400, "height": 1600})
    try:
        _run_under_headers(server, context)
    finally:
        context.close()
        own.close()


def _run_under_headers(server, context) -> None:  # noqa: ANN001
    host = server.url.split("://", 1)[1]
    csp = readme_header("Content-Security-Policy").replace(
        "wss://planner.example.org", f"ws://{host}"
    )
    headers = {
        "content-security-policy": csp,
        "x-frame-options": readme_header("X-Frame-Options"),
        "x-content-type-options": readme_header("X-Content-Type-Options"),
    }

    def add_headers(route) -> None:  # noqa: ANN001  what the proxy adds to each page
        if route.request.resource_type != "document":
            route.continue_()
            return
        response = route.fetch()
        kept = {k: v for k, v in response.headers.items()
                if k.lower() not in {"content-encoding", "content-length"}}  # fmt: skip
        route.fulfill(status=response.status, body=response.body(), headers={**kept, **headers})

    context.route("**/*", add_headers)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text or "Refused to" in m.text else None)  # fmt: skip
    try:
        log_in_and_wait(page, server.url, "demo.planner")
    except Exception:
        raise AssertionError(f"the app did not start under the headers: {violations}") from None
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=30000)
    for name, heading in (("Workplans", "Annual workplans"), ("Staffing", "Staffing")):
        open_page(page, name, heading)
        settled(page)
    page.wait_for_timeout(1500)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert violations == [], "\n".join(violations)
