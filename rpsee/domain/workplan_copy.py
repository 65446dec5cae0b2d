"""Copying a workplan's lines into a new version (same year) or next year's draft, and the
preview a planner confirms first. Lines keep their identity: codes keep their number."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from rpsee.domain.tables import Column, Kind, Row, Table
from rpsee.domain.workplan import Activity, Workplan, carried_code, month_label, next_code, uplift
from rpsee.domain.workplan_totals import by_area, grand_total

CONTINUING = "continuing"  # an ongoing line going on into the next year
COPIED = "copied"  # a planned line planned again
PLANNED_AGAIN = "planned again"  # a completed or cancelled line the planner picked explicitly
KEPT = "kept"  # a new version of the same year: the line as it is
NOT_COPIED_BY_DEFAULT = ("completed", "cancelled")
_COPY_NOTE = re.compile(r"^(Copied from|Continues) \d{4}-\d\.\d-\d{3,}[^.]*\.\s*")


def default_picks(activities: Iterable[Activity], same_year: bool) -> list[str]:
    """The lines copied unless the planner picks others: every line for a new version of the
    same year; for another year, the planned and ongoing ones (not completed or cancelled)."""
    return [a.code for a in activities if same_year or a.status not in NOT_COPIED_BY_DEFAULT]


def months_text(start: int, end: int) -> str:
    return month_label(start) if start == end else f"{month_label(start)}–{month_label(end)}"


@dataclass(frozen=True)
class CopiedLine:
    """One line of the new version and where it comes from."""

    source: Activity
    line: Activity
    how: str  # CONTINUING, COPIED, PLANNED_AGAIN or KEPT
    renumbered: bool = False  # its number was taken by another line (data from before lineage)

    @property
    def months_fit(self) -> bool:
        return (self.source.start_month, self.source.end_month) == (
            self.line.start_month, self.line.end_month)  # fmt: skip

    @property
    def months_before(self) -> str:
        return months_text(self.source.start_month, self.source.end_month)

    @property
    def months_after(self) -> str:
        return months_text(self.line.start_month, self.line.end_month)


def _note(a: Activity, how: str, source_year: int, fits: bool, after: tuple[int, int]) -> str:
    rest = _COPY_NOTE.sub("", a.notes)
    if how == CONTINUING:
        head = f"Continues {a.code}"
    elif how == PLANNED_AGAIN:
        head = f"Copied from {a.code} ({a.status} in {source_year}, planned again)"
    else:
        head = f"Copied from {a.code}"
    if not fits:
        head += (f"; months {months_text(a.start_month, a.end_month)} moved to "
                 f"{months_text(*after)}")  # fmt: skip
    return f"{head}." + (f" {rest}" if rest else "")


def copy_forward(
    activities: Iterable[Activity],
    source_year: int,
    target_year: int,
    target_months: Sequence[int],
    uplift_percent: Decimal = Decimal(0),
    taken: Mapping[str, str] | None = None,
    picked: Collection[str] | None = None,
) -> list[CopiedLine]:
    """The lines of a new `target_year` version from a `source_year` workplan's lines.

    `picked`: the codes to copy (None: `default_picks`). `taken`: every code already used, in any
    year or version, with the line (lineage) using it. Another year: the code keeps its number
    (`2026-1.1-003` -> `2027-1.1-003`), ongoing lines stay ongoing (continuing), other lines
    become planned, months are clipped to the target year's and budgets uplifted. The same
    year: the line as it is (code, status, months), budgets uplifted.
    """
    activities = list(activities)
    same_year = source_year == target_year
    chosen = set(default_picks(activities, same_year) if picked is None else picked)
    taken = dict(taken or {})
    first, last = target_months[0], target_months[-1]
    result: list[CopiedLine] = []
    for a in activities:
        if a.code not in chosen:
            continue
        budget = {k: uplift(v, uplift_percent) for k, v in a.budget.items()}
        if same_year:
            line = replace(a, id=None, version=None, budget=budget, line_id=a.lineage)
            result.append(CopiedLine(a, line, KEPT))
            continue
        code = carried_code(a.code, target_year)
        renumbered = code is None or taken.get(code, a.lineage) != a.lineage
        if renumbered:
            code = next_code(target_year, _output_part(a), {*taken, *taken.values()})
        taken[code] = a.lineage
        start = min(max(a.start_month, first), last)
        end = min(max(a.end_month, start), last)
        fits = (start, end) == (a.start_month, a.end_month)
        if a.status == "ongoing":
            how, status = CONTINUING, "ongoing"
        elif a.status in NOT_COPIED_BY_DEFAULT:
            how, status = PLANNED_AGAIN, "planned"
        else:
            how, status = COPIED, "planned"
        line = replace(a, code=code, id=None, version=None, status=status, start_month=start,
                       end_month=end, budget=budget, line_id=a.lineage,
                       notes=_note(a, how, source_year, fits, (start, end)))  # fmt: skip
        result.append(CopiedLine(a, line, how, renumbered))
    return result


def _output_part(a: Activity) -> str:
    parts = a.code.split("-")
    return parts[1] if len(parts) == 3 else a.output_code


@dataclass(frozen=True)
class CopyPreview:
    """What creating the new version would do, shown before the planner confirms."""

    source: Workplan
    target_year: int
    version_no: int
    existing: tuple[Workplan, ...]  # the versions the target year already has
    lines: tuple[CopiedLine, ...]
    left_out: tuple[Activity, ...]  # source lines not copied

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.existing)

    @property
    def activities(self) -> list[Activity]:
        return [c.line for c in self.lines]

    @property
    def total(self) -> Decimal:
        return grand_total(self.activities)

    @property
    def by_area(self) -> dict[str, Decimal]:
        return dict(sorted(by_area(self.activities).items()))

    def by_area_table(self, names: Mapping[str, str]) -> Table:
        """Lines and USD by thematic area (`names`: area code -> label), with the Total row."""
        rows = tuple(Row((names.get(k, k), sum(c.line.area_code == k for c in self.lines), v))
                     for k, v in self.by_area.items())  # fmt: skip
        columns = (Column("Thematic area", Kind.TEXT), Column("Lines", Kind.COUNT),
                   Column("USD"))  # fmt: skip
        return Table("By thematic area", columns, rows)

    @property
    def flagged(self) -> list[CopiedLine]:
        """Lines whose months do not fit the target year (moved, and said so)."""
        return [c for c in self.lines if not c.months_fit]

    def count(self, how: str) -> int:
        return sum(c.how == how for c in self.lines)


def preview_copy(
    source: Workplan,
    activities: Iterable[Activity],
    target_year: int,
    target_months: Sequence[int],
    existing: Sequence[Workplan],
    uplift_percent: Decimal = Decimal(0),
    taken: Mapping[str, str] | None = None,
    picked: Collection[str] | None = None,
) -> CopyPreview:
    """The new version `copy_forward` would create, with the versions it would join."""
    activities = list(activities)
    lines = copy_forward(activities, source.year, target_year, target_months, uplift_percent,
                         taken, picked)  # fmt: skip
    copied = {c.source.code for c in lines}
    existing = tuple(sorted(existing, key=lambda p: p.version_no))
    version_no = (existing[-1].version_no + 1) if existing else 1
    return CopyPreview(source, target_year, version_no, existing, tuple(lines),
                       tuple(a for a in activities if a.code not in copied))  # fmt: skip
