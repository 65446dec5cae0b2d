"""Staffing use cases: position plans (planners), cost rates and vacancy (finance), costing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy.orm.exc import StaleDataError

from rpsee.domain.money import AmountError, from_cents, parse_amount, parse_percent, to_cents
from rpsee.domain.periods import check_close, closed_changes, closed_message, month_name
from rpsee.domain.rate_checks import implausible_rates
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.roles import CurrentUser, Permission, require
from rpsee.domain.staffing import (
    CostRates,
    PositionPlan,
    RateEffect,
    Reconciliation,
    StaffCosting,
    check_plan,
    cost,
    month_index,
    period_warnings,
    rate_change_effect,
    reconcile,
)
from rpsee.domain.text_rules import text_problem
from rpsee.store.audit import utcnow
from rpsee.store.models import ClosedPeriodRow, StaffCostRateRow
from rpsee.store.planning import split_text
from rpsee.store.uow import UnitOfWork

GRADE_LIMIT = 16  # characters, as the position plan and cost rate tables hold a grade


class StaffingError(ValueError):
    """A staffing change that cannot be saved; nothing of it was written."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class RateLine:
    grade: str
    duty_station: str
    annual: Decimal
    updated_by: str
    updated_at: object


@dataclass(frozen=True)
class Staffing:
    plans: list[PositionPlan]
    rates: CostRates
    rate_lines: list[RateLine]
    escalation_changed: str = ""  # "by <user> at <time> UTC"
    closed_through: str | None = None  # YYYY-MM: the staff costs are actuals through it
    closed_changed: str = ""  # "by <user> at <time> UTC" (the last close or reopening)
    reopen_reason: str = ""  # the reason given at the last reopening


def cycle_period(ref: ProgrammeReference) -> tuple[str, str]:
    return ref.figures.cycle_start, ref.figures.cycle_end


def load(user: CurrentUser, url: str | None = None) -> Staffing:
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        rows = uow.planning.rate_rows()
        esc = uow.planning.setting_row("escalation_percent")
        changed = f"by {esc.updated_by} at {esc.updated_at:%Y-%m-%d %H:%M} UTC" if esc else ""
        closed = uow.planning.closed_period()
        return Staffing(
            uow.planning.plans(), uow.planning.cost_rates(),
            [RateLine(r.grade, r.duty_station, from_cents(r.annual_cents), r.updated_by,
                      r.updated_at) for r in rows],
            changed,
            closed.closed_through if closed else None,
            (f"by {closed.updated_by} at {closed.updated_at:%Y-%m-%d %H:%M} UTC"
             if closed and closed.updated_by != "system" else ""),
            closed.reason if closed else "",
        )  # fmt: skip


def costing(plans: list[PositionPlan], rates: CostRates, ref: ProgrammeReference) -> StaffCosting:
    return cost(plans, rates, cycle_period(ref))


def staff_period(ref: ProgrammeReference) -> tuple[str, str]:
    """The document's staff requirement period, which its USD 11,582,088.60 covers."""
    return ref.figures.staff_requirement_start, ref.figures.staff_requirement_end


def reconciliation(costing: StaffCosting, ref: ProgrammeReference) -> Reconciliation:
    return reconcile(costing, staff_period(ref), ref.figures.staff_requirement)


def outside_period(plans: list[PositionPlan], ref: ProgrammeReference) -> list[str]:
    """Warnings naming the positions whose months fall outside the costing period."""
    return period_warnings(plans, cycle_period(ref))


