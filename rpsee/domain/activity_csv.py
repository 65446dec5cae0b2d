"""A workplan's activities as CSV for other systems: one row per activity (cancelled ones too,
with their status), the activity list's columns under stable names (`activity_fields` keys),
codes rather than display names, amounts as plain decimals with a point and no thousands
separator, and text that a spreadsheet would run as a formula made inert. A last column,
`jurisdiction_note`, carries the required footnote of a jurisdiction the row names (Kosovo:
UNSCR 1244), so the `jurisdictions` column keeps plain codes and the file stays one table."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

from rpsee.domain.budget_tables import activity_fields
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.tables import Cell, Kind
from rpsee.domain.workplan import Activity, code_key

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NOTE_COLUMN = "jurisdiction_note"


def inert(text: str) -> str:
    """Text starting like a formula (= + - @, tab, carriage return) gets a leading apostrophe,
    so a spreadsheet opening the file shows it instead of running it (OWASP CSV injection)."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def csv_cell(kind: Kind, value: Cell) -> str:
    if value is None:
        return ""
    if kind is Kind.MONEY:
        return f"{Decimal(value):.2f}"
    if kind is Kind.COUNT:
        return str(int(value))
    return inert(str(value))


def jurisdiction_note(a: Activity, ref: ProgrammeReference) -> str:
    """The footnotes of the jurisdictions `a` names, each after its code (`XKX: All references
    to Kosovo ...`), joined by ` | `; empty when none of them has one."""
    notes = {j.code: j.footnote for j in ref.jurisdictions if j.footnote}
    return " | ".join(f"{c}: {notes[c]}" for c in a.jurisdictions if c in notes)


def to_csv(activities: Sequence[Activity], ref: ProgrammeReference, year: int) -> str:
    """The header row (the field keys, then NOTE_COLUMN) and one row per activity, by code."""
    fields = activity_fields(ref, year)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*(f.key for f in fields), NOTE_COLUMN])
    for a in sorted(activities, key=lambda a: code_key(a.code)):
        writer.writerow([*(csv_cell(f.kind, f.csv_value(a)) for f in fields),
                         inert(jurisdiction_note(a, ref))])  # fmt: skip
    return out.getvalue()
