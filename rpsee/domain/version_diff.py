"""What changed between two versions of a workplan: lines added, removed and changed (field by
field), matched by their stable identity, and the budget effect by thematic area."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from rpsee.domain.tables import Column, Kind, Table, row
from rpsee.domain.workplan import Activity, ActivityDiff, field_changes
from rpsee.domain.workplan_labels import describe_change, show_value

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class VersionDiff:
    lines: ActivityDiff
    changes: Table  # one row per field changed (a budget change: one per cost category)
    by_area: Table  # before, after and change by thematic area, with a computed Total row

    @property
    def empty(self) -> bool:
        return self.lines.empty


def diff_versions(old: Iterable[Activity], new: Iterable[Activity], areas: Mapping[str, str],
                  categories: Mapping[str, str]) -> VersionDiff:  # fmt: skip
    """`old` -> `new`, lines matched by `lineage` (a line keeps it when its code changes);
    `areas` and `categories`: code -> name, in display order."""
    old, new = list(old), list(new)
    by_old = {a.lineage: a for a in old}
    by_new = {a.lineage: a for a in new}
    changed = []
    for line, a in by_new.items():
        before = by_old.get(line)
        fields = field_changes(before, a) if before is not None else []
        if before is not None and (fields or before.code != a.code):
            changed.append((before, a, fields))
    lines = ActivityDiff([a for line, a in by_new.items() if line not in by_old], changed,
                         [a for line, a in by_old.items() if line not in by_new])  # fmt: skip
    return VersionDiff(lines, _changes_table(lines, categories), _area_table(old, new, areas))


def edit_table(added: Iterable[Activity], changed: Iterable[tuple[Activity, Activity]],
               removed: Iterable[Activity], categories: Mapping[str, str]) -> Table:  # fmt: skip
    """Unsaved edits of a workplan, field by field, amounts formatted as saved: `changed` pairs
    a stored line with its edited form."""
    lines = ActivityDiff(list(added), [(a, b, field_changes(a, b)) for a, b in changed],
                         list(removed))  # fmt: skip
    return replace(_changes_table(lines, categories), title="Your unsaved edits")


def _changes_table(d: ActivityDiff, categories: Mapping[str, str]) -> Table:
    cols = tuple(Column(n, Kind.TEXT) for n in ("Line", "Change", "Field", "Before", "After"))
    rows = [row(a.code, "Added", "Total", "–", show_value("budget", a.total)) for a in d.added]
    for old, new, changes in d.changed:
        renamed = [("Code", old.code, new.code)] if old.code != new.code else []
        for field, before, after in renamed + [
            r for c in changes for r in describe_change(c, categories)
        ]:
            rows.append(row(new.code, "Changed", field, before, after))
    rows += [row(a.code, "Removed", "Total", show_value("budget", a.total), "–")
             for a in d.removed]  # fmt: skip
    return Table("What changed, line by line", cols, tuple(rows), total=False)


def _by_area(lines: Iterable[Activity]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for a in lines:
        if a.counts:
            out[a.area_code] = out.get(a.area_code, ZERO) + a.total
    return out


def _area_table(old: list[Activity], new: list[Activity], areas: Mapping[str, str]) -> Table:
    before, after = _by_area(old), _by_area(new)
    codes = [c for c in areas if c in before or c in after]
    codes += sorted((before.keys() | after.keys()) - set(codes))
    rows = []
    for code in codes:
        b, a = before.get(code, ZERO), after.get(code, ZERO)
        rows.append(row(f"{code} {areas.get(code, '')}".strip(), b, a, a - b))
    cols = (Column("Thematic area", Kind.TEXT), Column("Before (USD)"), Column("After (USD)"),
            Column("Change (USD)"))  # fmt: skip
    return Table("Budget effect by thematic area", cols, tuple(rows),
                 footnotes=("Cancelled lines count in no total.",))  # fmt: skip
