"""Totals of a workplan by area, output, office, jurisdiction, category and quarter, and the
coverage checks. Every breakdown adds up, to the cent, to the workplan's total."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
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


def shared(pieces: Iterable[tuple[int, Mapping[str, int]]]) -> dict[str, Decimal]:
    """Each piece (cents, key -> weight) shared over its keys by weight, the whole split once:
    every key's exact share, summed over the pieces, then largest remainders over the keys in
    code order (`split_cents`), so each key is within a cent of its exact share and no key
    collects every piece's odd cent."""
    pieces = [(c, w) for c, w in pieces if w and sum(w.values()) > 0]
    scale = math.lcm(*(sum(w.values()) for _c, w in pieces)) if pieces else 1
    weights: dict[str, int] = {}
    for cents, w in pieces:
        unit = scale // sum(w.values())
        for key, x in w.items():
            weights[key] = weights.get(key, 0) + cents * x * unit
    keys = sorted(weights)
    total = sum(c for c, _w in pieces)
    if not any(weights.values()):
        return {k: from_cents(0) for k in keys}
    return {k: from_cents(p) for k, p in zip(keys, split_cents(total, [weights[k] for k in keys]),
                                             strict=True)}  # fmt: skip


def by_jurisdiction(activities: Iterable[Activity]) -> dict[str, Decimal]:
    """An activity in several jurisdictions is shared equally among them; the lines' total is
    split once over the jurisdictions by their exact shares (`shared`)."""
    return shared((to_cents(a.total), {j: 1 for j in a.jurisdictions}) for a in activities
                  if a.counts and a.jurisdictions)  # fmt: skip


def by_month(a: Activity) -> dict[int, int]:
    """An activity's budget in cents spread evenly over its months."""
    months = list(a.months)
    return dict(zip(months, split_cents(to_cents(a.total), [1] * len(months)), strict=True))


def by_quarter(activities: Iterable[Activity]) -> dict[str, Decimal]:
    """An activity's budget spread evenly over its months; the lines' total is split once
    over the quarters by their exact shares (`shared`)."""
    pieces = []
    for a in activities:
        if a.counts:
            months: dict[str, int] = {}
            for m in a.months:
                months[f"Q{quarter_of(m)}"] = months.get(f"Q{quarter_of(m)}", 0) + 1
            pieces.append((to_cents(a.total), months))
    return shared(pieces)


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
