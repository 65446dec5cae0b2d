"""Totals of a workplan by area, output, office, jurisdiction, category and quarter, and the
coverage checks. Every breakdown adds up, to the cent, to the workplan's total."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from rpsee.domain.allocation import split_cents
from rpsee.domain.money import from_cents, to_cents
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.workplan import Activity, quarter_of

ZERO = Decimal("0.00")


def grand_total(activities: Iterable[Activity]) -> Decimal:
    return sum((a.total for a in activities if a.counts), ZERO)


def _by(activities: Iterable[Activity], key: Callable[[Activity], str]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for a in activities:
        if a.counts:
            totals[key(a)] = totals.get(key(a), ZERO) + a.total
    return totals


def by_area(activities: Iterable[Activity]) -> dict[str, Decimal]:
    return _by(activities, lambda a: a.area_code)


def by_output(activities: Iterable[Activity]) -> dict[str, Decimal]:
    return _by(activities, lambda a: a.output_code)


def by_office(activities: Iterable[Activity]) -> dict[str, Decimal]:
    return _by(activities, lambda a: a.lead_office)


def by_category(activities: Iterable[Activity]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for a in activities:
        if a.counts:
            for cat, amount in a.budget.items():
                totals[cat] = totals.get(cat, ZERO) + amount
    return totals


def by_area_category(activities: Iterable[Activity]) -> dict[tuple[str, str], Decimal]:
    """(thematic area, cost category) -> the budget of the lines that count."""
    totals: dict[tuple[str, str], Decimal] = {}
    for a in activities:
        if a.counts:
            for cat, amount in a.budget.items():
                key = (a.area_code, cat)
                totals[key] = totals.get(key, ZERO) + amount
    return totals


def by_jurisdiction(activities: Iterable[Activity]) -> dict[str, Decimal]:
    """An activity in several jurisdictions is shared equally among them (exact to the cent)."""
    cents: dict[str, int] = {}
    for a in activities:
        if a.counts and a.jurisdictions:
            shares = split_cents(to_cents(a.total), [1] * len(a.jurisdictions))
            for code, share in zip(a.jurisdictions, shares, strict=True):
                cents[code] = cents.get(code, 0) + share
    return {k: from_cents(v) for k, v in cents.items()}


def by_month(a: Activity) -> dict[int, int]:
    """An activity's budget in cents spread evenly over its months."""
    months = list(a.months)
    return dict(zip(months, split_cents(to_cents(a.total), [1] * len(months)), strict=True))


def by_quarter(activities: Iterable[Activity]) -> dict[str, Decimal]:
    cents: dict[str, int] = {}
    for a in activities:
        if a.counts:
            for month, share in by_month(a).items():
                q = f"Q{quarter_of(month)}"
                cents[q] = cents.get(q, 0) + share
    return {k: from_cents(v) for k, v in sorted(cents.items())}


@dataclass(frozen=True)
class Coverage:
    outputs_without: list[str]
    jurisdictions_without: list[str]
    without_budget: list[str]
    without_position: list[str]

    @property
    def clean(self) -> bool:
        return not (self.outputs_without or self.jurisdictions_without or self.without_budget
                    or self.without_position)  # fmt: skip


def coverage(activities: Iterable[Activity], ref: ProgrammeReference) -> Coverage:
    """What a drafter must fix: outputs and jurisdictions with no activity, lines without a
    budget or a responsible position (cancelled lines count for nothing)."""
    live = [a for a in activities if a.counts]
    outputs = {a.output_code for a in live}
    places = {j for a in live for j in a.jurisdictions}
    return Coverage(
        outputs_without=[o.code for o in ref.outputs if o.code not in outputs],
        jurisdictions_without=[j.code for j in ref.jurisdictions if j.code not in places],
        without_budget=[a.code for a in live if a.total == 0],
        without_position=[a.code for a in live if not a.position_id],
    )
