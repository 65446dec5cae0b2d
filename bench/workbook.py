"""Finance workbook figures: the time to build the workbook of the 2026 workplan (every table of
the pages, a frozen scenario's figures, every activity) through the service, from the database,
at demo size and at 10x (the demo workplans' lines and the demo pipeline's contributions ten
times over)."""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from pathlib import Path

RUNS = 5


class BenchmarkError(RuntimeError):
    pass


def _database(work: Path, scale: int) -> str:
    """A fresh demo database with `scale` times the workplan lines and contributions, and the
    implementation review's data (`bench/review_data.py`)."""
    from bench.review_data import scale_review
    from rpsee.services.bootstrap import ensure_demo_users, seed_reference
    from rpsee.services.demo import seed_demo_workplans
    from rpsee.services.pipeline_seed import seed_demo_pipeline, seed_pipeline_defaults
    from rpsee.services.planning_seed import seed_demo_targets, seed_planning
    from rpsee.services.review_seed import seed_demo_review
    from rpsee.store.audit import utcnow
    from rpsee.store.migrate import upgrade
    from rpsee.store.uow import UnitOfWork

    url = f"sqlite:///{work / f'workbook-{scale}x.sqlite'}"
    upgrade(url)
    seed_reference(url)
    ensure_demo_users(url)
    seed_demo_workplans(url, scale=scale)
    seed_planning(url)
    seed_pipeline_defaults(url)
    seed_demo_targets(url)
    seed_demo_pipeline(url)
    with UnitOfWork(actor="bench", action="bench_pipeline", url=url) as uow:
        demo = uow.pipeline.contributions()
        for k in range(1, scale):
            for c in demo:
                uow.pipeline.add(replace(c, id=None, reference=f"{c.reference}-{k}"), "bench",
                                 utcnow())  # fmt: skip
        uow.commit()
    seed_demo_review(url)  # the year the workplan reviews: its progress and delivery
    if scale > 1:
        scale_review(url, scale)
    return url


def _median_s(work: Path, scale: int) -> tuple[float, float, int]:
    """Median build time (s, wall-clock and this process's CPU time) of the 2026 workbook,
    and the workplan's line count."""
    from rpsee.domain.roles import CurrentUser, Role
    from rpsee.domain.scenario import Scenario
    from rpsee.services import finance_exports, scenarios, workplans

    url = _database(work, scale)
    finance = CurrentUser("demo.finance", "Finance", Role.FINANCE)
    planner = CurrentUser("demo.planner", "Planner", Role.PLANNER)
    plan = next(p for p in workplans.list_workplans(finance, url=url) if p.year == 2026)
    lines = len(workplans.activities(finance, plan.id, url=url))
    frozen = scenarios.freeze(planner, Scenario("Bench"), draws=1000, url=url)
    finance_exports.build_workbook(finance, plan.id, frozen, url=url)  # warm-up
    wall, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        data = finance_exports.build_workbook(finance, plan.id, frozen, url=url)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    if not data.startswith(b"PK"):
        raise BenchmarkError("The workbook is not a zip file")
    return statistics.median(wall), statistics.median(cpu), lines


def bench_workbook(work: Path) -> dict[str, float]:
    """`workbook_s_1x`, `workbook_s_10x` (wall-clock) and their `_cpu_` twins (this process's
    CPU time: on a shared machine, the work apart from waiting for a core)."""
    one, one_cpu, lines_1x = _median_s(work, 1)
    ten, ten_cpu, lines_10x = _median_s(work, 10)
    if lines_10x != 10 * lines_1x:
        raise BenchmarkError(f"The 10x workplan has {lines_10x} lines, not {10 * lines_1x}")
    return {"workbook_s_1x": one, "workbook_s_10x": ten,
            "workbook_cpu_s_1x": one_cpu, "workbook_cpu_s_10x": ten_cpu}


if __name__ == "__main__":  # run this benchmark alone: python -m bench.workbook
    import os
    import shutil
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="rpsee-bench-workbook-"))
    os.environ["RPSEE_STATE_DIR"] = str(work)
    try:
        print(bench_workbook(work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
