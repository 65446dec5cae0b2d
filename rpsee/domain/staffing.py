"""Staffing: position plans, standard costs, and the monthly costing of every position.

A position's cost in a year is its escalated annual cost times its funded months / 12, rounded
to the cent once and split exactly over those months; every yearly, per-area, per-office and
cycle total is an exact sum of the same figures. Each whole is split once (SPLIT_RULE): the
year's vacancy deduction is computed from the year's cost and rounded once, then shared over
the positions; a position's net cost of the year is shared over its thematic areas once, not
month by month.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from rpsee.domain.allocation import split_cents
from rpsee.domain.money import CENT, from_cents, to_cents

HUNDRED = Decimal(100)


_MONTH = re.compile(r"^\d{4}-\d{2}$", re.ASCII)


def month_index(ym: str) -> int:
    """`2024-07` -> a running month number (year * 12 + month - 1)."""
    year, month = ym.split("-")
    y, m = int(year), int(month)
    if not 1 <= m <= 12:
        raise ValueError(f"{ym!r} is not a month (YYYY-MM)")
    return y * 12 + m - 1


def month_text(index: int) -> str:
    return f"{index // 12}-{index % 12 + 1:02d}"


def add_months(ym: str, n: int) -> str:
    return month_text(month_index(ym) + n)


@dataclass(frozen=True)
class PositionPlan:
    """A position of the staffing table as the plan funds it."""

    position_id: str
    title: str
    grade: str
    category: str
    duty_station: str
    is_new: bool
    start: str
    end: str
    split: Mapping[str, Decimal] = field(default_factory=dict)  # thematic area -> percent
    dropped: bool = False
    version: int | None = None


@dataclass(frozen=True)
class CostRates:
    base_year: int
    escalation_percent: Decimal
    annual: Mapping[tuple[str, str], Decimal]  # (grade, duty station) -> annual USD, base year
    vacancy_percent: Mapping[int, Decimal]

    def year_cost(self, grade: str, station: str, year: int, months: int) -> Decimal | None:
        """The standard cost of `months` months of `year`: the annual cost escalated each
        1 January from the base year, times months / 12, rounded to the cent once (a full
        year costs the escalated annual cost to the cent)."""
        annual = self.annual.get((grade, station))
        if annual is None:
            return None
        factor = (1 + self.escalation_percent / HUNDRED) ** max(0, year - self.base_year)
        return (annual * factor * months / 12).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class PlanProblem:
    position_id: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.position_id}, {self.field}: {self.message}"


def check_plan(
    plan: PositionPlan,
    areas: Iterable[str],
    headquarters: Iterable[str],
    period: tuple[str, str],
) -> list[PlanProblem]:
    """What is wrong with one position plan (empty if sound)."""
    problems: list[PlanProblem] = []
    p = plan.position_id
    known = set(areas)
    unknown = [a for a in plan.split if a not in known]
    if unknown:
        problems.append(PlanProblem(p, "Time split", f"unknown thematic area(s) {unknown}"))
    bad = {a: v for a, v in plan.split.items() if isinstance(v, bool) or not (
        isinstance(v, int) or (isinstance(v, Decimal) and v.is_finite()))}  # fmt: skip
    for area, value in bad.items():  # NaN, infinity, floats and text: not an exact share
        problems.append(PlanProblem(p, "Time split", f"the share of area {area}, "
                                    f"'{str(value)[:40]}', is not an exact finite number"))
    if bad:
        return problems
    if any(v < 0 for v in plan.split.values()):
        problems.append(PlanProblem(p, "Time split", "a share is negative"))
    total = sum(plan.split.values(), Decimal(0))
    if total != HUNDRED:
        problems.append(PlanProblem(p, "Time split", f"adds up to {total}%, not 100%"))
    months = {}
    for name, text in (("Start", plan.start), ("End", plan.end)):
        try:
            if not _MONTH.match(str(text)):
                raise ValueError(text)
            months[name] = month_index(text)
        except (ValueError, AttributeError, TypeError):
            shown = str(text) if len(str(text)) <= 40 else str(text)[:40] + "…"
            problems.append(PlanProblem(p, name, f"{shown!r} is not a month: use YYYY-MM, "
                                        "e.g. 2026-03"))  # fmt: skip
    if len(months) == 2:
        start, end = months["Start"], months["End"]
        if start > end:
            problems.append(PlanProblem(p, "End", "is before the start"))
        if start < month_index(period[0]) or end > month_index(period[1]):
            problems.append(
                PlanProblem(p, "Start/end", f"outside the programme ({period[0]} to {period[1]})")
            )
    if plan.category == "service_contract" and plan.duty_station in set(headquarters):
        problems.append(PlanProblem(p, "Duty station", "a service contract cannot be placed at "
                                    "a headquarters duty station"))  # fmt: skip
    return problems


@dataclass
class StaffCosting:
    """Monthly costs summed every way the pages need; all in integer cents internally."""

    gross: dict[tuple[str, int], int] = field(default_factory=dict)  # (position, year)
    vacancy: dict[tuple[str, int], int] = field(default_factory=dict)
    by_area: dict[tuple[str, int], int] = field(default_factory=dict)  # (area, year) net
    by_office: dict[tuple[str, int], int] = field(default_factory=dict)  # (office, year) net
    by_area_office: dict[tuple[str, str, int], int] = field(default_factory=dict)
    months: dict[tuple[str, int], int] = field(default_factory=dict)  # (position, month index)
    by_position_area: dict[tuple[str, str, int], int] = field(default_factory=dict)  # net
    stations: dict[str, str] = field(default_factory=dict)  # position -> duty station
    missing_rates: set[tuple[str, str, str]] = field(default_factory=set)

    def _sum(self, table: dict[tuple[str, int], int], year: int | None = None) -> Decimal:
        return from_cents(sum(v for (_k, y), v in table.items() if year is None or y == year))

    def gross_total(self, year: int | None = None) -> Decimal:
        return self._sum(self.gross, year)

    def vacancy_total(self, year: int | None = None) -> Decimal:
        return self._sum(self.vacancy, year)

    def net_total(self, year: int | None = None) -> Decimal:
        return self.gross_total(year) - self.vacancy_total(year)

    def years(self) -> list[int]:
        return sorted({y for (_p, y) in self.gross})

    def position_net(self, position_id: str, year: int | None = None) -> Decimal:
        return from_cents(sum(v - self.vacancy.get((p, y), 0) for (p, y), v in self.gross.items()
                              if p == position_id and (year is None or y == year)))  # fmt: skip

    def area_net(self, area: str, year: int | None = None) -> Decimal:
        return from_cents(sum(v for (a, y), v in self.by_area.items()
                              if a == area and (year is None or y == year)))  # fmt: skip

    def office_net(self, office: str, year: int | None = None) -> Decimal:
        return from_cents(sum(v for (o, y), v in self.by_office.items()
                              if o == office and (year is None or y == year)))  # fmt: skip

    def gross_between(self, start: str, end: str) -> Decimal:
        """Standard cost (before the vacancy deduction) of the months from start to end."""
        lo, hi = month_index(start), month_index(end)
        return from_cents(sum(v for (_p, m), v in self.months.items() if lo <= m <= hi))


VACANCY_RULE = (
    "The vacancy factor is the share of a year's months a post is expected to stand empty "
    "(recruitment, turnover). A post funded only from a later start (a new post, from when it "
    "is recruited) already stands empty before its start: those months of the year count "
    "toward its expected vacancy first, and only what remains, if anything, is deducted from "
    "its funded months, so the same vacancy is never deducted twice. Example: at 5%, a year "
    "of 12 months expects 0.6 empty months; a post starting in July has 6 unfunded months "
    "that year, so nothing more is deducted for it that year; from the next year the full "
    "5% applies."
)


SPLIT_RULE = (
    "A year's vacancy deduction is the factor applied to the year's standard cost, rounded to "
    "the cent once; it is shared over the positions in proportion to their exact deductions "
    "(largest remainders). A position's net cost of a year is shared over its thematic areas "
    "by its time split once for the year (largest remainders). A cent left over after the "
    "whole cents goes to the part with the largest remainder; between equal remainders, to "
    "the first position in the staffing table's order, or the lowest thematic area number."
)


def vacancy_share(percent: Decimal, funded: int, unfunded: int) -> Decimal:
    """Share of each funded month deducted in a year: the factor's expected empty months
    (`percent` of funded + unfunded months) less the months already unfunded, over the funded."""
    if funded <= 0:
        return Decimal(0)
    if unfunded <= 0:
        return percent / HUNDRED
    expected = percent / HUNDRED * (funded + unfunded)
    return max(Decimal(0), expected - unfunded) / funded


def _months_by_year(lo: int, hi: int) -> dict[int, int]:
    counts: dict[int, int] = {}
    for m in range(lo, hi + 1):
        counts[m // 12] = counts.get(m // 12, 0) + 1
    return counts


def _monthly_cents(plan: PositionPlan, rates: CostRates,
                   funded: Mapping[int, int]) -> dict[int, list[int] | None]:  # fmt: skip
    """Each year's funded months of a position, in cents, in order: the year's cost
    (`CostRates.year_cost`) split exactly over its months (None: no rate for the year)."""
    out: dict[int, list[int] | None] = {}
    for year, count in funded.items():
        total = rates.year_cost(plan.grade, plan.duty_station, year, count)
        out[year] = None if total is None else split_cents(to_cents(total), [1] * count)
    return out


def cost(plans: Iterable[PositionPlan], rates: CostRates, period: tuple[str, str]) -> StaffCosting:
    """Cost every month of every funded position inside `period` (inclusive); the vacancy
    deduction follows VACANCY_RULE and SPLIT_RULE (each whole split once, exactly)."""
    result = StaffCosting()
    lo, hi = month_index(period[0]), month_index(period[1])
    expected: dict[int, list[tuple[tuple[str, int], Decimal]]] = {}  # year -> exact vacancies
    splits: dict[str, Mapping[str, Decimal]] = {}
    for plan in plans:
        if plan.dropped:
            continue
        start, end = max(month_index(plan.start), lo), min(month_index(plan.end), hi)
        result.stations[plan.position_id] = plan.duty_station
        splits[plan.position_id] = plan.split
        funded = _months_by_year(start, end)
        unfunded = _months_by_year(lo, min(start - 1, end))  # a delayed start's empty months
        months = _monthly_cents(plan, rates, funded)
        for m in range(start, end + 1):
            year = m // 12
            if months.get(year) is None:
                result.missing_rates.add((plan.position_id, plan.grade, plan.duty_station))
                continue
            gross = months[year].pop(0)
            key = (plan.position_id, year)
            result.gross[key] = result.gross.get(key, 0) + gross
            result.months[(plan.position_id, m)] = gross
        for year, count in sorted(funded.items()):
            key = (plan.position_id, year)
            if key in result.gross:
                share = vacancy_share(rates.vacancy_percent.get(year, Decimal(0)), count,
                                      unfunded.get(year, 0))  # fmt: skip
                expected.setdefault(year, []).append((key, result.gross[key] * share))
    for items in expected.values():  # the year's deduction, rounded once, split exactly
        exact = [v for _k, v in items]
        whole = int(sum(exact, Decimal(0)).to_integral_value(ROUND_HALF_UP))
        parts = split_cents(whole, exact) if whole else [0] * len(items)
        result.vacancy.update((k, part) for (k, _v), part in zip(items, parts, strict=True))
    for (position, year), gross in result.gross.items():
        net = gross - result.vacancy.get((position, year), 0)
        station = result.stations[position]
        areas = sorted(splits[position])
        weights = [splits[position][a] for a in areas]
        if weights and sum(weights) > 0:  # the year's net cost split once over the areas
            for area, part in zip(areas, split_cents(net, weights), strict=True):
                result.by_area[(area, year)] = result.by_area.get((area, year), 0) + part
                cell = (area, station, year)
                result.by_area_office[cell] = result.by_area_office.get(cell, 0) + part
                mine = (position, area, year)
                result.by_position_area[mine] = result.by_position_area.get(mine, 0) + part
        office = (station, year)
        result.by_office[office] = result.by_office.get(office, 0) + net
    return result


def period_warnings(plans: Iterable[PositionPlan], period: tuple[str, str]) -> list[str]:
    """Positions whose months run outside the costing period (those months are not costed),
    each naming the position."""
    lo, hi = month_index(period[0]), month_index(period[1])
    warnings: list[str] = []
    for plan in plans:
        try:
            start, end = month_index(plan.start), month_index(plan.end)
        except (ValueError, AttributeError):
            continue  # check_plan refuses it
        if plan.dropped:
            continue
        name = f"{plan.position_id} ({plan.title})"
        where = f"the costing period {period[0]} to {period[1]}"
        if start > hi:
            warnings.append(f"{name} starts {plan.start}, after {where}: no month is costed.")
            continue
        if end > hi:
            warnings.append(f"{name} runs to {plan.end}, past {where}: {end - hi} month(s) "
                            "are not costed.")  # fmt: skip
        if start < lo:
            warnings.append(f"{name} starts {plan.start}, before {where}: {lo - start} "
                            "month(s) are not costed.")  # fmt: skip
    return warnings


@dataclass(frozen=True)
class Reconciliation:
    """The computed standard cost of the document's staff period against its figure."""

    start: str
    end: str
    computed: Decimal
    document: Decimal

    @property
    def difference(self) -> Decimal:
        return self.computed - self.document


