"""Excel round trip: identity, drop-down lists, and a corpus of bad workbooks refused whole."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from rpsee.domain.workplan import Activity, Workplan, diff_activities
from rpsee.reports.workplan_excel import SHEET, WorkbookError, build, excel_columns, read
from rpsee.store.data_files import load_reference

REF = load_reference()
PLAN = Workplan(id=1, year=2026, version_no=1, status="draft")
LINES = [
    Activity(code="2026-2.3-001", title='Police & prosecutors "joint" <training>',
             output_code="2.3", jurisdictions=("ALB", "XKX"), lead_office="SKP",
             position_id="SC_010", start_month=3, end_month=4,
             budget={"TRAVEL": Decimal("18500.50"), "GOC": Decimal("0.01")},
             description="=HYPERLINK(\"http://evil\")", funding_source="EU", priority="high",
             indicators=("2.3.a",), gem=2, marker_note="Women & girls <first>",
             status="ongoing", notes="Line 1\nLine 2", dac_gender=1, dac_disability=2,
             sdg_targets=("16.4", "5.2"), inclusion="Sign language; easy-read",
             id=11, version=3),
    Activity(code="2026-5.4-001", title="Shelter staff training", output_code="5.4",
             jurisdictions=("REG",), lead_office="PGD", position_id=None, start_month=1,
             end_month=12, budget={}, id=12, version=1),
]  # fmt: skip


def _book(data: bytes):  # noqa: ANN202
    return load_workbook(io.BytesIO(data))


def test_download_then_upload_unchanged_gives_an_empty_diff() -> None:
    data = build(PLAN, LINES, REF)
    result = read(data, REF, 2026)
    assert result.errors == []
    assert diff_activities(LINES, result.activities).empty
    assert result.activities[0].title == LINES[0].title
    first, second = result.activities
    assert (first.gem, first.dac_gender, first.dac_disability) == (2, 1, 2)
    assert first.sdg_targets == ("16.4", "5.2") and first.inclusion == "Sign language; easy-read"
    assert (second.gem, second.dac_gender, second.dac_disability) == (1, None, None)
    assert result.activities[0].description.startswith("=HYPERLINK")  # text, not a formula


def test_workbook_has_lists_numbers_and_the_kosovo_footnote() -> None:
    wb = _book(build(PLAN, LINES, REF))
    ws = wb[SHEET]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["Code", "Title", "Description", "Output"]
    travel = headers.index("Travel (USD)") + 1
    assert ws.cell(row=2, column=travel).value == 18500.5  # a number, not text
    assert ws.cell(row=2, column=travel).number_format == "#,##0.00"
    assert ws.cell(row=2, column=3).data_type == "s"  # "=HYPERLINK(...)" kept as text
    validated = {str(dv.sqref).split(":")[0] for dv in ws.data_validations.dataValidation
                 if dv.type == "list"}  # fmt: skip
    col = {h: i + 1 for i, h in enumerate(headers)}
    from openpyxl.utils import get_column_letter as L

    for header in (
        "Output",
        "Lead office",
        "Responsible position",
        "Start month",
        "Priority",
        "Status",
        "Funding source",
        "GEM",
        "DAC gender",
        "DAC disability",
    ):
        assert f"{L(col[header])}2" in validated, header
    assert wb["Lists"].sheet_state == "hidden"
    about = " ".join(str(c.value) for row in wb["About"].iter_rows() for c in row if c.value)
    assert "Security Council resolution 1244 (1999)" in about
    assert "XKX = Kosovo*" in about and "* All references to Kosovo" in about


def _edited(change) -> bytes:  # noqa: ANN001
    wb = _book(build(PLAN, LINES, REF))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _col(ws, header: str) -> int:  # noqa: ANN001
    return [c.value for c in ws[1]].index(header) + 1


def _letter(header: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter([h for h, _k in excel_columns(REF)].index(header) + 1)


def test_an_edited_workbook_gives_the_expected_diff() -> None:
    def change(wb) -> None:  # noqa: ANN001
        ws = wb[SHEET]
        ws.cell(row=2, column=_col(ws, "Travel (USD)"), value=20000)
        ws.delete_rows(3)
        ws.append(["", "New regional conference", "", "3.5", "REG", "IST", "P_001", "Oct",
                   "Oct"])  # fmt: skip

    result = read(_edited(change), REF, 2026)
    assert result.errors == []
    diff = diff_activities(LINES, result.activities)
    assert [a.title for a in diff.added] == ["New regional conference"]
    assert [a.code for a in diff.removed] == ["2026-5.4-001"]
    [(_old, new, changes)] = diff.changed
    assert [c.field for c in changes] == ["budget"] and new.id == 11 and new.version == 3


def _raises(data: bytes, fragment: str) -> None:
    with pytest.raises(WorkbookError, match=fragment):
        read(data, REF, 2026)


def test_not_a_workbook_and_empty_file() -> None:
    _raises(b"", "empty")
    _raises(b"this is a text file, not a workbook", "not an Excel workbook")
    _raises(b"PK\x03\x04garbage", "not an Excel workbook")


def test_wrong_sheet_and_wrong_columns() -> None:
    wb = Workbook()
    wb.active.title = "Sheet1"
    out = io.BytesIO()
    wb.save(out)
    _raises(out.getvalue(), "no sheet named 'Workplan'")

    def rename(wb) -> None:  # noqa: ANN001
        wb[SHEET].cell(row=1, column=2, value="Activity title")

    _raises(_edited(rename), "missing column\\(s\\): 'Title'; unknown column\\(s\\): 'Activity")

    def drop(wb) -> None:  # noqa: ANN001
        wb[SHEET].delete_cols(_col(wb[SHEET], "Travel (USD)"))

    _raises(_edited(drop), "missing column\\(s\\): 'Travel \\(USD\\)'")


@pytest.mark.parametrize(
    ("header", "value", "field", "fragment"),
    [
        ("Travel (USD)", "twelve thousand", "Budget – Travel", "not a number"),
        ("Travel (USD)", -100, "Budget – Travel", "negative"),
        ("Travel (USD)", "46.500,00", "Budget – Travel", "if you mean 46,500.00, type 46500.00"),
        ("Travel (USD)", "1,5", "Budget – Travel", "if you mean 1.50, type 1.50"),
        ("Travel (USD)", 1234.567, "Budget – Travel", "more than two decimals"),
        ("Travel (USD)", 1e26, "Budget – Travel", "above the ceiling of USD 1,000,000,000.00"),
        ("Travel (USD)", "1e20", "Budget – Travel", "scientific notation"),
        ("Travel (USD)", True, "Budget – Travel", "yes/no"),
        ("Travel (USD)", date(2026, 3, 1), "Budget – Travel", "is not an amount (a date"),
        ("Output", "9.9", "Output", "unknown output code"),
        ("Start month", "Smarch", "Start month", "not a month"),
        ("Title", None, "Title", "is missing"),
        ("Jurisdictions", None, "Jurisdictions", "at least one"),
    ],
)
def test_bad_cells_are_named_by_row_and_column(header, value, field, fragment) -> None:  # noqa: ANN001
    def change(wb) -> None:  # noqa: ANN001
        ws = wb[SHEET]
        ws.cell(row=2, column=_col(ws, header)).value = value

    result = read(_edited(change), REF, 2026)
    cell = f"cell {_letter(header)}2 ({header})"  # as the sheet shows it, e.g. N2
    assert any(e.row == "Row 2" and e.field == cell and fragment in e.message
               for e in result.errors), result.errors  # fmt: skip
    assert field  # the page's label of the same field (the grid names it so)


@pytest.mark.parametrize(
    ("value", "amount"),
    [(46500.1, "46500.10"), (46500, "46500.00"), ("46,500.00", "46500.00"), ("USD 7", "7.00")],
)
def test_amount_cells_are_read_exactly(value: object, amount: str) -> None:
    def change(wb) -> None:  # noqa: ANN001
        ws = wb[SHEET]
        ws.cell(row=2, column=_col(ws, "Travel (USD)")).value = value

    result = read(_edited(change), REF, 2026)
    assert result.errors == []
    assert result.activities[0].budget["TRAVEL"] == Decimal(amount)


def test_a_cell_with_a_float_error_is_refused_not_rounded() -> None:
    """Excel stores =0.1+0.2 as 0.30000000000000004: read exactly, so refused, never 0.30."""
    import zipfile

    def change(wb) -> None:  # noqa: ANN001
        ws = wb[SHEET]
        ws.cell(row=2, column=_col(ws, "Travel (USD)")).value = 0.25

    src = zipfile.ZipFile(io.BytesIO(_edited(change)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert data.count(b"<v>0.25</v>") == 1
                data = data.replace(b"<v>0.25</v>", b"<v>0.30000000000000004</v>")
            dst.writestr(item, data)
    result = read(out.getvalue(), REF, 2026)
    assert any(e.row == "Row 2" and e.field == f"cell {_letter('Travel (USD)')}2 (Travel (USD))"
               and "'0.30000000000000004' has more than two decimals" in e.message
               and "round it to cents in the sheet" in e.message
               for e in result.errors), result.errors  # fmt: skip


def test_formula_errors_are_refused() -> None:
    def change(wb) -> None:  # noqa: ANN001
        ws = wb[SHEET]
        cell = ws.cell(row=3, column=_col(ws, "Travel (USD)"), value="#REF!")
        cell.data_type = "e"

    result = read(_edited(change), REF, 2026)
    assert any(e.row == "Row 3" and e.field == f"cell {_letter('Travel (USD)')}3 (Travel (USD))"
               and "formula error" in e.message
               for e in result.errors)  # fmt: skip


def test_excel_columns_cover_every_category() -> None:
    keys = [k for _h, k in excel_columns(REF)]
    assert [k for k in keys if k.startswith("budget_")] == [
        f"budget_{c.code}" for c in REF.cost_categories
    ]


def _rezip(data: bytes, member: str, edit) -> bytes:  # noqa: ANN001
    """The same workbook with one part's bytes changed by `edit`."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            raw = src.read(item.filename)
            dst.writestr(item.filename, edit(raw) if item.filename == member else raw)
    return out.getvalue()


