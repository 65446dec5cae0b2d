"""Funding-gap scenarios: the baseline read from the database in one place, a scenario's figures
(three counting modes, the funding plan, the Monte Carlo, waterfalls, money by donor), cut lines,
comparison of up to four, and saved and frozen scenarios.

Who may do what: planners and finance save and delete scenarios; planners freeze one for the
Steering Committee pack; PSC members and observers read (administrators: none, they keep
accounts, not funding). Observers: every figure is computed from the redacted pipeline
(rpsee/services/observer_view.py; other donors' confidential money only in an aggregate that
meets the disclosure rule), and they read only the baseline and the saved scenarios a planner
shared (`scenario_sharing.set_shared`: refused when an assumption, the name or the description
singles out protected money); frozen records carry an observer edition made at freeze time."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from rpsee.domain.cutline import CutLine, cut_line
from rpsee.domain.funding import Step, YearFunding, by_donor_year, donor_label, waterfall
from rpsee.domain.funding_plan import MODES, Shortfall
from rpsee.domain.montecarlo import DRAWS, MonteCarlo, simulate
from rpsee.domain.pipeline import OTHER_CONFIDENTIAL, Contribution, ExchangeRate, rate_table
from rpsee.domain.roles import CurrentUser, Permission, PermissionDenied, Role, require
from rpsee.domain.scenario import (
    Inputs,
    Scenario,
    apply,
    no_change_name_problem,
    unmatched,
)
from rpsee.domain.scenario_figures import ScenarioFigures
from rpsee.domain.scenario_figures import evaluate as figures_of
from rpsee.domain.scenario_record import FrozenFigures
from rpsee.domain.scenario_record import freeze as freeze_record
from rpsee.domain.text_rules import text_problem
from rpsee.domain.visibility import version_per_year
from rpsee.domain.workplan import Activity
from rpsee.services import observer_view, pipeline
from rpsee.services.pipeline import _defaults as pipeline_defaults
from rpsee.services.staffing import cycle_period
from rpsee.store.audit import utcnow
from rpsee.store.models import FrozenScenarioRow
from rpsee.store.uow import UnitOfWork

SEED = 20240701  # Monte Carlo seed: the same scenario gives the same figures
MAX_COMPARED = 4
MAX_NAME = 120
MAX_DESCRIPTION = 2000
HIDDEN = "(a confidential contribution)"


class ScenarioRefused(ValueError):
    """A save, delete or freeze refused whole; `problems` name the field of each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class ScenarioConflict(ScenarioRefused):
    """The scenario was changed or deleted by someone else since it was loaded."""


# -- the baseline, read in one place ---------------------------------------------------------
@dataclass(frozen=True)
class Baseline:
    """The inputs every scenario starts from, and their figures (computed once per data
    version). `versions`: year -> the workplan version in use, as text."""

    data_version: int
    inputs: Inputs
    figures: ScenarioFigures
    versions: dict[int, str]
    key: str = ""  # the database it was read from (observer views are cached by it)
    # what donor observers read instead: the versions given to the Committee (no draft)
    given: dict[int, tuple[Activity, ...]] = dataclass_field(default_factory=dict)
    given_versions: dict[int, str] = dataclass_field(default_factory=dict)


_GIVEN_READER = CurrentUser("observer", "Observer", Role.OBSERVER)  # reads no draft
_LOCK = threading.Lock()
_BASELINES: dict[str, Baseline] = {}


