"""The workplan grid: activities <-> the editor's table, and reading the editor's changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.staffing import STAFF_LINE_RULE
from rpsee.domain.workplan import (
    ACTIVITY_STATUSES,
    FIELD_LABELS,
    GENDER_MARKERS,
    PRIORITIES,
    Activity,
    month_label,
)
from rpsee.domain.workplan_labels import GRID_LABELS
from rpsee.domain.workplan_labels import category_label as _category_label
from rpsee.domain.workplan_rules import Codebook, RowError, parse_row
from rpsee.domain.workplan_totals import by_category, grand_total
from rpsee.services.workplans import Conflict, WorkplanEdit

LEAD_COLUMNS = {"Code": "code", "Title": "title"}  # grid label -> activity field (pinned)
BASE_COLUMNS = {
    "Output": "output_code", "Jurisdictions": "jurisdictions", "Lead office": "lead_office",
    "Responsible position": "position_id", "Start": "start_month", "End": "end_month",
}  # fmt: skip
TAIL_COLUMNS = {
    "Funding source": "funding_source", "Priority": "priority", "Indicators": "indicators",
    "Gender marker": "gender_marker", "Status": "status", "Description": "description",
    "Notes": "notes",
}  # fmt: skip
# Widths (px) chosen so that code, title, total and the 7 budget columns fit 1440x900 with the
# sidebar open; at 1280x720 code, title and total stay pinned while the budget columns scroll.
ROW_MARKERS, CODE_WIDTH, TITLE_WIDTH, AMOUNT_WIDTH = 33, 100, 120, 88
REQUIRED = ("Title", "Output", "Jurisdictions", "Lead office", "Start", "End")


def category_label(code: str, ref: ProgrammeReference) -> str:
    return _category_label(code, {c.code: c.name for c in ref.cost_categories})


def columns(ref: ProgrammeReference) -> dict[str, str]:
    """The editable grid columns in order, label -> raw key (budget as `budget_<CATEGORY>`):
    code and title, the budget (then the line Total), then the rest."""
    budget = {category_label(c.code, ref): f"budget_{c.code}" for c in ref.cost_categories}
    return {**LEAD_COLUMNS, **budget, **BASE_COLUMNS, **TAIL_COLUMNS}


def column_order(ref: ProgrammeReference) -> list[str]:
    """Code, title and line Total (pinned), then the budget columns, then the rest."""
    labels = list(columns(ref))
    return [*labels[:2], "Total", *labels[2:]]


def amount_text(amount: Decimal | None) -> str:
    """`46,500.00` as the grid shows an amount (blank for none); read back by the one parser."""
    return f"{amount:,.2f}" if amount else ""


def to_frame(activities: list[Activity], ref: ProgrammeReference) -> pd.DataFrame:
    """One row per activity, in the order given. Amounts are text (`46,500.00`): the browser
    never rounds, clamps or reinterprets what is typed; saving reads it with the one parser."""
    cols = columns(ref)
    records = []
    for a in activities:
        rec: dict[str, Any] = {}
        for label, key in cols.items():
            if key.startswith("budget_"):
                rec[label] = amount_text(a.budget.get(key[7:]))
            elif key in ("start_month", "end_month"):
                rec[label] = month_label(getattr(a, key))
            elif key in ("jurisdictions", "indicators"):
                rec[label] = list(getattr(a, key))
            else:
                rec[label] = getattr(a, key)
        rec["Total"] = amount_text(a.total) or "0.00"
        records.append(rec)
    return pd.DataFrame.from_records(records, columns=column_order(ref))


def column_config(ref: ProgrammeReference, year: int, editable: bool) -> dict[str, Any]:
    cc = st.column_config
    months = [month_label(m) for m in ref.figures.months_of(year)]
    positions = {p.id: f"{p.id} · {p.title[:40]}" for p in ref.positions}
    outputs = {o.code: f"{o.code} · {o.text[:60]}" for o in ref.outputs}
    names = ref.jurisdiction_names()
    config: dict[str, Any] = {
        "Code": cc.TextColumn(disabled=True, pinned=True, width=CODE_WIDTH),
        "Title": cc.TextColumn(width=TITLE_WIDTH, pinned=True,
                               help="Required; up to 300 characters"),
        "Output": cc.SelectboxColumn(options=list(outputs), width="small",
                                     format_func=lambda c: c, help="One of the 22 outputs"),
        "Jurisdictions": cc.MultiselectColumn(options=list(names), format_func=names.get,
                                              help="REG for a regional activity"),
        "Lead office": cc.SelectboxColumn(options=[o.code for o in ref.offices]),
        "Responsible position": cc.SelectboxColumn(options=list(positions)),
        "Start": cc.SelectboxColumn(options=months, width="small"),
        "End": cc.SelectboxColumn(options=months, width="small"),
        "Funding source": cc.SelectboxColumn(options=[d.code for d in ref.donors]),
        "Priority": cc.SelectboxColumn(options=list(PRIORITIES), default="medium"),
        "Indicators": cc.MultiselectColumn(
            options=[i.code for o in ref.outputs for i in o.indicators]),
        "Gender marker": cc.SelectboxColumn(options=list(GENDER_MARKERS), default=1),
        "Status": cc.SelectboxColumn(options=list(ACTIVITY_STATUSES), default="planned"),
        "Description": cc.TextColumn(help="Up to 4,000 characters"),
        "Notes": cc.TextColumn(help="Up to 4,000 characters"),
        "Total": cc.TextColumn(disabled=True, alignment="right", width=AMOUNT_WIDTH + 12,
                               pinned=True, help="USD: sum of the budget columns (as saved)"),
    }  # fmt: skip
    for c in ref.cost_categories:
        rule = f". {STAFF_LINE_RULE}" if c.code == "STAFF" else ""
        config[category_label(c.code, ref)] = cc.TextColumn(
            alignment="right", width=AMOUNT_WIDTH,
            help=f"USD: {c.name}{rule}. Type e.g. 46500 or 46,500.00",
        )
    if not editable:
        for value in config.values():
            value["disabled"] = True
    return config


def _raw(record: Mapping[str, Any], ref: ProgrammeReference) -> dict[str, Any]:
    return {key: record.get(label) for label, key in columns(ref).items()}


def _grid_field(field: str, ref: ProgrammeReference) -> str:
    """A refusal's field name as the grid labels the column (`Start`, `Travel`)."""
    by_label = {FIELD_LABELS[k]: v for k, v in GRID_LABELS.items()}
    if field.startswith("Budget – "):
        name = field.removeprefix("Budget – ")
        code = next((c.code for c in ref.cost_categories if c.name == name), None)
        return category_label(code, ref) if code else field
    return by_label.get(field, field)


