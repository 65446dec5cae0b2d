"""IATI export figures: the time to build the programme's IATI 2.03 file (every figure read as
the pages read it, the activities built, the XML written) through the service as finance, from
the database, at demo size and at 10x (the databases of bench/workbook.py)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

RUNS = 5


class BenchmarkError(RuntimeError):
    pass


def _median_s(work: Path, scale: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of `services.iati.export` as finance (after a
    warm-up), on a fresh database at `scale`."""
    from bench.workbook import _database
    from rpsee.domain.roles import CurrentUser, Role
    from rpsee.reports.iati_check import check
    from rpsee.services import iati

    folder = work / "iati"
    folder.mkdir(exist_ok=True)
    url = _database(folder, scale)
    finance = CurrentUser("demo.finance", "Finance", Role.FINANCE)
    xml = iati.export(finance, url=url)  # warm-up
    problems = check(xml)
    if problems:
        raise BenchmarkError(f"The {scale}x IATI file is not valid: {problems[:3]}")
    wall, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        xml = iati.export(finance, url=url)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    if xml.count(b"<iati-activity ") != 6:
        raise BenchmarkError("The IATI file does not hold the parent and its five areas")
    return statistics.median(wall), statistics.median(cpu)


def bench_iati_export(work: Path) -> dict[str, float]:
    """`iati_export_s_1x`, `iati_export_s_10x` (wall-clock) and their `_cpu_` twins (this
    process's CPU time)."""
    one, one_cpu = _median_s(work, 1)
    ten, ten_cpu = _median_s(work, 10)
    return {"iati_export_s_1x": one, "iati_export_s_10x": ten,
            "iati_export_cpu_s_1x": one_cpu, "iati_export_cpu_s_10x": ten_cpu}


if __name__ == "__main__":  # run this benchmark alone: python -m bench.iati_export
    import os
    import shutil
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="rpsee-bench-iati-"))
    os.environ["RPSEE_STATE_DIR"] = str(work)
    try:
        for name, value in bench_iati_export(work).items():
            print(f"{name:25s} {value:10.3f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