def _read_baseline(url: str | None) -> Baseline:
    with UnitOfWork(url=url) as uow:
        version = uow.audit.latest_id()
        cached = _BASELINES.get(uow.url)
        if cached is not None and cached.data_version == version:
            return cached
        ref = uow.reference.load()
        plans = uow.workplans.list()
        used = [p for p in plans if p.in_use]
        activities = {p.year: tuple(uow.workplans.activities(p.id)) for p in used}
        defaults = pipeline_defaults(uow.planning.settings())
        inputs = Inputs(
            tuple(ref.figures.cycle_years), ref, uow.planning.envelope_settings(), activities,
            tuple(uow.planning.plans()), uow.planning.cost_rates(), cycle_period(ref),
            tuple(uow.pipeline.contributions()), rate_table(uow.pipeline.rates()),
            defaults.probability, gp_areas=pipeline.global_programme_serves())  # fmt: skip
        versions = {p.year: f"version {p.version_no} ({p.status})" for p in used}
        given = version_per_year(_GIVEN_READER, plans).values()
        given_lines = {p.year: activities[p.year] if p in used
                       else tuple(uow.workplans.activities(p.id)) for p in given}  # fmt: skip
        given_versions = {p.year: f"version {p.version_no} ({p.status})" for p in given}
        key = uow.url
    base = Baseline(version, inputs, figures_of(inputs), versions, key, given_lines,
                    given_versions)  # fmt: skip
    with _LOCK:
        _BASELINES[key] = base
    return base


# -- what a reader may see -------------------------------------------------------------------
def _observer(user: CurrentUser) -> bool:
    return user.role is Role.OBSERVER


def _reader(user: CurrentUser, base: Baseline) -> observer_view.ObserverBase | None:
    """An observer's view of the baseline (None for the other roles: they read it in full)."""
    if not _observer(user):
        return None
    return observer_view.base_for(base.key, base.data_version, _given_inputs(base),
                                  base.figures, user.donor)  # fmt: skip


def _given_inputs(base: Baseline) -> Inputs:
    """The baseline's inputs with the workplan versions given to the Committee (observers)."""
    return replace(base.inputs, activities=base.given)


def _versions(user: CurrentUser, base: Baseline) -> dict[int, str]:
    return base.given_versions if _observer(user) else base.versions


def _hidden_keys(user: CurrentUser, base: Baseline) -> set[str]:
    """Keys of the contributions withheld from this user, and the protected donors."""
    obs = _reader(user, base)
    if obs is None:
        return set()
    return set(obs.disclosure.group) | set(obs.disclosure.protected_donors)


def _visible_donors(user: CurrentUser, base: Baseline) -> list[str]:
    """Donors this user may name: for an observer, those of the contributions it sees."""
    obs = _reader(user, base)
    contributions = base.inputs.contributions if obs is None else obs.inputs.contributions
    return sorted({c.donor for c in contributions} - {OTHER_CONFIDENTIAL})


def _masked_assumptions(scenario: Scenario, hidden: set[str]) -> tuple[dict[str, Any], int]:
    """The scenario as a dict without the assumptions that name a hidden contribution or
    donor, and how many were left out."""
    data = scenario.to_dict()
    left_out = 0
    for name in ("probability", "amount", "delays"):
        kept = {k: v for k, v in data[name].items() if k not in hidden}
        left_out += len(data[name]) - len(kept)
        data[name] = kept
    donors = [d for d in data["dropped_donors"] if d not in hidden]
    left_out += len(data["dropped_donors"]) - len(donors)
    data["dropped_donors"] = donors
    return data, left_out


@dataclass(frozen=True)
class Choices:
    """What an editor or meeting-mode control may name, as this user may see it."""

    years: tuple[int, ...]
    contributions: tuple[Contribution, ...]  # visible ones only (observers: redacted)
    donors: tuple[str, ...]
    currencies: tuple[str, ...]
    positions: tuple[tuple[str, str, bool], ...]  # (id, title, is new)
    rates: dict[str, ExchangeRate]
    defaults: dict[str, Decimal]
    versions: dict[int, str]
    support_rate: Decimal
    data_version: int
    envelopes: dict[int, Decimal]  # year -> the baseline's envelope


def choices(user: CurrentUser, url: str | None = None) -> Choices:
    """The contributions, donors, currencies and positions a scenario may name."""
    require(user, Permission.VIEW_SCENARIOS)
    base = _read_baseline(url)
    inp = base.inputs
    obs = _reader(user, base)
    shown = inp.contributions if obs is None else obs.inputs.contributions
    return Choices(inp.years, shown, tuple(_visible_donors(user, base)),
                   tuple(sorted(c for c in inp.rates if c != "USD")),
                   tuple((p.position_id, p.title, p.is_new) for p in inp.plans),
                   dict(inp.rates), dict(inp.defaults), _versions(user, base),
                   inp.settings.rate_percent, base.data_version,
                   dict(inp.settings.envelopes))  # fmt: skip


