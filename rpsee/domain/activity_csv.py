"""A workplan's activities as CSV for other systems: one row per activity (cancelled ones too,
with their status), the activity list's columns under stable names (`activity_fields` keys),
codes rather than display names, amounts as plain decimals with a point and no thousands
separator, and text that a spreadsheet would run as a formula made inert."""

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


def to_csv(activities: Sequence[Activity], ref: ProgrammeReference, year: int) -> str:
    """The header row (the field keys) and one row per activity, by code."""
    fields = activity_fields(ref, year)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f.key for f in fields])
    for a in sorted(activities, key=lambda a: code_key(a.code)):
        writer.writerow([csv_cell(f.kind, f.csv_value(a)) for f in fields])
    return out.getvalue()
