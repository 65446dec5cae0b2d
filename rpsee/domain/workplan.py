"""Annual workplans and their activities: the records, codes, the version in use, differences."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from rpsee.domain.money import CENT

PRIORITIES = ("essential", "high", "medium", "low")
ACTIVITY_STATUSES = ("planned", "ongoing", "completed", "cancelled")
WORKPLAN_STATUSES = ("draft", "submitted", "approved", "returned", "superseded", "locked")
"""draft -> submitted -> approved (frozen for good) or returned; a revision made during the
meeting supersedes the submitted version (see rpsee/domain/workflow.py)."""
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CODE_RE = re.compile(r"^(\d{4})-(\d\.\d)-(\d{3,})$")  # 001 to 999, then 1000 and on


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
    gem: int = 1  # the UN Gender Equality Marker 0-3 (the former "gender marker", same scale)
    status: str = "planned"
    notes: str = ""
    dac_gender: int | None = None  # OECD DAC gender marker 0-2; None: not yet screened
    dac_disability: int | None = None  # OECD DAC disability marker 0-2; None: not yet screened
    sdg_targets: tuple[str, ...] = ()  # e.g. ("16.4", "5.2")
    marker_note: str = ""  # the justification of the higher codes
    inclusion: str = ""  # the disability inclusion or reasonable-accommodation element
    id: int | None = None
    version: int | None = None
    line_id: str = ""  # the code the line had when first planned, shared by all its copies

    @property
    def lineage(self) -> str:
        """The line's identity across years and versions (its first code)."""
        return self.line_id or self.code

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
    "gem", "status", "notes", "dac_gender", "dac_disability", "sdg_targets", "marker_note",
    "inclusion",
)  # fmt: skip

FIELD_LABELS = {
    "code": "Code", "title": "Title", "description": "Description", "output_code": "Output",
    "jurisdictions": "Jurisdictions", "lead_office": "Lead office",
    "position_id": "Responsible position", "start_month": "Start month",
    "end_month": "End month", "budget": "Budget", "funding_source": "Funding source",
    "priority": "Priority", "indicators": "Indicators", "gem": "GEM",
    "status": "Status", "notes": "Notes", "dac_gender": "DAC gender",
    "dac_disability": "DAC disability", "sdg_targets": "SDG targets",
    "marker_note": "Marker justification", "inclusion": "Disability inclusion",
}  # fmt: skip


@dataclass(frozen=True)
class Workplan:
    id: int
    year: int
    version_no: int
    status: str
    based_on_id: int | None = None
    in_use: bool = False  # the version of its year that every page uses by default
    amendment_type: str | None = None  # set on a new version of an approved plan
    shared: bool = False  # a draft shared with Committee members for consultation

    @property
    def label(self) -> str:
        return f"{self.year} workplan, version {self.version_no}, {self.status}"

    @property
    def editable(self) -> bool:
        return self.status == "draft"


def default_in_use(versions: Sequence[Workplan]) -> Workplan:
    """A year's version used when no planner chose one: the approved one, else the first."""
    approved = [p for p in versions if p.status == "approved"]
    return approved[-1] if approved else min(versions, key=lambda p: p.version_no)


def mark_in_use(plans: Iterable[Workplan], chosen: Mapping[int, int]) -> list[Workplan]:
    """`plans` with `in_use` set: the chosen version of each year (year -> workplan id), or
    `default_in_use` where none was chosen (or the chosen one no longer exists, or is not
    approved while the year has an approved version: pages never use an unapproved version
    then, whatever was stored)."""
    plans = list(plans)
    by_year: dict[int, list[Workplan]] = {}
    for p in plans:
        by_year.setdefault(p.year, []).append(p)
    used = set()
    for year, versions in by_year.items():
        allowed = {p.id for p in versions}
        if any(p.status == "approved" for p in versions):
            allowed = {p.id for p in versions if p.status == "approved"}
        used.add(chosen[year] if chosen.get(year) in allowed else default_in_use(versions).id)
    return [replace(p, in_use=p.id in used) for p in plans]


def implementation_year(today: date, cycle_years: Sequence[int]) -> int:
    """The year being implemented: today's, clamped to the programme cycle."""
    return min(max(today.year, cycle_years[0]), cycle_years[-1])


def next_code(year: int, output_code: str, taken: Iterable[str]) -> str:
    """`2026-2.3-007`: a number for that output above every number it has in `taken` (codes of
    any year), so a new line never takes the number of another line, in any year."""
    used = [int(m[3]) for c in taken if (m := CODE_RE.match(c)) and m[2] == output_code]
    return f"{year}-{output_code}-{(max(used) + 1) if used else 1:03d}"


def code_key(code: str) -> tuple[object, ...]:
    """Sort key of a line code: `2026-1.1-999` before `2026-1.1-1000` (numbers as numbers)."""
    m = CODE_RE.match(code)
    return (m[1], m[2], int(m[3]), code) if m else (code, "", 0, code)


def carried_code(code: str, year: int) -> str | None:
    """The same line's code in another year: `2026-1.1-003` -> `2027-1.1-003`."""
    m = CODE_RE.match(code)
    return f"{year}-{m[2]}-{m[3]}" if m else None


def uplift(amount: Decimal, percent: Decimal) -> Decimal:
    return (amount * (Decimal(100) + percent) / Decimal(100)).quantize(CENT, ROUND_HALF_UP)


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