# -- a scenario's results ---------------------------------------------------------------------
@dataclass(frozen=True)
class Allocation:
    """Direct costs one contribution's tranche pays for one need (donor as the reader sees
    it; reference blank when hidden)."""

    need: str
    donor: str
    reference: str
    year: int
    cents: int


@dataclass(frozen=True)
class ScenarioResult:
    """A scenario's figures as one user may see them."""

    name: str
    assumptions: dict[str, Any]  # masked for observers
    hidden_assumptions: int  # assumptions naming a contribution this reader may not see
    data_version: int
    years: tuple[int, ...]
    funding: dict[str, dict[int, YearFunding]]  # mode -> year -> figures
    shortfalls: dict[str, list[Shortfall]]  # mode -> what stays unfunded or partly funded
    allocations: dict[str, list[Allocation]]  # mode -> who pays what
    by_donor: dict[str, dict[tuple[str, int], int]]  # mode -> (donor, year) -> cents counted
    waterfalls: dict[int, list[Step]]
    monte_carlo: MonteCarlo
    rates: dict[str, ExchangeRate]  # the rates used (after any shock)
    rates_shocked: dict[str, Decimal]  # currency -> percent shock applied
    versions: dict[int, str]  # year -> the workplan version in use
    unmatched: list[str]  # assumptions naming nothing in the baseline
    note: str = ""  # observers: what is withheld from these figures and why

    def total(self, mode: str, year: int) -> YearFunding:
        return self.funding[mode][year]


def assumptions_hash(scenario: Scenario) -> str:
    """SHA-256 of the assumptions (the name aside): a cache key for a scenario's results."""
    body = replace(scenario, name="").to_json()
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _check_observer_scenario(user: CurrentUser, scenario: Scenario, base: Baseline,
                             url: str | None) -> None:  # fmt: skip
    """Observers read the baseline and the scenarios shared with them (whose assumptions still
    keep off the protected money)."""
    if not _observer(user) or assumptions_hash(scenario) == assumptions_hash(Scenario()):
        return
    with UnitOfWork(url=url) as uow:
        shared = {assumptions_hash(Scenario.from_json(r.assumptions))
                  for r in uow.scenarios.rows() if r.shared}  # fmt: skip
    if assumptions_hash(scenario) not in shared or _share_problems(base, scenario, "", ""):
        raise PermissionDenied("Observers read the baseline and the scenarios planners have "
                               "shared with them.")  # fmt: skip


def _share_problems(base: Baseline, scenario: Scenario, name: str,
                    description: str) -> list[str]:  # fmt: skip
    """Why `scenario` may not reach observers (rpsee/services/observer_view.py)."""
    donors = {d.code: d.name for d in base.inputs.ref.donors}
    return observer_view.share_problems(base.inputs, scenario, name, description, donors)


def _compute(base: Baseline, scenario: Scenario, draws: int, seed: int,
             correlation: float | None = None,
             obs: observer_view.ObserverBase | None = None,
             ) -> tuple[ScenarioFigures, MonteCarlo]:  # fmt: skip
    """The figures and the Monte Carlo (correlation within each donor: the scenario's own
    unless given); for an observer (`obs`), computed from its redacted inputs."""
    if obs is None:
        fig = figures_of(apply(base.inputs, scenario), base=base.figures)
    else:
        inputs = observer_view.scenario_inputs(obs.full, scenario, obs.disclosure)
        fig = figures_of(inputs, base=obs.figures)
    rho = float(scenario.donor_correlation) if correlation is None else correlation
    mc = simulate(fig.needs, fig.tranches, draws, seed, rho, fig.inputs.gp_areas)
    return fig, mc


