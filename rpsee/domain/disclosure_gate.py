"""Which scenarios may be shared with observers: none whose assumptions single out protected
money (a difference to the baseline would isolate it), nor whose name or description names a
protected donor. Checked for every donor an observer may represent, since a shared scenario
reaches all observers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from rpsee.domain.disclosure import Disclosure, key_of, mentions
from rpsee.domain.pipeline import Contribution
from rpsee.domain.scenario import Scenario


def assumption_problems(scenario: Scenario, contributions: Sequence[Contribution],
                        defaults: Mapping[str, Decimal],
                        views: Iterable[Disclosure]) -> list[str]:  # fmt: skip
    """Assumptions that touch a contribution of some observer's protected group, each named
    (the message may name the donor: it is for the planner)."""
    problems: list[str] = []
    by_key = {key_of(c): c for c in contributions}
    for view in views:
        members = [by_key[k] for k in sorted(view.group) if k in by_key]
        keys = {key_of(c) for c in members}
        donors = {c.donor for c in members}
        currencies = {c.currency for c in members}
        for field, names in (("Probability", scenario.probability), ("Amount", scenario.amount),
                             ("Delays", scenario.delays)):  # fmt: skip
            problems += [f"{field}: {k} ({by_key[k].donor if k in by_key else k}) is protected "
                         "money for an observer" for k in names if k in keys or k in donors]
        problems += [f"Dropped donors: {d} has protected money for an observer"
                     for d in scenario.dropped_donors if d in donors]  # fmt: skip
        problems += [f"Exchange-rate shocks: {c} is a currency protected money is paid in"
                     for c in scenario.fx_shocks if c in currencies]  # fmt: skip
        cut = [c for c in members if c.chance(defaults) < scenario.probability_cutoff]
        if cut:
            problems.append(f"Probability cut-off: {scenario.probability_cutoff}% drops protected "
                            f"money ({', '.join(sorted({c.donor for c in cut}))})")
    return list(dict.fromkeys(problems))


def text_problems(name: str, description: str,
                  protected: Iterable[tuple[str, str]]) -> list[str]:  # fmt: skip
    """The name or description naming a donor whose money is confidential."""
    protected = list(protected)
    problems = []
    for field, text in (("Name", name), ("Description", description)):
        named = mentions(text, protected)
        if named:
            problems.append(f"{field}: names a donor whose money is confidential "
                            f"({', '.join(named)}); rename it before sharing")
    return problems
