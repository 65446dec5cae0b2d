"""Check the load bench's protocol client against the browser: the same meeting-mode control
changes, made in Chromium (as bench/meeting_browser.py makes them) and through
`bench.st_client`, must draw the same chart (every trace's name, x and y, and the title with the
assumptions) and the same three figures. `python -m bench.meeting_load --validate`."""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
from pathlib import Path

from bench.run import BenchmarkError

CHECKED = 8  # changes compared (the SETUP and the first CHANGES of bench/meeting_browser.py)
_CHART = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  const gd = main.querySelector(".js-plotly-plot");
  const m = [...main.querySelectorAll("[data-testid='stMetricValue']")]
    .map(e => e.innerText.trim());
  return JSON.stringify({metrics: m, title: gd.layout.title.text,
    traces: gd.data.map(t => ({name: t.name, x: Array.from(t.x), y: Array.from(t.y)}))});
}"""


def _chart_of(run) -> dict:  # noqa: ANN001
    spec = run.plotly_specs()[-1]
    return {"metrics": run.metrics(), "title": spec["layout"]["title"]["text"],
            "traces": [{"name": t.get("name"), "x": list(t["x"]), "y": list(t["y"])}
                       for t in spec["data"]]}  # fmt: skip


def _plain(title: str) -> str:
    """The title without the bold tags Streamlit's chart theme adds in the browser."""
    return title.replace("<b>", "").replace("</b>", "")


def _same(a: dict, b: dict) -> bool:
    if a["metrics"] != b["metrics"] or _plain(a["title"]) != _plain(b["title"]):
        return False
    if len(a["traces"]) != len(b["traces"]):
        return False
    for ta, tb in zip(a["traces"], b["traces"], strict=True):
        if ta["name"] != tb["name"] or [str(x) for x in ta["x"]] != [str(x) for x in tb["x"]]:
            return False
        if any(abs(float(p) - float(q)) > 1e-9 for p, q in zip(ta["y"], tb["y"], strict=True)):
            return False
    return True


def validate(work: Path) -> dict[str, float]:
    from bench import meeting_browser as mb
    from bench.meeting_load import _app_env, _cookies, start_app
    from bench.run import _start_browser, _stop, _stop_browser
    from bench.st_client import Session

    state = work / "check-state"
    state.mkdir()
    key = secrets.token_urlsafe(48)
    server = start_app(work, "check-server", _app_env(state, key))
    ctx = _start_browser()
    if ctx is None:
        _stop(server.proc)
        raise BenchmarkError("Chromium is needed to check the protocol client")
    names = mb._donor_names()
    keys = {"shock": "mt_shock", "cutoff": "mt_cutoff", "years": "mt_years", "out": "mt_out",
            "late": "mt_late", "currency": "mt_currency", "mode": "mt_mode"}  # fmt: skip
    try:
        page = ctx[2]
        page.set_default_timeout(30_000)
        mb._open_meeting(page, server.base)
        session = Session(server.base, _cookies(state, key)(0))  # demo.planner, as the browser

        async def proto_open() -> None:
            await session.connect()
            await session.open_page("meeting")

        # Playwright's sync API holds this thread's event loop: the client runs in its own.
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, daemon=True)
        thread.start()

        def run_in_loop(coro):  # noqa: ANN001, ANN202
            return asyncio.run_coroutine_threadsafe(coro, loop).result(120)

        run_in_loop(proto_open())
        s = mb.State(currency="EUR")
        compared = 0
        for control, value in (mb.SETUP + mb.CHANGES)[:CHECKED]:
            s = mb._apply(s, control, value)
            mb._act(page, control, value)
            page.wait_for_function(mb.PAGE_DONE, arg=["Meeting mode"], polling="raf")
            page.wait_for_timeout(800)  # the chart's late messages
            seen = json.loads(page.evaluate(_CHART))
            now = getattr(s, control)
            shown = {"out": names.get(now, now), "late": names.get(now, now),
                     "mode": mb.MODES.get(now, now)}.get(control, now)  # fmt: skip
            run = run_in_loop(session.change(keys[control], shown))
            drawn = _chart_of(run)
            if not _same(seen, drawn):
                raise BenchmarkError(f"After {control} = {value} the protocol client's chart "
                                     f"differs from the browser's:\n{seen}\n{drawn}")  # fmt: skip
            compared += 1
            print(f"  same chart after {control} = {value}: gap {drawn['metrics'][1]}")
        run_in_loop(session.close())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        return {"meeting_load_client_checked_changes": compared}
    finally:
        _stop_browser(ctx)
        _stop(server.proc)
