"""Scenarios: a named set of assumptions on top of the baseline (pipeline and plan), applied by
a pure function, stored and frozen as a plain dict.

A contribution is named by its key (`contribution_key`: its id, or its reference when it has
none); a donor by its name. What each assumption does:
- `probability`: contribution key -> percent (0..100) it is counted with;
- `amount`: contribution key -> new total in its currency, spread over its tranches in their
  proportions (to the cent);
- `dropped_donors`: their contributions are left out;
- `probability_cutoff`: contributions counted with a probability below this percent are left
  out (after `probability` overrides);
- `delays`: contribution key or donor -> years its tranches move later (a contribution's own
  delay wins over its donor's); a tranche moved past the cycle funds nothing in it;
- `fx_shocks`: currency -> percent change of its USD rate (+10: the currency buys 10% more USD);
- `requirement_cut_percent`: every activity's budget lines cut by this percent (to the cent;
  positions change only by deferring or dropping them);
- `deferred_positions`: position id -> months its start moves later; `defer_new_months` defers
  every new position; `dropped_positions` and `drop_new_positions` leave positions out;
- `envelope_change_percent`: every year's envelope changed by this percent (to the cent);
- `donor_correlation`: the Monte Carlo's correlation among one donor's contributions, 0 to 1
  (0: each contribution materialises or fails on its own; 1: a donor's contributions come or
  fail together). Not applied to the inputs: the Monte Carlo reads it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rpsee.domain.allocation import split_cents
from rpsee.domain.money import CENT, from_cents, to_cents
from rpsee.domain.pipeline import Contribution, ExchangeRate
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.requirement import EnvelopeSettings
from rpsee.domain.staffing import CostRates, PositionPlan, StaffCosting, cost, defer, drop
from rpsee.domain.workplan import Activity

HUNDRED = Decimal(100)


class ScenarioError(ValueError):
    """An assumption that cannot be applied; the message names the field."""


def contribution_key(c: Contribution) -> str:
    return str(c.id) if c.id is not None else c.reference


_DECIMAL_MAPS = ("probability", "amount", "fx_shocks")
_INT_MAPS = ("delays", "deferred_positions")
_TUPLES = ("dropped_donors", "dropped_positions")
_DECIMALS = ("requirement_cut_percent", "envelope_change_percent", "probability_cutoff",
             "donor_correlation")


_LABELS = {"probability": "Probability of {}", "amount": "Amount of {}",
           "fx_shocks": "Exchange-rate shock {}", "delays": "Delay of {}",
           "deferred_positions": "Deferral of {}", "requirement_cut_percent": "Requirement cut",
           "envelope_change_percent": "Envelope change",
           "probability_cutoff": "Probability cut-off",
           "donor_correlation": "Correlation within a donor",
           "defer_new_months": "Deferral of new positions"}  # fmt: skip


def _number(label: str, value: object, whole: bool = False) -> Decimal:
    """An assumption's number, exactly: NaN, infinity, text that is not a number, yes/no and
    (for `whole`) fractions are refused naming the assumption."""
    if isinstance(value, bool):
        raise ScenarioError(f"{label}: a yes/no value is not a number")
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except ArithmeticError:  # InvalidOperation: not a number at all
        raise ScenarioError(f"{label}: '{str(value)[:40]}' is not a number") from None
    if not number.is_finite():
        raise ScenarioError(f"{label}: '{value}' is not a finite number: type a number")
    if whole and number != number.to_integral_value():
        raise ScenarioError(f"{label}: '{value}' is not a whole number")
    return number


@dataclass(frozen=True)
class Scenario:
    """Assumptions on top of the baseline (see the module); the empty scenario is the
    baseline. Mappings are stored sorted, so equal scenarios have equal dicts and hashes."""

    name: str = "Baseline"
    probability: Mapping[str, Decimal] = field(default_factory=dict)
    amount: Mapping[str, Decimal] = field(default_factory=dict)
    dropped_donors: tuple[str, ...] = ()
    probability_cutoff: Decimal = Decimal(0)
    delays: Mapping[str, int] = field(default_factory=dict)
    fx_shocks: Mapping[str, Decimal] = field(default_factory=dict)
    requirement_cut_percent: Decimal = Decimal(0)
    deferred_positions: Mapping[str, int] = field(default_factory=dict)
    defer_new_months: int = 0
    dropped_positions: tuple[str, ...] = ()
    drop_new_positions: bool = False
    envelope_change_percent: Decimal = Decimal(0)
    donor_correlation: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        for name in _DECIMAL_MAPS:
            value = {str(k): _number(_LABELS[name].format(k), v)
                     for k, v in getattr(self, name).items()}  # fmt: skip
            object.__setattr__(self, name, dict(sorted(value.items())))
        for name in _INT_MAPS:
            value = {str(k): int(_number(_LABELS[name].format(k), v, whole=True))
                     for k, v in getattr(self, name).items()}  # fmt: skip
            object.__setattr__(self, name, dict(sorted(value.items())))
        for name in _TUPLES:
            object.__setattr__(self, name, tuple(sorted(set(getattr(self, name)))))
        for name in _DECIMALS:
            object.__setattr__(self, name, _number(_LABELS[name], getattr(self, name)))
        object.__setattr__(self, "defer_new_months", int(_number(
            _LABELS["defer_new_months"], self.defer_new_months, whole=True)))  # fmt: skip
        self._check()

    def _check(self) -> None:
        for key, p in self.probability.items():
            if not Decimal(0) <= p <= HUNDRED:
                raise ScenarioError(f"Probability of {key}: {p}% is outside 0–100%")
        for key, a in self.amount.items():
            if a < 0:
                raise ScenarioError(f"Amount of {key}: a negative amount ({a})")
            if a != a.quantize(CENT):
                raise ScenarioError(f"Amount of {key}: {a} has more than two decimals")
        for key, years in self.delays.items():
            if years < 0:
                raise ScenarioError(f"Delay of {key}: {years} years is negative")
        for key, pct in self.fx_shocks.items():
            if pct <= -HUNDRED:
                raise ScenarioError(f"Exchange-rate shock {key}: {pct}% leaves no value")
        if not Decimal(0) <= self.probability_cutoff <= HUNDRED:
            raise ScenarioError(f"Probability cut-off: {self.probability_cutoff}% is outside "
                                "0–100%")  # fmt: skip
        if not Decimal(0) <= self.requirement_cut_percent <= HUNDRED:
            raise ScenarioError(f"Requirement cut: {self.requirement_cut_percent}% is outside "
                                "0–100%")  # fmt: skip
        if self.envelope_change_percent < -HUNDRED:
            raise ScenarioError(f"Envelope change: {self.envelope_change_percent}% is below "
                                "-100%")  # fmt: skip
        if not Decimal(0) <= self.donor_correlation <= 1:
            raise ScenarioError(f"Correlation within a donor: {self.donor_correlation} is "
                                "outside 0–1")  # fmt: skip
        if self.defer_new_months < 0 or any(m < 0 for m in self.deferred_positions.values()):
            raise ScenarioError("Deferral: a negative number of months")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (Decimals as text)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, Mapping):
                v = {k: str(x) if isinstance(x, Decimal) else x for k, x in v.items()}
            elif isinstance(v, tuple):
                v = list(v)
            elif isinstance(v, Decimal):
                v = str(v)
            out[f.name] = v
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ScenarioError(f"Scenario: unknown assumption(s) {', '.join(unknown)}")
        values = dict(data)
        for name in _TUPLES:
            if name in values:
                values[name] = tuple(values[name])
        return cls(**values)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Scenario:
        return cls.from_dict(json.loads(text))


@dataclass(frozen=True)
class Inputs:
    """Everything a scenario's figures are computed from (the baseline, or a scenario applied
    to it). `costing` is the staff costing of `plans` when known (saves re-costing)."""

    years: tuple[int, ...]
    ref: ProgrammeReference
    settings: EnvelopeSettings
    activities: Mapping[int, tuple[Activity, ...]]
    plans: tuple[PositionPlan, ...]
    cost_rates: CostRates
    period: tuple[str, str]
    contributions: tuple[Contribution, ...]
    rates: Mapping[str, ExchangeRate]  # the rate of each currency in use
    defaults: Mapping[str, Decimal]  # probability by status, percent
    position_priorities: Mapping[str, str] = field(default_factory=dict)
    gp_areas: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    costing: StaffCosting | None = None

    def staff_costing(self) -> StaffCosting:
        return self.costing if self.costing is not None else cost(self.plans, self.cost_rates,
                                                                  self.period)


def _scaled(amount: Decimal, percent: Decimal) -> Decimal:
    return (amount * (HUNDRED + percent) / HUNDRED).quantize(CENT, ROUND_HALF_UP)


def _contribution(c: Contribution, s: Scenario) -> Contribution:
    key = contribution_key(c)
    tranches = dict(c.tranches)
    if key in s.amount:
        years = sorted(tranches)
        weights = [tranches[y] for y in years]
        if sum(weights) <= 0:
            weights = [Decimal(1)] * len(years)
        parts = split_cents(to_cents(s.amount[key]), weights)
        tranches = {y: from_cents(p) for y, p in zip(years, parts, strict=True)}
    delay = s.delays.get(key, s.delays.get(c.donor, 0))
    if delay:
        tranches = {y + delay: v for y, v in tranches.items()}
    probability = s.probability.get(key, c.probability)
    return replace(c, tranches=tranches, probability=probability)


def several_uncertain(contributions: Iterable[Contribution], defaults: Mapping[str, Decimal]
                      ) -> list[str]:  # fmt: skip
    """Donors with more than one contribution counted with a probability strictly between 0
    and 100%: the only ones the correlation within a donor changes anything for."""
    count: dict[str, int] = {}
    for c in contributions:
        if Decimal(0) < c.chance(defaults) < HUNDRED:
            count[c.donor] = count.get(c.donor, 0) + 1
    return sorted(d for d, n in count.items() if n > 1)


def _plans(plans: tuple[PositionPlan, ...], s: Scenario) -> tuple[PositionPlan, ...]:
    out = []
    for p in plans:
        if p.position_id in s.dropped_positions or (s.drop_new_positions and p.is_new):
            p = drop(p)
        months = s.deferred_positions.get(p.position_id, s.defer_new_months if p.is_new else 0)
        out.append(defer(p, months) if months else p)
    return tuple(out)


def apply(base: Inputs, s: Scenario) -> Inputs:
    """The inputs under scenario `s` (pure: `base` is left as it is)."""
    contributions = tuple(
        x for x in (_contribution(c, s) for c in base.contributions
                    if c.donor not in s.dropped_donors)
        if x.chance(base.defaults) >= s.probability_cutoff
    )  # fmt: skip
    rates = dict(base.rates)
    for currency, pct in s.fx_shocks.items():
        if currency not in rates:
            raise ScenarioError(f"Exchange-rate shock: no exchange rate for {currency!r}")
        r = rates[currency]
        rates[currency] = ExchangeRate(currency, r.usd_per_unit * (HUNDRED + pct) / HUNDRED,
                                       r.as_of)  # fmt: skip
    activities = base.activities
    if s.requirement_cut_percent:
        cut = -s.requirement_cut_percent
        activities = {y: tuple(replace(a, budget={k: _scaled(v, cut) for k, v in a.budget.items()})
                               for a in acts) for y, acts in base.activities.items()}  # fmt: skip
    plans, costing = _plans(base.plans, s), base.costing
    if plans != base.plans:
        costing = None
    settings = base.settings
    if s.envelope_change_percent:
        change = s.envelope_change_percent
        settings = replace(settings, envelopes={y: _scaled(v, change)
                                                for y, v in settings.envelopes.items()})
    return replace(base, settings=settings, activities=activities, plans=plans,
                   contributions=contributions, rates=rates, costing=costing)  # fmt: skip


def unmatched(base: Inputs, s: Scenario) -> list[str]:
    """Assumptions that name nothing in the baseline (a contribution, donor, currency or
    position since removed), each naming the field: shown, never silently dropped."""
    keys = {contribution_key(c) for c in base.contributions}
    donors = {c.donor for c in base.contributions}
    positions = {p.position_id for p in base.plans}
    problems = [f"Probability: no contribution {k}" for k in s.probability if k not in keys]
    problems += [f"Amount: no contribution {k}" for k in s.amount if k not in keys]
    problems += [f"Dropped donors: no contribution of {d}" for d in s.dropped_donors
                 if d not in donors]  # fmt: skip
    problems += [f"Delays: no contribution or donor {k}" for k in s.delays
                 if k not in keys and k not in donors]  # fmt: skip
    problems += [f"Exchange-rate shocks: no exchange rate for {c}" for c in s.fx_shocks
                 if c not in base.rates]  # fmt: skip
    problems += [f"Deferred positions: no position {p}" for p in s.deferred_positions
                 if p not in positions]  # fmt: skip
    problems += [f"Dropped positions: no position {p}" for p in s.dropped_positions
                 if p not in positions]  # fmt: skip
    return problems


def changes_nothing(base: Inputs, s: Scenario) -> bool:
    """Whether the scenario leaves the baseline as it is: no assumption, or only assumptions
    that change no figure (a probability set to what it already is, a delay of 0 years, …)."""
    if s.donor_correlation != 0:  # the Monte Carlo reads it, not the inputs
        return False
    return apply(base, s) == apply(base, Scenario())


def no_change_name_problem(base: Inputs, s: Scenario) -> str | None:
    """A scenario that changes nothing is the baseline: saved only under a name that says so
    (one holding "baseline"), so no name claims a change that is not there."""
    if "baseline" in s.name.casefold() or not changes_nothing(base, s):
        return None
    return (f"Name: {s.name.strip()!r} names a change, but these assumptions change nothing "
            "against the baseline; add an assumption, or name it as the baseline (e.g. "
            "\"Baseline, November pipeline\")")