@dataclass(frozen=True)
class GridChanges:
    edit: WorkplanEdit
    errors: list[RowError]
    missing: list[tuple[str, list[str]]]  # new rows and the required columns left blank

    @property
    def pending(self) -> bool:
        return not self.edit.empty or bool(self.errors)


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or (
        isinstance(value, float) and value != value)  # fmt: skip


def read_changes(
    state: Mapping[str, Any] | None, frame: pd.DataFrame, shown: list[Activity],
    ref: ProgrammeReference, year: int,
) -> GridChanges:  # fmt: skip
    """Turn the editor's `edited_rows`/`added_rows`/`deleted_rows` (row positions in `frame`,
    which shows `shown` in order) into a checked edit."""
    edit = WorkplanEdit()
    errors: list[RowError] = []
    missing: list[tuple[str, list[str]]] = []
    if not state:
        return GridChanges(edit, errors, missing)
    book = Codebook.for_year(ref, year)
    labels = list(frame.columns)
    for position, changes in (state.get("edited_rows") or {}).items():
        original = shown[int(position)]
        record = {label: frame.iloc[int(position)][label] for label in labels}
        record.update(changes)
        activity, row_errors = parse_row(_raw(record, ref), f"Row {original.code}", book)
        errors += row_errors
        if activity is not None and activity.content() != original.content():
            edit.changed.append(replace(activity, code=original.code, id=original.id,
                                        version=original.version))  # fmt: skip
    for n, record in enumerate(state.get("added_rows") or [], start=1):
        if all(_blank(v) for v in record.values()):
            continue  # an empty row the user added and left blank
        row = f"New row {n}"
        blank = [label for label in REQUIRED if _blank(record.get(label))]
        if blank:
            missing.append((row, blank))
        activity, row_errors = parse_row(_raw(record, ref), row, book)
        errors += row_errors
        if activity is not None:
            edit.added.append(activity)
    for position in state.get("deleted_rows") or []:
        original = shown[int(position)]
        edit.removed.append((original.id, original.version, original.code))
    errors = [replace(e, field=_grid_field(e.field, ref)) for e in errors]
    return GridChanges(edit, errors, missing)


def with_edits(lines: list[Activity], edit: WorkplanEdit) -> list[Activity]:
    """The lines as they will be once the edit is saved (for totals that follow edits)."""
    changed = {a.id: a for a in edit.changed}
    gone = {r[0] for r in edit.removed}
    kept = [changed.get(a.id, a) for a in lines if a.id not in gone]
    return kept + list(edit.added)


def totals_frame(lines: list[Activity], ref: ProgrammeReference) -> pd.DataFrame:
    """One row: the sum of each budget column and of the line totals (cancelled lines left out,
    as in every total)."""
    sums = by_category(lines)
    row: dict[str, str] = {"": "Total", "Total": amount_text(grand_total(lines)) or "0.00"}
    for c in ref.cost_categories:
        row[category_label(c.code, ref)] = amount_text(sums.get(c.code)) or "0.00"
    return pd.DataFrame([row])


def show_totals(lines: list[Activity], ref: ProgrammeReference, caption: str) -> None:
    frame = totals_frame(lines, ref)
    # the same widths as the grid's columns (after its row markers), so the sums line up
    config = {label: st.column_config.TextColumn(alignment="right", width=AMOUNT_WIDTH)
              for label in frame.columns}  # fmt: skip
    config[""] = st.column_config.TextColumn(width=ROW_MARKERS + CODE_WIDTH + TITLE_WIDTH)
    config["Total"] = st.column_config.TextColumn(alignment="right", width=AMOUNT_WIDTH + 12)
    st.caption(caption)
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config)


def show_conflicts(conflicts: list[Conflict]) -> None:
    """Each conflicting field with the saved value and yours, as the page shows them."""
    st.dataframe(pd.DataFrame(
        [(c.code, c.field, c.theirs, c.yours, c.by or "",
          f"{c.at:%Y-%m-%d %H:%M}" if c.at else "") for c in conflicts],
        columns=["Line", "Field", "Saved value", "Your value", "Saved by", "At (UTC)"]),
        hide_index=True, width="stretch")  # fmt: skip
