"""Annual workplans and their activities: the records, codes, copy forward and differences."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from rpsee.domain.money import CENT

PRIORITIES = ("essential", "high", "medium", "low")
ACTIVITY_STATUSES = ("planned", "ongoing", "completed", "cancelled")
WORKPLAN_STATUSES = ("draft", "submitted", "approved", "locked")
GENDER_MARKERS = (0, 1, 2, 3)
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CODE_RE = re.compile(r"^(\d{4})-(\d\.\d)-(\d{3})$")


@dataclass(frozen=True)
class Activity:
    """One line of an annual workplan."""

    code: str
    title: str
    output_code: str
    jurisdictions: tuple[str, ...]
    lead_office: str
    position_id: str | None
    start_month: int
    end_month: int
    budget: Mapping[str, Decimal] = field(default_factory=dict)
    description: str = ""
    funding_source: str | None = None
    priority: str = "medium"
    indicators: tuple[str, ...] = ()
    gender_marker: int = 1
    status: str = "planned"
    notes: str = ""
    id: int | None = None
    version: int | None = None

    @property
    def area_code(self) -> str:
        return self.output_code.split(".", 1)[0]

    @property
    def total(self) -> Decimal:
        return sum(self.budget.values(), Decimal("0.00"))

    @property
    def months(self) -> range:
        return range(self.start_month, self.end_month + 1)

    @property
    def counts(self) -> bool:
        """Cancelled activities keep their line but count in no total and cover nothing."""
        return self.status != "cancelled"

    def content(self) -> tuple:
        """Everything a user can edit (for comparing two versions of a line)."""
        return tuple(getattr(self, f) for f in EDITABLE_FIELDS)


EDITABLE_FIELDS = (
    "title", "description", "output_code", "jurisdictions", "lead_office", "position_id",
    "start_month", "end_month", "budget", "funding_source", "priority", "indicators",
    "gender_marker", "status", "notes",
)  # fmt: skip

FIELD_LABELS = {
    "code": "Code", "title": "Title", "description": "Description", "output_code": "Output",
    "jurisdictions": "Jurisdictions", "lead_office": "Lead office",
    "position_id": "Responsible position", "start_month": "Start month",
    "end_month": "End month", "budget": "Budget", "funding_source": "Funding source",
    "priority": "Priority", "indicators": "Indicators", "gender_marker": "Gender marker",
    "status": "Status", "notes": "Notes",
}  # fmt: skip


@dataclass(frozen=True)
class Workplan:
    id: int
    year: int
    version_no: int
    status: str
    based_on_id: int | None = None

    @property
    def label(self) -> str:
        return f"{self.year} workplan, version {self.version_no} ({self.status})"

    @property
    def editable(self) -> bool:
        return self.status == "draft"


def next_code(year: int, output_code: str, taken: Iterable[str]) -> str:
    """`2026-2.3-007`: the next free number for that year and output, never reused."""
    prefix = f"{year}-{output_code}-"
    used = [int(c[len(prefix):]) for c in taken if c.startswith(prefix) and c[len(prefix):]
            .isdigit()]  # fmt: skip
    return f"{prefix}{(max(used) + 1) if used else 1:03d}"


def uplift(amount: Decimal, percent: Decimal) -> Decimal:
    return (amount * (Decimal(100) + percent) / Decimal(100)).quantize(CENT, ROUND_HALF_UP)


def copy_forward(
    activities: Iterable[Activity],
    target_year: int,
    target_months: tuple[int, ...],
    uplift_percent: Decimal = Decimal(0),
    taken_codes: Iterable[str] = (),
) -> list[Activity]:
    """Next year's draft lines from this year's: new codes, planned, budgets uplifted, timing
    kept (clipped to the months of the target year)."""
    taken = set(taken_codes)
    first, last = target_months[0], target_months[-1]
    result: list[Activity] = []
    for a in activities:
        code = next_code(target_year, a.output_code, taken)
        taken.add(code)
        start = min(max(a.start_month, first), last)
        end = min(max(a.end_month, start), last)
        note = f"Copied from {a.code}" + (f". {a.notes}" if a.notes else "")
        result.append(
            replace(
                a,
                code=code,
                id=None,
                version=None,
                status="planned",
                start_month=start,
                end_month=end,
                notes=note,
                budget={k: uplift(v, uplift_percent) for k, v in a.budget.items()},
            )  # fmt: skip
        )
    return result


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class ActivityDiff:
    added: list[Activity]
    changed: list[tuple[Activity, Activity, list[FieldChange]]]
    removed: list[Activity]

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


def field_changes(old: Activity, new: Activity) -> list[FieldChange]:
    changes = []
    for name in EDITABLE_FIELDS:
        a, b = getattr(old, name), getattr(new, name)
        if name == "budget":
            a = {k: v for k, v in a.items() if v}
            b = {k: v for k, v in b.items() if v}
        if a != b:
            changes.append(FieldChange(name, a, b))
    return changes


def diff_activities(current: Iterable[Activity], incoming: Iterable[Activity]) -> ActivityDiff:
    """What applying `incoming` (lines keyed by code; no code = new) does to `current`."""
    by_code = {a.code: a for a in current}
    seen: set[str] = set()
    added: list[Activity] = []
    changed: list[tuple[Activity, Activity, list[FieldChange]]] = []
    for a in incoming:
        old = by_code.get(a.code) if a.code else None
        if old is None:
            added.append(a)
            continue
        seen.add(a.code)
        changes = field_changes(old, a)
        if changes:
            changed.append((old, replace(a, id=old.id, version=old.version), changes))
    removed = [a for code, a in by_code.items() if code not in seen]
    return ActivityDiff(added, changed, removed)


def month_label(month: int) -> str:
    return MONTH_NAMES[month - 1]


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1
