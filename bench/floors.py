"""Floors that travel between machines: the same measurement on a bare Streamlit app, in the same
run, so that a figure can be read as a ratio to what Streamlit itself costs on this machine.

- `bare_first_page_browser_s`: a bare app (one `st.write`) started with `streamlit run`, from
  `Popen` to its page shown in Chromium with the run ended (the floor of
  `first_page_browser_s`; Chromium is started before, as there). Median of three starts.
- `bare_page_open_browser_ms`: a bare two-page app (`st.navigation`, a title on each page): a
  click on the other page's link in the sidebar to the run ended with its title shown (the floor
  of every `page_open_browser_ms_median_*`). Median of `ROUNDS` opens after one warm-up round.
- `bare_control_browser_ms`: a bare page with a slider and its value written back: from the
  key press on the slider to the run ended with the new value shown and a frame painted (the
  floor of `meeting_control_browser_ms_median`). Median of `CONTROL_CHANGES` after two.

`ratios()` turns them into the `*_ratio*` figures `bench/run.py` records beside the absolute ones.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.run import (
    _RUN_ENDED,
    BenchmarkError,
    _free_port,
    _start_browser,
    _stop,
    _stop_browser,
    _wait_healthy,
)

STARTS = 3
ROUNDS = 5
CONTROL_CHANGES = 18
WARMUP = 2
FIRST_APP = 'import streamlit as st\n\nst.write("Hello")\n'
PAGES_APP = """import streamlit as st

def one():
    st.title("Page one")

def two():
    st.title("Page two")

st.navigation([st.Page(one, title="One"), st.Page(two, title="Two")]).run()
"""
CONTROL_APP = """import streamlit as st

value = st.slider("Value", 0, 100, 0, key="x")
st.write(f"Value is {value}")
"""
_SHOWN = """([text]) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  const main = document.querySelector("[data-testid='stMain']");
  return !!main && main.innerText.includes(text);
}"""
_PAINTED = "() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))"


def _serve(work: Path, name: str, source: str) -> tuple[subprocess.Popen, str, Path]:
    script = work / f"{name}.py"
    script.write_text(source)
    port = _free_port()
    log = work / f"{name}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=work, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    return proc, f"http://127.0.0.1:{port}", log


def _first_page_s(browser, work: Path, n: int) -> float:  # noqa: ANN001
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(120_000)
    t0 = time.perf_counter()
    proc, base, log = _serve(work, f"bare_first_{n}", FIRST_APP)
    try:
        _wait_healthy(proc, base, log)
        page.goto(base + "/")
        page.wait_for_function(_SHOWN, arg=["Hello"], polling="raf")
        page.wait_for_function(_RUN_ENDED, polling="raf")
        return time.perf_counter() - t0
    finally:
        _stop(proc)
        page.context.close()


def _page_open_ms(browser, work: Path) -> float:  # noqa: ANN001
    from bench.pages_browser import _open_ms

    proc, base, log = _serve(work, "bare_pages", PAGES_APP)
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(60_000)
    try:
        _wait_healthy(proc, base, log)
        page.goto(base + "/")
        page.wait_for_function(_SHOWN, arg=["Page one"], polling="raf")
        samples = []
        for r in range(ROUNDS + 1):
            for link, title in (("Two", "Page two"), ("One", "Page one")):
                ms = _open_ms(page, link, title)
                if r:
                    samples.append(ms)
                page.wait_for_timeout(150)
        return statistics.median(samples)
    finally:
        _stop(proc)
        page.context.close()


def _control_ms(browser, work: Path) -> float:  # noqa: ANN001
    proc, base, log = _serve(work, "bare_control", CONTROL_APP)
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    page.set_default_timeout(30_000)
    try:
        _wait_healthy(proc, base, log)
        page.goto(base + "/")
        page.wait_for_function(_SHOWN, arg=["Value is 0"], polling="raf")
        thumb = page.get_by_role("slider", name="Value")
        thumb.focus()
        samples = []
        for i in range(1, CONTROL_CHANGES + 1):
            start = time.perf_counter()
            thumb.press("ArrowRight")
            page.wait_for_function(_SHOWN, arg=[f"Value is {i}"], polling="raf")
            page.evaluate(_PAINTED)
            samples.append((time.perf_counter() - start) * 1000)
            page.wait_for_timeout(300)  # the meeting bench's pace
        return statistics.median(samples[WARMUP:])
    finally:
        _stop(proc)
        page.context.close()


def bench_floors(work: Path) -> dict[str, float]:
    """The bare app's first page, page open and control change in Chromium."""
    ctx = _start_browser()
    if ctx is None:
        return {}
    folder = work / "floors"
    folder.mkdir(exist_ok=True)
    browser = ctx[1]
    try:
        firsts = [_first_page_s(browser, folder, n) for n in range(STARTS)]
        return {"bare_first_page_browser_s": statistics.median(firsts),
                "bare_page_open_browser_ms": _page_open_ms(browser, folder),
                "bare_control_browser_ms": _control_ms(browser, folder)}  # fmt: skip
    except Exception as exc:
        raise BenchmarkError(f"floors: {exc}") from exc
    finally:
        _stop_browser(ctx)


# figure (exact name or prefix ending in "_") -> (floor figure, ratio's name or prefix)
RATIOS = {
    "first_page_browser_s": ("bare_first_page_browser_s", "first_page_browser_ratio"),
    "page_open_browser_ms_median_": ("bare_page_open_browser_ms", "page_open_browser_ratio_"),
    "meeting_control_browser_ms_median": ("bare_control_browser_ms",
                                          "meeting_control_browser_ratio"),
    "meeting_control_browser_cached_ms_median": ("bare_control_browser_ms",
                                                 "meeting_control_browser_cached_ratio"),
    "pack_pdf_s_": ("libreoffice_pdf_s_", "pack_pdf_ratio_"),
}  # fmt: skip


def ratios(figures: dict[str, float]) -> dict[str, float]:
    """Each figure over its floor measured in the same run (where both are there)."""
    out: dict[str, float] = {}
    for name, value in figures.items():
        for key, (floor, ratio) in RATIOS.items():
            if key.endswith("_"):
                if not name.startswith(key):
                    continue
                suffix = name[len(key):]
                floor_name = floor + suffix if floor.endswith("_") else floor
                ratio_name = ratio + suffix
            elif name == key:
                floor_name, ratio_name = floor, ratio
            else:
                continue
            if figures.get(floor_name):
                out[ratio_name] = value / figures[floor_name]
    return out
