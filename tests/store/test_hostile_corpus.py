"""A corpus of malformed inputs, generated: workbooks damaged in every way a real file can be,
hostile text in every free-text field, amounts and codes out of range in every form. Each one is
refused with a message naming the field or cell (or, for a file that is not a workbook at all,
saying so plainly), and the database is byte-for-byte unchanged (every table, every row).

One database per engine for the whole module: the cases write nothing, which is what is checked.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import MetaData

from rpsee.domain.money import AmountError
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.roles import CurrentUser, Role
from rpsee.domain.workplan import Activity, Workplan
from rpsee.reports.workplan_excel import SHEET, WorkbookError, excel_columns
from rpsee.services import accounts, planning, staffing, workplan_import, workplans
from rpsee.services.planning_seed import seed_planning
from rpsee.services.workplans import WorkplanEdit, WorkplanError
from rpsee.store.data_files import load_reference
from rpsee.store.uow import UnitOfWork
from tests.store.snapshot import dump, module_database, only_zip, reflected
from tests.unit.test_domain_workplan import act

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)
FINANCE = CurrentUser("demo.finance", "F", Role.FINANCE)
ADMIN = CurrentUser("demo.admin", "A", Role.ADMIN)
REFUSALS = (WorkbookError, WorkplanError, AmountError, staffing.StaffingError,
            planning.PlanningError, accounts.AccountError)  # fmt: skip
REF = load_reference()
YEAR = 2028
COLS = excel_columns(REF)
HEADERS = [h for h, _k in COLS]
KEYS = {k: h for h, k in COLS}
CATEGORIES = [c.code for c in REF.cost_categories]
SHEET_XML = "xl/worksheets/sheet1.xml"
NOT_A_WORKBOOK = (r"not an Excel workbook|could not be read|no sheet named|not a workplan workbook"
                  r"|no header row|the file is damaged here")


@dataclass
class World:
    url: str
    ref: ProgrammeReference
    plan: Workplan
    lines: list[Activity]
    workbook: bytes
    dump: dict[str, list[tuple]]
    engine: Any
    meta: MetaData


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def world(request, tmp_path_factory) -> Iterator[World]:  # noqa: ANN001
    with module_database(request, tmp_path_factory, "corpus") as url:
        with UnitOfWork(url=url) as uow:
            ref = uow.reference.load()
        plan = workplans.start_draft(PLANNER, YEAR, ref, url=url)
        workplans.save(PLANNER, plan.id, WorkplanEdit(added=[
            act("", "2.3", {"TRAVEL": "18500.00", "GOC": "0.01"}, jur=("ALB", "MKD"),
                months=(3, 4)),
            act("", "2.3", {"EQUIPMENT": "120000"}, jur=("MNE",), months=(6, 6)),
            act("", "5.4", {"TRANSFERS": "45000.50"}, jur=("REG",), months=(1, 12)),
        ]), ref, url=url)  # fmt: skip
        lines = workplans.activities(PLANNER, plan.id, url=url)
        data = workplan_import.export(PLANNER, plan, lines, ref, url=url)
        seed_planning(url)  # position plans, cost rates, envelopes
        engine, meta = reflected(url)  # every table there is, not only the models'
        assert len(meta.tables) >= 15
        yield World(url, ref, plan, lines, data, dump(engine, meta), engine, meta)
        engine.dispose()


# ---------------------------------------------------------------- workbooks
def _rezip(data: bytes, edits: dict[str, Callable[[bytes], bytes] | None]) -> bytes:
    """The workbook with parts changed (a function of the bytes) or left out (None)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            raw = src.read(item.filename)
            if item.filename in edits:
                if edits[item.filename] is None:
                    continue
                raw = edits[item.filename](raw)
            dst.writestr(item.filename, raw)
    return out.getvalue()


def _cells(data: bytes, change: Callable[[Any], None]) -> bytes:
    book = load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _col(header: str) -> int:
    return HEADERS.index(header) + 1


def _cell(header: str, row: int = 2) -> str:
    return f"cell {get_column_letter(_col(header))}{row} ({header})"


def _set(header: str, value: object, row: int = 2, kind: str | None = None):  # noqa: ANN202
    def change(book) -> None:  # noqa: ANN001
        cell = book[SHEET].cell(row=row, column=_col(header))
        cell.value = value
        if kind:
            cell.data_type = kind

    return change


