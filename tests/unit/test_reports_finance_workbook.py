"""How the finance workbook prints, read back with openpyxl from small hand-made tables: A4,
landscape only when wide, one page wide (two where one would print too small), the print area
the table's columns (a long note wraps in its own merged row and widens nothing), the title,
header and label column on every page, and zeros shown as "–" by the number format while the
cell keeps 0."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from rpsee.domain.tables import Column, Kind, Row, Table
from rpsee.reports.finance_workbook import MIN_PRINT_SCALE, Cover, Sheet, build, print_scale

LONG_NOTE = "A note far longer than the table is wide, " * 12


def _narrow(notes: tuple[str, ...] = ()) -> Table:
    return Table("Narrow (USD)", (Column("Area", Kind.TEXT), Column("USD"),
                                  Column("Share", Kind.PERCENT, summed=False),
                                  Column("Lines", Kind.COUNT)),
                 (Row(("Drugs", Decimal("0.00"), Decimal("0"), 0)),
                  Row(("Crime", Decimal("1234.50"), Decimal("100"), 3))), notes=notes)


def _wide() -> Table:
    cols = (Column("Donor", Kind.TEXT), *(Column(f"{y} USD") for y in range(2024, 2030)))
    return Table("Wide (USD)", cols, (Row(("Norway", *[Decimal("1000000.00")] * 6)),))


def _very_wide() -> Table:
    cols = (Column("Donor", Kind.TEXT), *(Column(f"{y} USD") for y in range(2024, 2036)))
    return Table("Very wide (USD)", cols, (Row(("Norway", *[Decimal("1000000.00")] * 12)),))


def _book(*sheets: Sheet):  # noqa: ANN202
    return load_workbook(io.BytesIO(build(Cover("Test", (("Workplan", "2026"),)), sheets)))


def test_a4_landscape_only_when_wide_and_one_page_wide() -> None:
    book = _book(Sheet("Narrow", (_narrow(),)), Sheet("Wide", (_wide(),)),
                 Sheet("Across", (_wide(),), fit_width=False))
    for name in ("Cover", "Narrow", "Wide", "Across"):
        assert book[name].page_setup.paperSize == 9, name  # A4
    assert book["Narrow"].page_setup.orientation == "portrait"
    assert book["Cover"].page_setup.orientation == "portrait"
    assert book["Wide"].page_setup.orientation == "landscape"
    for name in ("Narrow", "Wide"):
        ws = book[name]
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), name
    assert not book["Across"].sheet_properties.pageSetUpPr.fitToPage  # pages across


def test_a_sheet_too_wide_for_a_readable_page_prints_two_pages_across() -> None:
    ws = _book(Sheet("Very wide", (_very_wide(),)))["Very wide"]
    # 13 columns: Donor (8 + padding) and 12 of 1,000,000.00 (19 + 2 characters): 1,885 px, so
    # one landscape page (986 px) would print at 52%; two print at 100% (capped)
    px = sum((ws.column_dimensions[get_column_letter(c)].width) * 7 + 5 for c in range(1, 14))
    assert px == 1885
    assert print_scale(px, 1) < MIN_PRINT_SCALE <= print_scale(px, 2)
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (2, 0)
    assert ws.print_title_cols == "$A:$A"  # the label column on both pages


def test_titles_and_label_column_repeat_and_the_print_area_is_the_tables() -> None:
    ws = _book(Sheet("Narrow", (_narrow((LONG_NOTE,)),)))["Narrow"]
    assert ws.print_title_rows == "$1:$2"  # the title and the header
    assert ws.print_title_cols == "$A:$A"  # the label column
    # 4 columns; title, header, 2 rows, Total, blank, the note (not the blank row after)
    assert ws.print_area.endswith("$A$1:$D$7"), ws.print_area


def test_a_long_note_wraps_in_its_own_row_and_widens_no_column() -> None:
    plain = _book(Sheet("Narrow", (_narrow(),)))["Narrow"]
    noted = _book(Sheet("Narrow", (_narrow((LONG_NOTE,)),)))["Narrow"]
    widths = {c: noted.column_dimensions[c].width for c in "ABCD"}
    assert widths == {c: plain.column_dimensions[c].width for c in "ABCD"}
    note_row = next(r for r in range(1, noted.max_row + 1)
                    if noted.cell(row=r, column=1).value == LONG_NOTE)  # fmt: skip
    assert f"A{note_row}:D{note_row}" in {str(m) for m in noted.merged_cells.ranges}
    cell = noted.cell(row=note_row, column=1)
    assert cell.alignment.wrap_text
    assert noted.row_dimensions[note_row].height > 15  # tall enough for its lines
    assert "A1:D1" in {str(m) for m in noted.merged_cells.ranges}  # the title too


def test_zeros_read_as_a_dash_by_format_and_keep_their_value() -> None:
    ws = _book(Sheet("Narrow", (_narrow(),)))["Narrow"]
    money, share, count = (ws.cell(row=3, column=c) for c in (2, 3, 4))
    assert (money.value, share.value, count.value) == (0, 0, 0)  # stored as zeros
    for cell in (money, share, count):
        sections = cell.number_format.split(";")
        assert len(sections) == 3 and sections[2] == '"–"', cell.number_format
    assert money.number_format.startswith('"USD" #,##0.00;[Red]-"USD" #,##0.00')
    assert share.number_format.startswith("0.00%") and count.number_format.startswith("#,##0")
    assert ws.cell(row=4, column=2).value == 1234.5  # a non-zero keeps its figure