def _result(user: CurrentUser, base: Baseline, scenario: Scenario, fig: ScenarioFigures,
            mc: MonteCarlo) -> ScenarioResult:  # fmt: skip
    """The figures with every donor name passed through the domain's masking."""
    show_all = not _observer(user)
    obs = _reader(user, base)
    hidden = _hidden_keys(user, base)
    assumptions, left_out = _masked_assumptions(scenario, hidden)
    allocations: dict[str, list[Allocation]] = {}
    for mode, plan in fig.plans.items():
        rows = []
        for a in plan.allocations:
            t = plan.supplies[a.supply].tranche
            label = donor_label(t, user.donor, show_all)
            reference = t.reference if label == t.donor else ""
            rows.append(Allocation(a.need, label, reference, t.year, a.cents))
        allocations[mode] = rows
    return ScenarioResult(
        scenario.name, assumptions, left_out, base.data_version, fig.inputs.years, fig.funding,
        {m: p.shortfalls() for m, p in fig.plans.items()}, allocations,
        {m: by_donor_year(fig.tranches, m, user.donor, show_all) for m in MODES},
        {y: waterfall(fig.funding["hard"][y], fig.funding["hard_soft"][y])
         for y in fig.inputs.years},
        mc, dict(fig.inputs.rates), dict(scenario.fx_shocks), _versions(user, base),
        unmatched(base.inputs, scenario), obs.disclosure.note if obs else "",
    )  # fmt: skip


def evaluate(user: CurrentUser, scenario: Scenario, draws: int = DRAWS, seed: int = SEED,
             correlation: float | None = None,
             url: str | None = None) -> ScenarioResult:  # fmt: skip
    """A scenario's figures on today's baseline (see ScenarioResult), masked for observers.
    The Monte Carlo uses the scenario's correlation within a donor unless `correlation` is
    given."""
    require(user, Permission.VIEW_SCENARIOS)
    base = _read_baseline(url)
    _check_observer_scenario(user, scenario, base, url)
    fig, mc = _compute(base, scenario, draws, seed, correlation, _reader(user, base))
    return _result(user, base, scenario, fig, mc)


def compare(user: CurrentUser, scenarios: Sequence[Scenario], draws: int = DRAWS,
            seed: int = SEED, url: str | None = None) -> list[ScenarioResult]:  # fmt: skip
    """Up to four scenarios side by side, on the same baseline."""
    require(user, Permission.VIEW_SCENARIOS)
    if not 1 <= len(scenarios) <= MAX_COMPARED:
        raise ScenarioRefused([f"Comparison: choose 1 to {MAX_COMPARED} scenarios "
                               f"({len(scenarios)} chosen)"])  # fmt: skip
    return [evaluate(user, s, draws, seed, url=url) for s in scenarios]


def cut_lines(user: CurrentUser, scenario: Scenario, level_percent: Decimal,
              url: str | None = None) -> dict[int, CutLine]:  # fmt: skip
    """Each year's cut line at `level_percent` of the scenario's requirement (needs only: no
    donor is named)."""
    require(user, Permission.VIEW_SCENARIOS)
    if level_percent < 0 or level_percent > 1000:
        raise ScenarioRefused([f"Funding level: {level_percent}% is outside 0–1000%"])
    base = _read_baseline(url)
    inputs = apply(_given_inputs(base) if _observer(user) else base.inputs, scenario)
    fig = figures_of(inputs, modes=("hard",), base=base.figures)
    rate = inputs.settings.rate_percent
    return {y: cut_line(y, fig.needs, level_percent, rate) for y in inputs.years}


# -- saved scenarios --------------------------------------------------------------------------
@dataclass(frozen=True)
class SavedScenario:
    id: int
    name: str
    description: str
    scenario: Scenario  # observers: the assumptions it may read (see `hidden_assumptions`)
    hidden_assumptions: int
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    version: int
    shared: bool = False  # observers read it (see `share_scenario`)