def reconcile(costing: StaffCosting, period: tuple[str, str], document: Decimal) -> Reconciliation:
    return Reconciliation(period[0], period[1], costing.gross_between(*period), document)


@dataclass(frozen=True)
class RateEffect:
    """Each year's staff cost and the reconciliation, now and with changed cost rates."""

    changed: bool
    before: StaffCosting
    after: StaffCosting
    reconciliation_before: Reconciliation
    reconciliation_after: Reconciliation
    closed_refusal: str = ""  # why saving is refused: the change rewrites closed months
    warnings: tuple[str, ...] = ()  # implausible rates, shown before the confirmation

    def years(self) -> list[int]:
        return sorted(set(self.before.years()) | set(self.after.years()))


def rate_change_effect(plans: list[PositionPlan], now: CostRates, new: CostRates,
                       period: tuple[str, str], staff_period: tuple[str, str],
                       document: Decimal) -> RateEffect:  # fmt: skip
    """Both costings by the one costing function (`cost`), for a preview before saving."""
    before, after = cost(plans, now, period), cost(plans, new, period)
    return RateEffect(now != new, before, after, reconcile(before, staff_period, document),
                      reconcile(after, staff_period, document))  # fmt: skip


# What an activity's STAFF (staff and other personnel) line may hold -----------------------------

