"""The workplan grid: activities <-> the editor's table, and reading the editor's changes."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from rpsee.domain.money import AmountError, parse_amount
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.staffing import STAFF_LINE_RULE
from rpsee.domain.tables import RowKind, Table
from rpsee.domain.version_diff import edit_table
from rpsee.domain.workplan import (
    ACTIVITY_STATUSES,
    FIELD_LABELS,
    PRIORITIES,
    Activity,
    month_label,
)
from rpsee.domain.workplan_labels import GRID_LABELS
from rpsee.domain.workplan_labels import category_label as _category_label
from rpsee.domain.workplan_rules import Codebook, RowError, parse_row
from rpsee.domain.workplan_totals import by_category, grand_total
from rpsee.services.workplans import Conflict, WorkplanEdit
from rpsee.ui.grid_font import text_px
from rpsee.ui.marker_columns import marker_columns
from rpsee.ui.tables import MAIN_PX, ROW_STYLES

LEAD_COLUMNS = {"Code": "code", "Title": "title"}  # grid label -> activity field (pinned)
BASE_COLUMNS = {
    "Output": "output_code", "Jurisdictions": "jurisdictions", "Lead office": "lead_office",
    "Responsible position": "position_id", "Start": "start_month", "End": "end_month",
}  # fmt: skip
TAIL_COLUMNS = {
    "Funding source": "funding_source", "Priority": "priority", "Indicators": "indicators",
    "GEM": "gem", "DAC gender": "dac_gender", "DAC disability": "dac_disability",
    "SDG targets": "sdg_targets", "Marker justification": "marker_note",
    "Disability inclusion": "inclusion", "Status": "status", "Description": "description",
    "Notes": "notes",
}  # fmt: skip
# Widths (px): code, title and the line Total pinned; each amount column as wide as its header
# and its largest amount (see `amount_widths`), measured in the grid's font, so no header or
# amount is cut and, at 1280x720 with the sidebar open, the budget columns fit beside the title.
GRID_PX = MAIN_PX - 2 - 10  # what the grid shows at 1280 px: less its border and its scrollbar
TITLE_WIDTH, TITLE_MIN = 120, 88  # the title takes what the others leave of GRID_PX, up to 120
# `1.1 · Drug use and HIV/AIDS prevention…`, `P_001 · Regional Representative…`: code and text
OUTPUT_WIDTH = 260
REQUIRED = ("Title", "Output", "Jurisdictions", "Lead office", "Start", "End")
HEADERS = {"CONTRACTUAL": "Contract."}  # the grid's header where the short name is too wide
# for the budget columns to fit at 1280 px (the full name in each column's help)
DELETE, NEW = "Delete", "new:"  # the delete tick column; the row key of a new line


def category_label(code: str, ref: ProgrammeReference) -> str:
    return _category_label(code, {c.code: c.name for c in ref.cost_categories})


def columns(ref: ProgrammeReference) -> dict[str, str]:
    """The editable grid columns in order, label -> raw key (budget as `budget_<CATEGORY>`):
    code and title, the budget (then the line Total), then the rest."""
    budget = {category_label(c.code, ref): f"budget_{c.code}" for c in ref.cost_categories}
    return {**LEAD_COLUMNS, **budget, **BASE_COLUMNS, **TAIL_COLUMNS}


def column_order(ref: ProgrammeReference, editable: bool = True) -> list[str]:
    """Code, title and line Total (pinned), then the budget columns, the Delete tick (when
    editable), then the rest."""
    labels = list(columns(ref))
    budget = len(ref.cost_categories)
    tick = [DELETE] if editable else []
    return [*labels[:2], "Total", *labels[2:2 + budget], *tick, *labels[2 + budget:]]


def header(code: str, ref: ProgrammeReference) -> str:
    """A budget column's header: the category's short name, `Contract.` for Contractual (the
    column's help names it in full)."""
    return HEADERS.get(code) or category_label(code, ref)


def headers_note(ref: ProgrammeReference) -> str:
    """`Staff = Staff and other personnel costs, …`: what each budget header stands for."""
    return ", ".join(f"{header(c.code, ref)} = {c.name}" for c in ref.cost_categories)


ICON_PX = 32  # an editable column's header text starts after the padding and the edit icon
PAD_PX, GAP_PX = 8, 4  # the cell's padding on the text's side; at least this much on the other
KERN_PX = 1  # kerning widens a word by up to about 1 px (figures are not kerned)


def _header_px(text: str, icon: bool) -> int:
    """Room for a header (an editable column's header starts after its edit icon)."""
    return math.ceil((ICON_PX if icon else PAD_PX) + text_px(text) + KERN_PX + GAP_PX)


def _text_px(texts: list[str], bold: bool = False) -> int:
    """Room for the widest of `texts` (amounts; bold in the totals line)."""
    return math.ceil(PAD_PX + max((text_px(t, bold) for t in texts), default=0) + GAP_PX)


def amount_widths(lines: list[Activity], ref: ProgrammeReference) -> dict[str, int]:
    """Width (px) of Code, of each budget column and of Total: its header or its largest text,
    the column's total (bold) included, as the totals line below uses the same widths; then of
    Title: what the others leave of GRID_PX, between TITLE_MIN and TITLE_WIDTH."""
    sums = by_category(lines)
    widths = {
        "Code": max(_header_px("Code", False), _text_px([a.code for a in lines] + ["New row 99"]),
                    _text_px(["Total"], bold=True)),
        "Total": max(_header_px("Total", False), _text_px([amount_text(a.total) for a in lines]),
                     _text_px([amount_text(grand_total(lines))], bold=True)),
    }  # fmt: skip
    for c in ref.cost_categories:
        widths[category_label(c.code, ref)] = max(
            _header_px(header(c.code, ref), True),
            _text_px([amount_text(a.budget.get(c.code)) for a in lines]),
            _text_px([amount_text(sums.get(c.code))], bold=True))  # fmt: skip
    widths["Title"] = max(TITLE_MIN, min(TITLE_WIDTH, GRID_PX - sum(widths.values())))
    return widths


def amount_text(amount: Decimal | None) -> str:
    """`46,500.00` as the grid shows an amount (blank for none); read back by the one parser."""
    return f"{amount:,.2f}" if amount else ""


def to_frame(activities: list[Activity], ref: ProgrammeReference) -> pd.DataFrame:
    """One row per activity, in the order given. Amounts are text (`46,500.00`): the browser
    never rounds, clamps or reinterprets what is typed; saving reads it with the one parser."""
    records = [record(a, ref) for a in activities]
    return pd.DataFrame.from_records(records, columns=column_order(ref, editable=False))


def record(a: Activity, ref: ProgrammeReference) -> dict[str, Any]:
    """One line as the grid shows it, label -> value."""
    rec: dict[str, Any] = {}
    for label, key in columns(ref).items():
        if key.startswith("budget_"):
            rec[label] = amount_text(a.budget.get(key[7:]))
        elif key in ("start_month", "end_month"):
            rec[label] = month_label(getattr(a, key))
        elif key in ("jurisdictions", "indicators", "sdg_targets"):
            rec[label] = list(getattr(a, key))
        else:
            rec[label] = getattr(a, key)
    rec["Total"] = amount_text(a.total) or "0.00"
    return rec


def blank_line(ref: ProgrammeReference) -> dict[str, Any]:
    """A new line as "Add line" puts it in the grid: empty but for the usual defaults."""
    rec: dict[str, Any] = {label: None for label in columns(ref)}
    rec.update({label: "" for label, key in columns(ref).items() if key.startswith("budget_")})
    rec.update({"Jurisdictions": [], "Indicators": [], "SDG targets": [], "Priority": "medium",
                "GEM": 1, "Status": "planned", "Total": "0.00", DELETE: False})  # fmt: skip
    return rec


def column_config(ref: ProgrammeReference, year: int, editable: bool,
                  widths: Mapping[str, int]) -> dict[str, Any]:  # fmt: skip
    cc = st.column_config
    months = [month_label(m) for m in ref.figures.months_of(year)]
    positions = {p.id: f"{p.id} · {p.title[:40]}" for p in ref.positions}
    outputs = {o.code: ref.output_label(o.code, 60) for o in ref.outputs}
    offices = ref.office_names()
    donors = {d.code: d.name for d in ref.donors}
    names = ref.jurisdiction_names()
    config: dict[str, Any] = {
        "Code": cc.TextColumn(disabled=True, pinned=True, width=widths["Code"]),
        "Title": cc.TextColumn(width=widths["Title"], pinned=True,
                               help="Required; up to 300 characters. Narrow so the budget "
                                    "fits beside it: drag the column's edge to widen it, or "
                                    "open a cell to read the whole title"),
        "Output": cc.SelectboxColumn(options=list(outputs), width=OUTPUT_WIDTH,
                                     format_func=outputs.get, help="One of the 22 outputs"),
        "Jurisdictions": cc.MultiselectColumn(options=list(names), format_func=names.get,
                                              help="REG for a regional activity"),
        "Lead office": cc.SelectboxColumn(options=list(offices), format_func=offices.get,
                                          help=ref.office_legend()),
        "Responsible position": cc.SelectboxColumn(options=list(positions), width=OUTPUT_WIDTH,
                                                   format_func=positions.get),
        "Start": cc.SelectboxColumn(options=months, width="small"),
        "End": cc.SelectboxColumn(options=months, width="small"),
        "Funding source": cc.SelectboxColumn(options=list(donors), format_func=donors.get),
        "Priority": cc.SelectboxColumn(options=list(PRIORITIES), default="medium"),
        "Indicators": cc.MultiselectColumn(
            options=[i.code for o in ref.outputs for i in o.indicators]),
        **marker_columns(ref.markers),
        "Status": cc.SelectboxColumn(options=list(ACTIVITY_STATUSES), default="planned"),
        "Description": cc.TextColumn(help="Up to 4,000 characters"),
        "Notes": cc.TextColumn(help="Up to 4,000 characters"),
        "Total": cc.TextColumn(disabled=True, alignment="right", width=widths["Total"],
                               pinned=True, help="USD: sum of the budget columns (as saved)"),
        DELETE: cc.CheckboxColumn(help="Tick to delete this line when you save (untick to keep "
                                  "it)", width=70),  # fmt: skip
    }  # fmt: skip
    for c in ref.cost_categories:
        rule = f". {STAFF_LINE_RULE}" if c.code == "STAFF" else ""
        label = category_label(c.code, ref)
        config[label] = cc.TextColumn(
            header(c.code, ref), alignment="right", width=widths[label],
            help=f"USD: {c.name}{rule}. Type e.g. 46500 or 46,500.00",
        )
    if not editable:
        for value in config.values():
            value["disabled"] = True
    return config


def _raw(record: Mapping[str, Any], ref: ProgrammeReference) -> dict[str, Any]:
    return {key: record.get(label) for label, key in columns(ref).items()}


def parse_line(rec: Mapping[str, Any], ref: ProgrammeReference, book: Codebook,
               row: str) -> tuple[Activity | None, list[RowError]]:  # fmt: skip
    """A grid row (label -> value) read as a line, with its refusals named `row`."""
    return parse_row(_raw(rec, ref), row, book)


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


Draft = dict[str, Any]  # {"cells": {line code: {label: value}}, "new": [record, ...]}


def new_draft() -> Draft:
    """The pending edits of one plan, kept in the session: edited cells by line code (a ticked
    Delete marks the line for removal) and the new lines, in the order added."""
    return {"cells": {}, "new": []}


def row_keys(shown: list[Activity], draft: Draft) -> list[str]:
    """What each row of the editor shows: the new lines first (`new:0`…), then the line codes."""
    return [f"{NEW}{n}" for n in range(len(draft["new"]))] + [a.code for a in shown]


def fold(draft: Draft, state: Mapping[str, Any] | None, keys: list[str]) -> None:
    """Copy the editor's `edited_rows` (row positions; `keys` names each row) into the draft,
    where they are kept by line code (across filters, added lines and other users' saves)."""
    for position, changes in ((state or {}).get("edited_rows") or {}).items():
        if int(position) >= len(keys):
            continue
        key = keys[int(position)]
        values = {k: v for k, v in changes.items() if k not in ("Code", "Total")}
        if key.startswith(NEW):
            draft["new"][int(key.removeprefix(NEW))].update(values)
        else:
            draft["cells"].setdefault(key, {}).update(values)


def editor_frame(base: pd.DataFrame, shown: list[Activity], draft: Draft,
                 ref: ProgrammeReference) -> pd.DataFrame:  # fmt: skip
    """The editor's rows: the new lines (`New row 1`…), then `base` (which shows `shown`) with
    the draft's cells in place and the Delete tick."""
    frame = base.copy()
    frame[DELETE] = False
    where = {a.code: n for n, a in enumerate(shown)}
    for code, cells in draft["cells"].items():
        if code not in where:
            continue
        for label, value in cells.items():
            if label in frame.columns:
                frame[label] = _set(frame[label], where[code], value)
        frame["Total"] = _set(frame["Total"], where[code],
                              row_total(frame.iloc[where[code]].to_dict(), ref))  # fmt: skip
    if not draft["new"]:
        return frame
    records = [{**blank_line(ref), **r, "Code": f"New row {n}"} for n, r in
               enumerate(draft["new"], start=1)]  # fmt: skip
    new = pd.DataFrame.from_records([{**r, "Total": row_total(r, ref)} for r in records],
                                    columns=list(frame.columns))  # fmt: skip
    return pd.concat([new, frame], ignore_index=True)


def row_total(rec: Mapping[str, Any], ref: ProgrammeReference) -> str:
    """The Total a grid row shows, following its unsaved edits: the sum of its budget cells as
    typed, or `?` while one of them is not an amount (the problem is listed under the grid)."""
    total = Decimal(0)
    for c in ref.cost_categories:
        try:
            total += parse_amount(rec.get(category_label(c.code, ref)), field=c.code,
                                  blank=Decimal(0), allow_negative=True)  # fmt: skip
        except AmountError:
            return "?"
    return amount_text(total) or "0.00"


def _set(column: pd.Series, position: int, value: Any) -> pd.Series:
    """`column` with one value replaced, keeping its type when the value fits it."""
    values = column.tolist()
    values[position] = value
    try:
        return pd.Series(values, dtype=column.dtype)
    except (TypeError, ValueError):
        return pd.Series(values, dtype=object)


def is_blank_line(rec: Mapping[str, Any], ref: ProgrammeReference) -> bool:
    empty = blank_line(ref)
    return all(_blank(v) or empty.get(k) == v for k, v in rec.items()
               if k not in ("Code", "Total", DELETE))  # fmt: skip


def read_changes(draft: Draft, lines: list[Activity], ref: ProgrammeReference,
                 year: int) -> GridChanges:  # fmt: skip
    """Turn the draft (cells by line code, new lines, Delete ticks) into a checked edit of
    `lines` (the snapshot the grid edits)."""
    edit = WorkplanEdit()
    errors: list[RowError] = []
    missing: list[tuple[str, list[str]]] = []
    book = Codebook.for_year(ref, year)
    by_code = {a.code: a for a in lines}
    for code, cells in draft["cells"].items():
        original = by_code.get(code)
        if original is None:
            continue
        if cells.get(DELETE):
            edit.removed.append((original.id, original.version, original.code))
            continue
        values = {k: v for k, v in cells.items() if k != DELETE}
        if not values:
            continue
        activity, row_errors = parse_line({**record(original, ref), **values}, ref, book,
                                          f"Row {original.code}")  # fmt: skip
        errors += row_errors
        if activity is not None and activity.content() != original.content():
            edit.changed.append(replace(activity, code=original.code, id=original.id,
                                        version=original.version))  # fmt: skip
    for n, rec in enumerate(draft["new"], start=1):
        if rec.get(DELETE) or is_blank_line(rec, ref):
            continue  # a new line ticked for deletion, or added and left blank
        row = f"New row {n}"
        blank = [label for label in REQUIRED if _blank(rec.get(label))]
        if blank:
            missing.append((row, blank))
        activity, row_errors = parse_line(rec, ref, book, row)
        errors += row_errors
        if activity is not None:
            edit.added.append(activity)
    errors = [replace(e, field=_grid_field(e.field, ref)) for e in errors]
    return GridChanges(edit, errors, missing)


def overlay_is_saved(state: Mapping[str, Any] | None, keys: list[str], saved: list[Activity],
                     ref: ProgrammeReference, year: int) -> bool:  # fmt: skip
    """Whether the cells the browser still shows as edited (it keeps them while the editor keeps
    its identity) read as no change against the lines just saved, row for row: then the editor
    may keep its identity (and its scroll position) after a save."""
    codes = [k for k in keys if not k.startswith(NEW)]
    by_code = {a.code: a for a in saved}
    if len(codes) != len(keys) or any(c not in by_code for c in codes):
        return False
    scratch = new_draft()
    fold(scratch, state, keys)
    check = read_changes(scratch, saved, ref, year)
    return check.edit.empty and not check.errors


def lines_key(lines: list[Activity]) -> str:
    """A short key naming exactly these lines at their versions (a cache key for their frame:
    a snapshot can hold lines of different versions)."""
    pairs = ",".join(f"{a.id}:{a.version}" for a in lines)
    return hashlib.blake2b(pairs.encode(), digest_size=16).hexdigest()


def with_edits(lines: list[Activity], edit: WorkplanEdit) -> list[Activity]:
    """The lines as they will be once the edit is saved (for totals that follow edits)."""
    changed = {a.id: a for a in edit.changed}
    gone = {r[0] for r in edit.removed}
    kept = [changed.get(a.id, a) for a in lines if a.id not in gone]
    return kept + list(edit.added)


def totals_columns(ref: ProgrammeReference) -> list[str]:
    """The totals line's columns: the grid's own, in its order, up to its last budget column
    (code and title, the line Total, the budget)."""
    return column_order(ref, editable=False)[:3 + len(ref.cost_categories)]


def totals_frame(lines: list[Activity], ref: ProgrammeReference) -> pd.DataFrame:
    """One row under the grid, read as its Total row: `Total` in the Code column, the sum of the
    line totals and of each budget column (cancelled lines left out, as in every total)."""
    sums = by_category(lines)
    row: dict[str, str] = {"Code": "Total", "Title": "",
                           "Total": amount_text(grand_total(lines)) or "0.00"}  # fmt: skip
    for c in ref.cost_categories:
        row[category_label(c.code, ref)] = amount_text(sums.get(c.code)) or "0.00"
    return pd.DataFrame([row], columns=totals_columns(ref))


def show_totals(lines: list[Activity], ref: ProgrammeReference, year: int, caption: str,
                widths: Mapping[str, int]) -> None:  # fmt: skip
    """The totals line, drawn with the grid's column settings (widths, pins, headers,
    alignment) so each sum sits under its column, bold and tinted like every Total row."""
    frame = totals_frame(lines, ref)
    grid = column_config(ref, year, False, widths)
    config = {label: {k: v for k, v in grid[label].items() if k not in ("help", "disabled")}
              for label in frame.columns}  # fmt: skip
    st.caption(caption)
    st.dataframe(frame.style.map(lambda _: ROW_STYLES[RowKind.TOTAL]), hide_index=True,
                 width=totals_px(widths, ref), column_config=config)  # fmt: skip


def totals_px(widths: Mapping[str, int], ref: ProgrammeReference) -> int:
    """The totals line's width: its columns and the border (stretched to the page's width, its
    columns would grow and leave the grid's)."""
    return sum(widths[label] for label in totals_columns(ref)) + 2


def show_conflicts(conflicts: list[Conflict]) -> None:
    """Each conflicting field with the saved value and yours, as the page shows them."""
    st.dataframe(pd.DataFrame(
        [(c.code, c.field, c.theirs, c.yours, c.by or "",
          f"{c.at:%Y-%m-%d %H:%M}" if c.at else "") for c in conflicts],
        columns=["Line", "Field", "Saved value", "Your value", "Saved by", "At (UTC)"]),
        hide_index=True, width="stretch")  # fmt: skip


def unsaved_table(edit: WorkplanEdit, lines: list[Activity], ref: ProgrammeReference) -> Table:
    """The pending edits field by field (`lines`: the lines the grid edits), each amount written
    as it will be saved, so `12500` typed in a cell reads `USD 12,500.00` here before saving."""
    by_id = {a.id: a for a in lines}
    names = {c.code: c.name for c in ref.cost_categories}
    return edit_table(edit.added, [(by_id[a.id], a) for a in edit.changed if a.id in by_id],
                      [by_id[i] for i, _, _ in edit.removed if i in by_id], names)  # fmt: skip
