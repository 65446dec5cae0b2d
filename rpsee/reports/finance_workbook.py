"""The finance workbook: a Cover sheet, then one sheet per domain table (the same `Table` the
pages draw), written as they are: money as numeric cells with a currency format, percentages as
numbers formatted as percent, the Total row's values as the table computed them (the exact sum of
the rows) set apart in bold, a frozen header row and label column, an auto-filter over the rows,
notes and footnotes (Kosovo*) under the table."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from rpsee.domain.tables import Kind, RowKind, Table
from rpsee.reports.workplan_excel import text_cell

PERCENT_FORMAT = "0.00%"
COUNT_FORMAT = "#,##0"
RATE_FORMAT = "0.0000######"
TITLE_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3
MAX_TEXT_WIDTH = 60
COVER_WIDTH = 90
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
INVALID_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def money_format(currency: str = "USD") -> str:
    """`"USD" #,##0.00`, negatives in red with a minus sign."""
    code = "".join(ch for ch in currency.upper() if ch.isalnum())[:3] or "USD"
    return f'"{code}" #,##0.00;[Red]-"{code}" #,##0.00'


@dataclass(frozen=True)
class Sheet:
    """A sheet of one or more tables (the first gets the frozen header and the filter);
    `currency_column` names a column whose text is each row's currency (amounts in the
    donor's currency), else every amount is in `currency`."""

    name: str
    tables: tuple[Table, ...]
    currency: str = "USD"
    currency_column: str | None = None

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


def _shown_width(kind: Kind, value: object) -> int:
    if value is None:
        return 1
    if kind is Kind.MONEY:
        return len(f"{Decimal(value):,.2f}") + 5  # type: ignore[arg-type]
    if kind is Kind.PERCENT:
        return len(f"{Decimal(value):.2f}") + 2  # type: ignore[arg-type]
    return len(str(value))


def write_table(ws, table: Table, top: int, sheet: Sheet, widths: dict[int, int],
                main: bool) -> int:  # noqa: ANN001  # fmt: skip
    """Write `table` from row `top` (its title), return the next free row."""
    ws.cell(row=top, column=1, value=table.title).font = TITLE_FONT
    header = top + 1
    for i, col in enumerate(table.columns, start=1):
        cell = ws.cell(row=header, column=i, value=col.name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top",
                                   horizontal="left" if col.kind is Kind.TEXT else "right")
        widths[i] = max(widths.get(i, 0), min(len(col.name), 22))
    kinds = [c.kind for c in table.columns]
    currency_at = ([c.name for c in table.columns].index(sheet.currency_column)
                   if sheet.currency_column else None)  # fmt: skip
    default_money = money_format(sheet.currency)
    formats = {Kind.PERCENT: PERCENT_FORMAT, Kind.COUNT: COUNT_FORMAT}
    body = table.body()
    r = header
    for r, row in enumerate(body, start=header + 1):
        money = (money_format(str(row.cells[currency_at])) if currency_at is not None
                 else default_money)  # fmt: skip
        fill = ROW_FILLS.get(row.kind)
        strong = row.kind in (RowKind.TOTAL, RowKind.SUBTOTAL)
        for i, (kind, raw) in enumerate(zip(kinds, row.cells, strict=True), start=1):
            value = _cell_value(kind, raw)
            if kind is Kind.TEXT:
                cell = text_cell(ws, r, i, value)  # text stays text, never a formula
            else:
                cell = ws.cell(row=r, column=i, value=value)
                cell.number_format = money if kind is Kind.MONEY else formats[kind]
            if fill is not None:
                cell.fill = fill
            if strong:
                cell.font = BOLD
            widths[i] = max(widths.get(i, 0), min(_shown_width(kind, raw), MAX_TEXT_WIDTH))
    if not body:
        r = header + 1
        ws.cell(row=r, column=1, value="None.")
    last_col = get_column_letter(len(table.columns))
    if main:
        ws.freeze_panes = ws.cell(row=header + 1, column=2).coordinate
        filtered = r - 1 if table.total and body else r  # the Total row stays under the filter
        ws.auto_filter.ref = f"A{header}:{last_col}{max(filtered, header + 1)}"
    r += 2
    for line in (*table.notes, *table.footnotes):
        text_cell(ws, r, 1, line).font = NOTE_FONT
        r += 1
    return r + 1


def _write_sheet(wb: Workbook, sheet: Sheet, taken: set[str]) -> str:
    ws = wb.create_sheet(sheet_name(sheet.name, taken))
    widths: dict[int, int] = {}
    top = TITLE_ROW
    for n, table in enumerate(sheet.tables):
        top = write_table(ws, table, top, sheet, widths, main=n == 0)
    for i, w in widths.items():
        ws.column_dimensions[get_column_letter(i)].width = max(8, min(w + 2, MAX_TEXT_WIDTH))
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws.title


def _write_cover(ws, cover: Cover, contents: Sequence[tuple[str, str]]) -> None:  # noqa: ANN001
    ws.title = "Cover"
    ws.cell(row=1, column=1, value=cover.title).font = Font(bold=True, size=15)
    r = 3
    for label, value in cover.lines:
        _cover_line(ws, r, label, value)
        r += 1
    r += 1
    ws.cell(row=r, column=1, value="Exchange rates").font = TITLE_FONT
    r += 1
    if cover.rates:
        for i, head in enumerate(("Currency", "USD per unit", "As of", "Used for"), start=1):
            cell = ws.cell(row=r, column=i, value=head)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        for rate in cover.rates:
            r += 1
            text_cell(ws, r, 1, rate.currency)
            ws.cell(row=r, column=2, value=rate.usd_per_unit).number_format = RATE_FORMAT
            ws.cell(row=r, column=3, value=rate.as_of).number_format = "yyyy-mm-dd"
            text_cell(ws, r, 4, rate.used_for)
    else:
        ws.cell(row=r, column=1, value="None: every amount is in USD.")
    r += 2
    ws.cell(row=r, column=1, value="Contents").font = TITLE_FONT
    for name, title in contents:
        r += 1
        text_cell(ws, r, 1, name)
        text_cell(ws, r, 2, title)
    r += 2
    for line in cover.footnotes:
        _cover_line(ws, r, "Note", line).font = NOTE_FONT
        r += 1
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = COVER_WIDTH
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 24
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _cover_line(ws, r: int, label: str, value: str):  # noqa: ANN001, ANN202
    """A label and its text, wrapped, the row tall enough for the wrapped lines."""
    ws.cell(row=r, column=1, value=label).font = BOLD
    ws.cell(row=r, column=1).alignment = Alignment(vertical="top")
    cell = text_cell(ws, r, 2, value)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    lines = -(-len(value) // (COVER_WIDTH - 10))
    if lines > 1:
        ws.row_dimensions[r].height = 15 * lines
    return cell


def build(cover: Cover, sheets: Sequence[Sheet]) -> bytes:
    """The workbook: the Cover, then the sheets in order."""
    wb = Workbook()
    taken = {"cover"}
    contents = [(_write_sheet(wb, s, taken), s.title) for s in sheets]
    _write_cover(wb.active, cover, contents)
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