def closed_refusal(plans: list[PositionPlan], changed: list[PositionPlan], rates: CostRates,
                   closed_through: str | None, ref: ProgrammeReference,
                   new_rates: CostRates | None = None) -> str:  # fmt: skip
    """Why the change (changed plans, or new rates) cannot be saved while the months through
    `closed_through` are closed: a message naming the positions and the first closed month
    affected ("" if it rewrites no closed month). The costing before and after is `cost`'s."""
    if not closed_through:
        return ""
    period = cycle_period(ref)
    mine = {p.position_id: p for p in changed}
    after_plans = [mine.get(p.position_id, p) for p in plans]
    changes = closed_changes(cost(plans, rates, period),
                             cost(after_plans, new_rates or rates, period), closed_through,
                             period)  # fmt: skip
    if not changes:
        return ""
    return closed_message(changes, closed_through, {p.position_id: p.title for p in plans})


def save_plans(user: CurrentUser, plans: list[PositionPlan], ref: ProgrammeReference,
               url: str | None = None) -> int:  # fmt: skip
    """Save changed position plans in one transaction (planners); version-checked."""
    require(user, Permission.EDIT_PLANS)
    areas = [a.code for a in ref.areas]
    hq = [o.code for o in ref.offices if o.headquarters]
    offices = {o.code for o in ref.offices}
    problems: list[str] = []
    for plan in plans:
        problems += [str(p) for p in check_plan(plan, areas, hq, cycle_period(ref))]
        if plan.duty_station not in offices:
            problems.append(f"{plan.position_id}, Duty station: unknown office "
                            f"{plan.duty_station!r}")  # fmt: skip
        if not plan.grade.strip():
            problems.append(f"{plan.position_id}, Grade: is missing")
        elif problem := text_problem(plan.grade, GRADE_LIMIT):
            problems.append(f"{plan.position_id}, Grade: {problem}")
    if problems:
        raise StaffingError(problems)
    now = utcnow()
    changed = 0
    with UnitOfWork(actor=user.username, action="staffing_plan", url=url) as uow:
        closed = uow.planning.lock_closed_period()  # no close or reopen until this ends
        rows = uow.planning.plan_rows()
        for plan in plans:
            row = rows.get(plan.position_id)
            if row is None:
                raise StaffingError([f"{plan.position_id}: unknown position"])
            if plan.version is not None and row.version != plan.version:
                raise StaffingError([f"{plan.position_id}: changed by {row.updated_by} at "
                                     f"{row.updated_at:%Y-%m-%d %H:%M} UTC since you loaded "
                                     "it; reload and redo your change"])  # fmt: skip
        refusal = closed_refusal(uow.planning.plans(), plans, uow.planning.cost_rates(),
                                 closed.closed_through if closed else None, ref)  # fmt: skip
        if refusal:
            raise StaffingError([refusal])
        for plan in plans:
            row = rows[plan.position_id]
            values = (plan.grade, plan.duty_station, plan.start, plan.end,
                      split_text(dict(plan.split)), plan.dropped)  # fmt: skip
            if values != (row.grade, row.duty_station, row.start, row.end, row.split,
                          row.dropped):  # fmt: skip
                (row.grade, row.duty_station, row.start, row.end, row.split,
                 row.dropped) = values  # fmt: skip
                row.updated_at, row.updated_by = now, user.username
                changed += 1
        try:
            uow.commit()
        except StaleDataError:
            raise StaffingError(["Someone saved these positions at the same moment; reload "
                                 "and redo your change"]) from None  # fmt: skip
    return changed


def _amount(value: object, cell: str, problems: list[str]) -> Decimal | None:
    try:
        return parse_amount(value, field=cell)
    except AmountError as exc:
        problems.append(str(exc))
        return None


def _percent(value: object, cell: str, problems: list[str], high: int = 100) -> Decimal | None:
    try:
        return parse_percent(value, field=cell, high=Decimal(high))
    except AmountError as exc:
        problems.append(str(exc))
        return None


CheckedRates = tuple[dict[tuple[str, str], Decimal], Decimal, dict[int, Decimal]]


