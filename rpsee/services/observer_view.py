"""The scenario inputs and figures a donor observer reads: computed FROM the redacted pipeline
(rpsee/domain/disclosure.py), never computed in full and masked afterwards. The protected group
is fixed on the baseline, so a scenario's figures and the baseline's differ only by money
outside it; the sharing gate (rpsee/domain/disclosure_gate.py) keeps the assumptions off it."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from rpsee.domain.disclosure import Disclosure, aggregate, protect, relabel_sources
from rpsee.domain.disclosure_gate import assumption_problems, text_problems
from rpsee.domain.scenario import Inputs, Scenario, apply
from rpsee.domain.scenario_figures import ScenarioFigures
from rpsee.domain.scenario_figures import evaluate as figures_of
from rpsee.services.pipeline import disclosure_rule


@dataclass(frozen=True)
class ObserverBase:
    """One observer donor's view of a baseline: what is withheld, its inputs and figures."""

    disclosure: Disclosure
    inputs: Inputs
    figures: ScenarioFigures
    full: Inputs  # before the redaction: a scenario is applied to these, then redacted


_LOCK = threading.Lock()
_CACHE: dict[tuple[str, int, str | None], ObserverBase] = {}


def view_of(inputs: Inputs, donor: str | None) -> Disclosure:
    """The disclosure of `inputs`' pipeline for an observer of `donor`."""
    return protect(inputs.contributions, inputs.rates, inputs.defaults, donor, disclosure_rule(),
                   inputs.settings.rate_percent)  # fmt: skip


def redacted(inputs: Inputs, view: Disclosure) -> Inputs:
    """`inputs` with the protected group aggregated (or left out) and funding sources naming a
    protected donor relabelled; nothing else changed."""
    if not view.applied:
        return inputs
    shown = aggregate(inputs.contributions, view.group, inputs.rates, inputs.defaults,
                      inputs.settings.rate_percent, view.left_out)  # fmt: skip
    activities = {y: relabel_sources(a, view.protected_donors)
                  for y, a in inputs.activities.items()}  # fmt: skip
    return replace(inputs, contributions=tuple(shown), activities=activities)


def base_for(key: str, data_version: int, inputs: Inputs, figures: ScenarioFigures,
             donor: str | None) -> ObserverBase:  # fmt: skip
    """The baseline as an observer of `donor` reads it (cached per data version). `inputs`:
    the baseline with the workplan versions given to the Committee (observers read no draft);
    `figures`: the full baseline's, reused where they are the same."""
    cache_key = (key, data_version, donor)
    with _LOCK:
        found = _CACHE.get(cache_key)
    if found is not None:
        return found
    view = view_of(inputs, donor)
    obs_inputs = redacted(inputs, view)
    same = not view.applied and inputs.activities == figures.inputs.activities
    obs = ObserverBase(view, obs_inputs,
                       figures if same else figures_of(obs_inputs, base=figures), inputs)
    with _LOCK:
        for k in [k for k in _CACHE if k[0] == key and k[1] != data_version]:
            del _CACHE[k]
        _CACHE[cache_key] = obs
    return obs


def scenario_inputs(inputs: Inputs, scenario: Scenario, view: Disclosure) -> Inputs:
    """A (shareable) scenario's inputs as the observer reads them: applied to the full
    baseline, then the baseline's protected group aggregated."""
    return redacted(apply(inputs, scenario), view)


def share_problems(inputs: Inputs, scenario: Scenario, name: str, description: str,
                   donors: dict[str, str]) -> list[str]:  # fmt: skip
    """Why a scenario may not reach observers (empty: it may), checked for an observer of
    every donor of the programme (`donors`: code -> name)."""
    views = [view_of(inputs, d) for d in sorted(donors)]
    confidential = sorted({c.donor for c in inputs.contributions if c.confidential})
    problems = assumption_problems(scenario, inputs.contributions, inputs.defaults, views)
    return problems + text_problems(name, description,
                                    [(d, donors.get(d, d)) for d in confidential])


