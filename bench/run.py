"""Benchmarks of RPSEE Planner: `python3 dev.py bench` (or `python -m bench.run`) from the root.

Every run starts on fresh databases (temporary state folders, removed at the end), prints a table
and writes `bench/results.json`: a flat JSON object of figure name -> number, unit in the name.

To add figures, write a function returning a dict of figures and append it to `BENCHMARKS`.
Benchmarks run in that order, in this process; the in-process ones share one fresh state folder,
whose path is set in the environment by `main()` before any `rpsee` module is imported (so do not
import `rpsee` at the top of this module).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bench.browser import CHROMIUM as CHROMIUM_PATH
from bench.browser import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
CHROMIUM = Path(CHROMIUM_PATH)
DEMO_USER = "demo.planner"
OVERVIEW_TITLE = "South-Eastern Europe"
RERUNS = 30
HEALTH_TIMEOUT_S = 120.0

Figures = dict[str, float]


class BenchmarkError(RuntimeError):
    """The thing measured is broken: a figure for it would be meaningless."""


# --------------------------------------------------------------------------- helpers


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return resp.status, resp.read()


def _vm_hwm_mb(pid: int) -> float:
    """Peak resident set size of a live process (Linux /proc), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise BenchmarkError(f"No VmHWM in /proc/{pid}/status")


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _server_env(state_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["RPSEE_STATE_DIR"] = str(state_dir)
    return env


def _stop(proc: subprocess.Popen) -> None:
    """End the server by its PID (it is the Python process itself: no shell in between)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


# --------------------------------------------------------------------------- benchmarks


SERVER_RUNS = 3  # server starts measured; each figure is their median


def bench_server(work: Path) -> Figures:
    """`_server_once` SERVER_RUNS times, each on its own fresh database: the median of each
    figure (one start is a noisy sample of a few seconds)."""
    runs = []
    for n in range(SERVER_RUNS):
        run_dir = work / f"server-{n}"
        run_dir.mkdir()
        runs.append(_server_once(run_dir))
    return {name: statistics.median(r[name] for r in runs) for name in runs[0]}


def _server_once(work: Path) -> Figures:
    """A real server on a fresh SQLite database: cold start; in a browser, login and peak memory.

    - `cold_start_s`: from `Popen` to `/_stcore/health` answering "ok" plus `GET /` returning 200:
      the HTTP server listening, the static page sent. `rpsee serve` starts Streamlit at once and
      prepares the fresh database beside it (migrations and demo accounts, then reference and
      demo data); the app script's first run, when a browser connects, waits for the accounts
      (the login page), a page after login for the data as well: see the next figures.
    - `first_page_browser_s` (browser only): from `Popen` to the login page usable in Chromium:
      the form shown and the first run ended (`data-test-script-state='notRunning'`).
      `first_page_restart_browser_s`: the same when the server restarts on that database.
    - `cold_start_login_page_s` (browser only): from `Popen` to the login form shown in Chromium,
      so it includes that first script run. Chromium is launched before the `Popen`, so its own
      start-up is not counted.
    - `warm_login_page_browser_s` (browser only): the same for a second tab once the server is
      warm: mostly the browser loading Streamlit's front end, the floor under the figure above.
    - `overview_browser_login_s` (browser only): from the click on "Log in" (real bcrypt cost) to
      the overview's title shown with the sidebar navigation.
    - `peak_rss_mb` (browser only): the server process's VmHWM after it has served a logged-in
      overview page once.
    """
    state_dir = work / "server-state"
    state_dir.mkdir()
    log_path = work / "server.log"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    # The quick start's own way: `python -m rpsee serve` migrates and seeds the fresh database,
    # then runs the Streamlit server in the same process (same PID).
    cmd = [sys.executable, "-m", "rpsee", "serve", "--port", str(port)]

    browser_ctx = _start_browser()
    figures: Figures = {}
    with open(log_path, "wb") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=_server_env(state_dir), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_healthy(proc, base, log_path)
            status, _body = _get(base + "/")
            if status != 200:
                raise BenchmarkError(f"GET / answered {status}")
            figures["cold_start_s"] = time.perf_counter() - t0
            if browser_ctx is not None:
                figures.update(_browser_session(browser_ctx, base, t0, proc.pid, log_path))
        finally:
            _stop(proc)
        try:
            if browser_ctx is not None:
                figures["first_page_restart_browser_s"] = _restart_first_page_s(
                    browser_ctx, cmd, state_dir, base, log_path
                )
        finally:
            if browser_ctx is not None:
                _stop_browser(browser_ctx)
    return figures


def _restart_first_page_s(ctx, cmd: list[str], state_dir: Path, base: str,
                          log_path: Path) -> float:  # fmt: skip
    """`first_page_browser_s` again, for a restart on the database the first start prepared
    (the usual case: nothing to migrate, seed or hash)."""
    _pw, browser, _page = ctx
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(120_000)
    with open(log_path, "ab") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=_server_env(state_dir), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_healthy(proc, base, log_path)
            page.goto(base + "/")
            page.get_by_role("textbox", name="Username").wait_for(state="visible")
            page.wait_for_function(_RUN_ENDED, polling="raf")
            return time.perf_counter() - t0
        finally:
            _stop(proc)
            page.context.close()


def _wait_healthy(proc: subprocess.Popen, base: str, log_path: Path) -> None:
    deadline = time.perf_counter() + HEALTH_TIMEOUT_S
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise BenchmarkError(f"The server exited ({proc.returncode}):\n{log_path.read_text()}")
        try:
            status, body = _get(base + "/_stcore/health", timeout=1.0)
            if status == 200 and body.strip() == b"ok":
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.02)
    raise BenchmarkError(
        f"No healthy server after {HEALTH_TIMEOUT_S:.0f} s:\n{log_path.read_text()}"
    )


def _start_browser():
    if not CHROMIUM.exists():
        print(
            f"note: {CHROMIUM} not found: skipping the browser figures "
            "(cold_start_login_page_s, warm_login_page_browser_s, overview_browser_login_s, "
            "peak_rss_mb)"
        )
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("note: playwright is not installed: skipping the browser figures")
        return None
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as exc:  # noqa: BLE001  any launch failure: skip, do not crash
        pw.stop()
        print(
            f"note: Chromium did not start ({type(exc).__name__}: {exc}): "
            "skipping the browser figures"
        )
        return None
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    return pw, browser, page


def _stop_browser(ctx) -> None:
    pw, browser, _page = ctx
    try:
        browser.close()
    finally:
        pw.stop()


def _browser_session(ctx, base: str, t0: float, pid: int, log_path: Path) -> Figures:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect

    from rpsee.services.demo_accounts import DEMO_PASSWORD

    _pw, _browser, page = ctx
    page.set_default_timeout(60_000)
    try:
        page.goto(base + "/")
        username = page.get_by_role("textbox", name="Username")
        expect(username).to_be_visible(timeout=120_000)
        login_page_s = time.perf_counter() - t0
        page.wait_for_function(_RUN_ENDED, polling="raf")  # usable: the run has ended
        first_page_s = time.perf_counter() - t0
        warm_login_page_s = _warm_login_page(page.context, base)
        username.fill(DEMO_USER)
        page.get_by_role("textbox", name="Password").fill(DEMO_PASSWORD)
        t1 = time.perf_counter()
        page.get_by_test_id("stBaseButton-secondaryFormSubmit").click()
        page.locator("[data-testid='stSidebarNav']").wait_for(state="visible")
        expect(page.locator("h1", has_text=OVERVIEW_TITLE)).to_be_visible()
        login_s = time.perf_counter() - t1
        # Let the run finish (charts, tables sent) before reading the peak memory.
        page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
            state="attached"
        )
        if page.locator("[data-testid='stException']").count():
            raise BenchmarkError(
                "The overview shows an exception in the browser:\n"
                + page.locator("[data-testid='stException']").first.inner_text()
            )
    except PlaywrightError as exc:
        raise BenchmarkError(
            f"Browser step failed: {exc}\nserver log:\n{log_path.read_text()}"
        ) from exc
    return {
        "first_page_browser_s": first_page_s,
        "cold_start_login_page_s": login_page_s,
        "warm_login_page_browser_s": warm_login_page_s,
        "overview_browser_login_s": login_s,
        "peak_rss_mb": _vm_hwm_mb(pid),
    }


_RUN_ENDED = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return !!app && app.getAttribute("data-test-script-state") === "notRunning";
}"""


def _warm_login_page(context, base: str) -> float:
    """A second visitor on the now warm server: page load to login form, in a new tab."""
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(base + "/")
        page.get_by_role("textbox", name="Username").wait_for(state="visible")
        return time.perf_counter() - start
    finally:
        page.close()


def _timed_reruns(at) -> list[float]:
    samples = []
    for _ in range(RERUNS):
        start = time.perf_counter()
        at.run(timeout=30)
        samples.append(time.perf_counter() - start)
    return samples


def bench_prepare(_work: Path) -> Figures:
    """`prepare()` on a fresh SQLite database, in this process: migrations, reference data, the
    demo accounts (bcrypt at real cost). The server does the same in its first session: part of
    the gap between `cold_start_s` and `cold_start_login_page_s`."""
    from rpsee import config
    from rpsee.services.bootstrap import prepare

    db = config.state_dir() / "rpsee.sqlite"
    if db.exists():
        raise BenchmarkError(f"{db} exists: bench_prepare must run first on a fresh database")
    start = time.perf_counter()
    report = prepare()
    elapsed = time.perf_counter() - start
    if not report.reference_changes or not report.demo_users_created:
        raise BenchmarkError(f"prepare() on a fresh database loaded nothing: {report}")
    return {"prepare_fresh_db_s": elapsed}


def bench_bare_rerun(_work: Path) -> Figures:
    """AppTest re-run of a one-line page: the floor every page pays."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string("import streamlit as st\nst.write('Hello')\n")
    at.run(timeout=30)  # warm
    samples = _timed_reruns(at)
    if at.exception:
        raise BenchmarkError(f"The bare page raised: {at.exception}")
    return {"bare_rerun_ms_median": _median_ms(samples)}


def _check_overview(at) -> None:
    if at.exception:
        raise BenchmarkError(
            "The overview raised:\n" + "\n".join(str(e.value) for e in at.exception)
        )
    titles = [t.value for t in at.title]
    if not any(OVERVIEW_TITLE in t for t in titles):
        raise BenchmarkError(f"The overview was not shown (titles: {titles!r})")


def bench_overview_rerun(_work: Path) -> Figures:
    """AppTest re-run of the overview as a logged-in planner (entry point, login check, page)."""
    from streamlit.testing.v1 import AppTest

    from rpsee.services.bootstrap import prepare
    from rpsee.store.audit import utcnow

    prepare()  # a no-op when bench_prepare already ran on this database
    at = AppTest.from_file(str(ROOT / "app.py"))
    at.session_state["authentication_status"] = True
    at.session_state["username"] = DEMO_USER
    at.session_state["rpsee_auth_at"] = utcnow()
    at.run(timeout=30)  # warm
    _check_overview(at)
    samples = _timed_reruns(at)
    _check_overview(at)
    return {"overview_rerun_ms_median": _median_ms(samples)}


def bench_workplan(work: Path) -> Figures:
    from bench.workplan import bench_workplan as run

    return run(work)


def bench_scenario(work: Path) -> Figures:
    """One scenario recompute (deterministic figures, funding plans, 10,000 Monte Carlo draws)
    at demo size and at 10x: pure domain code, see bench/scenario.py."""
    from bench.scenario import bench_scenario as run

    return run(work)


def bench_meeting(work: Path) -> Figures:
    """Meeting mode: the AppTest re-run after a control change (see bench/meeting.py)."""
    from bench.meeting import bench_meeting as run

    return run(work)


def bench_workbook(work: Path) -> Figures:
    """The finance workbook built through the service at demo size and 10x: see
    bench/workbook.py."""
    from bench.workbook import bench_workbook as run

    return run(work)


def bench_meeting_browser(work: Path) -> Figures:
    """Meeting mode in Chromium: a control's change to the chart redrawn (see
    bench/meeting_browser.py)."""
    from bench.meeting_browser import bench_meeting_browser as run

    return run(work)


def bench_pack(work: Path) -> Figures:
    """The approval pack built through the service at demo size and 10x, and the peak memory
    of a fresh process building it: see bench/pack.py."""
    from bench.pack import bench_pack as run

    return run(work)


def bench_pages_browser(work: Path) -> Figures:
    """Each page opened in Chromium at demo size and 10x: see bench/pages_browser.py."""
    from bench.pages_browser import bench_pages_browser as run

    return run(work)


def bench_floors(work: Path) -> Figures:
    """A bare Streamlit app's first page, page open and control change in Chromium, the floors
    of the browser figures (their `*_ratio*` figures): see bench/floors.py."""
    from bench.floors import bench_floors as run

    return run(work)


def bench_meeting_load(work: Path) -> Figures:
    """Meeting mode with 1, 10 and 30 signed-in sessions changing controls at once, on one
    process and on two behind nginx, beside a bare page's floor: see bench/meeting_load.py."""
    from bench.meeting_load import bench_meeting_load as run

    return run(work)