Case = tuple[str, Callable[[World], Any], str]  # id, the attempt, what the message must name
CASES: list[Case] = []


def case(name: str, expected: str) -> Callable[[Callable[[World], Any]], None]:
    def register(attempt: Callable[[World], Any]) -> None:
        CASES.append((name, attempt, expected))

    return register


def _upload(data: bytes | Callable[[World], bytes]) -> Callable[[World], Any]:
    def attempt(w: World) -> Any:
        raw = data(w) if callable(data) else data
        preview = workplan_import.preview(PLANNER, w.plan, w.lines, raw, w.ref)
        if preview.errors:
            return "\n".join(str(e) for e in preview.errors)
        return workplan_import.apply(PLANNER, w.plan, preview, w.ref, url=w.url)

    return attempt


def _file(w: World) -> bytes:
    return w.workbook


rng = random.Random(8)
for label, raw in [
    ("empty", b""), ("text", b"Code,Title\n,Hello\n"),
    ("csv-renamed", "Code;Title\n;\u00e9\n".encode()),
    ("xls-renamed", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)), ("pdf", b"%PDF-1.7\n%..."),
    ("html", b"<html><body>Workplan</body></html>"), ("pk-garbage", b"PK\x03\x04garbage"),
    ("random", bytes(rng.randrange(256) for _ in range(5000))),
]:  # fmt: skip
    case(f"file-{label}", r"empty|" + NOT_A_WORKBOOK)(_upload(raw))


case("file-zip-of-a-text-file", NOT_A_WORKBOOK)(_upload(only_zip({"notes.txt": b"hello"})))
case("file-too-big", r"at most 10 MB")(_upload(b"PK\x03\x04" + bytes(11 * 2**20)))
case("file-too-many-parts", NOT_A_WORKBOOK)(
    _upload(only_zip({f"x/{i}.xml": b"<a/>" for i in range(2100)})))
for fraction in (0.05, 0.25, 0.5, 0.75, 0.9, 0.99):
    case(f"file-truncated-{fraction}", NOT_A_WORKBOOK)(
        _upload(lambda w, f=fraction: w.workbook[: int(len(w.workbook) * f)]))
case("file-bomb", r"would expand to")(_upload(lambda w: _rezip(w.workbook, {
    SHEET_XML: lambda x: x.replace(b"</sheetData>", b"</sheetData>" + b" " * 120_000_000)})))
