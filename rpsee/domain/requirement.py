"""The requirement, computed one way: the allocation comparison's planned figures (workplan
activities + staff costs + programme support costs) by year, thematic area and office, and the
fundable needs behind them (each activity line and each position's yearly cost by area), whose
direct costs add up, to the cent, to the comparison's."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from rpsee.domain import envelope as env
from rpsee.domain.money import from_cents, to_cents
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.staffing import StaffCosting
from rpsee.domain.workplan import PRIORITIES, Activity, code_key
from rpsee.domain.workplan_totals import by_area, by_office


@dataclass(frozen=True)
class EnvelopeSettings:
    envelopes: dict[int, Decimal]
    basis: str
    rate_percent: Decimal
    targets: list[env.Target]



@dataclass(frozen=True)
class YearComparison:
    year: int
    envelope: Decimal
    basis: str
    rate_percent: Decimal
    areas: list[env.Row]
    offices: list[env.Row]
    area_total: env.Row
    office_total: env.Row
    warnings: list[env.Warning]
    heat: dict[tuple[str, str], Decimal]  # (area, office) -> planned direct costs

    @property
    def unallocated(self) -> Decimal:
        """Envelope left once the year's plan is charged (negative: over the envelope)."""
        return self.envelope - self.area_total.planned


def compare_year(
    year: int, s: EnvelopeSettings, activities: list[Activity], costing: StaffCosting,
    ref: ProgrammeReference,
) -> YearComparison:  # fmt: skip
    """The year's comparison by thematic area and by office (pure computation)."""
    envelope = s.envelopes.get(year, Decimal("0.00"))
    area_keys = [a.code for a in ref.areas]
    office_keys = [o.code for o in ref.offices]
    targets = [t for t in s.targets if t.year == year]
    area_targets = [t for t in targets if t.dimension == "area"]
    office_targets = [t for t in targets if t.dimension == "office"]
    share = lambda ts: env.target_amounts(ts, envelope)  # noqa: E731
    staff_area = {a: costing.area_net(a, year) for a in area_keys}
    staff_office = {o: costing.office_net(o, year) for o in office_keys}
    areas = env.compare(area_keys, share(area_targets), by_area(activities), staff_area,
                        s.basis, s.rate_percent)  # fmt: skip
    offices = env.compare(office_keys, share(office_targets), by_office(activities),
                          staff_office, s.basis, s.rate_percent)  # fmt: skip
    area_names = {a.code: f"{a.code}. {a.short_name}" for a in ref.areas}
    office_names = {o.code: o.name for o in ref.offices}
    warnings = (
        env.check_targets(year, "Thematic area", envelope, area_targets, area_names)
        + env.check_targets(year, "Office", envelope, office_targets, office_names)
        + env.over_allocations(year, areas, area_names)
        + env.over_allocations(year, offices, office_names)
    )
    area_total = env.total_row(areas, envelope, s.basis)
    if area_total.headroom is not None and area_total.headroom < 0:
        warnings.append(env.Warning(f"{year} · Envelope", f"the plan exceeds the envelope by "
                                    f"USD {-area_total.headroom:,.2f}"))  # fmt: skip
    heat: dict[tuple[str, str], Decimal] = {}
    for a in activities:
        if a.counts:
            heat[(a.area_code, a.lead_office)] = heat.get((a.area_code, a.lead_office),
                                                          Decimal(0)) + a.total  # fmt: skip
    for (area, office, y), cents in costing.by_area_office.items():
        if y == year:
            heat[(area, office)] = heat.get((area, office), Decimal(0)) + from_cents(cents)
    return YearComparison(year, envelope, s.basis, s.rate_percent, areas, offices, area_total,
                          env.total_row(offices, envelope, s.basis), warnings, heat)  # fmt: skip

_TIER = {p: i for i, p in enumerate(PRIORITIES)}


@dataclass(frozen=True)
class Need:
    """One fundable line of one year, in direct costs (integer cents): an activity, or one
    position's net staff cost of the year charged to one thematic area."""

    key: str  # unique: "A <year> <code>" or "P <year> <position> <area>"
    kind: str  # "activity" or "position"
    code: str  # activity code or position id
    title: str
    year: int
    area: str
    output: str | None  # positions: None
    jurisdictions: tuple[str, ...]  # positions: ()
    office: str  # lead office; positions: duty station
    priority: str  # one of PRIORITIES
    cents: int
    funding_source: str | None = None  # the donor a workplan line names (paid first by it)

    @property
    def amount(self) -> Decimal:
        return from_cents(self.cents)

    @property
    def tier(self) -> int:
        return _TIER[self.priority]


def activity_needs(year: int, activities: Iterable[Activity]) -> list[Need]:
    """The year's counting activity lines (cancelled ones cover nothing), by code."""
    return [
        Need(f"A {year} {a.code}", "activity", a.code, a.title, year, a.area_code, a.output_code,
             tuple(a.jurisdictions), a.lead_office,
             a.priority if a.priority in PRIORITIES else "medium", to_cents(a.total),
             a.funding_source)
        for a in sorted(activities, key=lambda a: code_key(a.code)) if a.counts and a.total > 0
    ]  # fmt: skip


def position_needs(year: int, costing: StaffCosting, titles: Mapping[str, str] | None = None,
                   priorities: Mapping[str, str] | None = None) -> list[Need]:  # fmt: skip
    """Each position's net staff cost of the year by thematic area (the costing's own split, so
    they add up to its area totals), at its duty station; positions are essential unless
    `priorities` (position id -> priority) says otherwise."""
    titles, priorities = titles or {}, priorities or {}
    wrong = sorted(f"{p}: {v!r}" for p, v in priorities.items() if v not in PRIORITIES)
    if wrong:
        raise ValueError(f"Position priority: use one of {', '.join(PRIORITIES)} ({wrong})")
    return [
        Need(f"P {y} {pos} {area}", "position", pos, titles.get(pos, pos), y, area, None, (),
             costing.stations.get(pos, ""), priorities.get(pos, "essential"), cents)
        for (pos, area, y), cents in sorted(costing.by_position_area.items())
        if y == year and cents > 0
    ]  # fmt: skip


def year_needs(year: int, activities: Iterable[Activity], costing: StaffCosting,
               titles: Mapping[str, str] | None = None,
               priorities: Mapping[str, str] | None = None) -> list[Need]:  # fmt: skip
    """All the year's needs: activities first, then positions."""
    return activity_needs(year, activities) + position_needs(year, costing, titles, priorities)


def direct_costs(c: YearComparison) -> int:
    """The comparison's direct costs of the year (activities + staff), in cents."""
    return to_cents(c.area_total.activities + c.area_total.staff)