def list_scenarios(user: CurrentUser, url: str | None = None) -> list[SavedScenario]:
    """The saved scenarios, by name (observers: the shared ones that still keep off protected
    money, by name and in their assumptions)."""
    require(user, Permission.VIEW_SCENARIOS)
    base = _read_baseline(url)
    hidden = _hidden_keys(user, base)
    with UnitOfWork(url=url) as uow:
        out = []
        for r in uow.scenarios.rows():
            s = Scenario.from_json(r.assumptions)
            if _observer(user) and (not r.shared or _share_problems(
                    base, s, r.name, r.description)):  # fmt: skip
                continue
            data, left_out = _masked_assumptions(s, hidden)
            out.append(SavedScenario(r.id, r.name, r.description, Scenario.from_dict(data),
                                     left_out, r.created_by, r.created_at, r.updated_by,
                                     r.updated_at, r.version, r.shared))  # fmt: skip
        return out


def _checked(name: str, description: str, scenario: Scenario, base: Baseline) -> list[str]:
    problems = []
    if not name.strip():
        problems.append("Name: is missing")
    for field, value, limit, lines in (("Name", name.strip(), MAX_NAME, False),
                                       ("Description", description, MAX_DESCRIPTION, True)):
        problem = text_problem(value, limit, lines=lines)
        if problem:
            problems.append(f"{field}: {problem}")
    problems += unmatched(base.inputs, scenario)
    if name.strip() and not problems:
        same = no_change_name_problem(base.inputs, replace(scenario, name=name))
        problems += [same] if same else []
    return problems


def save_scenario(user: CurrentUser, scenario: Scenario, description: str = "",
                  scenario_id: int | None = None, version: int | None = None,
                  url: str | None = None) -> int:  # fmt: skip
    """Add (no id) or change a saved scenario, named by `scenario.name`; returns its id. A
    change needs the version loaded: someone else's save in between is a conflict."""
    require(user, Permission.EDIT_SCENARIOS)
    name = scenario.name.strip()
    problems = _checked(name, description, scenario, _read_baseline(url))
    if problems:
        raise ScenarioRefused(problems)
    scenario = replace(scenario, name=name)
    try:
        with UnitOfWork(actor=user.username, action="scenario_save", url=url) as uow:
            same = uow.scenarios.by_name(name)
            if same is not None and same.id != scenario_id:
                raise ScenarioRefused([f"Name: a scenario named {name!r} exists already"])
            now = utcnow()
            if scenario_id is None:
                row = uow.scenarios.add(name, description.strip(), scenario.to_json(),
                                        user.username, now)  # fmt: skip
            else:
                row = _loaded(uow, scenario_id, version)
                row.name, row.description = name, description.strip()
                row.assumptions, row.updated_at, row.updated_by = scenario.to_json(), now, \
                    user.username
            uow.commit()
            return row.id
    except StaleDataError:
        raise _conflict(scenario_id, None, None, "changed") from None


def _conflict(scenario_id: int | None, by: str | None, at: datetime | None,
              what: str) -> ScenarioConflict:  # fmt: skip
    who = f" by {by} at {at:%Y-%m-%d %H:%M} UTC" if by and at else ""
    return ScenarioConflict([f"Scenario {scenario_id}: {what}{who} since you loaded it; "
                             "nothing was saved. Reload it and apply your change again."])


def _loaded(uow: UnitOfWork, scenario_id: int, version: int | None):  # noqa: ANN202
    row = uow.scenarios.row(scenario_id)
    if row is None:
        raise _conflict(scenario_id, None, None, "deleted")
    if row.version != version:
        raise _conflict(scenario_id, row.updated_by, row.updated_at, "changed")
    return row


def delete_scenario(user: CurrentUser, scenario_id: int, version: int,
                    url: str | None = None) -> None:  # fmt: skip
    """Delete a saved scenario, if nobody changed it since it was loaded (frozen records of
    it stay)."""
    require(user, Permission.EDIT_SCENARIOS)
    try:
        with UnitOfWork(actor=user.username, action="scenario_delete", url=url) as uow:
            uow.session.delete(_loaded(uow, scenario_id, version))
            uow.commit()
    except StaleDataError:
        raise _conflict(scenario_id, None, None, "changed") from None


# -- frozen scenarios -------------------------------------------------------------------------
@dataclass(frozen=True)
class Frozen(FrozenFigures):
    """A frozen record as one user may read it (observers: their edition), with its id."""

    id: int


