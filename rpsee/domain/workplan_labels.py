"""How workplan fields and values read on the page: grid labels, budget names, shown values."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from rpsee.domain.money import format_usd
from rpsee.domain.workplan import FIELD_LABELS, FieldChange, month_label

if TYPE_CHECKING:
    from rpsee.domain.reference import ProgrammeReference

CATEGORY_SHORT = {
    "STAFF": "Staff", "SUPPLIES": "Supplies", "EQUIPMENT": "Equipment",
    "CONTRACTUAL": "Contractual", "TRAVEL": "Travel", "TRANSFERS": "Transfers",
    "GOC": "Operating",
}  # fmt: skip  # the one short name of each cost category: pages, grid, pack, workbook
GRID_LABELS = {**FIELD_LABELS, "start_month": "Start", "end_month": "End"}


def category_label(code: str, names: Mapping[str, str]) -> str:
    """The short budget column name (`Travel`), else the category's full name, else its code."""
    return CATEGORY_SHORT.get(code) or names.get(code, code)


def category_labels(ref: ProgrammeReference) -> dict[str, str]:
    """Each cost category's one name in every table, page and export (`Travel`), by code."""
    names = {c.code: c.name for c in ref.cost_categories}
    return {c.code: category_label(c.code, names) for c in ref.cost_categories}


def category_note(ref: ProgrammeReference) -> str:
    """What each short category name stands for (`Travel = Travel; …`), for a table's note."""
    labels = category_labels(ref)
    return "Cost categories: " + "; ".join(f"{labels[c.code]} = {c.name}"
                                           for c in ref.cost_categories) + "."  # fmt: skip


def show_value(field: str, value: object) -> str:
    """A field's value as the page shows it: months by name, codes joined, blanks as `–`."""
    if value is None or value == "" or value == ():
        return "–"
    if field in ("start_month", "end_month") and isinstance(value, int):
        return month_label(value)
    if isinstance(value, Decimal):
        return format_usd(value)
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value)
    return str(value)


def describe_change(change: FieldChange, names: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """`(field label, old, new)` rows; a budget change gives one row per cost category changed,
    amounts in USD (a category absent on one side shows as `–`)."""
    if change.field != "budget":
        label = GRID_LABELS.get(change.field, change.field)
        return [(label, show_value(change.field, change.old), show_value(change.field, change.new))]
    old: Mapping[str, Decimal] = change.old  # type: ignore[assignment]
    new: Mapping[str, Decimal] = change.new  # type: ignore[assignment]
    rows = []
    codes = [c for c in names if c in old or c in new]
    codes += [c for c in {**old, **new} if c not in codes]
    for code in codes:
        if old.get(code) != new.get(code):
            rows.append((category_label(code, names), show_value("budget", old.get(code)),
                         show_value("budget", new.get(code))))  # fmt: skip
    return rows
