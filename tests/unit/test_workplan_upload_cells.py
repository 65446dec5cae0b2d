"""Hostile workbooks, cell by cell: every cell is read exactly as Excel shows it, or refused
naming the cell (row, column letter and header) in the user's words, never a Python repr."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from rpsee.reports.workplan_excel import SHEET, TOTAL_HEADER, build, excel_columns, read
from tests.unit.test_reports_workplan_excel import LINES, PLAN, REF

HEADERS = [h for h, _k in excel_columns(REF)] + [TOTAL_HEADER]
REPR = re.compile(r"datetime\.|Decimal\(|\d\.\d+e[+-]?\d|00:00:00|None\b")


def _col(header: str) -> int:
    return HEADERS.index(header) + 1


def _cell(header: str, row: int = 2) -> str:
    return f"Row {row}, cell {get_column_letter(_col(header))}{row} ({header}): "


def _with(header: str, value: object, fmt: str | None = None, row: int = 2,
          kind: str | None = None) -> bytes:  # fmt: skip
    wb = load_workbook(io.BytesIO(build(PLAN, LINES, REF)))
    cell = wb[SHEET].cell(row=row, column=_col(header), value=value)
    if fmt:
        cell.number_format = fmt
    if kind:
        cell.data_type = kind
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _messages(data: bytes) -> list[str]:
    result = read(data, REF, PLAN.year)
    messages = [str(e) for e in result.errors]
    for m in messages:
        assert not REPR.search(m), m  # the user's words, not Python's
    assert not {e.row for e in result.errors} & set(result.rows)  # a refused row gives no line
    return messages


def _refused(data: bytes, start: str, *fragments: str) -> str:
    messages = _messages(data)
    hits = [m for m in messages if m.startswith(start)]
    assert hits, (start, messages)
    for fragment in fragments:
        assert fragment in hits[0], (fragment, hits[0])
    return hits[0]


def _read(data: bytes) -> object:
    result = read(data, REF, PLAN.year)
    assert result.errors == [], [str(e) for e in result.errors]
    return result.activities[0]


# ---------------------------------------------------------------- months
@pytest.mark.parametrize("typed", ["Mar 2027", "March 2025", "2027-03", "03/2027"])
def test_a_month_of_another_year_is_refused_not_read_as_its_month(typed: str) -> None:
    _refused(_with("End month", typed), _cell("End month"),
             f"'{typed}' is not a month of 2026")  # fmt: skip


@pytest.mark.parametrize("typed", ["Junk", "Decade", "Marching", "Ma", "13", "3.5", "Mar 26"])
def test_words_that_begin_like_a_month_are_not_months(typed: str) -> None:
    _refused(_with("Start month", typed), _cell("Start month"), f"'{typed}'")


@pytest.mark.parametrize(("typed", "month"), [("Mar 2026", 3), ("march", 3), ("2026-04", 4),
                                              ("Apr", 4), (4, 4), ("Sept 2026", 9)])
def test_a_month_of_the_workplans_year_is_read(typed: object, month: int) -> None:
    line = _read(_with("End month", typed))
    assert line.end_month == month  # type: ignore[attr-defined]


def test_an_excel_date_in_a_month_column_is_its_month_in_the_workplans_year_only() -> None:
    line = _read(_with("End month", datetime(2026, 4, 15), fmt="d mmm yyyy"))
    assert line.end_month == 4  # type: ignore[attr-defined]
    message = _refused(_with("End month", datetime(2027, 4, 15), fmt="d mmm yyyy"),
                       _cell("End month"), "'15 Apr 2027' is a date in 2027, not a month "
                       "of 2026")  # fmt: skip
    assert "datetime" not in message


# ---------------------------------------------------------------- gender marker
@pytest.mark.parametrize("typed", [2.5, "2.5", "2.0001", True, datetime(2026, 1, 2)])
def test_a_gender_marker_that_is_not_a_whole_number_is_refused(typed: object) -> None:
    _refused(_with("GEM", typed), _cell("GEM"), "use 0, 1, 2 or 3")


def test_a_whole_gender_marker_is_read() -> None:
    assert _read(_with("GEM", 1.0)).gem == 1  # type: ignore[attr-defined]
    assert _read(_with("GEM", "0")).gem == 0  # type: ignore[attr-defined]


# ---------------------------------------------------------------- text columns
@pytest.mark.parametrize(("value", "fmt", "text"), [
    (1.1, "0.00", "1.10"), (1.1, "General", "1.1"), (7, "General", "7"), (7, "000", None),
    (1234.5, "#,##0.00", "1,234.50"), (3.0, "0.0", "3.0"), (1.1, "@", "1.1"),
])  # fmt: skip
def test_a_number_in_a_text_column_is_the_text_excel_shows(value: float, fmt: str,
                                                           text: str | None) -> None:  # fmt: skip
    data = _with("Title", value, fmt=fmt)
    if text is None:  # a format this reader does not show exactly: refused, not guessed
        _refused(data, _cell("Title"), "format the cell as Text")
    else:
        assert _read(data).title == text  # type: ignore[attr-defined]


@pytest.mark.parametrize(("value", "fmt"), [(1.104, "0.00"), (0.25, "0%"), (45000, "d mmm yyyy"),
                                            (1234.5, '"€"#,##0.00'), (1e-20, "General")])
def test_a_number_in_a_text_column_that_shows_otherwise_is_refused(value: float,
                                                                   fmt: str) -> None:  # fmt: skip
    _refused(_with("Title", value, fmt=fmt), _cell("Title"))


def test_a_date_in_a_text_column_is_refused_never_stored_with_its_time() -> None:
    message = _refused(_with("Notes", datetime(2026, 3, 15), fmt="yyyy-mm-dd"), _cell("Notes"),
                       "'15 Mar 2026' is a date or time, not text")  # fmt: skip
    assert "2026-03-15" not in message
    _refused(_with("Title", date(2026, 3, 15)), _cell("Title"), "not text")


def test_a_number_typed_as_an_output_code_is_read_as_shown() -> None:
    assert _read(_with("Output", 2.3)).output_code == "2.3"  # type: ignore[attr-defined]
    _refused(_with("Output", 2.3, fmt="0.00"), _cell("Output"), "'2.30'")  # no such output


# ---------------------------------------------------------------- amounts
@pytest.mark.parametrize("fmt", ['[$€-2] #,##0.00', '#,##0.00 [$€-1]', '"€"#,##0.00',
                                 '[$EUR] #,##0.00', '#,##0.00 "EUR"', '[$£-809]#,##0.00',
                                 '_-* #,##0.00 [$CHF]_-', '0%', '0.00%', '#,##0.00" kr"',
                                 '\\€#,##0.00', '¥#,##0'])  # fmt: skip
def test_an_amount_shown_in_another_currency_or_as_a_percent_is_refused(fmt: str) -> None:
    message = _refused(_with("Travel (USD)", 1500, fmt=fmt), _cell("Travel (USD)"), "'1500'")
    assert "US dollars" in message or "percentage" in message


@pytest.mark.parametrize("fmt", ['"$"#,##0.00', '[$$-409]#,##0.00', '_($* #,##0.00_)',
                                 '[$USD] #,##0.00', '#,##0.00', 'General', '0.00',
                                 '#,##0.00;[Red]-#,##0.00'])  # fmt: skip
def test_an_amount_shown_in_dollars_is_read(fmt: str) -> None:
    line = _read(_with("Travel (USD)", 1500, fmt=fmt))
    assert str(line.budget["TRAVEL"]) == "1500.00"  # type: ignore[attr-defined]


# ---------------------------------------------------------------- computed cells
def test_a_number_typed_over_the_total_formula_is_refused_naming_the_cell() -> None:
    message = _refused(_with(TOTAL_HEADER, 99999), _cell(TOTAL_HEADER),
                       "'99999' was typed over the computed total")  # fmt: skip
    assert "not read" in message


def test_a_number_typed_over_the_total_row_is_refused() -> None:
    row = len(LINES) + 2  # the Total row under the lines
    _refused(_with("Travel (USD)", 5, row=row), _cell("Travel (USD)", row), "'5' was typed over")


def test_a_total_formula_whose_value_is_not_the_lines_total_is_refused() -> None:
    """As Excel saves it: the formula and its computed value (`<f>` and `<v>`)."""
    letter = get_column_letter(_col(TOTAL_HEADER))
    data = build(PLAN, LINES, REF)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            raw = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                raw = re.sub(rb'(<c r="' + letter.encode() + rb'2"[^>]*>)<f>([^<]*)</f><v>[^<]*'
                             rb'</v>|(<c r="' + letter.encode() + rb'2"[^>]*>)<f>([^<]*)</f>',
                             lambda m: (m[1] or m[3]) + b"<f>" + (m[2] or m[4]) + b"*2</f><v>"
                             b"37001.02</v>", raw, count=1)  # fmt: skip
            dst.writestr(item, raw)
    _refused(out.getvalue(), _cell(TOTAL_HEADER), "shows 37,001.02 but the budget columns add "
             "up to 18,500.51")  # fmt: skip


@pytest.mark.parametrize("column", [len(HEADERS) + 1, len(HEADERS) + 5])
def test_data_under_a_column_without_a_header_is_refused_naming_the_column(column: int) -> None:
    wb = load_workbook(io.BytesIO(build(PLAN, LINES, REF)))
    wb[SHEET].cell(row=3, column=column, value="forgotten note")
    out = io.BytesIO()
    wb.save(out)
    letter = get_column_letter(column)
    _refused(out.getvalue(), f"Row 3, cell {letter}3 (column {letter}): 'forgotten note' is "
             "under a column without a header")  # fmt: skip


def test_a_header_cleared_above_data_is_refused_too() -> None:
    """A header removed from the middle: that column is missing, and its data is not read."""
    wb = load_workbook(io.BytesIO(build(PLAN, LINES, REF)))
    ws = wb[SHEET]
    ws.cell(row=1, column=len(HEADERS) + 1, value=None)
    ws.cell(row=2, column=len(HEADERS) + 2, value=12)
    out = io.BytesIO()
    wb.save(out)
    letter = get_column_letter(len(HEADERS) + 2)
    _refused(out.getvalue(), f"Row 2, cell {letter}2 (column {letter}): '12'")


def test_an_untouched_download_still_reads_back_without_a_problem() -> None:
    result = read(build(PLAN, LINES, REF), REF, PLAN.year)
    assert result.errors == [] and [a.code for a in result.activities] == [a.code for a in LINES]


def test_a_date_in_an_amount_column_is_quoted_as_a_date() -> None:
    _refused(_with("Travel (USD)", datetime(2026, 3, 1), fmt="d mmm yyyy"),
             _cell("Travel (USD)"), "'1 Mar 2026' is not an amount")  # fmt: skip
