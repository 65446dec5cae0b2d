"""Real-browser figures: how long each page takes to open in headless Chromium.

`page_open_browser_ms_median_<page>` (demo data) and `..._10x` (12x the demo workplan, as
`bench/workplan.py` builds it): from the click on the page's link in the sidebar navigation to the
end of the run (`data-test-script-state='notRunning'`) with the page's title and main element
visible. Logged in as the demo administrator, who sees every page. Median of `ROUNDS` opens.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.run import (
    ROOT,
    BenchmarkError,
    _free_port,
    _server_env,
    _start_browser,
    _stop,
    _stop_browser,
    _wait_healthy,
)

Measure = Callable[..., dict[str, float]]
ROUNDS = 5
USER = "demo.admin"
# page (figure name) -> (link text in the navigation, the page's title)
PAGES = {
    "overview": ("Overview", "Regional Programme for South-Eastern Europe 2024–2029"),
    "workplan": ("Workplans", "Annual workplans"),
    "review": ("Steering Committee", "Steering Committee"),
    "allocation": ("Envelope & allocation", "Envelope and allocation"),
    "staffing": ("Staffing", "Staffing"),
    "pipeline": ("Donor pipeline", "Donor pipeline"),
    "progress": ("Indicator progress", "Indicator progress"),
    "delivery": ("Delivery", "Delivery against budget"),
    "audit": ("Audit trail", "Audit trail"),
    "users": ("Users", "Users"),
    "account": ("My account", "My account"),
}
_DONE = """([title]) => {
  const app = document.querySelector("[data-testid='stApp']");
  const main = document.querySelector("[data-testid='stMain']");
  if (!app || !main || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  if (main.getBoundingClientRect().height === 0) return false;
  return [...main.querySelectorAll("h1")].some(h => h.innerText.trim() === title);
}"""


def _settle(page) -> None:  # noqa: ANN001
    page.wait_for_function(
        """() => {
          const app = document.querySelector("[data-testid='stApp']");
          return app && app.getAttribute("data-test-script-state") === "notRunning";
        }"""
    )


def _log_in(page, base: str, user: str = USER) -> None:  # noqa: ANN001
    from rpsee.services.demo_accounts import DEMO_PASSWORD

    page.goto(base + "/")
    page.get_by_role("textbox", name="Username").fill(user)
    page.get_by_role("textbox", name="Password").fill(DEMO_PASSWORD)
    page.get_by_test_id("stBaseButton-secondaryFormSubmit").click()
    page.get_by_test_id("stSidebarNav").wait_for(state="visible")
    # The login cookie is set by a component after the login run: let that run end too.
    for _ in range(80):
        if any(c["name"].startswith("rpsee_auth_") for c in page.context.cookies()):
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(500)
    _settle(page)


def _open_ms(page, link: str, title: str) -> float:  # noqa: ANN001
    """One open: click the link, wait for the run's end with the title shown."""
    nav = page.get_by_test_id("stSidebarNavLink").filter(has_text=link)
    start = time.perf_counter()
    nav.first.click()
    try:
        page.wait_for_function(_DONE, arg=[title], polling="raf")
    except Exception as exc:  # noqa: BLE001  (said with the page's name)
        raise BenchmarkError(f"The {link} page did not finish with its title {title!r} shown: "
                             f"{exc}") from exc
    elapsed = (time.perf_counter() - start) * 1000
    if page.locator("[data-testid='stException']").count():
        raise BenchmarkError(f"The {link} page shows an exception in the browser")
    return elapsed


def _measure(page, base: str, _state_dir: Path) -> dict[str, float]:  # noqa: ANN001
    page.set_default_timeout(60_000)
    _log_in(page, base)
    samples: dict[str, list[float]] = {name: [] for name in PAGES}
    names = list(PAGES)
    for r in range(ROUNDS + 1):  # the first round warms each page up and is not counted
        for name in names[1:] + names[:1]:  # never a click on the page already shown
            link, title = PAGES[name]
            ms = _open_ms(page, link, title)
            if r:
                samples[name].append(ms)
            page.wait_for_timeout(150)  # let late messages (charts, cookies) land
    return {name: statistics.median(values) for name, values in samples.items()}


def _serve_and_measure(work: Path, label: str, database_url: str | None,
                       measure: Measure = _measure) -> dict[str, float]:  # fmt: skip
    """A fresh server (its own state folder) and Chromium; `measure(page, base URL, state
    folder)` gives the figures."""
    state_dir = work / f"pages-{label}-state"
    state_dir.mkdir()
    env = _server_env(state_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = work / f"pages-{label}.log"
    ctx = _start_browser()
    if ctx is None:
        return {}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "rpsee", "serve", "--port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_healthy(proc, base, log_path)
            return measure(ctx[2], base, state_dir)
        except Exception as exc:
            raise BenchmarkError(f"{label}: {exc}\nserver log:\n{log_path.read_text()}") from exc
        finally:
            _stop(proc)
            _stop_browser(ctx)


def _scaled_review(url: str) -> str:
    """The 10x database with the review's data at 10x too (prepared first, as `serve` would)."""
    from bench.review_data import scale_review
    from rpsee.services.bootstrap import prepare

    prepare(url)
    scale_review(url, 10)
    return url


def bench_pages_browser(work: Path) -> dict[str, float]:
    from bench.workplan import _scaled_database

    figures: dict[str, float] = {}
    demo = _serve_and_measure(work, "1x", None)
    figures.update({f"page_open_browser_ms_median_{k}": v for k, v in demo.items()})
    (work / "pages").mkdir(exist_ok=True)
    big = _serve_and_measure(work, "10x", _scaled_review(_scaled_database(work / "pages")))
    figures.update({f"page_open_browser_ms_median_{k}_10x": v for k, v in big.items()})
    return figures