def bench_expenditure_import(work: Path) -> Figures:
    """An Umoja extract of 100,000 rows read and checked, as CSV and as .xlsx, and the peak
    memory of a fresh process importing the CSV: see bench/expenditure_import.py."""
    from bench.expenditure_import import bench_expenditure_import as run

    return run(work)


def bench_iati_export(work: Path) -> Figures:
    """The IATI 2.03 file built through the service at demo size and 10x: see
    bench/iati_export.py."""
    from bench.iati_export import bench_iati_export as run

    return run(work)


BENCHMARKS: list[Callable[[Path], Figures]] = [
    bench_server,
    bench_prepare,
    bench_bare_rerun,
    bench_overview_rerun,
    bench_workplan,
    bench_scenario,
    bench_meeting,
    bench_workbook,
    bench_meeting_browser,
    bench_pack,
    bench_pages_browser,
    bench_floors,
    bench_expenditure_import,
    bench_iati_export,
    bench_meeting_load,
]

# Aims of the ratios (figure / its floor measured in the same run, bench/floors.py and
# bench/meeting_load.py): the issues' absolute aims over the floors of the full `dev.py bench`
# run on the shared 2-CPU machine on 2026-12-07 at a load average of 0.1-0.5 (bare first page
# 1.91 s, bare page open 117 ms, bare control 115 ms; bare page under 30 sessions p95 351 ms;
# LibreOffice converting the workbook 5.15 s at 1x, 7.30 s at 10x), so that another machine is
# held to the same standard. (A first derivation from a partial run at a load of 5-6 had
# inflated floors and so aims tighter than the absolute ones: 1.25, 5, 2.25, 2.2, 0.09, 0.24.)
RATIO_AIMS = {
    "first_page_browser_ratio": "< 1.57",  # 3 s / 1.91 s
    "page_open_browser_ratio_": "< 8.5",  # 1000 ms / 117 ms
    "meeting_control_browser_ratio": "< 2.6",  # 300 ms / 115 ms
    "meeting_load_p95_ratio_30": "< 2.85",  # 1000 ms / 351 ms
    "pack_pdf_ratio_1x": "< 0.097",  # 0.5 s / 5.15 s
    "pack_pdf_ratio_10x": "< 0.27",  # 2 s / 7.30 s
}