SHEET_XML = "xl/worksheets/sheet1.xml"


def _travel_formula(cached: bool) -> bytes:
    """Line 1's Travel cell as the formula 18000+500.50, with or without its computed value."""
    def change(wb) -> None:  # noqa: ANN001
        ws = wb[SHEET]
        ws.cell(row=2, column=_col(ws, "Travel (USD)")).value = "=18000+500.50"

    data = _edited(change)
    if not cached:
        return data
    # an empty value as openpyxl writes it (`<v />`, or `<v></v>` when lxml is installed)
    return _rezip(data, SHEET_XML, lambda x: re.sub(rb"<f>18000\+500\.50</f><v ?/>|"
                                                    rb"<f>18000\+500\.50</f><v></v>",
                                                    b"<f>18000+500.50</f><v>18500.5</v>", x))


def test_a_formula_is_read_by_its_computed_value() -> None:
    result = read(_travel_formula(cached=True), REF, 2026)
    assert result.errors == []
    assert result.activities[0].budget["TRAVEL"] == Decimal("18500.50")


def test_a_formula_without_a_computed_value_is_refused_naming_the_cell() -> None:
    result = read(_travel_formula(cached=False), REF, 2026)
    cell = f"cell {_letter('Travel (USD)')}2 (Travel (USD))"
    assert [(e.row, e.field) for e in result.errors] == [("Row 2", cell)]
    assert "formula without a computed value" in result.errors[0].message
    assert str(result.errors[0]).startswith(f"Row 2, {cell}: ")


