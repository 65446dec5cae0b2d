"""The workplan as an Excel workbook, and reading a filled one back (strictly)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from rpsee.domain.markers.book import DAC_LEVELS, GEM_LEVELS
from rpsee.domain.money import CENT, format_amount, is_blank
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.text_rules import shown
from rpsee.domain.workplan import (
    ACTIVITY_STATUSES,
    FIELD_LABELS,
    PRIORITIES,
    Activity,
    Workplan,
    month_label,
)
from rpsee.domain.workplan_rules import Codebook, RowError, parse_rows
from rpsee.reports.workplan_cells import CellRefused, cell_value

SHEET = "Workplan"
LISTS = "Lists"
MONEY_FORMAT = "#,##0.00"
MAX_ROWS = 20_000
MAX_UPLOAD_MB = 10  # as .streamlit/config.toml's server.maxUploadSize
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 2**20
MAX_EXPANDED_BYTES = 100 * 2**20  # all parts of the zip together, as declared
MAX_RATIO = 200  # a part of over 1 MB expanding more than this is a bomb, not a workbook
MAX_MEMBERS = 2_000
NOT_XLSX = "The file is not an Excel workbook (.xlsx)."
# openpyxl's cell types: number, text, yes/no, date, formula; an empty inline or formula text
CELL_TYPES = frozenset({"n", "s", "b", "d", "f", "inlineStr", "str"})
TOTAL_ROW = "Total"  # the Code cell of the total row under the lines (skipped on upload)


def excel_columns(ref: ProgrammeReference) -> list[tuple[str, str]]:
    """(header, raw key) in sheet order; budget headers are the full category names."""
    head = [("Code", "code"), ("Title", "title"), ("Description", "description"),
            ("Output", "output_code"), ("Jurisdictions", "jurisdictions"),
            ("Lead office", "lead_office"), ("Responsible position", "position_id"),
            ("Start month", "start_month"), ("End month", "end_month")]  # fmt: skip
    budget = [(f"{c.name} (USD)", f"budget_{c.code}") for c in ref.cost_categories]
    tail = [("Funding source", "funding_source"), ("Priority", "priority"),
            ("Indicators", "indicators"), ("GEM", "gem"), ("DAC gender", "dac_gender"),
            ("DAC disability", "dac_disability"), ("SDG targets", "sdg_targets"),
            ("Marker justification", "marker_note"), ("Disability inclusion", "inclusion"),
            ("Status", "status"), ("Notes", "notes")]  # fmt: skip
    return head + budget + tail


TOTAL_HEADER = "Total (USD)"
MARKER_LEVELS = {"gem": GEM_LEVELS, "dac_gender": DAC_LEVELS, "dac_disability": DAC_LEVELS}


class WorkbookError(ValueError):
    """The file cannot be read as a workplan workbook; the message says why."""


def text_cell(ws, row: int, col: int, value: str | None):  # noqa: ANN001, ANN202
    cell = ws.cell(row=row, column=col)
    cell.value = value if value else None
    if value:
        cell.data_type = "s"  # text beginning with "=" stays text, never a formula
    return cell


def build(plan: Workplan, activities: Iterable[Activity], ref: ProgrammeReference) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    cols = excel_columns(ref)
    headers = [h for h, _k in cols] + [TOTAL_HEADER]
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1F4E79")
    for i, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=i, value=header)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    budget_cols = [i for i, (_h, k) in enumerate(cols, start=1) if k.startswith("budget_")]
    lines = list(activities)
    for r, a in enumerate(lines, start=2):
        for c, (_header, key) in enumerate(cols, start=1):
            if key.startswith("budget_"):
                amount = a.budget.get(key[7:])
                cell = ws.cell(row=r, column=c, value=amount if amount else None)
                cell.number_format = MONEY_FORMAT
            elif key in ("start_month", "end_month"):
                ws.cell(row=r, column=c, value=month_label(getattr(a, key)))
            elif key in ("jurisdictions", "indicators", "sdg_targets"):
                text_cell(ws, r, c, "; ".join(getattr(a, key)))
            elif key in MARKER_LEVELS:
                ws.cell(row=r, column=c, value=getattr(a, key))
            else:
                text_cell(ws, r, c, getattr(a, key))
        first, last = get_column_letter(budget_cols[0]), get_column_letter(budget_cols[-1])
        total = ws.cell(row=r, column=len(headers), value=f"=SUM({first}{r}:{last}{r})")
        total.number_format = MONEY_FORMAT
    _total_row(ws, cols, len(lines), budget_cols + [len(headers)])
    _lists_and_validation(wb, ws, cols, ref, plan.year)
    widths = {"Title": 48, "Description": 60, "Notes": 40, "Jurisdictions": 18}
    for i, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = widths.get(header, 16)
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(2, len(lines) + 1)}"
    _about(wb, plan, ref)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _total_row(ws, cols, n: int, sum_cols: list[int]) -> None:  # noqa: ANN001
    """Under the lines: each budget column and the Total summed without the cancelled lines,
    as the page counts them. Its Code cell says `Total`; upload skips the row."""
    if not n:
        return
    row = n + 2
    status = get_column_letter([k for _h, k in cols].index("status") + 1)
    text_cell(ws, row, 1, TOTAL_ROW).font = Font(bold=True)
    text_cell(ws, row, 2, "Cancelled lines left out, as on the page (ignored on upload)")
    for c in sum_cols:
        col = get_column_letter(c)
        cell = ws.cell(row=row, column=c, value=f'=SUMIFS({col}2:{col}{n + 1},'
                                                f'${status}$2:${status}${n + 1},"<>cancelled")')
        cell.number_format, cell.font = MONEY_FORMAT, Font(bold=True)


def _lists_and_validation(wb, ws, cols, ref: ProgrammeReference, year: int) -> None:  # noqa: ANN001
    lists = wb.create_sheet(LISTS)
    values = {
        "output_code": [o.code for o in ref.outputs],
        "lead_office": [o.code for o in ref.offices],
        "position_id": [p.id for p in ref.positions],
        "start_month": [month_label(m) for m in ref.figures.months_of(year)],
        "funding_source": [d.code for d in ref.donors],
        "priority": list(PRIORITIES),
        **{k: [str(v) for v in levels] for k, levels in MARKER_LEVELS.items()},
        "status": list(ACTIVITY_STATUSES),
    }
    values["end_month"] = values["start_month"]
    last_row = MAX_ROWS + 1
    lc = 0
    for c, (header, key) in enumerate(cols, start=1):
        letter = get_column_letter(c)
        if key in values:
            lc += 1
            lists.cell(row=1, column=lc, value=header)
            for r, v in enumerate(values[key], start=2):
                lists.cell(row=r, column=lc, value=v)
            ref_range = (f"{quote_sheetname(LISTS)}!${get_column_letter(lc)}$2:"
                         f"${get_column_letter(lc)}${len(values[key]) + 1}")  # fmt: skip
            dv = DataValidation(type="list", formula1=ref_range, allow_blank=True,
                                showErrorMessage=True, errorTitle=header,
                                error=f"Choose a value from the list ({header}).")  # fmt: skip
        elif key.startswith("budget_"):
            dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                allow_blank=True, showErrorMessage=True, errorTitle=header,
                                error="A non-negative amount in USD.")  # fmt: skip
        elif key in ("jurisdictions", "indicators"):
            codes = ([j.code for j in ref.jurisdictions] if key == "jurisdictions" else
                     ["e.g. 2.3.a"])  # fmt: skip
            dv = DataValidation(
                allow_blank=True,
                showInputMessage=True,
                promptTitle=header,
                prompt="Codes separated by ';' – " + ", ".join(codes)[:200],
            )
        else:
            continue
        ws.add_data_validation(dv)
        dv.add(f"{letter}2:{letter}{last_row}")
    lists.sheet_state = "hidden"


def _about(wb, plan: Workplan, ref: ProgrammeReference) -> None:  # noqa: ANN001
    about = wb.create_sheet("About")
    rows = [
        ("RPSEE Planner – annual workplan", ""),
        ("Workplan", plan.label),
        ("Exported (UTC)", datetime.utcnow().strftime("%Y-%m-%d %H:%M")),
        ("How to use", f"Edit the '{SHEET}' sheet and upload it on the Workplan page. Leave "
                       "Code empty for a new line. A line deleted from the sheet is removed only "
                       "if you ask for it after the preview. Amounts in USD. The Total column "
                       "and the Total row (cancelled lines left out) are computed and ignored "
                       "on upload."),
        ("Jurisdiction codes", "; ".join(f"{c} = {n}" for c, n in
                                         ref.jurisdiction_names().items())),
        ("Office codes", "; ".join(f"{o.code} = {o.name}: {o.label}" for o in ref.offices)),
        *ref.jurisdiction_footnotes().items(),  # ("Kosovo*", "* All references to Kosovo ...")
    ]  # fmt: skip
    for r, (k, v) in enumerate(rows, start=1):
        about.cell(row=r, column=1, value=k).font = Font(bold=True)
        about.cell(row=r, column=2, value=v).alignment = Alignment(wrap_text=True)
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 110


@dataclass(frozen=True)
class ReadResult:
    activities: list[Activity]
    errors: list[RowError]
    rows: list[str] = field(default_factory=list)  # where each activity is: "Row 5"


def check_container(data: bytes) -> None:
    """Refuse, before any parser sees it, a file too big, not a zip, or a zip whose members
    would expand beyond what a workplan needs (a decompression bomb). Reading a member later
    never yields more than its declared size (zipfile stops there), so checking the declared
    sizes bounds the memory used."""
    if not data:
        raise WorkbookError("The file is empty.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise WorkbookError(f"The file is {len(data) / 2**20:.1f} MB: a workplan workbook is at "
                            f"most {MAX_UPLOAD_MB} MB.")  # fmt: skip
    if not data.startswith(b"PK\x03\x04"):
        raise WorkbookError(NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise WorkbookError(NOT_XLSX + " (the file is damaged or cut short)") from None
    expanded = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS or expanded > MAX_EXPANDED_BYTES or any(
        m.file_size > 2**20 and m.file_size > MAX_RATIO * max(m.compress_size, 1)
        for m in members
    ):
        raise WorkbookError(f"The file would expand to {expanded / 2**20:,.0f} MB "
                            f"({len(members)} parts): this is not a workplan workbook, "
                            "and it was not opened.")  # fmt: skip


def _listed(items: list[str]) -> str:
    head = ", ".join(shown(h) for h in items[:5])
    return head + (f" and {len(items) - 5} more" if len(items) > 5 else "")


def _headers(ws, cols: list[tuple[str, str]]) -> list[str]:  # noqa: ANN001
    header_row = next(ws.iter_rows(min_row=1, max_row=1, min_col=1), None)
    if not header_row:
        raise WorkbookError(f"The '{SHEET}' sheet has no header row: row 1 is empty. Download "
                            "a fresh workbook.")  # fmt: skip
    headers = [str(c.value).strip() if c.value is not None else "" for c in header_row]
    expected = [h for h, _k in cols]
    missing = [h for h in expected if h not in headers]
    unknown = [h for h in headers if h and h not in expected and h != TOTAL_HEADER]
    twice = sorted({h for h in headers if h and headers.count(h) > 1})
    parts = []
    if missing:
        parts.append("missing column(s): " + _listed(missing))
    if unknown:
        parts.append("unknown column(s): " + _listed(unknown))
    if twice:
        parts.append("column(s) given twice: " + _listed(twice))
    if parts:
        raise WorkbookError(f"The '{SHEET}' sheet's columns are not the workplan's: "
                            + "; ".join(parts) + ". Download a fresh workbook.")  # fmt: skip
    return headers


def _field_headers(cols: list[tuple[str, str]], ref: ProgrammeReference) -> dict[str, str]:
    """The field label a line's error names -> the sheet's header of that field."""
    names = {c.code: c.name for c in ref.cost_categories}
    return {(f"Budget – {names[k[7:]]}" if k.startswith("budget_") else
             FIELD_LABELS.get(k, k)): h for h, k in cols}  # fmt: skip


def _sheets(data: bytes) -> tuple[Any, Any]:
    """The workbook twice: cached values, and formulas (to tell a blank from a formula whose
    value was never computed)."""
    values = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    formulas = load_workbook(io.BytesIO(data), data_only=False, read_only=True)
    if SHEET not in values.sheetnames:
        names = ", ".join(shown(n, 31) for n in values.sheetnames[:10])
        raise WorkbookError(f"The workbook has no sheet named '{SHEET}' (it has: {names}).")
    return values, formulas


def read(data: bytes, ref: ProgrammeReference, year: int) -> ReadResult:
    """Read a filled workbook. Raises WorkbookError if it is not a workplan workbook at all;
    otherwise returns the lines and every problem, each naming the row and the cell."""
    check_container(data)
    books: list[Any] = []
    try:
        books = list(_sheets(data))
        return _read_sheets(books[0][SHEET], books[1][SHEET], ref, year)
    except WorkbookError:
        raise
    except Exception as exc:  # noqa: BLE001  any parser failure: a damaged file, said plainly
        raise WorkbookError(f"{NOT_XLSX} It could not be read ({type(exc).__name__}): save "
                            "it again from Excel or download a fresh workbook.") from None
    finally:
        for wb in books:
            wb.close()


def _read_sheets(ws, fs, ref: ProgrammeReference, year: int) -> ReadResult:  # noqa: ANN001
    for sheet in (ws, fs):
        sheet.reset_dimensions()  # a stale <dimension> must not hide rows
    cols = excel_columns(ref)
    headers = _headers(ws, cols)
    position = {h: headers.index(h) for h, _k in cols}
    letters = {h: get_column_letter(i + 1) for h, i in position.items()}
    if TOTAL_HEADER in headers:
        letters[TOTAL_HEADER] = get_column_letter(headers.index(TOTAL_HEADER) + 1)
    key_of = dict(cols)
    total_at = headers.index(TOTAL_HEADER) if TOTAL_HEADER in headers else None
    raw_rows: list[tuple[str, dict[str, Any]]] = []
    errors: list[RowError] = []
    totals: dict[str, tuple[Any, int]] = {}  # row label -> (Total's computed value, row number)
    lines = 0
    pairs = zip(ws.iter_rows(min_row=2, min_col=1), fs.iter_rows(min_row=2, min_col=1),
                strict=False)  # fmt: skip
    for n, (row, frow) in enumerate(pairs, start=2):
        values = {h: row[i].value if i < len(row) else None for h, i in position.items()}
        errors += _headerless(row, headers, n)
        if values.get(cols[0][0]) == TOTAL_ROW:
            errors += _typed_over_formulas(frow, n, headers, {TOTAL_HEADER} | {
                h for h, k in cols if k.startswith("budget_")})  # fmt: skip
            continue
        formula = {h for h, i in position.items()
                   if i < len(frow) and getattr(frow[i], "data_type", None) == "f"}  # fmt: skip
        typed_total = _typed_over_formulas(frow, n, headers, {TOTAL_HEADER})
        if all(is_blank(v) or (isinstance(v, str) and not v.strip()) for v in values.values()) \
                and not formula:  # fmt: skip
            errors += typed_total  # a total typed on an empty line is not ignored either
            continue
        lines += 1
        if lines > MAX_ROWS:
            raise WorkbookError(f"More than {MAX_ROWS:,} lines: is this the right file?")
        refused: set[str] = set()
        for h, i in position.items():
            cell = row[i] if i < len(row) else None
            problem = _cell_problem(cell, h in formula and values[h] is None)
            if problem is None and cell is not None and values[h] is not None:
                try:
                    values[h] = cell_value(key_of[h], values[h], cell.number_format)
                except CellRefused as exc:
                    problem = f"{shown(values[h])} {exc}"
            if problem:
                errors.append(RowError(f"Row {n}", h, problem))
                refused.add(h)
                values[h] = None
        label = f"Row {n}"
        errors += typed_total
        if total_at is not None:
            cached = row[total_at].value if total_at < len(row) else None
            totals[label] = (cached, n)
        raw_rows.append((label, {key: values[h] for h, key in cols}))
        errors += [RowError(label, h, "") for h in refused]  # marks: dropped below
    activities, row_errors = parse_rows(raw_rows, Codebook.for_year(ref, year))
    parsed = {e.row for e in row_errors}  # a row with an error gives no activity
    labels = [label for label, _raw in raw_rows if label not in parsed]
    by_field = _field_headers(cols, ref)
    marks = {(e.row, e.field) for e in errors if not e.message}
    errors = [e for e in errors if e.message]
    # a refused cell was read as empty: its "is missing" is not a second problem
    row_errors = [e for e in row_errors
                  if (e.row, by_field.get(e.field, e.field)) not in marks]  # fmt: skip
    for a, label in zip(activities, labels, strict=True):
        errors += _total_problem(a, *totals.get(label, (None, 0)))
    refused_rows = {row for row, _h in marks} | {e.row for e in errors}
    kept = [(a, label) for a, label in zip(activities, labels, strict=True)
            if label not in refused_rows]  # a row with any problem gives no activity
    named = [_at_cell(e, by_field, letters) for e in errors + row_errors]
    return ReadResult([a for a, _l in kept], named, [label for _a, label in kept])


def _cell_problem(cell: Any, formula_without_value: bool) -> str | None:  # noqa: ANN401
    kind = getattr(cell, "data_type", None)
    if kind == "e":
        return f"formula error {shown(cell.value)}"
    if kind is not None and kind not in CELL_TYPES:
        return (f"the file is damaged here (a cell of type {shown(kind, 10)}): save it again "
                "from Excel")  # fmt: skip
    if formula_without_value:
        return ("holds a formula without a computed value (the file was written by a program, "
                "not saved by Excel or LibreOffice): open and save it in Excel, or type the "
                "value")  # fmt: skip
    return None


def _headerless(row: Any, headers: list[str], n: int) -> list[RowError]:  # noqa: ANN401
    """Values under a column without a header: never read, so never ignored without a word."""
    out = []
    for i, cell in enumerate(row):
        value = getattr(cell, "value", None)
        if (i >= len(headers) or not headers[i]) and not is_blank(value):
            letter = get_column_letter(i + 1)
            out.append(RowError(f"Row {n}", f"cell {letter}{n} (column {letter})",
                                f"{shown(value)} is under a column without a header, which is "
                                "not read: move it into a workplan column or delete it"))
    return out


def _typed_over_formulas(frow: Any, n: int, headers: list[str],  # noqa: ANN401
                         computed: set[str]) -> list[RowError]:  # fmt: skip
    """A value typed where the sheet computes one (the Total column, the Total row)."""
    out = []
    for h in computed:
        i = headers.index(h) if h in headers else len(frow)
        cell = frow[i] if i < len(frow) else None
        if cell is None or is_blank(cell.value) or getattr(cell, "data_type", None) == "f":
            continue
        out.append(RowError(f"Row {n}", h, f"{shown(cell.value)} was typed over the computed "
                            "total: totals are computed from the budget columns and are not "
                            "read; put the amount in a budget column and clear this cell (or "
                            "copy the formula from another row)"))  # fmt: skip
    return out


def _total_problem(a: Activity, cached: Any, n: int) -> list[RowError]:  # noqa: ANN401
    """A Total formula whose value is not the line's total (its formula was changed)."""
    if not isinstance(cached, (int, float)) or isinstance(cached, bool):
        return []
    shown_total = Decimal(repr(cached)).quantize(CENT) if isinstance(cached, float) else \
        Decimal(cached)  # fmt: skip
    if shown_total == a.total:
        return []
    return [RowError(f"Row {n}", TOTAL_HEADER, f"shows {format_amount(shown_total)} but the "
                     f"budget columns add up to {format_amount(a.total)}: the total is computed "
                     "and not read; restore its formula (copy it from another row) or clear "
                     "it")]  # fmt: skip


def _at_cell(e: RowError, by_field: dict[str, str], letters: dict[str, str]) -> RowError:
    """'Row 5', 'Budget – Travel' -> 'Row 5', 'cell K5 (Travel (USD))'."""
    header = by_field.get(e.field, e.field)
    if header not in letters or not e.row.startswith("Row "):
        return e
    return RowError(e.row, f"cell {letters[header]}{e.row[4:]} ({header})", e.message)
