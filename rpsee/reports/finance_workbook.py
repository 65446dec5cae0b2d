"""The finance workbook: a Cover sheet, then one sheet per domain table (the same `Table` the
pages draw), written as they are: money as numeric cells with a currency format, percentages as
numbers formatted as percent, the Total row's values as the table computed them (the exact sum of
the rows) set apart in bold, a frozen header row and label column, an auto-filter over the rows,
notes and footnotes (Kosovo*) under the table.

Printed (`_print_setup`): A4, landscape when the columns are wider than a portrait page, one page
wide and as many tall as needed (two or more pages wide where one would shrink the print below
`MIN_PRINT_SCALE`: the label column repeats on each), the print area the tables' own columns
(notes and titles wrap in their own rows merged across those columns, so they never widen a
column nor the page), the
title and header rows and the label column repeated on every page, and a zero shown as "–" by
the number format (the cell keeps its 0)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from rpsee.domain.tables import Kind, RowKind, Table

ZERO = ';"–"'  # a number format's third section: how a zero reads
PERCENT_FORMAT = "0.00%;-0.00%" + ZERO
COUNT_FORMAT = "#,##0;-#,##0" + ZERO
RATE_FORMAT = "0.0000######"
MAX_TEXT_WIDTH = 60
COVER_WIDTH = 90
PORTRAIT_CHARS = 100  # columns wider than this (characters) print landscape
A4 = "9"  # the paper size code of A4 (Office Open XML, ECMA-376)
LANDSCAPE_PX = 986  # A4 landscape between the default 0.7-inch margins, at 96 dpi
MIN_PRINT_SCALE = 0.6  # narrower than this is not read on paper: print across more pages
NOTE_HEIGHT = 15.0  # points per line of a wrapped note
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
ROW_FILLS = {
    RowKind.TOTAL: PatternFill("solid", fgColor="DDE5EF"),
    RowKind.SUBTOTAL: PatternFill("solid", fgColor="EEF2F7"),
    RowKind.SPECIAL: PatternFill("solid", fgColor="F7F7F9"),
}
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=13)
NOTE_FONT = Font(italic=True, color="4A5361")
HEADER_LEFT = Alignment(wrap_text=True, vertical="top", horizontal="left")
HEADER_RIGHT = Alignment(wrap_text=True, vertical="top", horizontal="right")
TOP = Alignment(vertical="top")
LEFT = Alignment(horizontal="left")
WRAP = Alignment(wrap_text=True, vertical="top")
NOTE_WRAP = Alignment(wrap_text=True, vertical="top", horizontal="left")
INVALID_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def money_format(currency: str = "USD") -> str:
    """`"USD" #,##0.00`, negatives in red with a minus sign, a zero as "–"."""
    code = "".join(ch for ch in currency.upper() if ch.isalnum())[:3] or "USD"
    return f'"{code}" #,##0.00;[Red]-"{code}" #,##0.00' + ZERO


@dataclass(frozen=True)
class Sheet:
    """A sheet of one or more tables (the first gets the frozen header and the filter);
    `currency_column` names a column whose text is each row's currency (amounts in the
    donor's currency), else every amount is in `currency`."""

    name: str
    tables: tuple[Table, ...]
    currency: str = "USD"
    currency_column: str | None = None
    fit_width: bool = True  # printed one page wide (a long list: pages across, header repeated)

    @property
    def title(self) -> str:
        return self.tables[0].title if self.tables else self.name


@dataclass(frozen=True)
class Rate:
    currency: str
    usd_per_unit: Decimal
    as_of: date
    used_for: str = "pipeline"


