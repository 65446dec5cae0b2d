"""The workplan grid: activities <-> the editor's table, and reading the editor's changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.staffing import STAFF_LINE_RULE
from rpsee.domain.workplan import (
    ACTIVITY_STATUSES,
    GENDER_MARKERS,
    PRIORITIES,
    Activity,
    month_label,
)
from rpsee.domain.workplan_rules import Codebook, RowError, parse_row
from rpsee.services.workplans import WorkplanEdit

BASE_COLUMNS = {  # grid label -> activity field
    "Code": "code", "Title": "title", "Output": "output_code", "Jurisdictions": "jurisdictions",
    "Lead office": "lead_office", "Responsible position": "position_id",
    "Start": "start_month", "End": "end_month",
}  # fmt: skip
TAIL_COLUMNS = {
    "Funding source": "funding_source", "Priority": "priority", "Indicators": "indicators",
    "Gender marker": "gender_marker", "Status": "status", "Description": "description",
    "Notes": "notes",
}  # fmt: skip


def category_label(code: str, ref: ProgrammeReference) -> str:
    short = {"STAFF": "Staff & personnel", "SUPPLIES": "Supplies", "EQUIPMENT": "Equipment",
             "CONTRACTUAL": "Contractual", "TRAVEL": "Travel", "TRANSFERS": "Transfers & grants",
             "GOC": "Operating & other"}  # fmt: skip
    return short.get(code) or next(c.name for c in ref.cost_categories if c.code == code)


def columns(ref: ProgrammeReference) -> dict[str, str]:
    """All grid columns, label -> raw key (budget columns as `budget_<CATEGORY>`)."""
    budget = {category_label(c.code, ref): f"budget_{c.code}" for c in ref.cost_categories}
    return {**BASE_COLUMNS, **budget, **TAIL_COLUMNS}


def to_frame(activities: list[Activity], ref: ProgrammeReference) -> pd.DataFrame:
    """One row per activity, in the order given; amounts as floats for the editor
    (display only: saving reads them back exactly, by their shortest decimal form)."""
    cols = columns(ref)
    records = []
    for a in activities:
        rec: dict[str, Any] = {}
        for label, key in cols.items():
            if key.startswith("budget_"):
                amount = a.budget.get(key[7:])
                rec[label] = float(amount) if amount else None
            elif key in ("start_month", "end_month"):
                rec[label] = month_label(getattr(a, key))
            elif key in ("jurisdictions", "indicators"):
                rec[label] = list(getattr(a, key))
            else:
                rec[label] = getattr(a, key)
        rec["Total"] = float(a.total)
        records.append(rec)
    return pd.DataFrame.from_records(records, columns=[*cols, "Total"])


def column_config(ref: ProgrammeReference, year: int, editable: bool) -> dict[str, Any]:
    cc = st.column_config
    months = [month_label(m) for m in ref.figures.months_of(year)]
    positions = {p.id: f"{p.id} · {p.title[:40]}" for p in ref.positions}
    outputs = {o.code: f"{o.code} · {o.text[:60]}" for o in ref.outputs}
    names = ref.jurisdiction_names()
    config: dict[str, Any] = {
        "Code": cc.TextColumn(disabled=True, pinned=True, width=110),
        "Title": cc.TextColumn(required=True, width="large", max_chars=300, pinned=True),
        "Output": cc.SelectboxColumn(options=list(outputs), required=True, width="small",
                                     format_func=lambda c: c, help="One of the 22 outputs"),
        "Jurisdictions": cc.MultiselectColumn(options=list(names), format_func=names.get,
                                              help="REG for a regional activity"),
        "Lead office": cc.SelectboxColumn(options=[o.code for o in ref.offices], required=True),
        "Responsible position": cc.SelectboxColumn(options=list(positions)),
        "Start": cc.SelectboxColumn(options=months, required=True, width="small"),
        "End": cc.SelectboxColumn(options=months, required=True, width="small"),
        "Funding source": cc.SelectboxColumn(options=[d.code for d in ref.donors]),
        "Priority": cc.SelectboxColumn(options=list(PRIORITIES), default="medium"),
        "Indicators": cc.MultiselectColumn(
            options=[i.code for o in ref.outputs for i in o.indicators]),
        "Gender marker": cc.SelectboxColumn(options=list(GENDER_MARKERS), default=1),
        "Status": cc.SelectboxColumn(options=list(ACTIVITY_STATUSES), default="planned"),
        "Description": cc.TextColumn(max_chars=4000),
        "Notes": cc.TextColumn(max_chars=4000),
        "Total": cc.NumberColumn(disabled=True, format="%,.2f", help="Sum of the budget columns"),
    }  # fmt: skip
    for c in ref.cost_categories:
        rule = f". {STAFF_LINE_RULE}" if c.code == "STAFF" else ""
        config[category_label(c.code, ref)] = cc.NumberColumn(
            min_value=0, step=0.01, format="%,.2f", help=f"USD: {c.name}{rule}"
        )
    if not editable:
        for value in config.values():
            value["disabled"] = True
    return config


def _raw(record: Mapping[str, Any], ref: ProgrammeReference) -> dict[str, Any]:
    return {key: record.get(label) for label, key in columns(ref).items()}


@dataclass(frozen=True)
class GridChanges:
    edit: WorkplanEdit
    errors: list[RowError]

    @property
    def pending(self) -> bool:
        return not self.edit.empty or bool(self.errors)


def read_changes(
    state: Mapping[str, Any] | None, frame: pd.DataFrame, shown: list[Activity],
    ref: ProgrammeReference, year: int,
) -> GridChanges:  # fmt: skip
    """Turn the editor's `edited_rows`/`added_rows`/`deleted_rows` (row positions in `frame`,
    which shows `shown` in order) into a checked edit."""
    edit = WorkplanEdit()
    errors: list[RowError] = []
    if not state:
        return GridChanges(edit, errors)
    book = Codebook.for_year(ref, year)
    labels = list(frame.columns)
    for position, changes in (state.get("edited_rows") or {}).items():
        original = shown[int(position)]
        record = {label: frame.iloc[int(position)][label] for label in labels}
        record.update(changes)
        activity, row_errors = parse_row(_raw(record, ref), f"Row {original.code}", book)
        errors += row_errors
        if activity is not None and activity.content() != original.content():
            edit.changed.append(_keep_identity(activity, original))
    for n, record in enumerate(state.get("added_rows") or [], start=1):
        if not any(v not in (None, "", []) for v in record.values()):
            continue  # an empty row the user added and left blank
        activity, row_errors = parse_row(_raw(record, ref), f"New row {n}", book)
        errors += row_errors
        if activity is not None:
            edit.added.append(activity)
    for position in state.get("deleted_rows") or []:
        original = shown[int(position)]
        edit.removed.append((original.id, original.version, original.code))
    return GridChanges(edit, errors)


def _keep_identity(activity: Activity, original: Activity) -> Activity:
    from dataclasses import replace

    return replace(activity, code=original.code, id=original.id, version=original.version)
