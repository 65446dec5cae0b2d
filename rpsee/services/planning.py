"""Envelope and allocation use cases, and the comparison a Steering Committee member reads:
envelope -> allocated -> planned (activities + staff + support costs) -> headroom."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rpsee.domain import envelope as env
from rpsee.domain.money import AmountError, from_cents, is_blank, parse_amount, parse_percent
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.roles import CurrentUser, Permission, require
from rpsee.domain.staffing import StaffCosting
from rpsee.domain.workplan import Activity
from rpsee.domain.workplan_totals import by_area, by_office
from rpsee.store.audit import utcnow
from rpsee.store.uow import UnitOfWork


class PlanningError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class EnvelopeSettings:
    envelopes: dict[int, Decimal]
    basis: str
    rate_percent: Decimal
    targets: list[env.Target]


def settings(user: CurrentUser, url: str | None = None) -> EnvelopeSettings:
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        s = uow.planning.settings()
        return EnvelopeSettings(uow.planning.envelopes(), s.get("envelope_basis", "gross"),
                                Decimal(s.get("psc_rate_percent", "13")),
                                uow.planning.targets())  # fmt: skip


MAX_PSC_RATE = Decimal(50)


def save_envelope(user: CurrentUser, envelopes: dict[int, object], basis: str, rate: object,
                  ref: ProgrammeReference, url: str | None = None) -> None:  # fmt: skip
    """Planners: the yearly envelopes, the basis and the support-cost rate (refused whole)."""
    require(user, Permission.EDIT_PLANS)
    problems: list[str] = []
    clean: dict[int, Decimal] = {}
    for year, value in envelopes.items():
        if year not in ref.figures.cycle_years:
            problems.append(f"Envelope {year}: outside the programme cycle")
            continue
        try:
            clean[year] = parse_amount(value, field=f"Envelope {year}")
        except AmountError as exc:
            problems.append(str(exc))
    if basis not in env.BASES:
        problems.append(f"Basis: {basis!r} is not gross or net")
    try:
        pct = parse_percent(rate, field="Programme support cost rate", high=MAX_PSC_RATE)
    except AmountError as exc:
        problems.append(str(exc))
        pct = Decimal(0)
    if problems:
        raise PlanningError(problems)
    now = utcnow()
    with UnitOfWork(actor=user.username, action="envelope", url=url) as uow:
        for year, amount in clean.items():
            uow.planning.set_envelope(year, amount, user.username, now)
        uow.planning.set_setting("envelope_basis", basis, user.username, now)
        uow.planning.set_setting("psc_rate_percent", str(pct), user.username, now)
        uow.commit()


def save_targets(user: CurrentUser, year: int, dimension: str, rows: list[tuple[str, str, object]],
                 ref: ProgrammeReference, url: str | None = None) -> None:  # fmt: skip
    """Planners: one year's targets for `area` or `office` as (key, mode, value); blank values
    remove a target. Refused whole on a negative amount, an unknown key or mode."""
    require(user, Permission.EDIT_PLANS)
    keys = {a.code for a in ref.areas} if dimension == "area" else {o.code for o in ref.offices}
    label = "Thematic area" if dimension == "area" else "Office"
    problems: list[str] = []
    targets: list[env.Target] = []
    if year not in ref.figures.cycle_years:
        problems.append(f"Year {year}: outside the programme cycle")
    for key, mode, value in rows:
        cell = f"{year} · {label} {key}"
        if key not in keys:
            problems.append(f"{cell}: unknown {label.lower()}")
            continue
        if is_blank(value):
            continue
        if mode not in ("usd", "percent"):
            problems.append(f"{cell}: mode must be USD or percent")
            continue
        try:
            amount = (parse_percent(value, field=cell) if mode == "percent" else
                      parse_amount(value, field=cell))  # fmt: skip
        except AmountError as exc:
            problems.append(str(exc))
            continue
        targets.append(env.Target(year, dimension, key, mode, amount))
    if problems:
        raise PlanningError(problems)
    with UnitOfWork(actor=user.username, action="allocation_targets", url=url) as uow:
        uow.planning.replace_targets(year, dimension, targets, user.username, utcnow())
        uow.commit()


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