# The aims the issues set, shown beside the figures in the README table (exact name, or a name
# prefix ending in "_").
AIMS = {
    "first_page_browser_s": "< 3",
    "page_open_browser_ms_median_": "< 1000",
    "scenario_recompute_ms_median_1x": "< 100",
    "scenario_recompute_ms_median_10x": "< 1000",
    "meeting_control_browser_ms_median": "< 300",
    "pack_pdf_s_1x": "< 0.5",
    "pack_pdf_s_10x": "< 2",
    "pack_peak_rss_mb": "< 300",
    "workbook_s_10x": "< 1",
    "expenditure_import_s_100k": "< 5",
    "expenditure_import_peak_rss_mb_100k": "< 400",
    "iati_export_s_10x": "< 2",
    "meeting_load_p95_ms_30": "< 1000",
    "meeting_load_errors_30": "0",
    "meeting_load_p95_ms_30_replicas": "< 1000",
    "meeting_load_errors_30_replicas": "0",
    "meeting_soak_rss_growth_pct": "< 10",
    # Ratios to a floor measured in the same run (bench/floors.py, bench/meeting_load.py): the
    # absolute aims above over the floors measured on the 2-CPU machine of 2026-12-07, so that
    # a faster or slower machine is held to the same standard.
    **RATIO_AIMS,
}


