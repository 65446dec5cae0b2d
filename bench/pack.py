"""Approval pack figures: the time to build the pack of the 2026 workplan (every section, one
frozen scenario with its charts) through the service, from the database, at demo size and at
10x (the databases of bench/workbook.py), and the peak memory of a fresh process that builds
the 10x pack. Its floor, `libreoffice_pdf_s_*`: LibreOffice converting the finance workbook of
the same workplan to PDF, the office's current way (when LibreOffice is installed)."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 5
LIBREOFFICE_RUNS = 3
LIBREOFFICE = os.environ.get("RPSEE_LIBREOFFICE", shutil.which("libreoffice") or "libreoffice")
ROOT = Path(__file__).resolve().parent.parent


class BenchmarkError(RuntimeError):
    pass


def _prepared(work: Path, scale: int) -> tuple[str, int, int, int]:
    """A database at `scale` with a frozen scenario: (url, workplan id, frozen id, lines)."""
    from bench.workbook import _database
    from rpsee.domain.roles import CurrentUser, Role
    from rpsee.domain.scenario import Scenario
    from rpsee.services import pack, scenarios, workplans

    folder = work / "pack"
    folder.mkdir(exist_ok=True)
    url = _database(folder, scale)
    planner = CurrentUser("demo.planner", "Planner", Role.PLANNER)
    plan = pack.version_of(planner, 2026, url=url)
    frozen = scenarios.freeze(planner, Scenario("Bench"), draws=1000, url=url)
    return url, plan.id, frozen, len(workplans.activities(planner, plan.id, url=url))


def _median_s(url: str, plan_id: int, frozen: int, runs: int) -> tuple[float, float, int]:
    """Median wall-clock and CPU seconds of a build, and the pack's page count."""
    from rpsee.domain.roles import CurrentUser, Role
    from rpsee.services import pack

    finance = CurrentUser("demo.finance", "Finance", Role.FINANCE)
    pack.build_pack(finance, plan_id, [frozen], url=url)  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        pdf = pack.build_pack(finance, plan_id, [frozen], url=url)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    if not pdf.startswith(b"%PDF"):
        raise BenchmarkError("The pack is not a PDF")
    return statistics.median(wall), statistics.median(cpu), pdf.count(b"/Type /Page\n")


def _peak_rss_mb(url: str, plan_id: int, frozen: int) -> float:
    """Peak resident memory (MB) of a fresh Python process that builds the pack once: its
    VmHWM (getrusage's ru_maxrss survives exec, so it would report this bench's own peak)."""
    code = ("import json,sys;from rpsee.domain.roles import CurrentUser,Role;"
            "from rpsee.services import pack;"
            "u=CurrentUser('demo.finance','Finance',Role.FINANCE);"
            "pack.build_pack(u,int(sys.argv[2]),[int(sys.argv[3])],url=sys.argv[1]);"
            "hwm=[l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0];"
            "print(json.dumps(int(hwm.split()[1])))")
    out = subprocess.run([sys.executable, "-c", code, url, str(plan_id), str(frozen)],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return int(json.loads(out.strip().splitlines()[-1])) / 1024  # kB


def _libreoffice_pdf_s(work: Path, url: str, plan_id: int, frozen: int, scale: int) -> float:
    """The office's current way to a PDF, the floor of `pack_pdf_s_*`: LibreOffice converting
    the finance workbook of the same workplan and frozen scenario (`libreoffice --headless
    --convert-to pdf`, its own profile folder, start-up included). Median of LIBREOFFICE_RUNS."""
    from rpsee.domain.roles import CurrentUser, Role
    from rpsee.services import finance_exports

    finance = CurrentUser("demo.finance", "Finance", Role.FINANCE)
    folder = work / f"libreoffice-{scale}x"
    folder.mkdir(exist_ok=True)
    book = folder / f"workbook-{scale}x.xlsx"
    book.write_bytes(finance_exports.build_workbook(finance, plan_id, frozen, url=url))
    profile = (folder / "profile").as_uri()
    cmd = [LIBREOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
           "--outdir", str(folder), str(book)]  # fmt: skip
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)  # the profile's creation
    wall = []
    for _ in range(LIBREOFFICE_RUNS):
        (folder / book.with_suffix(".pdf").name).unlink(missing_ok=True)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, timeout=300)
        wall.append(time.perf_counter() - start)
        if not (folder / book.with_suffix(".pdf").name).exists():
            raise BenchmarkError("LibreOffice wrote no PDF of the workbook")
    return statistics.median(wall)


def bench_pack(work: Path) -> dict[str, float]:
    """`pack_pdf_s_1x`, `pack_pdf_s_10x` (wall-clock), their `_cpu_` twins (this process's CPU
    time) and `pack_peak_rss_mb` (a fresh process building the 10x pack)."""
    url1, plan1, frozen1, lines_1x = _prepared(work, 1)
    url10, plan10, frozen10, lines_10x = _prepared(work, 10)
    if lines_10x != 10 * lines_1x:
        raise BenchmarkError(f"The 10x workplan has {lines_10x} lines, not {10 * lines_1x}")
    one, one_cpu, pages_1x = _median_s(url1, plan1, frozen1, RUNS)
    ten, ten_cpu, pages_10x = _median_s(url10, plan10, frozen10, 3)
    figures = {"pack_pdf_s_1x": one, "pack_pdf_s_10x": ten, "pack_pdf_cpu_s_1x": one_cpu,
               "pack_pdf_cpu_s_10x": ten_cpu, "pack_pages_1x": float(pages_1x),
               "pack_pages_10x": float(pages_10x),
               "pack_peak_rss_mb": _peak_rss_mb(url10, plan10, frozen10)}  # fmt: skip
    if shutil.which(LIBREOFFICE) is None:
        print(f"note: {LIBREOFFICE} not found: skipping the pack's floor (libreoffice_pdf_s_*)")
        return figures
    figures["libreoffice_pdf_s_1x"] = _libreoffice_pdf_s(work, url1, plan1, frozen1, 1)
    figures["libreoffice_pdf_s_10x"] = _libreoffice_pdf_s(work, url10, plan10, frozen10, 10)
    return figures


if __name__ == "__main__":  # run this benchmark alone: python -m bench.pack
    import os
    import shutil
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="rpsee-bench-pack-"))
    os.environ["RPSEE_STATE_DIR"] = str(work)
    try:
        for name, value in bench_pack(work).items():
            print(f"{name:25s} {value:10.3f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