def _checked_rates(lines: list[tuple[str, str, object]], escalation: object,
                   vacancy: dict[int, object], ref: ProgrammeReference) -> CheckedRates:
    """The rate table, escalation and vacancy factors as typed, checked; StaffingError naming
    every bad cell."""
    problems: list[str] = []
    offices = {o.code for o in ref.offices}
    clean: dict[tuple[str, str], Decimal] = {}
    for n, (grade, station, annual) in enumerate(lines, start=1):
        cell = f"Rate row {n} ({str(grade or '?')[:GRADE_LIMIT]} at {str(station or '?')[:8]})"
        grade = str(grade or "").strip()
        if not grade:
            problems.append(f"{cell}, Grade: is missing")
        elif problem := text_problem(grade, GRADE_LIMIT):
            problems.append(f"{cell}, Grade: {problem}")
        if station not in offices:
            problems.append(f"{cell}, Duty station: unknown office {station!r}")
        amount = _amount(annual, f"{cell}, Annual cost", problems)
        if (grade, station) in clean:
            problems.append(f"{cell}: this grade and duty station appear twice")
        if amount is not None:
            clean[(grade, station)] = amount
    esc = _percent(escalation, "Escalation", problems, high=50)
    vac = {y: _percent(v, f"Vacancy {y}", problems) for y, v in vacancy.items()}
    problems += [f"Vacancy {y}: outside the programme cycle" for y in vacancy
                 if y not in ref.figures.cycle_years]  # fmt: skip
    if problems or esc is None:
        raise StaffingError(problems)
    return clean, esc, {y: v for y, v in vac.items() if v is not None}


def preview_rates(user: CurrentUser, data: Staffing, lines: list[tuple[str, str, object]],
                  escalation: object, vacancy: dict[int, object],
                  ref: ProgrammeReference) -> RateEffect:  # fmt: skip
    """Finance, before saving: each year's staff cost and the reconciliation, now and with the
    rates as typed (checked as save_rates checks them); nothing is written."""
    require(user, Permission.EDIT_COST_RATES)
    clean, esc, vac = _checked_rates(lines, escalation, vacancy, ref)
    new = CostRates(data.rates.base_year, esc, clean, {**data.rates.vacancy_percent, **vac})
    effect = rate_change_effect(data.plans, data.rates, new, cycle_period(ref), staff_period(ref),
                                ref.figures.staff_requirement)  # fmt: skip
    refusal = closed_refusal(data.plans, [], data.rates, data.closed_through, ref, new)
    return replace(effect, closed_refusal=refusal, warnings=tuple(rate_warnings(clean, ref)))


def rate_warnings(annual: dict[tuple[str, str], Decimal], ref: ProgrammeReference) -> list[str]:
    """Implausible rates (rpsee.domain.rate_checks), against the headquarters duty station."""
    names = {o.code: o.name for o in ref.offices}
    warnings: list[str] = []
    for hq in (o.code for o in ref.offices if o.headquarters):
        warnings += [w for w in implausible_rates(annual, hq, names) if w not in warnings]
    return warnings


def save_rates(user: CurrentUser, lines: list[tuple[str, str, object]], escalation: object,
               vacancy: dict[int, object], ref: ProgrammeReference,
               url: str | None = None) -> None:  # fmt: skip
    """Finance: the standard cost table (grade, duty station, annual USD), the escalation and
    the vacancy factors, in one transaction; refused whole on any bad cell."""
    require(user, Permission.EDIT_COST_RATES)
    clean, esc, vac = _checked_rates(lines, escalation, vacancy, ref)
    now = utcnow()
    with UnitOfWork(actor=user.username, action="staff_cost_rates", url=url) as uow:
        closed = uow.planning.lock_closed_period()  # no close or reopen until this ends
        stored = uow.planning.cost_rates()
        new = CostRates(stored.base_year, esc, clean, {**stored.vacancy_percent, **vac})
        refusal = closed_refusal(uow.planning.plans(), [], stored,
                                 closed.closed_through if closed else None, ref, new)  # fmt: skip
        if refusal:
            raise StaffingError([refusal])
        existing = {(r.grade, r.duty_station): r for r in uow.planning.rate_rows()}
        for key, row in existing.items():
            if key not in clean:
                uow.session.delete(row)
        for (grade, station), amount in clean.items():
            row = existing.get((grade, station))
            if row is None:
                uow.session.add(StaffCostRateRow(grade=grade, duty_station=station,
                                                 annual_cents=to_cents(amount), updated_at=now,
                                                 updated_by=user.username))  # fmt: skip
            elif row.annual_cents != to_cents(amount):
                row.annual_cents, row.updated_at, row.updated_by = (to_cents(amount), now,
                                                                    user.username)  # fmt: skip
        uow.planning.set_setting("escalation_percent", str(esc), user.username, now)
        for year, pct in vac.items():
            uow.planning.set_vacancy(year, pct, user.username, now)
        uow.commit()