def _aim(name: str) -> str:
    return AIMS.get(name) or next((a for k, a in AIMS.items() if k.endswith("_")
                                   and name.startswith(k)), "")  # fmt: skip


# --------------------------------------------------------------------------- main


def _header() -> str:
    return (
        f"RPSEE Planner benchmarks  {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}\n"
        f"machine: {platform.node()} · {os.cpu_count()} CPUs · {platform.platform()} · "
        f"Python {platform.python_version()}"
    )


def _table(figures: Figures) -> str:
    width = max(len(name) for name in figures)
    lines = [f"{'figure':<{width}}  {'value':>10}", f"{'-' * width}  {'-' * 10}"]
    lines += [f"{name:<{width}}  {value:>10.3f}" for name, value in sorted(figures.items())]
    return "\n".join(lines)


README = ROOT / "README.md"
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


def _update_readme(figures: Figures) -> bool:
    """Rewrite the README's figures table (between its markers) with these figures."""
    text = README.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        return False
    head, rest = text.split(README_START, 1)
    _old, tail = rest.split(README_END, 1)
    when = f"{datetime.now().astimezone():%Y-%m-%d}"
    machine = (
        f"{os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    rows = "\n".join(f"| `{name}` | {value:g} | {_aim(name)} |"
                     for name, value in sorted(figures.items()))  # fmt: skip
    table = (f"\nLatest figures ({when}, {machine}):\n\n| figure | value | aim |\n|---|---|---|\n"
             f"{rows}\n")  # fmt: skip
    README.write_text(head + README_START + table + README_END + tail, encoding="utf-8")
    return True