STAFF_LINE_RULE = (
    "Only personnel hired for this activity who are not one of the programme's positions "
    "(consultants, experts, interpreters, translators, temporary assistance); say whom it pays. "
    "Positions are costed on the Staffing page, never on an activity."
)
PERSONNEL_WORDS = ("consultant", "expert", "interpret", "translat", "temporary assistance")
SALARY_WORDS = ("salary", "salaries", "post adjustment")


def staff_line_problem(staff_amount: object, *texts: str | None) -> str | None:
    """Why an activity's STAFF amount breaks STAFF_LINE_RULE, judged from the line's texts
    (title, description, notes); None if there is no amount or it names whom it pays."""
    if not staff_amount:
        return None
    text = " ".join(t for t in texts if t).lower()
    if any(w in text for w in SALARY_WORDS):
        return "a position's salary is costed on the Staffing page, not on an activity"
    if not any(w in text for w in PERSONNEL_WORDS):
        return ("say whom the staff and other personnel amount pays (consultants, experts, "
                "interpreters, translators or temporary assistance)")  # fmt: skip
    return None


# What-ifs a planner asks in a meeting ------------------------------------------------------------


def defer(plan: PositionPlan, months: int) -> PositionPlan:
    return replace(plan, start=add_months(plan.start, months))


def move(plan: PositionPlan, duty_station: str) -> PositionPlan:
    return replace(plan, duty_station=duty_station)


def regrade(plan: PositionPlan, grade: str) -> PositionPlan:
    return replace(plan, grade=grade)


def drop(plan: PositionPlan) -> PositionPlan:
    return replace(plan, dropped=True)
