"""Browser tests: the real app on a free port, driven by Playwright in Debian's Chromium.

Screenshots land in tests/artifacts/ (git-ignored). Without Chromium (/usr/bin/chromium, Debian
package `chromium`) these tests skip, or fail when RPSEE_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.browser import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import missing

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
TITLE_X = 150  # px from the workplan grid's left edge: in its Title cell (Code ~90 px, Title 88+)


def healthy(url: str, limit_s: float = 60) -> bool:
    """Whether the Streamlit server at `url` answers its health check within `limit_s`."""
    deadline = time.time() + limit_s
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return True
        except OSError:
            time.sleep(0.1)
    return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url: str, proc: subprocess.Popen, state: str) -> None:
        self.url, self.proc, self.state = url, proc, state


def _prepared(log: Path, limit_s: float = 120.0) -> bool:
    """Whether the server said its database is prepared (its summary line) within `limit_s`:
    `rpsee serve` prepares it beside its start, and tests read the database directly."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if "Database: " in log.read_text(errors="replace"):
            return True
        time.sleep(0.2)
    return False


@contextmanager
def running_app(extra_env: dict[str, str] | None = None, port: int | None = None,
                host: str = "127.0.0.1") -> Iterator[Server]:  # fmt: skip
    """The app as the quick start runs it (`rpsee serve`: demo mode, fresh SQLite, the database
    prepared beside the server's start), on a free port: a fresh server process, so its first
    script run is a first run (see test_e2e_deeplink). `extra_env` adds settings (single sign-on:
    `STREAMLIT_SECRETS_FILES`), `host` is how the browser names it (`localhost` for SSO)."""
    state = tempfile.mkdtemp(prefix="rpsee-e2e-")
    port = port or _free_port()
    env = {**os.environ, "RPSEE_STATE_DIR": state, "RPSEE_BCRYPT_ROUNDS": "4", **(extra_env or {})}
    env.pop("DATABASE_URL", None)
    log = open(Path(state) / "server.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(  # as `python3 dev.py run` starts it
        [sys.executable, "-m", "rpsee", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://{host}:{port}"
    if not healthy(url) or not _prepared(Path(state) / "server.log"):
        proc.kill()
        pytest.fail(f"The app did not start; see {state}/server.log")
    try:
        yield Server(url, proc, state)
    finally:
        stop(proc)
        log.close()
        shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """One app server shared by the browser tests."""
    with running_app() as app:
        yield app


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        missing(
            f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install -y chromium)",
            "RPSEE_REQUIRE_BROWSER",
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("The playwright package is not installed", "RPSEE_REQUIRE_BROWSER")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 2200})
    yield ctx
    ctx.close()


def settled(page) -> None:
    """Wait until the app is connected and its script has finished running."""
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=30000
    )
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30000
    )


def save_grid(page, saved: str) -> None:  # noqa: ANN001
    """Click the workplan grid's Save once and wait for its message `saved`. One click is
    enough: the page queues it before its run, so a run stopped by the editor's re-sent state
    leaves the save to the next run (pages/workplan.py)."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Save").click()
    settled(page)
    expect(page.get_by_text(saved, exact=True)).to_be_visible(timeout=15000)


def type_in_title(page, grid, row: int, text: str) -> None:  # noqa: ANN001
    """Type `text` into the workplan grid's Title cell of the `row`-th row in view (1 = the
    first) and commit it with Enter (no wait for the run it starts)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import expect

    editor = page.locator("textarea").first
    for _attempt in range(3):  # a grid drawn anew just after a run can miss a click
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        page.mouse.click(box["x"] + TITLE_X, box["y"] + 35 * row + 17)
        try:  # a click on a cell next to a selected one opens its editor at once
            editor.wait_for(state="visible", timeout=1500)
            break
        except PlaywrightTimeoutError:
            page.keyboard.press("Enter")  # the click selected the cell: open its editor
        try:
            editor.wait_for(state="visible", timeout=3000)
            break
        except PlaywrightTimeoutError:
            continue
    expect(editor).to_be_visible(timeout=10000)
    editor.fill(text)
    page.keyboard.press("Enter")  # commit the edit


def log_in(page, url: str, username: str, password: str = "rpsee-demo-2026") -> None:
    page.goto(url)
    settled(page)
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_test_id("stBaseButton-secondaryFormSubmit").click()


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def log_in_and_wait(page, url: str, username: str,
                    password: str = "rpsee-demo-2026") -> None:  # noqa: ANN001
    """Log in, then wait until the app is quiet: the navigation is shown and the login cookie
    is set (the cookie component triggers one more run, which must not race a later click)."""
    log_in(page, url, username, password)
    wait_logged_in(page)


def wait_logged_in(page) -> None:  # noqa: ANN001
    """After the login form is sent: wait until the navigation is shown, the login cookie set
    and the app quiet."""
    page.get_by_test_id("stSidebarNav").wait_for(timeout=30000)
    for _ in range(60):
        if any(c["name"].startswith("rpsee_auth_") for c in page.context.cookies()):
            break
        page.wait_for_timeout(250)
    page.wait_for_timeout(500)
    settled(page)


def open_page(page, name: str, heading: str) -> None:  # noqa: ANN001
    """Click a page in the navigation until its heading shows (a click during a run can be
    overtaken by that run)."""
    from playwright.sync_api import expect

    for attempt in range(3):
        page.get_by_test_id("stSidebarNavLink").filter(has_text=name).click()
        settled(page)
        try:
            expect(page.get_by_role("heading", name=heading)).to_have_count(1, timeout=10000)
            return
        except AssertionError:
            if attempt == 2:
                raise


def show_sidebar(page) -> None:  # noqa: ANN001
    """Expand the sidebar if a page collapsed it, as a user does to reach another page."""
    if page.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "true":
        page.get_by_test_id("stExpandSidebarButton").click()
        page.wait_for_function("document.querySelector(\"[data-testid='stSidebar']\")"
                               ".getAttribute('data-collapsed') === 'false'")
        page.wait_for_timeout(500)  # its opening animation


def stop(proc: subprocess.Popen, timeout: float = 10) -> None:
    """End a process started for a test: terminate, then kill if it does not end in time."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)
