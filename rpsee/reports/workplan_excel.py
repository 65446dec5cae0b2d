"""The workplan as an Excel workbook, and reading a filled one back (strictly)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.workplan import (
    ACTIVITY_STATUSES,
    GENDER_MARKERS,
    PRIORITIES,
    Activity,
    Workplan,
    month_label,
)
from rpsee.domain.workplan_rules import Codebook, RowError, parse_rows

SHEET = "Workplan"
LISTS = "Lists"
MONEY_FORMAT = "#,##0.00"
MAX_ROWS = 20_000


def excel_columns(ref: ProgrammeReference) -> list[tuple[str, str]]:
    """(header, raw key) in sheet order; budget headers are the full category names."""
    head = [("Code", "code"), ("Title", "title"), ("Description", "description"),
            ("Output", "output_code"), ("Jurisdictions", "jurisdictions"),
            ("Lead office", "lead_office"), ("Responsible position", "position_id"),
            ("Start month", "start_month"), ("End month", "end_month")]  # fmt: skip
    budget = [(f"{c.name} (USD)", f"budget_{c.code}") for c in ref.cost_categories]
    tail = [("Funding source", "funding_source"), ("Priority", "priority"),
            ("Indicators", "indicators"), ("Gender marker", "gender_marker"),
            ("Status", "status"), ("Notes", "notes")]  # fmt: skip
    return head + budget + tail


TOTAL_HEADER = "Total (USD)"


class WorkbookError(ValueError):
    """The file cannot be read as a workplan workbook; the message says why."""


def _text_cell(ws, row: int, col: int, value: str | None) -> None:  # noqa: ANN001
    cell = ws.cell(row=row, column=col)
    cell.value = value if value else None
    if value:
        cell.data_type = "s"  # text beginning with "=" stays text, never a formula


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
            elif key in ("jurisdictions", "indicators"):
                _text_cell(ws, r, c, "; ".join(getattr(a, key)))
            elif key == "gender_marker":
                ws.cell(row=r, column=c, value=a.gender_marker)
            else:
                _text_cell(ws, r, c, getattr(a, key))
        first, last = get_column_letter(budget_cols[0]), get_column_letter(budget_cols[-1])
        total = ws.cell(row=r, column=len(headers), value=f"=SUM({first}{r}:{last}{r})")
        total.number_format = MONEY_FORMAT
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


def _lists_and_validation(wb, ws, cols, ref: ProgrammeReference, year: int) -> None:  # noqa: ANN001
    lists = wb.create_sheet(LISTS)
    values = {
        "output_code": [o.code for o in ref.outputs],
        "lead_office": [o.code for o in ref.offices],
        "position_id": [p.id for p in ref.positions],
        "start_month": [month_label(m) for m in ref.figures.months_of(year)],
        "funding_source": [d.code for d in ref.donors],
        "priority": list(PRIORITIES),
        "gender_marker": [str(g) for g in GENDER_MARKERS],
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
                       "Code empty for a new line; delete a row to remove a line. Amounts in "
                       "USD. The Total column is computed and ignored on upload."),
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


def read(data: bytes, ref: ProgrammeReference, year: int) -> ReadResult:
    """Read a filled workbook. Raises WorkbookError if it is not a workplan workbook at all;
    otherwise returns the lines and every problem, each naming the row and the column."""
    if not data:
        raise WorkbookError("The file is empty.")
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise WorkbookError("The file is not an Excel workbook (.xlsx).") from None
    try:
        if SHEET not in wb.sheetnames:
            raise WorkbookError(f"The workbook has no sheet named '{SHEET}' (it has: "
                                f"{', '.join(wb.sheetnames)}).")  # fmt: skip
        rows = wb[SHEET].iter_rows()
        header_row = next(rows, None)
        if header_row is None:
            raise WorkbookError(f"The '{SHEET}' sheet is empty: it has no header row.")
        headers = [str(c.value).strip() if c.value is not None else "" for c in header_row]
        cols = excel_columns(ref)
        expected = [h for h, _k in cols]
        missing = [h for h in expected if h not in headers]
        unknown = [h for h in headers if h and h not in expected and h != TOTAL_HEADER]
        if missing or unknown:
            parts = []
            if missing:
                parts.append("missing column(s): " + ", ".join(f"'{h}'" for h in missing))
            if unknown:
                parts.append("unknown column(s): " + ", ".join(f"'{h}'" for h in unknown))
            raise WorkbookError(f"The '{SHEET}' sheet's columns are not the workplan's: "
                                + "; ".join(parts) + ". Download a fresh workbook.")  # fmt: skip
        position = {h: headers.index(h) for h in expected}
        raw_rows: list[tuple[str, dict[str, Any]]] = []
        errors: list[RowError] = []
        for n, row in enumerate(rows, start=2):
            if n > MAX_ROWS + 1:
                raise WorkbookError(f"More than {MAX_ROWS} rows: is this the right file?")
            cells = {h: row[i] if i < len(row) else None for h, i in position.items()}
            values = {h: (c.value if c is not None else None) for h, c in cells.items()}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
                continue
            label = f"Row {n}"
            for h, c in cells.items():
                if c is not None and getattr(c, "data_type", None) == "e":
                    errors.append(RowError(label, h, f"formula error {c.value}"))
            raw = {key: values[h] for h, key in cols}
            raw_rows.append((label, raw))
    finally:
        wb.close()
    activities, row_errors = parse_rows(raw_rows, Codebook.for_year(ref, year))
    return ReadResult(activities, errors + row_errors)