def test_rows_past_a_stale_dimension_are_read() -> None:
    data = build(PLAN, LINES, REF)
    import re

    stale = _rezip(data, SHEET_XML, lambda x: re.sub(rb'<dimension ref="[^"]*"',
                                                     b'<dimension ref="A1:B2"', x))
    assert stale != data
    result = read(stale, REF, 2026)
    assert result.errors == [] and [a.code for a in result.activities] == [a.code for a in LINES]
    assert result.rows == ["Row 2", "Row 3"]


def test_the_total_row_leaves_cancelled_lines_out_and_is_skipped_on_upload() -> None:
    from dataclasses import replace

    lines = [LINES[0], replace(LINES[1], status="cancelled", budget={"TRAVEL": Decimal("7")})]
    wb = _book(build(PLAN, lines, REF))
    ws = wb[SHEET]
    travel, status = _letter("Travel (USD)"), _letter("Status")
    assert ws["A4"].value == "Total"
    assert ws[f"{travel}4"].value == f'=SUMIFS({travel}2:{travel}3,${status}$2:${status}$3,' \
                                     '"<>cancelled")'
    result = read(build(PLAN, lines, REF), REF, 2026)
    assert result.errors == [] and len(result.activities) == 2


def test_duplicate_and_hostile_headers_are_refused_and_quoted() -> None:
    def twice(wb) -> None:  # noqa: ANN001
        ws = wb[SHEET]
        ws.cell(row=1, column=ws.max_column + 1, value="Travel (USD)")

    _raises(_edited(twice), "given twice: 'Travel \\(USD\\)'")

    def hostile(wb) -> None:  # noqa: ANN001
        wb[SHEET].cell(row=1, column=40, value="\u202e<script>" + "x" * 10_000)

    with pytest.raises(WorkbookError) as info:
        read(_edited(hostile), REF, 2026)
    assert "'\\u202e<script>xxx" in str(info.value) and len(str(info.value)) < 400


def test_a_decompression_bomb_is_refused_before_it_is_opened() -> None:
    import time

    bomb = _rezip(build(PLAN, LINES, REF), SHEET_XML,
                  lambda x: x.replace(b"</sheetData>", b"</sheetData>" + b" " * 300_000_000))
    assert len(bomb) < 2_000_000
    start = time.perf_counter()
    _raises(bomb, "would expand to")
    assert time.perf_counter() - start < 1.0


def test_damaged_files_are_refused_plainly() -> None:
    good = build(PLAN, LINES, REF)
    _raises(good[: len(good) // 2], "not an Excel workbook")
    _raises(b"x" * (11 * 2**20), "at most 10 MB")
    _raises(_rezip(good, SHEET_XML, lambda x: x[:-40]), "could not be read")
    _raises(_rezip(good, "xl/workbook.xml", lambda x: b"<workbook"), "could not be read")
