"""A scenario's deterministic figures: the requirement (the allocation comparison, one way), its
needs, the tranches in USD, and per counting mode the funding plan and the funding by year,
thematic area and office."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from rpsee.domain.funding import YearFunding, year_funding
from rpsee.domain.funding_plan import MODES, FundingPlan, solve
from rpsee.domain.pipeline import Tranche, tranches_usd
from rpsee.domain.requirement import (
    Need,
    YearComparison,
    compare_year,
    direct_costs,
    year_needs,
)
from rpsee.domain.scenario import Inputs


class RequirementMismatch(RuntimeError):
    """The needs do not add up to the comparison's direct costs (a bug, never user input)."""


@dataclass(frozen=True)
class ScenarioFigures:
    inputs: Inputs
    comparisons: dict[int, YearComparison]
    needs: tuple[Need, ...]
    tranches: tuple[Tranche, ...]
    plans: dict[str, FundingPlan]  # counting mode -> plan
    funding: dict[str, dict[int, YearFunding]]  # counting mode -> year -> figures

    def staff_needs(self) -> list[Need]:
        return [n for n in self.needs if n.kind == "position"]


def needs_of(inputs: Inputs, comparisons: dict[int, YearComparison] | None = None
             ) -> tuple[Need, ...]:  # fmt: skip
    """Every year's needs; checked against the comparisons' direct costs when given."""
    costing = inputs.staff_costing()
    titles = {p.position_id: p.title for p in inputs.plans}
    needs: list[Need] = []
    for y in inputs.years:
        mine = year_needs(y, inputs.activities.get(y, ()), costing, titles,
                          inputs.position_priorities)
        if comparisons is not None and sum(n.cents for n in mine) != direct_costs(comparisons[y]):
            raise RequirementMismatch(f"{y}: needs do not add up to the requirement")
        needs += mine
    return tuple(needs)


def _same_requirement(a: Inputs, b: Inputs) -> bool:
    """Whether two inputs share their requirement (the very same objects: `apply` keeps what
    a scenario does not change)."""
    return (a.activities is b.activities and a.settings is b.settings and a.ref is b.ref
            and a.years == b.years and a.position_priorities == b.position_priorities
            and a.plans == b.plans and a.cost_rates == b.cost_rates
            and a.period == b.period)  # fmt: skip


def evaluate(inputs: Inputs, modes: Iterable[str] = MODES,
             base: ScenarioFigures | None = None) -> ScenarioFigures:  # fmt: skip
    """All deterministic figures of `inputs` (apply a scenario first with `scenario.apply`).
    Given the `base` figures, their requirement is reused when the scenario left it as it is."""
    if base is not None and _same_requirement(inputs, base.inputs):
        comparisons, needs = base.comparisons, base.needs
        inputs = replace(inputs, costing=base.inputs.costing)
    else:
        costing = inputs.staff_costing()
        if inputs.costing is None:
            inputs = replace(inputs, costing=costing)
        comparisons = {y: compare_year(y, inputs.settings, list(inputs.activities.get(y, ())),
                                       costing, inputs.ref) for y in inputs.years}  # fmt: skip
        needs = needs_of(inputs, comparisons)
    tranches = tuple(tranches_usd(inputs.contributions, inputs.rates, inputs.defaults))
    rate = inputs.settings.rate_percent
    areas = [a.code for a in inputs.ref.areas]
    offices = [o.code for o in inputs.ref.offices]
    plans: dict[str, FundingPlan] = {}
    funding: dict[str, dict[int, YearFunding]] = {}
    for mode in modes:
        plans[mode] = plan = solve(needs, tranches, mode, inputs.gp_areas)
        funding[mode] = {y: year_funding(y, plan, rate, areas, offices) for y in inputs.years}
    return ScenarioFigures(inputs, comparisons, needs, tranches, plans, funding)
