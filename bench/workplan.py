"""Workplan figures: the page's re-run at demo size and at 12x (1,000+ activities), and the time
to validate and save 1,000 edited lines in one transaction."""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 30
SCALE = 12  # 90 demo lines x 12 = 1,080 lines in the 2026 plan, 1,032 in the 2027 draft


class BenchmarkError(RuntimeError):
    pass


def _page_rerun_ms(url: str, page: str = "workplan", title: str = "Annual workplans"
                   ) -> tuple[float, int]:  # fmt: skip
    """Median AppTest re-run of a page as a planner (the workplan page: the newest plan, and
    its line count from the figures over the grid)."""
    from streamlit.testing.v1 import AppTest

    from rpsee.store.audit import utcnow

    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        at = AppTest.from_file(str(ROOT / "app.py"))
        at.session_state["authentication_status"] = True
        at.session_state["username"] = "demo.planner"
        at.session_state["rpsee_auth_at"] = utcnow()
        at.run(timeout=60)
        at.switch_page(f"pages/{page}.py").run(timeout=60)
        if at.exception or not at.title or at.title[0].value != title:
            raise BenchmarkError(f"The {page} page failed: {at.exception}")
        lines = _line_count(at) if page == "workplan" else 0
        samples = []
        for _ in range(RUNS):
            start = time.perf_counter()
            at.run(timeout=60)
            samples.append(time.perf_counter() - start)
        if at.exception:
            raise BenchmarkError(f"The {page} page failed: {at.exception}")
        return statistics.median(samples) * 1000, lines
    finally:
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous


def _line_count(at) -> int:  # noqa: ANN001
    """The workplan's line count, from the figures over its grid (`Activities **90** · …`)."""
    figures = next(m.value for m in at.markdown if m.value.startswith("Activities"))
    return int(figures.split("**")[1])


def _scaled_database(work: Path) -> str:
    from rpsee.services.bootstrap import ensure_demo_users, seed_reference
    from rpsee.services.demo import seed_demo_workplans
    from rpsee.services.planning_seed import seed_planning
    from rpsee.store.migrate import upgrade

    url = f"sqlite:///{work / 'workplan-10x.sqlite'}"
    upgrade(url)
    seed_reference(url)
    ensure_demo_users(url)
    seed_demo_workplans(url, scale=SCALE)
    seed_planning(url)
    return url


def bench_workplan(work: Path) -> dict[str, float]:
    from rpsee.config import database_url
    from rpsee.domain.roles import CurrentUser, Role
    from rpsee.services import workplans
    from rpsee.services.bootstrap import prepare
    from rpsee.services.workplans import WorkplanEdit
    from rpsee.store.uow import UnitOfWork

    prepare()
    ms_1x, lines_1x = _page_rerun_ms(database_url())
    url = _scaled_database(work)
    ms_10x, lines_10x = _page_rerun_ms(url)
    if lines_10x < 1000:
        raise BenchmarkError(f"The 10x workplan has only {lines_10x} lines")

    planner = CurrentUser("demo.planner", "Planner", Role.PLANNER)
    with UnitOfWork(url=url) as uow:  # the draft in preparation (the app's start-up approved
        # the demo's 2026 version at its demo meeting): the one the planner's page opens on
        plan = max((p for p in uow.workplans.list() if p.status == "draft"),
                   key=lambda p: (p.year, p.version_no))  # fmt: skip
        ref = uow.reference.load()
    lines = workplans.activities(planner, plan.id, url=url)[:1000]
    edited = [replace(a, budget={**a.budget, "GOC": a.budget.get("GOC", Decimal(0)) + 1},
                      notes="bench edit") for a in lines]  # fmt: skip
    start = time.perf_counter()
    result = workplans.save(planner, plan.id, WorkplanEdit(changed=edited), ref, url=url)
    save_ms = (time.perf_counter() - start) * 1000
    if len(result.changed) != 1000:
        raise BenchmarkError(f"Saved {len(result.changed)} lines, not 1000")
    alloc_1x, _n = _page_rerun_ms(database_url(), "allocation", "Envelope and allocation")
    alloc_10x, _n = _page_rerun_ms(url, "allocation", "Envelope and allocation")
    staff_1x, _n = _page_rerun_ms(database_url(), "staffing", "Staffing")
    return {
        "allocation_rerun_ms_median_1x": alloc_1x,
        "allocation_rerun_ms_median_10x": alloc_10x,
        "staffing_rerun_ms_median_1x": staff_1x,
        "workplan_rerun_ms_median_1x": ms_1x,
        "workplan_rerun_ms_median_10x": ms_10x,
        "workplan_lines_1x": float(lines_1x),
        "workplan_lines_10x": float(lines_10x),
        "workplan_save_ms_1000": save_ms,
    }
