"""Expenditure import figures: an Umoja extract of 100,000 rows (bench/expenditure_data.py's
synthetic rows: mapped WBS elements, the demo grants, amounts some with thousands separators,
both period forms) read from its bytes (`read_rows`) and checked and mapped (`read_extract`).

- `expenditure_import_s_100k`: the CSV file, median wall-clock of RUNS imports (aim < 5 s).
- `expenditure_import_xlsx_s_100k`: the same rows as an .xlsx as Excel saves it (one run).
- `expenditure_import_peak_rss_mb_100k`: peak resident memory (VmHWM) of a fresh Python process
  that imports the CSV once, interpreter and imports included (aim < 400 MB).

Run alone: `python -m bench.expenditure_import` (add `--write` to merge the figures into
bench/results.json); `python -m bench.run` runs it with the others.
"""

from __future__ import annotations

import io
import json
import re
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = 100_000
RUNS = 3
CYCLE = ("2024-07-01", "2029-12-31")


class BenchmarkError(RuntimeError):
    pass


def _inputs() -> dict:
    """What `read_extract` needs besides the rows: grants, mapping, rates, cycle, reference."""
    from datetime import date

    from rpsee.domain.pipeline import rate_table
    from rpsee.domain.review.expenditure import wbs_mappings
    from rpsee.services.pipeline_seed import demo_contributions, demo_rates
    from rpsee.store.data_files import load_reference, read_yaml

    pipeline = read_yaml("pipeline.yaml")
    return {"grants": [c.reference for c in demo_contributions(pipeline) if c.status == "hard"],
            "mapping": wbs_mappings(read_yaml("demo/expenditure.yaml")["wbs_mapping"]),
            "rates": rate_table(demo_rates(pipeline)), "ref": load_reference(),
            "cycle": tuple(date.fromisoformat(d) for d in CYCLE)}  # fmt: skip


def import_once(data: bytes, filename: str, inputs: dict) -> tuple[float, int]:
    """Seconds to read and check one file, and the lines it gave (every row must be read)."""
    from rpsee.domain.review.expenditure import read_extract
    from rpsee.services.expenditure_files import read_rows

    start = time.perf_counter()
    rows, sha = read_rows(data, filename)
    preview = read_extract(rows, sha256=sha, **inputs)
    seconds = time.perf_counter() - start
    if not preview.ok or len(preview.lines) != ROWS:
        raise BenchmarkError(f"{filename}: {len(preview.lines)} lines, problems "
                             f"{preview.problems[:3]}")  # fmt: skip
    return seconds, len(preview.lines)


def _csv_bytes() -> bytes:
    from bench.expenditure_data import synthetic_rows, to_csv

    return to_csv(synthetic_rows(ROWS))


def _xlsx_bytes() -> bytes:
    """The rows as Excel saves them (see `as_excel_saves`), amounts as numeric cells."""
    from openpyxl import Workbook

    from bench.expenditure_data import HEADER, synthetic_rows

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Expenditure")
    ws.append(HEADER)
    for row in synthetic_rows(ROWS):
        ws.append([*row[:6], float(row[6].replace(",", ""))])
    out = io.BytesIO()
    wb.save(out)
    return as_excel_saves(out.getvalue(), ROWS + 1, "G")


_INLINE = re.compile(rb'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t(?: xml:space="preserve")?>'
                     rb"(.*?)</t></is></c>")  # fmt: skip
_SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def as_excel_saves(xlsx: bytes, rows: int, last_column: str) -> bytes:
    """openpyxl's workbook rewritten as Excel writes one: text in a shared-strings table and the
    sheet's dimension declared. openpyxl writes each text inline and no dimension, which its
    reader takes three times longer to read than any file Excel saves."""
    strings: dict[bytes, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        index = strings.setdefault(match[2], len(strings))
        return b'<c r="%s" t="s"><v>%d</v></c>' % (match[1], index)

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w",
                                                                    zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = _INLINE.sub(shared, body).replace(
                    b"<sheetViews>", b'<dimension ref="A1:%s%d"/><sheetViews>'
                    % (last_column.encode(), rows), 1)  # fmt: skip
            elif item.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
                                    b'ContentType="%s"/></Types>' % _SST.encode())
            elif item.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", b'<Relationship Id="rIdSst" Type="%s" '
                                    b'Target="sharedStrings.xml"/></Relationships>'
                                    % _SST_REL.encode())  # fmt: skip
            dst.writestr(item.filename, body)
        table = b"".join(b"<si><t>%s</t></si>" % text for text in strings)
        dst.writestr("xl/sharedStrings.xml", b'<?xml version="1.0" encoding="UTF-8"?><sst '
                     b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                     b'uniqueCount="%d">%s</sst>' % (len(strings), table))  # fmt: skip
    return out.getvalue()


def _peak_rss_mb(csv_path: Path) -> float:
    """VmHWM of a fresh process importing the CSV once (this process holds the xlsx too)."""
    code = ("import sys;from pathlib import Path;"
            "from bench.expenditure_import import _inputs, import_once;"
            "import_once(Path(sys.argv[1]).read_bytes(), 'extract.csv', _inputs());"
            "hwm=[l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0];"
            "print(int(hwm.split()[1]))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code, str(csv_path)], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    return int(out.strip().splitlines()[-1]) / 1024  # kB


def bench_expenditure_import(work: Path) -> dict[str, float]:
    inputs = _inputs()
    csv_data = _csv_bytes()
    csv_path = work / "extract-100k.csv"
    csv_path.write_bytes(csv_data)
    csv_s = statistics.median(import_once(csv_data, "extract.csv", inputs)[0]
                              for _ in range(RUNS))  # fmt: skip
    xlsx_s, _n = import_once(_xlsx_bytes(), "extract.xlsx", inputs)
    return {"expenditure_import_s_100k": csv_s, "expenditure_import_xlsx_s_100k": xlsx_s,
            "expenditure_import_peak_rss_mb_100k": _peak_rss_mb(csv_path)}  # fmt: skip


if __name__ == "__main__":  # run this benchmark alone: python -m bench.expenditure_import
    import os
    import shutil
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="rpsee-bench-expenditure-"))
    os.environ["RPSEE_STATE_DIR"] = str(work)
    try:
        figures = bench_expenditure_import(work)
        for name, value in figures.items():
            print(f"{name:40s} {value:10.3f}")
        if "--write" in sys.argv:
            results = ROOT / "bench" / "results.json"
            merged = {**json.loads(results.read_text()), **figures}
            results.write_text(json.dumps(merged, sort_keys=True, indent=2) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)