def _quiet_streamlit() -> None:
    """Only errors from Streamlit's loggers in this process (the AppTest runs): the app's
    deprecation warnings would otherwise flood the output and be timed as terminal writes.

    Streamlit parses its config lazily, on the first AppTest run, and then resets the log level
    from it: so parse it first, then set the level. The server subprocess logs as usual.
    """
    from streamlit import config, logger

    config.get_config_options()
    logger.set_log_level("error")


# Figures measured by their own commands, not by `dev.py bench` (`python -m bench.meeting_load
# --soak` takes 12 minutes, `--validate` compares with Chromium): a full run keeps them from
# the previous results rather than dropping them.
SEPARATE = ("meeting_soak_", "meeting_load_client_checked_")


def carried_over(previous: Figures, figures: Figures) -> Figures:
    """The previous run's figures that this run does not measure and that come from a separate
    command (SEPARATE), added to this run's."""
    kept = {name: value for name, value in previous.items()
            if name.startswith(SEPARATE) and name not in figures}  # fmt: skip
    return {**figures, **kept}


def _previous() -> Figures:
    try:
        return json.loads(RESULTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="rpsee-bench-"))
    inproc_state = work / "inprocess-state"
    inproc_state.mkdir()
    # Before any rpsee import: a fresh SQLite database, demo mode, real bcrypt cost.
    os.environ["RPSEE_STATE_DIR"] = str(inproc_state)
    for name in ("DATABASE_URL", "RPSEE_MODE", "RPSEE_BCRYPT_ROUNDS"):
        os.environ.pop(name, None)
    os.chdir(ROOT)
    _quiet_streamlit()
    try:
        figures: Figures = {}
        for bench in BENCHMARKS:
            print(f"running {bench.__name__} ...", flush=True)
            figures.update(bench(work))
        from bench.floors import ratios

        figures.update(ratios(figures))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures = {name: round(float(value), 3) for name, value in figures.items()}
    figures = carried_over(_previous(), figures)
    print()
    print(_header())
    print(_table(figures))
    RESULTS.write_text(json.dumps(figures, sort_keys=True, indent=2) + "\n")
    print(f"\nwritten: {RESULTS.relative_to(ROOT)}")
    if _update_readme(figures):
        print(f"updated: {README.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