# Closed periods (finance) -----------------------------------------------------------------------

REASON_LIMIT = 300  # characters, as the closed-period table holds a reason


def _current_month() -> str:
    now = utcnow()
    return f"{now.year}-{now.month:02d}"


def close_period(user: CurrentUser, through: object, ref: ProgrammeReference,
                 url: str | None = None) -> bool:  # fmt: skip
    """Finance: the staff costs of every month through `through` (YYYY-MM, a month that has
    ended) are actuals from now on; False if they already were. Closing never reopens: a month
    before the one closed now is refused (reopening takes a reason, `reopen_period`)."""
    require(user, Permission.CLOSE_PERIODS)
    month, problems = check_close(through, _current_month(), cycle_period(ref))
    if problems or month is None:
        raise StaffingError([str(p) for p in problems])
    with UnitOfWork(actor=user.username, action="staff_period_close", url=url) as uow:
        row = uow.planning.lock_closed_period()
        if row is None:  # the first close
            row = ClosedPeriodRow(id=1, closed_through=None, reason="")
            uow.session.add(row)
        if row.closed_through == month:
            return False
        if row.closed_through and month_index(month) < month_index(row.closed_through):
            raise StaffingError([f"Closed through: the staff costs are closed through "
                                 f"{month_name(row.closed_through)} already; closing through "
                                 f"{month_name(month)} would reopen months: reopen them with a "
                                 "reason instead"])  # fmt: skip
        row.closed_through, row.reason = month, ""
        row.updated_at, row.updated_by = utcnow(), user.username
        uow.commit()
    return True


def reopen_period(user: CurrentUser, through: object, reason: object, ref: ProgrammeReference,
                  url: str | None = None) -> None:  # fmt: skip
    """Finance: reopen the closed months after `through` (YYYY-MM; blank: every month), with a
    reason, which the audit trail records with the change."""
    require(user, Permission.CLOSE_PERIODS)
    problems: list[str] = []
    text = str(reason if reason is not None else "").strip()
    if not text:
        problems.append("Reason: say why the period is reopened")
    elif problem := text_problem(text, REASON_LIMIT):
        problems.append(f"Reason: {problem}")
    month = None
    if str(through if through is not None else "").strip():
        month, bad = check_close(through, _current_month(), cycle_period(ref),
                                 field="Closed through after reopening")  # fmt: skip
        problems += [str(p) for p in bad]
    if problems:
        raise StaffingError(problems)
    with UnitOfWork(actor=user.username, action="staff_period_reopen", url=url) as uow:
        row = uow.planning.lock_closed_period()
        if row is None or not row.closed_through:
            raise StaffingError(["Closed through: no month is closed; nothing to reopen"])
        if month is not None and month_index(month) >= month_index(row.closed_through):
            raise StaffingError([f"Closed through after reopening: {month} reopens nothing (the "
                                 f"staff costs are closed through "
                                 f"{month_name(row.closed_through)}): choose an earlier month, "
                                 "or leave it blank to reopen every month"])  # fmt: skip
        row.closed_through, row.reason = month, text
        row.updated_at, row.updated_by = utcnow(), user.username
        uow.commit()