@dataclass(frozen=True)
class Cover:
    """What the workbook reflects: (label, value) lines, the exchange rates, footnotes."""

    title: str
    lines: tuple[tuple[str, str], ...]
    rates: tuple[Rate, ...] = ()
    footnotes: tuple[str, ...] = ()
    made_by: str = ""
    made_at: datetime | None = None


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name (at most 31 characters, none of []:*?/\\)."""
    base = name.translate(INVALID_SHEET_CHARS).strip()[:31] or "Sheet"
    out, n = base, 2
    while out.lower() in taken:
        suffix = f" ({n})"
        out, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(out.lower())
    return out


def _cell_value(kind: Kind, value: object) -> object:
    if value is None or value == "":
        return None
    if kind is Kind.PERCENT:
        return Decimal(value) / 100  # type: ignore[arg-type]
    if kind is Kind.MONEY:
        return Decimal(value)  # type: ignore[arg-type]
    if kind is Kind.COUNT:
        return int(value)  # type: ignore[call-overload]
    return str(value)


def _widest(kind: Kind, values: Sequence[object]) -> int:
    """Characters the widest of a column's cells shows (money: `USD 1,234.56`, bold in the
    Total row, so a little more)."""
    present = [v for v in values if v is not None]
    if not present:
        return 1
    if kind is Kind.MONEY:
        return len(f"{max(abs(Decimal(v)) for v in present):,.2f}") + 7  # type: ignore[arg-type]
    if kind is Kind.PERCENT:
        return 8
    return max(len(str(v)) for v in present)


class _Grid:
    """A write-only sheet's rows, collected before writing (column widths, the frozen pane
    and the filter must be set before the first row goes out)."""

    def __init__(self, ws) -> None:  # noqa: ANN001
        self.ws = ws
        self.rows: list[list[object]] = []
        self.widths: dict[int, int] = {}
        self.spanned: dict[int, tuple[str, float]] = {}  # row -> its text, points per line
        self.columns = 1  # the widest table's columns: the print area
        self.titles = "1:2"  # the rows repeated on every printed page

    @property
    def next_row(self) -> int:
        return len(self.rows) + 1

    def cell(self, value: object, *, font: Font | None = None, fill: PatternFill | None = None,
             number_format: str | None = None, alignment: Alignment | None = None) -> object:
        """A styled cell, or the bare value when it needs no style (text that would read as a
        formula always gets a cell marked as text)."""
        formula_like = isinstance(value, str) and value.startswith("=")
        if not (font or fill or number_format or alignment or formula_like):
            return value
        cell = WriteOnlyCell(self.ws, value=value)
        if formula_like:
            cell.data_type = "s"  # text stays text, never a formula
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        if number_format:
            cell.number_format = number_format
        if alignment:
            cell.alignment = alignment
        return cell

    def add(self, *cells: object) -> int:
        self.rows.append(list(cells))
        return len(self.rows)

    def width(self, col: int, chars: int) -> None:
        self.widths[col] = max(self.widths.get(col, 0), chars)

    def spanning(self, text: str, font: Font, line: float = NOTE_HEIGHT) -> int:
        """A row of text (a title, a note) across the tables' columns, wrapped there: it
        widens no column."""
        r = self.add(self.cell(text, font=font, alignment=NOTE_WRAP))
        self.spanned[r] = (text, line)
        return r

    def column_width(self, col: int) -> float:
        return max(8, min(self.widths.get(col, 0) + 2, MAX_TEXT_WIDTH))

    def printed_px(self) -> float:
        """The print area's width in pixels at 100% (a character of the default font is 7 px,
        each column has 5 px of padding)."""
        return sum(self.column_width(i) * 7 + 5 for i in range(1, self.columns + 1))

    def printed_width(self) -> float:
        """The print area's width in characters."""
        return sum(self.column_width(i) for i in range(1, self.columns + 1))

    def write(self) -> None:
        for i in self.widths:
            self.ws.column_dimensions[get_column_letter(i)].width = self.column_width(i)
        last = get_column_letter(self.columns)
        per_line = max(self.printed_width() - 4, 10)  # characters a spanned row holds
        for r, (text, line) in self.spanned.items():
            if self.columns > 1:
                self.ws.merged_cells.add(f"A{r}:{last}{r}")
            lines = sum(max(1, -(-len(part) // int(per_line))) for part in text.split("\n"))
            if lines > 1:
                self.ws.row_dimensions[r].height = line * lines
        for row in self.rows:
            self.ws.append(row)


def write_table(grid: _Grid, table: Table, sheet: Sheet, main: bool) -> None:
    """Add `table` to the grid: its title, header, rows, notes and footnotes."""
    grid.columns = max(grid.columns, len(table.columns))
    grid.spanning(table.title, TITLE_FONT, 18.0)
    header = grid.add(*(grid.cell(col.name, font=HEADER_FONT, fill=HEADER_FILL,
                                  alignment=HEADER_LEFT if col.kind is Kind.TEXT else
                                  HEADER_RIGHT) for col in table.columns))  # fmt: skip
    for i, col in enumerate(table.columns, start=1):
        grid.width(i, min(len(col.name), 22))
    kinds = [c.kind for c in table.columns]
    currency_at = ([c.name for c in table.columns].index(sheet.currency_column)
                   if sheet.currency_column else None)  # fmt: skip
    default_money = money_format(sheet.currency)
    formats = {Kind.PERCENT: PERCENT_FORMAT, Kind.COUNT: COUNT_FORMAT}
    body = table.body()
    r = header
    for row in body:
        money = (money_format(str(row.cells[currency_at])) if currency_at is not None
                 else default_money)  # fmt: skip
        fill = ROW_FILLS.get(row.kind)
        font = BOLD if row.kind in (RowKind.TOTAL, RowKind.SUBTOTAL) else None
        cells = []
        for kind, raw in zip(kinds, row.cells, strict=True):
            value = _cell_value(kind, raw)
            fmt = None if kind is Kind.TEXT or (value is None and not fill) else (
                money if kind is Kind.MONEY else formats[kind])  # fmt: skip
            cells.append(grid.cell(value, font=font, fill=fill, number_format=fmt))
        r = grid.add(*cells)
    for i, kind in enumerate(kinds, start=1):
        grid.width(i, min(_widest(kind, [b.cells[i - 1] for b in body]), MAX_TEXT_WIDTH))
    if not body:
        r = grid.add("None.")
    if main:
        grid.ws.freeze_panes = f"B{header + 1}"
        filtered = r - 1 if table.total and body else r  # the Total row stays under the filter
        last_col = get_column_letter(len(table.columns))
        grid.ws.auto_filter.ref = f"A{header}:{last_col}{max(filtered, header + 1)}"
        grid.titles = f"{header - 1}:{header}"  # the table's title and header
    grid.add()
    for line in notes_of(table):
        grid.spanning(line, NOTE_FONT)
    grid.add()


def notes_of(table: Table) -> list[str]:
    """The lines under a table: its notes, its footnotes, then what its columns mean (the
    pages' column help)."""
    helps = [f"{c.name}: {c.help}" for c in table.columns if c.help]
    return [*table.notes, *table.footnotes, *helps]


def _write_sheet(wb: Workbook, sheet: Sheet, name: str) -> None:
    ws = wb.create_sheet(name)
    grid = _Grid(ws)
    for n, table in enumerate(sheet.tables):
        write_table(grid, table, sheet, main=n == 0)
    _print_setup(grid, sheet.fit_width)
    grid.write()


def print_scale(px: float, pages: int) -> float:
    """The scale a sheet `px` wide prints at when fitted to `pages` landscape pages across."""
    return min(1.0, pages * LANDSCAPE_PX / px) if px else 1.0


def pages_wide(px: float) -> int:
    """The fewest landscape pages across that print a sheet `px` wide at `MIN_PRINT_SCALE` or
    more (1 for anything that fits at that scale)."""
    pages = 1
    while print_scale(px, pages) < MIN_PRINT_SCALE:
        pages += 1
    return pages


def _print_setup(grid: _Grid, fit_width: bool = True) -> None:
    """A4, landscape when wider than a portrait page; fitted to the pages across `pages_wide`
    gives (as many tall as needed) when `fit_width`, else pages across with the label column
    repeated; the print area the tables' columns; the title, header and label column on every
    page."""
    ws = grid.ws
    ws.page_setup.paperSize = A4
    ws.page_setup.orientation = ("landscape" if grid.printed_width() > PORTRAIT_CHARS
                                 else "portrait")  # fmt: skip
    if fit_width:
        ws.page_setup.fitToWidth = pages_wide(grid.printed_px())
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    used = len(grid.rows)
    while used > 1 and not grid.rows[used - 1]:  # the blank rows after the last note
        used -= 1
    ws.print_area = f"A1:{get_column_letter(grid.columns)}{used}"
    ws.print_title_rows = grid.titles
    ws.print_title_cols = "A:A"


def _write_cover(wb: Workbook, cover: Cover, contents: Sequence[tuple[str, str]]) -> None:
    ws = wb.create_sheet("Cover")
    grid = _Grid(ws)
    grid.add(grid.cell(cover.title, font=Font(bold=True, size=15)))
    grid.add()
    for label, value in cover.lines:
        _cover_line(grid, label, value)
    grid.add()
    grid.add(grid.cell("Exchange rates", font=TITLE_FONT))
    if cover.rates:
        grid.add(*(grid.cell(h, font=HEADER_FONT, fill=HEADER_FILL)
                   for h in ("Currency", "USD per unit", "As of", "Used for")))  # fmt: skip
        for rate in cover.rates:
            grid.add(grid.cell(rate.currency),
                     grid.cell(rate.usd_per_unit, number_format=RATE_FORMAT, alignment=LEFT),
                     grid.cell(rate.as_of, number_format="yyyy-mm-dd"),
                     grid.cell(rate.used_for))  # fmt: skip
    else:
        grid.add("None: every amount is in USD.")
    grid.add()
    grid.add(grid.cell("Contents", font=TITLE_FONT))
    for name, title in contents:
        grid.add(grid.cell(name), grid.cell(title))
    grid.add()
    for line in cover.footnotes:
        _cover_line(grid, "Note", line, NOTE_FONT)
    for col, width in (("A", 24), ("B", COVER_WIDTH), ("C", 12), ("D", 24)):
        ws.column_dimensions[col].width = width
    ws.page_setup.paperSize = A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_area = f"A1:D{max(len(grid.rows), 1)}"
    for row in grid.rows:
        ws.append(row)


def _cover_line(grid: _Grid, label: str, value: str, font: Font | None = None) -> None:
    """A label and its text, wrapped, the row tall enough for the wrapped lines."""
    r = grid.add(grid.cell(label, font=BOLD, alignment=TOP),
                 grid.cell(value, font=font, alignment=WRAP))  # fmt: skip
    lines = -(-len(value) // (COVER_WIDTH - 10))
    if lines > 1:
        grid.ws.row_dimensions[r].height = 15 * lines


def build(cover: Cover, sheets: Sequence[Sheet]) -> bytes:
    """The workbook: the Cover, then the sheets in order (written row by row, write-only)."""
    wb = Workbook(write_only=True)
    taken = {"cover"}
    names = [sheet_name(s.name, taken) for s in sheets]
    _write_cover(wb, cover, list(zip(names, (s.title for s in sheets), strict=True)))
    for sheet, name in zip(sheets, names, strict=True):
        _write_sheet(wb, sheet, name)
    wb.properties.creator = cover.made_by or None
    wb.properties.title = cover.title
    if cover.made_at is not None:
        wb.properties.created = cover.made_at.replace(tzinfo=None)
        wb.properties.modified = cover.made_at.replace(tzinfo=None)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def file_name(year: int, version_no: int, kind: str) -> str:
    """`RPSEE_tables_2026_v2.xlsx` (kind `xlsx`) or `RPSEE_activities_2026_v2.csv`."""
    what = "tables" if kind == "xlsx" else "activities"
    return f"RPSEE_{what}_{year}_v{version_no}.{kind}"
