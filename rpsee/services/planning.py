"""Envelope and allocation use cases, and the comparison a Steering Committee member reads:
envelope -> allocated -> planned (activities + staff + support costs) -> headroom."""

from __future__ import annotations

from decimal import Decimal

from rpsee.domain import envelope as env
from rpsee.domain.money import AmountError, is_blank, parse_amount, parse_percent
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.requirement import (  # noqa: F401 (YearComparison, compare_year: re-exported)
    EnvelopeSettings,
    YearComparison,
    compare_year,
)
from rpsee.domain.roles import CurrentUser, Permission, require
from rpsee.store.audit import utcnow
from rpsee.store.uow import UnitOfWork


class PlanningError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def settings(user: CurrentUser, url: str | None = None) -> EnvelopeSettings:
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        return uow.planning.envelope_settings()


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
    if dimension not in ("area", "office"):
        raise PlanningError([f"Dimension: {str(dimension)[:20]!r} is not area or office"])
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
