"""Meeting mode: the AppTest re-run of pages/meeting.py after a control change, as a planner on
the demo database. Each change sets a new exchange-rate shock and probability cut-off, never
seen before in the process, so every run recomputes the scenario (figures, funding plans, 10,000
Monte Carlo draws) rather than reading the cache; `meeting_rerun_cached_ms_median` is a control
set back to a value already computed (what going back and forth in the meeting costs)."""

from __future__ import annotations

import itertools
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 15


class BenchmarkError(RuntimeError):
    pass


def _check(at) -> None:  # noqa: ANN001
    if at.exception or not at.title or at.title[0].value != "Meeting mode" or len(at.metric) < 3:
        raise BenchmarkError(f"Meeting mode failed: {at.exception}")


def _rerun_s(at, shock: int, cutoff: int) -> float:  # noqa: ANN001
    """Seconds of the page's re-run after setting the shock and cut-off sliders."""
    at.slider(key="mt_shock").set_value(shock)
    at.slider(key="mt_cutoff").set_value(cutoff)
    start = time.perf_counter()
    at.run(timeout=60)
    return time.perf_counter() - start


def bench_meeting(_work: Path) -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    from rpsee.services.bootstrap import prepare
    from rpsee.store.audit import utcnow

    prepare()  # a no-op when an earlier benchmark prepared this database
    at = AppTest.from_file(str(ROOT / "app.py"))
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "demo.planner"
    at.session_state["rpsee_auth_at"] = utcnow()
    at.run(timeout=60)
    at.switch_page("pages/meeting.py").run(timeout=60)
    _check(at)
    changes = [(s, c) for c, s in itertools.product((0, 10, 20, 30, 40), range(-30, 31, 5))
               if (s, c) != (0, 0)]  # fmt: skip
    fresh, gaps = [], set()
    for shock, cutoff in changes[:RUNS]:
        fresh.append(_rerun_s(at, shock, cutoff))
        _check(at)
        gaps.add(at.metric[1].value)
    if len(gaps) < 2:
        raise BenchmarkError("The controls did not change the gap")
    cached = [_rerun_s(at, shock, cutoff) for shock, cutoff in changes[:RUNS]]
    _check(at)
    return {"meeting_rerun_ms_median": statistics.median(fresh) * 1000,
            "meeting_rerun_cached_ms_median": statistics.median(cached) * 1000}


if __name__ == "__main__":
    import os
    import tempfile

    os.environ["RPSEE_STATE_DIR"] = tempfile.mkdtemp(prefix="rpsee-bench-meeting-")
    for name, value in bench_meeting(Path()).items():
        print(f"{name:40s} {value:10.1f}")
