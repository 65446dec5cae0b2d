"""The demo meeting: run once; two processes preparing the same database at once record it once
(one submits and holds the meeting, the other finds it submitted and leaves it), on both
engines; and it freezes the 2025 progress report with the approved 2026 version."""

from __future__ import annotations

import multiprocessing as mp

from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import progress, workflow, workplans
from rpsee.services.meeting_seed import seed_demo_meeting
from rpsee.store.workplans import RACE_WINDOW_ENV
from tests.store.test_annual_report import demo  # noqa: F401  (the demo up to its meeting)

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)


def _hold(url: str, start, out) -> None:  # noqa: ANN001
    start.wait(timeout=60)
    try:
        out.put("held" if seed_demo_meeting(url) else "left")
    except Exception as exc:  # noqa: BLE001  (reported to the test)
        out.put(f"escaped {type(exc).__name__}: {exc}")


def _state(url: str) -> tuple:
    plans = {p.year: p.status for p in workplans.list_workplans(PLANNER, url=url)}
    return plans, len(workflow.meetings(PLANNER, url=url))


def test_the_meeting_is_held_once(demo: str) -> None:  # noqa: F811
    url = demo
    assert seed_demo_meeting(url) is True
    assert _state(url) == ({2026: "approved", 2027: "draft"}, 1)
    assert seed_demo_meeting(url) is False  # a second start changes nothing
    assert _state(url) == ({2026: "approved", 2027: "draft"}, 1)
    plan_2026 = next(p for p in workplans.list_workplans(PLANNER, url=url) if p.year == 2026)
    decision = workflow.review(PLANNER, plan_2026.id, url=url).decision
    # the record names the secretariat's person and role, never an account name
    assert decision.decided_by_label == "Demo Planner (Regional Representative), Programme planner"
    [given] = progress.reports(PLANNER, 2025, url=url)
    assert given.workplan_id == next(p.id for p in workplans.list_workplans(PLANNER, url=url)
                                     if p.year == 2026)  # fmt: skip


def test_two_processes_preparing_at_once_hold_it_once(demo: str, monkeypatch) -> None:  # noqa: ANN001, F811
    url = demo
    ctx = mp.get_context("spawn")
    start, out = ctx.Barrier(2), ctx.Queue()
    monkeypatch.setenv(RACE_WINDOW_ENV, "300")  # both pass the first check before either submits
    procs = [ctx.Process(target=_hold, args=(url, start, out)) for _ in range(2)]
    for p in procs:
        p.start()
    results = sorted(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=30)
    assert results == ["held", "left"], results
    assert _state(url) == ({2026: "approved", 2027: "draft"}, 1)