def freeze(user: CurrentUser, scenario: Scenario, scenario_id: int | None = None,
           draws: int = DRAWS, url: str | None = None) -> int:  # fmt: skip
    """Freeze a scenario with its inputs and results as an immutable record; returns its id."""
    require(user, Permission.FREEZE_SCENARIOS)
    base = _read_baseline(url)
    problems = unmatched(base.inputs, scenario)
    if not scenario.name.strip():
        problems.insert(0, "Name: is missing")
    if problems:
        raise ScenarioRefused(problems)
    fig, mc = _compute(base, scenario, draws, SEED)
    now = utcnow()
    editions = {d: {**freeze_record(scenario, *_compute(base, scenario, draws, SEED, obs=o), now,
                                    user.username).body, "disclosure_note": o.disclosure.note}
                for d, o in _observer_views(base, scenario, scenario_id, url).items()}
    record = freeze_record(scenario, fig, mc, now, user.username, editions)
    with UnitOfWork(actor=user.username, action="scenario_freeze", url=url) as uow:
        row = uow.scenarios.add_frozen(FrozenScenarioRow(
            name=record.name, scenario_id=scenario_id, frozen_at=now, frozen_by=user.username,
            data_version=base.data_version, content_hash=record.content_hash,
            body=record.body_json))  # fmt: skip
        uow.commit()
        return row.id


def _observer_views(base: Baseline, scenario: Scenario, scenario_id: int | None,
                    url: str | None) -> dict[str, observer_view.ObserverBase]:  # fmt: skip
    """The observer accounts' donors a frozen record gets an edition for: none unless the
    scenario is the baseline or a shared saved one, and passes the sharing gate."""
    with UnitOfWork(url=url) as uow:
        row = uow.scenarios.row(scenario_id) if scenario_id is not None else None
        donors = sorted({u.donor_code for u in uow.users.list()
                         if u.role == Role.OBSERVER.value and u.donor_code})  # fmt: skip
    plain = assumptions_hash(scenario) == assumptions_hash(Scenario())
    if not (plain or (row is not None and row.shared)) or _share_problems(
            base, scenario, scenario.name, ""):  # fmt: skip
        return {}
    return {d: observer_view.base_for(base.key, base.data_version, _given_inputs(base),
                                      base.figures, d) for d in donors}  # fmt: skip


def _frozen(user: CurrentUser, row: FrozenScenarioRow, uow: UnitOfWork) -> Frozen | None:
    """The record as `user` reads it (who froze it by name and role); None for an observer
    it has no edition for."""
    from rpsee.domain.scenario_record import EDITIONS, FrozenScenario

    record = FrozenScenario(row.name, row.frozen_at.isoformat(), row.frozen_by, row.body,
                            row.content_hash)  # fmt: skip
    body = record.body
    if _observer(user):
        body = body.get(EDITIONS, {}).get(user.donor or "")
        if body is None:
            return None
    return Frozen(row.name, row.frozen_at, uow.users.person(row.frozen_by), row.content_hash,
                  record.intact(), body, id=row.id)  # fmt: skip


def frozen_scenarios(user: CurrentUser, url: str | None = None) -> list[Frozen]:
    """Every frozen record, newest first (observers: those with an edition for them)."""
    require(user, Permission.VIEW_SCENARIOS)
    with UnitOfWork(url=url) as uow:
        return [f for f in (_frozen(user, r, uow) for r in uow.scenarios.frozen_rows()) if f]


def frozen_scenario(user: CurrentUser, frozen_id: int, url: str | None = None) -> Frozen:
    """One frozen record (observers: their edition, if the scenario was shared with them)."""
    require(user, Permission.VIEW_SCENARIOS)
    with UnitOfWork(url=url) as uow:
        row = uow.scenarios.frozen_row(frozen_id)
        found = _frozen(user, row, uow) if row is not None else None
        if found is None:
            raise ScenarioRefused([f"Frozen scenario {frozen_id}: not found"])
        return found

