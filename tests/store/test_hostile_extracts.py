"""A corpus of malformed ERP extracts, generated: files that are not extracts, headers damaged,
rows with codes the programme does not know, periods and amounts in forms that cannot be read
exactly, hostile text in every text column. Each one is previewed (the problems name row and
column, or the file is refused saying why), applying it with the preview's hash is refused, and
the database is unchanged (every table, every row). Amounts the domain does accept are read
exactly (a second, smaller corpus). A positive control: a clean one-line extract applied changes
exactly the expenditure tables (and the audit trail), so the comparison can see a change.

One database per engine for the whole module: the cases write nothing, which is what is checked.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import MetaData, delete, insert

from rpsee.domain.review.expenditure import EXTRACT_COLUMNS, wbs_mappings
from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import expenditure
from rpsee.services.expenditure import ExpenditureRefused
from rpsee.services.pipeline_seed import seed_demo_pipeline, seed_pipeline_defaults
from rpsee.store.data_files import read_yaml
from tests.store.snapshot import Dump, dump, module_database, only_zip, reflected

FINANCE = CurrentUser("demo.finance", "F", Role.FINANCE)
DEMO = read_yaml("demo/expenditure.yaml")
GRANT, WBS, FUND, CATEGORY, CURRENCY, PERIOD, AMOUNT = EXTRACT_COLUMNS
CLEAN = {GRANT: "EU IPA regional action on organized crime and illicit financial flows (demo)",
         WBS: "SEER24-2.1-SAR-BIH", FUND: "32EUA", CATEGORY: "Travel", CURRENCY: "USD",
         PERIOD: "2025-03", AMOUNT: "100.00"}  # fmt: skip
SOFT_GRANT = "EU IPA III follow-up action (in negotiation, demo)"  # in the pipeline, not signed
EXPENDITURE_TABLES = {"expenditure_import", "expenditure_line", "expenditure_ledger"}
NOT_READABLE = (r"^File [^:]+: (The file is empty|The CSV file is not UTF-8|The CSV file holds NUL"
                r"|The CSV file is malformed|The file is not an Excel workbook|Row 1 is empty"
                r"|Row 1 names the column|'[^']*' is neither a \.csv nor an \.xlsx)")  # fmt: skip


@dataclass
class World:
    url: str
    dump: Dump
    engine: Any
    meta: MetaData


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def world(request, tmp_path_factory) -> Iterator[World]:  # noqa: ANN001
    with module_database(request, tmp_path_factory, "extracts") as url:
        seed_pipeline_defaults(url)  # exchange rates
        seed_demo_pipeline(url)  # the signed grants
        for m in wbs_mappings(DEMO["wbs_mapping"]).values():
            expenditure.map_wbs(FINANCE, m, url=url)
        engine, meta = reflected(url)
        assert set(meta.tables) >= EXPENDITURE_TABLES
        yield World(url, dump(engine, meta), engine, meta)
        engine.dispose()


# ---------------------------------------------------------------- files
def _csv(rows: list[dict[str, object]], header: list[str] | None = None,
         encoding: str = "utf-8") -> bytes:  # fmt: skip
    """A CSV extract (every cell quoted where it must be), with the clean row's cells where a
    row gives none."""
    header = list(EXTRACT_COLUMNS) if header is None else header
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, CLEAN.get(h, "")) for h in header])
    return out.getvalue().encode(encoding)


def _xlsx(rows: list[dict[str, object]], header: list[str] | None = None,
          text: tuple[str, ...] = ()) -> bytes:  # fmt: skip
    """An .xlsx extract on a sheet named Expenditure; the columns in `text` hold text cells
    even when they start with `=` (otherwise such a cell is a formula without a value)."""
    header = list(EXTRACT_COLUMNS) if header is None else header
    book = Workbook()
    sheet = book.active
    sheet.title = "Expenditure"
    sheet.append(header)
    for r, row in enumerate(rows, start=2):
        for c, h in enumerate(header, start=1):
            cell = sheet.cell(row=r, column=c, value=row.get(h, CLEAN.get(h)))
            if h in text:
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _raw(lines: list[str]) -> bytes:
    return "\r\n".join(lines).encode()


HEADER_LINE = ",".join(EXTRACT_COLUMNS)
CLEAN_LINE = ",".join(CLEAN[c] for c in EXTRACT_COLUMNS)
CLEAN_CSV = _csv([{}])
CLEAN_XLSX = _xlsx([{}])

Case = tuple[str, str, bytes, str]  # id, file name, bytes, what the message must match
CASES: list[Case] = []
KNOWN: dict[str, str] = {}  # case id -> why the code accepts it today (reported, not fixed)


def case(name: str, data: bytes, expected: str, filename: str = "extract.csv") -> None:
    CASES.append((name, filename, data, expected))


def cell(column: str, row: int = 2) -> str:
    return f"Row {row}, {re.escape(column)}: "


# files that are not extracts at all
rng = random.Random(16)
RANDOM = bytes(rng.randrange(256) for _ in range(5000))
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)  # an .xls (BIFF) file
ZIPPED_TEXT = only_zip({"notes.txt": b"Grant,WBS element\n"})
for suffix in ("csv", "xlsx"):
    for label, raw in [("empty", b""), ("random", RANDOM), ("pdf", PDF), ("xls", OLE),
                       ("zip", ZIPPED_TEXT)]:  # fmt: skip
        case(f"file-{label}-as-{suffix}", raw, NOT_READABLE, f"extract.{suffix}")
for name in ("extract.xls", "extract.pdf", "extract", "extract.csv.exe", "<script>.txt"):
    case(f"file-named-{name}", CLEAN_CSV, NOT_READABLE, name)
case("file-pdf-ascii-as-csv", b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n", cell(GRANT, 1))
case("file-html-as-csv", b"<html>\n<body><table><tr><td>1</td></tr></table></body>\n</html>\n",
     cell(GRANT, 1))
case("file-json-as-csv", b'[\n  {"Grant": "x", "Amount": 1}\n]\n',
     "Row 2 has 2 cells but the header names 1 columns")
for fraction in (0.1, 0.5, 0.9, 0.99):
    case(f"xlsx-truncated-{fraction}", CLEAN_XLSX[: int(len(CLEAN_XLSX) * fraction)],
         NOT_READABLE, "extract.xlsx")
case("xlsx-as-csv", CLEAN_XLSX, NOT_READABLE)
case("xlsx-sheet-part-missing", only_zip({n: zipfile.ZipFile(io.BytesIO(CLEAN_XLSX)).read(n)
                                      for n in zipfile.ZipFile(io.BytesIO(CLEAN_XLSX)).namelist()
                                      if "worksheets" not in n}),
     NOT_READABLE, "extract.xlsx")  # fmt: skip
case("csv-latin-1", _csv([{GRANT: "Türkiye: regional training with Turkish law enforcement "
                           "academies (demo)"}], encoding="latin-1"), NOT_READABLE)
case("csv-utf-16", _csv([{}], encoding="utf-16"), NOT_READABLE)
case("csv-utf-16-le-no-bom", _csv([{}], encoding="utf-16-le"), NOT_READABLE)
case("csv-nul", CLEAN_CSV.replace(b"32EUA", b"32\x00EUA"), NOT_READABLE)
case("csv-unclosed-quote", _raw([HEADER_LINE, CLEAN_LINE.replace("32EUA", '"32EUA')]),
     NOT_READABLE)

# headers
case("header-only-csv", _csv([]), r"^Row 1, \(file\): has no data rows")
case("header-only-xlsx", _xlsx([]), r"^Row 1, \(file\): has no data rows", "extract.xlsx")
case("header-blank-first-line", b"\r\n" + CLEAN_CSV, NOT_READABLE)
case("header-empty-xlsx", _xlsx([], header=[]), NOT_READABLE, "extract.xlsx")
for column in EXTRACT_COLUMNS:
    others = [c for c in EXTRACT_COLUMNS if c != column]
    case(f"header-missing-{column}", _csv([{}], header=others), cell(column, 1))
    case(f"header-twice-{column}", _csv([{}], header=[*EXTRACT_COLUMNS, column]),
         rf"^File extract\.csv: Row 1 names the column\(s\) {re.escape(column)} twice")
for label, old, new in [("grant-id", GRANT, "Grant ID"), ("amount-usd", AMOUNT, "Amount (USD)"),
                        ("period", PERIOD, "Period"), ("wbs", WBS, "WBS"),
                        ("category", CATEGORY, "Commitment item")]:  # fmt: skip
    header = [new if c == old else c for c in EXTRACT_COLUMNS]
    case(f"header-renamed-{label}", _csv([{}], header=header), cell(old, 1))
# the same column by two spellings (case and spaces are ignored): which one would be read?
case("header-twice-loosely", _csv([{"amount": "999.00"}], header=[*EXTRACT_COLUMNS, "amount"]),
     r"Row 1, \(header\): columns 'Amount' and 'amount' read as one")

# rows: their shape
case("row-short", _raw([HEADER_LINE, ",".join(CLEAN[c] for c in EXTRACT_COLUMNS[:2])]),
     cell(FUND))
case("row-semicolons", _raw([HEADER_LINE, CLEAN_LINE.replace(",", ";")]), cell(WBS))
case("row-5-of-5", _csv([{}, {}, {}, {AMOUNT: "abc"}]), cell(AMOUNT, 5))
case("row-after-a-blank-row", _csv([{}, dict.fromkeys(EXTRACT_COLUMNS, ""),
                                    {GRANT: "Nobody's grant"}]), cell(GRANT, 4))  # fmt: skip
case("row-unquoted-thousands", _raw([HEADER_LINE, CLEAN_LINE.replace("100.00", "1,234.56")]),
     "Row 2 has 8 cells but the header names 7 columns")

# rows: codes the programme does not know
BAD_CELLS: list[tuple[str, str, object]] = [
    ("grant-unknown", GRANT, "Japan: a grant nobody signed"), ("grant-soft", GRANT, SOFT_GRANT),
    ("grant-case", GRANT, CLEAN[GRANT].upper()), ("grant-number", GRANT, "12345"),
    ("grant-empty", GRANT, ""),
    ("wbs-unmapped", WBS, DEMO["unmapped_wbs"][0]), ("wbs-invented", WBS, "SEER24-9.9-XXX-YYY"),
    ("wbs-case", WBS, CLEAN[WBS].lower()), ("wbs-empty", WBS, " "),
    ("fund-empty", FUND, ""),
    ("category-unknown", CATEGORY, "Bribes"), ("category-two", CATEGORY, "Travel; Staff"),
    ("category-empty", CATEGORY, ""), ("category-number", CATEGORY, "71600"),
    ("currency-jpy", CURRENCY, "JPY"), ("currency-chf", CURRENCY, "CHF"),
    ("currency-symbol", CURRENCY, "€"), ("currency-us-dollar", CURRENCY, "US$"),
    ("currency-word", CURRENCY, "EURO"), ("currency-empty", CURRENCY, ""),
]  # fmt: skip
# periods: only YYYY-MM, MM/YYYY or M/YYYY, within July 2024 - June 2029
for value in ["2025/03", "13/2025", "2025-3", "Mar 2025", "", "03.2025", "003/2025", "2025-13",
              "2025-00", "0/2025", "16/2025", "2025-03-15", "202503", "03/25", "'2025-03",
              "２０２５-03", "2024-06", "2029-07", "1999-12", "9999-12", "45717", "March"]:
    BAD_CELLS.append((f"period-{value}", PERIOD, value))
# amounts: refused unless read exactly (a point for decimals, at most two)
for value in ["1.234,56", "1,234.567", "1e6", "1E6", "NaN", "nan", "inf", "-inf", "Infinity",
              "12,5", "1,50", "1 23 456", "1'234.56", "1 234,56", "100.00-", "(100.00)",
              "--100", "10 USD", "EUR 10", "€100", "0x10", "½", "١٠٠", "１００", "1.5.0",
              "0.001", "1000000000.01", "-1000000000.01", "9" * 30, "", "abc", "#DIV/0!"]:
    BAD_CELLS.append((f"amount-{value}", AMOUNT, value))
# formulas and hostile text in every text column
HOSTILE = [("formula", "=cmd|' /C calc'!A0"), ("hyperlink", '=HYPERLINK("https://e.example")'),
           ("script", "<script>alert(1)</script>"), ("long", "x" * 10_000),
           ("rtl", "\u202e32EUA"), ("newline", "32\nEUA")]  # fmt: skip
for column in (GRANT, WBS, FUND, CATEGORY, CURRENCY, PERIOD):
    for label, value in HOSTILE:
        BAD_CELLS.append((f"text-{column}-{label}", column, value))
for label, column, value in BAD_CELLS:
    case(f"csv-{label}", _csv([{column: value}]), cell(column))
# the same in a workbook, with Excel's own cell types
XLSX_CELLS: list[tuple[str, str, object]] = [
    ("amount-float-3-decimals", AMOUNT, 1234.567), ("amount-float-cents", AMOUNT, 0.125),
    ("amount-float-huge", AMOUNT, 1e20), ("amount-bool", AMOUNT, True),
    ("amount-date", AMOUNT, date(2025, 3, 1)), ("amount-formula", AMOUNT, "=SUM(1,2)"),
    ("amount-error", AMOUNT, "#N/A"), ("amount-int-huge", AMOUNT, 10**12),
    ("period-date-outside", PERIOD, date(2031, 1, 1)),
    ("period-datetime-before", PERIOD, datetime(2024, 6, 30, 23, 59)),
    ("period-serial", PERIOD, 45717), ("period-float", PERIOD, 2025.03),
    ("period-bool", PERIOD, False), ("grant-formula", GRANT, "=A1"),
    ("grant-number", GRANT, 12345.0), ("currency-number", CURRENCY, 840),
    ("wbs-formula-text", WBS, "=cmd|' /C calc'!A0"),
    ("fund-formula-text", FUND, "=cmd|' /C calc'!A0"), ("fund-long", FUND, "F" * 5000),
]  # fmt: skip
for label, column, value in XLSX_CELLS:
    case(f"xlsx-{label}", _xlsx([{column: value}], text=(WBS, FUND)), cell(column),
         "extract.xlsx")
# an amount carrying a currency mark (the row's own, or another): the Currency column says it
for value in ("USD 10", "$10", "USD -10"):
    case(f"amount-{value}-in-a-EUR-row", _csv([{CURRENCY: "EUR", AMOUNT: value}]), cell(AMOUNT))
    case(f"amount-{value}-in-a-USD-row", _csv([{CURRENCY: "USD", AMOUNT: value}]), cell(AMOUNT))
case("amount-+-100", _csv([{AMOUNT: "+-100"}]), cell(AMOUNT))

# what the domain reads, exactly (previewed only: a preview writes nothing)
EXACT: list[tuple[str, str, bytes, Decimal]] = [
    (f"csv-{value}", "extract.csv", _csv([{AMOUNT: value}]), Decimal(expected))
    for value, expected in [
        ("1,234.56", "1234.56"), ("1 234.56", "1234.56"), ("1\u00a0234.56", "1234.56"),
        ("1\u2009234.56", "1234.56"), ("\u2212100.00", "-100.00"), ("-100.00", "-100.00"),
        ("1234.5", "1234.50"),
        (".5", "0.50"), ("0", "0.00"), ("-0.00", "0.00"), ("1,000,000,000.00", "1000000000.00"),
        (" 100.00 ", "100.00"), ("+100", "100.00"),
    ]  # fmt: skip
] + [
    (f"xlsx-{value!r}", "extract.xlsx", _xlsx([{AMOUNT: value}]), Decimal(expected))
    for value, expected in [(1234.56, "1234.56"), (1000, "1000.00"), (-0.5, "-0.50"),
                            (0.1, "0.10")]  # fmt: skip
]


# ---------------------------------------------------------------- the tests
def _marked(c: Case) -> Any:
    marks = [pytest.mark.xfail(reason=KNOWN[c[0]], strict=True)] if c[0] in KNOWN else []
    return pytest.param(*c, id=c[0], marks=marks)


def _unchanged(w: World) -> bool:
    return dump(w.engine, w.meta) == w.dump  # a bool: no huge diff printed


def test_the_corpus_is_large_and_its_names_unique() -> None:
    names = [c[0] for c in CASES] + [e[0] for e in EXACT]
    assert len(names) == len(set(names)), [n for n in names if names.count(n) > 1]
    assert len(CASES) >= 100, len(CASES)
    assert set(KNOWN) <= {c[0] for c in CASES}


@pytest.mark.parametrize(("name", "filename", "data", "expected"), [_marked(c) for c in CASES])
def test_a_malformed_extract_is_refused_naming_it_and_nothing_changes(
        world: World, name: str, filename: str, data: bytes, expected: str) -> None:  # fmt: skip
    try:
        found = expenditure.preview(FINANCE, data, filename, url=world.url)
    except ExpenditureRefused as exc:
        message, sha256 = str(exc), hashlib.sha256(data).hexdigest()
    else:
        assert found.problems, f"{name}: accepted ({found.lines[:1]})"  # never applied then
        message, sha256 = "\n".join(str(p) for p in found.problems), found.sha256
    assert re.search(expected, message, re.MULTILINE), (name, message[:600])
    with pytest.raises(ExpenditureRefused) as refused:
        expenditure.apply(FINANCE, data, filename, sha256, url=world.url)
    assert re.search(expected, "\n".join(refused.value.problems), re.MULTILINE), name
    for text in (message, str(refused.value)):
        assert "Traceback" not in text and len(text) < 5_000, (name, text[:600])
    assert _unchanged(world), f"{name}: the database changed"


@pytest.mark.parametrize(("name", "filename", "data", "amount"), EXACT, ids=[e[0] for e in EXACT])
def test_an_amount_the_domain_accepts_is_read_exactly(
        world: World, name: str, filename: str, data: bytes, amount: Decimal) -> None:  # fmt: skip
    found = expenditure.preview(FINANCE, data, filename, url=world.url)
    assert found.ok, (name, [str(p) for p in found.problems])
    assert [(ln.amount, ln.amount_usd, ln.row) for ln in found.lines] == [(amount, amount, 2)]
    assert _unchanged(world), f"{name}: the database changed"


def test_a_clean_extract_applied_changes_exactly_the_expenditure_tables(world: World) -> None:
    """The control: the comparison sees a change. The database is put back afterwards."""
    before = dump(world.engine, world.meta)
    found = expenditure.preview(FINANCE, CLEAN_CSV, "extract.csv", url=world.url)
    assert found.ok and len(found.lines) == 1, found.problems
    record = expenditure.apply(FINANCE, CLEAN_CSV, "extract.csv", found.sha256, url=world.url)
    assert (record.rows, record.total_usd, record.periods) == (1, Decimal("100.00"), ("2025-03",))
    after = dump(world.engine, world.meta)
    changed = {t for t in before if before[t] != after[t]}
    audit = changed - EXPENDITURE_TABLES
    assert changed >= EXPENDITURE_TABLES and len(audit) <= 1, changed
    assert all("audit" in t for t in audit), changed
    assert len(after["expenditure_line"]) == len(before["expenditure_line"]) + 1
    _put_back(world, before, changed)
    assert _unchanged(world)


def _put_back(world: World, rows: Dump, tables: set[str]) -> None:
    """The tables as they were (children emptied first, parents filled first)."""
    order = [t for t in world.meta.sorted_tables if t.name in tables]
    with world.engine.begin() as conn:
        for table in reversed(order):
            conn.execute(delete(table))
        for table in order:
            names = [c.name for c in table.columns]
            if rows[table.name]:
                conn.execute(insert(table), [dict(zip(names, r, strict=True))
                                             for r in rows[table.name]])  # fmt: skip