for part in (SHEET_XML, "xl/workbook.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
    case(f"part-missing-{part}", NOT_A_WORKBOOK)(
        _upload(lambda w, p=part: _rezip(w.workbook, {p: None})))
for label, damage in [
    ("cut-short", lambda x: x[: len(x) // 2]), ("cut-end", lambda x: x[:-12]),
    ("garbage", lambda x: x.replace(b"<sheetData>", b"<sheetData><<<>>>")),
    ("unclosed-row", lambda x: x.replace(b"</row>", b"", 1)),
    ("control-char", lambda x: x.replace(b"<sheetData>", b"<sheetData>\x01")),
    ("not-xml", lambda x: b"\x00\xff" * 100),
    ("entity-bomb", lambda x: x.replace(b"<worksheet", b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10)
                   for i in range(8)) + b"]><worksheet", 1).replace(
        b"<sheetData>", b"<sheetData><row r='9'><c r='B9' t='inlineStr'><is><t>&i;</t></is></c>"
                        b"</row>", 1)),
    ("external-entity", lambda x: x.replace(b"<worksheet", b'<!DOCTYPE w [<!ENTITY e SYSTEM '
        b'"file:///etc/passwd">]><worksheet', 1).replace(b"<sheetData>", b"<sheetData>&e;", 1)),
    ("wrong-cell-type", lambda x: re.sub(rb'<c r="A2"[^>]*>', b'<c r="A2" t="zz">', x, count=1)),
    ("bad-cell-ref", lambda x: re.sub(rb'<c r="B2"', b'<c r="??"', x, count=1)),
    ("bad-row-number", lambda x: x.replace(b'<row r="2"', b'<row r="x"', 1)),
]:  # fmt: skip
    case(f"sheet-xml-{label}", NOT_A_WORKBOOK)(
        _upload(lambda w, d=damage: _rezip(w.workbook, {SHEET_XML: d})))
# the sheet refers to shared strings the file does not have (openpyxl writes inline strings)
for label, ref in (("missing", b"0"), ("not-a-number", b"x"), ("negative", b"-1")):
    case(f"shared-string-{label}", NOT_A_WORKBOOK)(_upload(lambda w, r=ref: _rezip(w.workbook, {
        SHEET_XML: lambda x: re.sub(rb'<c r="B2" t="inlineStr"><is><t>[^<]*</t></is></c>',
                                    b'<c r="B2" t="s"><v>' + r + b"</v></c>", x)})))
case("workbook-xml-broken", NOT_A_WORKBOOK)(
    _upload(lambda w: _rezip(w.workbook, {"xl/workbook.xml": lambda x: x[:40]})))
for name in ("Sheet1", "workplan", "Workplan ", "<b>Workplan<b>", "\u202enalpkroW"):
    def rename(book, n=name) -> None:  # noqa: ANN001
        book[SHEET].title = n

    case(f"sheet-named-{name[:12]}", r"no sheet named 'Workplan'")(
        _upload(lambda w, r=rename: _cells(w.workbook, r)))


def _header_only(book) -> None:  # noqa: ANN001
    book[SHEET].delete_rows(2, book[SHEET].max_row)


def _empty_sheet(book) -> None:  # noqa: ANN001
    book[SHEET].delete_rows(1, book[SHEET].max_row)


case("header-only", r"Nothing to apply")(_upload(lambda w: _cells(w.workbook, _header_only)))
case("sheet-empty", r"no header row")(_upload(lambda w: _cells(w.workbook, _empty_sheet)))
case("header-on-row-2", r"no header row: row 1 is empty")(
    _upload(lambda w: _cells(w.workbook, lambda b: b[SHEET].insert_rows(1))))
for header in HEADERS:
    case(f"column-missing-{header}", re.escape(f"missing column(s): '{header[:40]}"))(_upload(
        lambda w, h=header: _cells(w.workbook, lambda b: b[SHEET].delete_cols(_col(h)))))
for header in HEADERS[:6]:
    def twice(book, h=header) -> None:  # noqa: ANN001
        book[SHEET].cell(row=1, column=40, value=h)

    case(f"column-twice-{header}", re.escape(f"given twice: '{header}'"))(
        _upload(lambda w, t=twice: _cells(w.workbook, t)))
def _set_header(text: str):  # noqa: ANN202
    def change(book) -> None:  # noqa: ANN001
        cell = book[SHEET].cell(row=1, column=40, value=text)
        cell.data_type = "s"  # a name, even when it starts with "="

    return change


for label, header in [
    ("script", "<script>alert(1)</script>"), ("markdown", "**bold** [x](https://e.example)"),
    ("formula", '=HYPERLINK("https://e.example","x")'), ("long", "x" * 10_000),
    ("rtl", "\u202eUSD"), ("plain", "Comments"),
]:  # fmt: skip
    case(f"column-unknown-{label}", r"unknown column\(s\): '")(_upload(
        lambda w, h=header: _cells(w.workbook, _set_header(h))))

# formulas without a computed value, in every column read
for header, key in COLS:
    case(f"formula-no-value-{key}", re.escape(_cell(header)) + ": holds a formula without")(
        _upload(lambda w, h=header: _cells(w.workbook, _set(h, "=1+1"))))

# amounts: every category, every kind of bad cell
BAD_AMOUNTS: list[tuple[str, object, str | None]] = [
    ("date", date(2026, 3, 1), None), ("datetime", datetime(2026, 3, 1, 9), None),
    ("true", True, None), ("negative", -5000, None), ("negative-text", "-5000", None),
    ("sci", "1e20", None), ("three-decimals", 1234.567, None), ("european", "46.500,00", None),
    ("comma-decimal", "1,5", None), ("words", "twelve", None), ("ceiling", 1e26, None),
    ("nan", "NaN", None), ("groups", "1,23,456", None), ("div0", "#DIV/0!", "e"),
    ("na", "#N/A", "e"),
]  # fmt: skip
for cat in CATEGORIES:
    header = KEYS[f"budget_{cat}"]
    for label, value, kind in BAD_AMOUNTS:
        case(f"amount-{cat}-{label}", re.escape(_cell(header)))(
            _upload(lambda w, h=header, v=value, k=kind: _cells(w.workbook, _set(h, v, kind=k))))

# codes, months and text in the cells of a line
BAD_CELLS: list[tuple[str, object, str | None]] = [
    ("Code", "2028-9.9-999", None), ("Title", None, None), ("Title", "x" * 10_000, None),
    ("Title", "\u202eevil.exe", None), ("Title", "\u2066isolated", None),
    ("Title", "#REF!", "e"), ("Description", "d" * 4_001, None),
    ("Description", "fine\u202e", None), ("Notes", "n" * 5_000, None), ("Notes", "\u200fx", None),
    ("Output", "9.9", None), ("Output", None, None), ("Output", "1.1; 2.2", None),
    ("Jurisdictions", "XXX", None), ("Jurisdictions", None, None),
    ("Jurisdictions", "ALB; <script>", None), ("Lead office", "ZZZ", None),
    ("Lead office", None, None), ("Responsible position", "P_999", None),
    ("Start month", "Smarch", None), ("Start month", 0, None), ("Start month", 13, None),
    ("Start month", None, None), ("End month", "Jan", None), ("End month", 2.5, None),
    ("Funding source", "NOPE", None), ("Priority", "urgent", None),
    ("Indicators", "9.9.z", None), ("Indicators", "5.4.a", None), ("GEM", 7, None),
    ("GEM", "x", None), ("Status", "deleted", None), ("Status", "#VALUE!", "e"),
]  # fmt: skip
for header, value, kind in BAD_CELLS:
    case(f"cell-{header}-{str(value)[:16]}", re.escape(_cell(header)))(
        _upload(lambda w, h=header, v=value, k=kind: _cells(w.workbook, _set(h, v, kind=k))))


# cells whose value or look the old reader changed without a word (issue 15): each refused
def _formatted(header: str, value: object, fmt: str):  # noqa: ANN202
    def change(book) -> None:  # noqa: ANN001
        cell = book[SHEET].cell(row=2, column=_col(header), value=value)
        cell.number_format = fmt

    return change


SILENT: list[tuple[str, Callable[[Any], None], str]] = [
    ("end-month-other-year", _set("End month", "Mar 2029"), "is not a month of 2028"),
    ("start-month-junk", _set("Start month", "Junk"), "'Junk' is not a month"),
    ("end-month-decade", _set("End month", "Decade"), "'Decade' is not a month"),
    ("end-month-date-other-year", _formatted("End month", datetime(2027, 3, 1), "d mmm yyyy"),
     "'1 Mar 2027' is a date in 2027"),
    ("gender-2.5-text", _set("GEM", "2.5"), "'2.5': use 0, 1, 2 or 3"),
    ("title-number-hidden-digits", _formatted("Title", 1.104, "0.00"), "shows 1.10"),
    ("notes-date", _formatted("Notes", datetime(2026, 3, 15), "yyyy-mm-dd"), "is a date"),
    ("amount-euro", _formatted("Travel (USD)", 1500, '[$€-2] #,##0.00'), "US dollars"),
    ("amount-eur-code", _formatted("Travel (USD)", 1500, '#,##0.00 [$EUR]'), "US dollars"),
    ("amount-percent", _formatted("Travel (USD)", 0.05, "0%"), "percentage"),
    ("total-typed-over", lambda b: b[SHEET].cell(row=2, column=len(HEADERS) + 1, value=99999),
     "typed over the computed total"),
    ("headerless-column", lambda b: b[SHEET].cell(row=3, column=60, value="x"),
     "under a column without a header"),
]  # fmt: skip
for label, change, expected in SILENT:
    case(f"silent-{label}", re.escape(expected))(
        _upload(lambda w, c=change: _cells(w.workbook, c)))


def _same_code(book) -> None:  # noqa: ANN001
    book[SHEET]["A3"] = book[SHEET]["A2"].value


case("cell-code-twice", re.escape("Row 3, cell A3 (Code)"))(
    _upload(lambda w: _cells(w.workbook, _same_code)))


def _stale_dimension_bad_last_row(w: World) -> bytes:
    data = _cells(w.workbook, _set("Output", "9.9", row=4))
    return _rezip(data, {SHEET_XML: lambda x: re.sub(rb'<dimension ref="[^"]*"',
                                                      b'<dimension ref="A1:B2"', x)})


case("stale-dimension-row-past-it-read", re.escape(_cell("Output", 4)))(
    _upload(_stale_dimension_bad_last_row))


def _many_rows(w: World) -> bytes:
    rows = b"".join(b'<row r="%d"><c r="B%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n)
                    for n in range(5, 20_010))  # fmt: skip
    return _rezip(w.workbook, {SHEET_XML: lambda x: x.replace(b"</sheetData>",
                                                              rows + b"</sheetData>")})


case("rows-too-many", r"More than 20,000 lines")(_upload(_many_rows))


# ---------------------------------------------------------------- the grid (workplans.save)
def _save(change: dict[str, Any], new: bool = False) -> Callable[[World], Any]:
    def attempt(w: World) -> Any:
        line = replace(w.lines[0], **change)
        if new:
            edit = WorkplanEdit(added=[replace(line, code="", id=None, version=None)])
        else:
            edit = WorkplanEdit(changed=[line])
        return workplans.save(PLANNER, w.plan.id, edit, w.ref, url=w.url)

    return attempt


GRID: list[tuple[str, dict[str, Any], str]] = [
    ("title-10000", {"title": "t" * 10_000}, "Title: is longer than 300"),
    ("title-301", {"title": "t" * 301}, "Title: is longer than 300"),
    ("title-empty", {"title": "  "}, "Title: is missing"),
    ("title-nul", {"title": "a\x00b"}, "Title: holds a control character"),
    ("title-escape", {"title": "a\x1b[31mred"}, "Title: holds a control character"),
    ("title-newline", {"title": "two\nlines"}, "Title: holds a control character"),
    ("title-rtl", {"title": "\u202etxt.exe"}, "Title: holds an invisible direction"),
    ("title-isolate", {"title": "a\u2067b"}, "Title: holds an invisible direction"),
    ("description-4001", {"description": "d" * 4_001}, "Description: is longer than 4,000"),
    ("description-nul", {"description": "\x00"}, "Description: holds a control"),
    ("description-rtl", {"description": "x\u202d"}, "Description: holds an invisible"),
    ("notes-5000", {"notes": "n" * 5_000}, "Notes: is longer than 4,000"),
    ("notes-bell", {"notes": "\x07"}, "Notes: holds a control"),
    ("notes-rtl", {"notes": "\u200f"}, "Notes: holds an invisible"),
    ("amount-negative", {"budget": {"TRAVEL": Decimal("-5000")}}, "Budget – Travel"),
    ("amount-cents", {"budget": {"TRAVEL": Decimal("1234.567")}}, "Budget – Travel"),
    ("amount-huge", {"budget": {"TRAVEL": Decimal("1e20")}}, "Budget – Travel"),
    ("amount-nan", {"budget": {"TRAVEL": Decimal("NaN")}}, "Budget – Travel"),
    ("amount-category", {"budget": {"BRIBES": Decimal("1")}}, "Budget: unknown cost category"),
    ("month-0", {"start_month": 0}, "Start month"), ("month-13", {"end_month": 13}, "End month"),
    ("months-reversed", {"start_month": 9, "end_month": 2}, "End month: is before"),
    ("output", {"output_code": "9.9"}, "Output: unknown output code"),
    ("output-empty", {"output_code": ""}, "Output: is missing"),
    ("jurisdiction", {"jurisdictions": ("XXX",)}, "Jurisdictions: unknown code"),
    ("jurisdictions-none", {"jurisdictions": ()}, "Jurisdictions: at least one"),
    ("office", {"lead_office": "ZZZ"}, "Lead office: unknown office"),
    ("position", {"position_id": "P_999"}, "Responsible position: unknown"),
    ("donor", {"funding_source": "NOPE"}, "Funding source: unknown donor"),
    ("priority", {"priority": "urgent"}, "Priority"), ("status", {"status": "deleted"}, "Status"),
    ("gender", {"gem": 9}, "GEM"),
    ("indicator", {"indicators": ("9.9.z",)}, "Indicators: unknown indicator"),
]  # fmt: skip
for label, change, expected in GRID:
    case(f"grid-changed-{label}", re.escape(expected))(_save(change))
    case(f"grid-added-{label}", re.escape(expected))(_save(change, new=True))

# ---------------------------------------------------------------- envelope and targets
BAD_MONEY = ["-1", "1e20", "abc", "1,5", "1234.567", "46.500,00", "1000000000.01", "NaN", True,
             "$-5", "1,23,456", "0x10", "½", "١٠٠"]  # fmt: skip
BAD_PERCENT = ["-1", "51", "1e2", "abc", "13,5", "13.555", "NaN", True, "50.01", "%"]


def _envelope(values: dict[int, object], basis: str = "gross", rate: object = "13"):  # noqa: ANN202
    return lambda w: planning.save_envelope(PLANNER, values, basis, rate, w.ref, url=w.url)


for value in BAD_MONEY:
    case(f"envelope-{value}", re.escape("Envelope 2026"))(_envelope({2026: value}))
case("envelope-year-outside", re.escape("Envelope 2031: outside"))(_envelope({2031: "1"}))
case("envelope-basis", re.escape("Basis: 'both'"))(_envelope({}, basis="both"))
for value in BAD_PERCENT:
    case(f"psc-rate-{value}", re.escape("Programme support cost rate"))(
        _envelope({}, rate=value))


def _targets(rows: list[tuple[str, str, object]], dimension: str = "area", year: int = 2027):  # noqa: ANN202
    return lambda w: planning.save_targets(PLANNER, year, dimension, rows, w.ref, url=w.url)


for value in BAD_MONEY:
    case(f"target-usd-{value}", re.escape("2027 · Thematic area 1"))(
        _targets([("1", "usd", value)]))
for value in ["-1", "1e2", "abc", "13,5", "13.555", "NaN", True, "101", "100.01", "%"]:
    case(f"target-percent-{value}", re.escape("2027 · Office SKP"))(
        _targets([("SKP", "percent", value)], dimension="office"))
case("target-area-unknown", re.escape("Thematic area 9: unknown"))(_targets([("9", "usd", "1")]))
case("target-office-unknown", re.escape("Office ZZZ: unknown"))(
    _targets([("ZZZ", "usd", "1")], dimension="office"))
case("target-mode", re.escape("mode must be USD or percent"))(_targets([("1", "euro", "1")]))
case("target-year", re.escape("Year 2031: outside"))(_targets([("1", "usd", "1")], year=2031))
case("target-dimension", re.escape("Dimension: 'donor'"))(
    _targets([("1", "usd", "1")], dimension="donor"))


# ---------------------------------------------------------------- cost rates and positions
def _rates(change: Callable[[list[list[object]]], None], escalation: object = "2.5",
           vacancy: dict[int, object] | None = None) -> Callable[[World], Any]:  # fmt: skip
    def attempt(w: World) -> Any:
        data = staffing.load(FINANCE, url=w.url)
        lines = [[r.grade, r.duty_station, str(r.annual)] for r in data.rate_lines]
        change(lines)
        return staffing.save_rates(FINANCE, [tuple(x) for x in lines], escalation,
                                   vacancy or {}, w.ref, url=w.url)  # fmt: skip

    return attempt


for value in BAD_MONEY:
    case(f"rate-annual-{value}", r"Rate row 1 \(.*\), Annual cost")(
        _rates(lambda ls, v=value: ls[0].__setitem__(2, v)))
for label, grade, expected in [("empty", "", "Grade: is missing"),
                               ("long", "G" * 17, "Grade: is longer than 16"),
                               ("nul", "P\x004", "Grade: holds a control"),
                               ("rtl", "\u202eP4", "Grade: holds an invisible")]:  # fmt: skip
    case(f"rate-grade-{label}", re.escape(expected))(
        _rates(lambda ls, g=grade: ls[0].__setitem__(0, g)))
case("rate-station", re.escape("Duty station: unknown office 'ZZZ'"))(
    _rates(lambda ls: ls[0].__setitem__(1, "ZZZ")))
case("rate-twice", re.escape("appear twice"))(_rates(lambda ls: ls.append(list(ls[0]))))
for value in BAD_PERCENT:
    case(f"escalation-{value}", re.escape("Escalation"))(_rates(lambda ls: None, escalation=value))
for value in ["-1", "1e2", "abc", "13,5", "13.555", "NaN", True, "101", "100.01", "%"]:
    case(f"vacancy-{value}", re.escape("Vacancy 2026"))(
        _rates(lambda ls: None, vacancy={2026: value}))
case("vacancy-year", re.escape("Vacancy 2035: outside"))(
    _rates(lambda ls: None, vacancy={2035: "5"}))


def _position(change: dict[str, Any]) -> Callable[[World], Any]:
    def attempt(w: World) -> Any:
        plan = staffing.load(PLANNER, url=w.url).plans[0]
        return staffing.save_plans(PLANNER, [replace(plan, **change)], w.ref, url=w.url)

    return attempt


POSITIONS: list[tuple[str, dict[str, Any], str]] = [
    ("start-13", {"start": "2026-13"}, "P_001, Start: '2026-13' is not a month"),
    ("start-short", {"start": "26-01"}, "P_001, Start: '26-01'"),
    ("start-words", {"start": "January"}, "P_001, Start: 'January'"),
    ("start-empty", {"start": ""}, "P_001, Start: ''"),
    ("start-arabic", {"start": "٢٠٢٦-٠١"}, "P_001, Start:"),
    ("end-13", {"end": "2029-13"}, "P_001, End: '2029-13'"),
    ("end-long", {"end": "2" * 1000}, "P_001, End: '2222"),
    ("end-before", {"start": "2027-01", "end": "2026-01"}, "P_001, End: is before"),
    ("outside", {"start": "2020-01"}, "P_001, Start/end: outside the programme"),
    ("split-90", {"split": {"1": Decimal(90)}}, "P_001, Time split: adds up to 90"),
    ("split-negative", {"split": {"1": Decimal(110), "2": Decimal(-10)}}, "a share is negative"),
    ("split-area", {"split": {"9": Decimal(100)}}, "P_001, Time split: unknown thematic area"),
    ("station", {"duty_station": "ZZZ"}, "P_001, Duty station: unknown office"),
    ("grade-empty", {"grade": " "}, "P_001, Grade: is missing"),
    ("grade-long", {"grade": "**bold** :red[x] [phish](https://e.example)"},
     "P_001, Grade: is longer than 16"),
    ("grade-nul", {"grade": "P\x004"}, "P_001, Grade: holds a control"),
    ("grade-rtl", {"grade": "\u202eP4"}, "P_001, Grade: holds an invisible"),
]  # fmt: skip
for label, change, expected in POSITIONS:
    case(f"position-{label}", re.escape(expected))(_position(change))


# ---------------------------------------------------------------- users
def _user(username: str = "new.user", name: str = "New User", role: str = "planner",
          password: str = "Long-enough-2026",
          email: str = "") -> Callable[[World], Any]:  # fmt: skip
    return lambda w: accounts.add_user(ADMIN, username, name, role, password, email, url=w.url)


for label, kwargs, expected in [
    ("name-long", {"name": "N" * 121}, "Name: is longer than 120"),
    ("name-10000", {"name": "N" * 10_000}, "Name: is longer than 120"),
    ("name-nul", {"name": "a\x00b"}, "Name: holds a control"),
    ("name-newline", {"name": "a\nb"}, "Name: holds a control"),
    ("name-rtl", {"name": "\u202enimda"}, "Name: holds an invisible"),
    ("name-empty", {"name": "  "}, "Name: must not be empty"),
    ("email-long", {"email": "e" * 201}, "E-mail: is longer than 200"),
    ("email-control", {"email": "a\x07@b.org"}, "E-mail: holds a control"),
    ("username-spaces", {"username": "Bad Name!"}, "Username"),
    ("username-long", {"username": "u" * 41}, "Username"),
    ("username-script", {"username": "<script>"}, "Username"),
    ("username-taken", {"username": "demo.admin"}, "Username: 'demo.admin' is already taken"),
    ("role", {"role": "god"}, "Role"),
    ("password-short", {"password": "short"}, "assword"),
    ("password-73-bytes", {"password": "é" * 37}, "assword"),
]:  # fmt: skip
    case(f"user-{label}", re.escape(expected))(_user(**kwargs))


# ---------------------------------------------------------------- the test
def test_the_corpus_is_large_and_its_names_unique() -> None:
    names = [n for n, _a, _e in CASES]
    assert len(names) == len(set(names)), [n for n in names if names.count(n) > 1]
    assert len(CASES) >= 200, len(CASES)


@pytest.mark.parametrize(("name", "attempt", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_malformed_input_is_refused_naming_it_and_nothing_changes(
        world: World, name: str, attempt: Callable[[World], Any],
        expected: str) -> None:  # fmt: skip
    try:
        outcome = attempt(world)
    except REFUSALS as exc:
        message = str(exc)
    else:
        message = outcome if isinstance(outcome, str) else None
        assert message is not None, f"{name}: accepted ({outcome!r})"
    assert re.search(expected, message), (name, message[:600])
    assert "Traceback" not in message and len(message) < 20_000
    unchanged = dump(world.engine, world.meta) == world.dump  # a bool: no huge diff printed
    assert unchanged, f"{name}: the database changed"
