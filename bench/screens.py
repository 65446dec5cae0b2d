"""Screenshots of every page and tab, as every demo role, at the sizes issue 7 names, to look at.

    .venv/bin/python -m bench.screens [OUT] [--roles demo.psc,...] [--sizes 1280x720,...] [--scroll]

Starts the app on fresh demo data (as the browser tests do), logs in as each demo user, opens
every page of that user's navigation and every tab of it, with every expander open, and saves
`OUT/<role>-<w>x<h>-<page>-<tab>.png` (default OUT: /work/review-shots). The tall size shows a
long page whole; with --scroll, each tab is also shot further down, a screen at a time, to the
end of the page (`...-<tab>-2.png`, `-3`, ...), so a small screen shows every table. It also
writes `OUT/checks.txt`: per shot, any exception box, any table cell reading None/nan, and any
grid wider than its box (a column cut at the right edge).
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from bench.browser import CHROMIUM, CHROMIUM_ARGS
from rpsee.services.demo_accounts import DEMO_USERS
from rpsee.ui.nav import DEFAULT_PAGE, PAGES
from tests.e2e.conftest import log_in_and_wait, running_app, settled, show_sidebar

SIZES = ((1280, 720), (1440, 900), (1280, 2600), (1440, 2400))
CELLS = "[data-testid='stDataFrame'] table td"
_WIDE = """() => [...document.querySelectorAll("[data-testid='stDataFrame']")]
    .filter(g => g.offsetParent !== null).map(g => g.querySelector('.dvn-scroller'))
    .filter(s => s).map(s => [s.scrollWidth, s.clientWidth])"""


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _open_expanders(page) -> None:  # noqa: ANN001
    closed = page.locator("[data-testid='stExpander'] details:not([open]) > summary:visible")
    for _ in range(20):
        if not closed.count():
            break
        closed.first.click()
        page.wait_for_timeout(150)
    page.wait_for_timeout(700)


def _checks(page) -> list[str]:  # noqa: ANN001
    found = []
    if page.get_by_test_id("stException").count():
        found.append("EXCEPTION box")
    cells = [t.strip() for t in page.locator(CELLS).all_inner_texts()]
    bad = sorted({t for t in cells if t in ("None", "nan", "NaN", "<NA>")})
    if bad:
        found.append(f"cells reading {bad}")
    wide = [i for i, (sw, cw) in enumerate(page.evaluate(_WIDE)) if sw > cw + 1]
    if wide:
        found.append(f"grids {wide} wider than their box")
    return found


_OPENED = """(before) => {  // another page's title, and its run over
    const app = document.querySelector("[data-testid='stApp']");
    const h1 = document.querySelector("[data-testid='stMain'] h1");
    return app && app.getAttribute("data-test-script-state") === "notRunning" && h1
        && h1.innerText !== before; }"""
_TO_TOP = """(tall) => { const tab = document.querySelector("[role='tab'][aria-selected='true']");
    if (tab && !tall) { tab.scrollIntoView({block: 'start'}); return; }
    document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; }); }"""


_SCROLL_ON = """() => {  // the page's scrolling box one screen further down; false at its end
    const box = document.querySelector("[data-testid='stMain']");  // not the sidebar's
    if (!box) return false;
    const before = box.scrollTop;
    box.scrollTop = before + box.clientHeight - 80;  // 80 px seen twice, to follow the page
    return box.scrollTop > before + 1; }"""
SCROLL_PIECES = 12  # at most this many further screens per tab


def _shoot(page, out: Path, name: str, log: list[str], scroll: bool = False) -> None:  # noqa: ANN001
    """Every expander open, scrolled back to the open tab (or the top), then shot; with
    `scroll`, then one screen further down at a time to the end of the page."""
    settled(page)
    _open_expanders(page)
    page.evaluate(_TO_TOP, page.viewport_size["height"] > 1200)  # a tall shot from the top
    page.wait_for_timeout(300)
    page.screenshot(path=str(out / f"{name}.png"))
    for piece in range(2, SCROLL_PIECES + 2) if scroll else ():
        if not page.evaluate(_SCROLL_ON):
            break
        page.wait_for_timeout(250)
        page.screenshot(path=str(out / f"{name}-{piece}.png"))
    problems = _checks(page)
    log.append(f"{name}: {'; '.join(problems) or 'ok'}")
    print(log[-1], flush=True)


def shoot_role(browser, url: str, out: Path, login: str, size: tuple[int, int],  # noqa: ANN001
               log: list[str], only: set[str] | None = None, scroll: bool = False) -> None:
    width, height = size
    role = login.removeprefix("demo.")
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        log_in_and_wait(page, url, login)
        links = page.get_by_test_id("stSidebarNavLink")
        for spec in PAGES:
            link = links.filter(has_text=spec.title)
            if not link.count() or (only and slug(spec.title) not in only):
                continue
            if spec.path != DEFAULT_PAGE:  # the default page is open after the login
                show_sidebar(page)  # meeting mode opens with it collapsed
                before = page.locator("[data-testid='stMain'] h1").first.inner_text()
                link.first.click()
                try:
                    page.wait_for_function(_OPENED, arg=before, timeout=20000)
                except PlaywrightError:
                    log.append(f"{role} {spec.title}: its title did not show within 20 s")
            settled(page)
            page.wait_for_timeout(600)
            base = f"{role}-{width}x{height}-{slug(spec.title)}"
            tabs = page.get_by_role("tab")
            names = [t.strip() for t in tabs.all_inner_texts()]
            if not names:
                _shoot(page, out, f"{base}-page", log, scroll)
            for i, tab in enumerate(names):
                tabs.nth(i).click()
                page.wait_for_timeout(400)
                _shoot(page, out, f"{base}-{slug(tab)}", log, scroll)
    finally:
        context.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="/work/review-shots")
    parser.add_argument("--roles", default=",".join(u for u, _n, _r in DEMO_USERS))
    parser.add_argument("--sizes", default=",".join(f"{w}x{h}" for w, h in SIZES))
    parser.add_argument("--pages", default="", help="only these pages, e.g. workplans,overview")
    parser.add_argument("--scroll", action="store_true", help="each tab down to its end too")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sizes = [tuple(int(n) for n in s.split("x")) for s in args.sizes.split(",")]
    log: list[str] = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the app server on kill too
    with running_app() as app, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for login in args.roles.split(","):
            for size in sizes:
                for attempt in (1, 2):  # a busy machine can time a run out: try once more
                    try:
                        shoot_role(browser, app.url, out, login, size, log,
                                   set(filter(None, args.pages.split(","))), args.scroll)
                        break
                    except PlaywrightError as exc:
                        log.append(f"{login} {size}: attempt {attempt} failed: {exc!s:.200}")
                        print(log[-1], flush=True)
        browser.close()
    (out / "checks.txt").write_text("\n".join(log) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
