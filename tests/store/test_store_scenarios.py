"""Scenarios through the services on SQLite and PostgreSQL: save, conflicts, refusals that name
the field and save nothing, frozen records that never change, and the observer's masking of
every result (computed from the redacted pipeline; only shared scenarios reach observers)."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from rpsee.domain.funding import OTHER_CONTRIBUTIONS
from rpsee.domain.pipeline import OTHER_CONFIDENTIAL
from rpsee.domain.roles import CurrentUser, PermissionDenied, Role
from rpsee.domain.scenario import Scenario
from rpsee.services import pipeline, planning, scenario_sharing, scenarios, staffing, workplans
from rpsee.services.bootstrap import prepare
from rpsee.services.scenarios import ScenarioConflict, ScenarioRefused
from rpsee.store.models import AuditEntryRow, FrozenScenarioRow, ScenarioRow
from rpsee.store.scenarios import FrozenRecordError
from rpsee.store.uow import UnitOfWork

PLANNER = CurrentUser("demo.planner", "Planner", Role.PLANNER)
FINANCE = CurrentUser("demo.finance", "Finance", Role.FINANCE)
PSC = CurrentUser("demo.psc", "PSC", Role.PSC_MEMBER)
OBSERVER = CurrentUser("demo.observer", "Observer (Austria)", Role.OBSERVER, "AUT")
DRAWS = 500


@pytest.fixture
def demo(empty_db: str) -> str:
    prepare(empty_db)  # demo mode: workplans, staffing, the demo pipeline
    return empty_db


def _key(url: str, donor: str) -> str:
    """The id (as a scenario names it) of the donor's first contribution."""
    return str(next(c.id for c in pipeline.contributions(PLANNER, url=url) if c.donor == donor))


def _counts(url: str) -> tuple[int, int, int]:
    with UnitOfWork(url=url) as uow:
        s = uow.session
        return (s.scalar(select(func.count()).select_from(ScenarioRow)),
                s.scalar(select(func.count()).select_from(FrozenScenarioRow)),
                s.scalar(select(func.count()).select_from(AuditEntryRow)))  # fmt: skip


def test_gap_arithmetic_and_the_requirement_is_the_allocation_comparisons(demo: str) -> None:
    r = scenarios.evaluate(PLANNER, Scenario(), draws=DRAWS, url=demo)
    ref = planning_ref(demo)
    staff = staffing.load(PLANNER, url=demo)
    costing = staffing.costing(staff.plans, staff.rates, ref)
    lines = workplans.lines_in_use(PLANNER, url=demo)
    settings = planning.settings(PLANNER, url=demo)
    comparisons = {y: planning.compare_year(y, settings, lines.get(y, []), costing, ref)
                   for y in r.years}  # the allocation page's comparison
    for y in r.years:
        for mode in ("hard", "hard_soft", "weighted"):
            t = r.funding[mode][y].total
            assert t.gap_cents == t.requirement_cents - t.funded_cents
            assert 0 <= t.funded_cents <= t.requirement_cents
        # default-rate requirement = the allocation comparison's planned figure, to the cent
        planned = comparisons[y].area_total.planned
        assert r.funding["hard"][y].requirement_at_default_cents == int(planned * 100), y
        steps = r.waterfalls[y]
        assert steps[0].cents + sum(s.cents for s in steps[1:4]) == steps[4].cents
    # more money counted never funds less
    for y in r.years:
        hard, soft = r.funding["hard"][y].total, r.funding["hard_soft"][y].total
        assert soft.funded_cents >= hard.funded_cents


def test_scenario_moves_the_figures_and_monte_carlo_is_reproducible(demo: str) -> None:
    base = scenarios.evaluate(PLANNER, Scenario(), draws=DRAWS, url=demo)
    again = scenarios.evaluate(PLANNER, Scenario(), draws=DRAWS, url=demo)
    assert base.monte_carlo.p50 == again.monte_carlo.p50
    dropped = scenarios.evaluate(PLANNER, Scenario("No USA", dropped_donors=("USA",)),
                                 draws=DRAWS, url=demo)  # fmt: skip
    assert dropped.funding["hard"][2025].total.funded_cents < \
        base.funding["hard"][2025].total.funded_cents
    assert not any(d == "USA" for d, _ in dropped.by_donor["hard"])
    cut = scenarios.evaluate(PLANNER, Scenario("Cut", requirement_cut_percent=D(10)),
                             draws=DRAWS, url=demo)  # fmt: skip
    assert cut.funding["hard"][2026].total.direct_cents < \
        base.funding["hard"][2026].total.direct_cents
    assert scenarios.evaluate(PLANNER, Scenario("x", fx_shocks={"EUR": D(-10)}), draws=DRAWS,
                              url=demo).rates["EUR"].usd_per_unit < base.rates["EUR"].usd_per_unit


def test_baseline_follows_a_write(demo: str) -> None:
    before = scenarios.evaluate(PLANNER, Scenario(), draws=DRAWS, url=demo)
    form = pipeline.ContributionForm(donor="SWE", reference="New money", currency="USD",
                                     status="hard", tranches={2029: "100000"})  # fmt: skip
    pipeline.save_contribution(PLANNER, form, planning_ref(demo), url=demo)
    after = scenarios.evaluate(PLANNER, Scenario(), draws=DRAWS, url=demo)
    assert after.data_version > before.data_version
    assert after.funding["hard"][2029].counted_cents == \
        before.funding["hard"][2029].counted_cents + 10_000_000


def planning_ref(url: str):  # noqa: ANN201
    with UnitOfWork(url=url) as uow:
        return uow.reference.load()


def test_save_list_change_and_conflict(demo: str) -> None:
    s = Scenario("Soft slips a year", delays={"SWE": 1}, probability_cutoff=D(50))
    sid = scenarios.save_scenario(PLANNER, s, "Sweden a year late", url=demo)
    [saved] = scenarios.list_scenarios(PSC, url=demo)
    assert (saved.id, saved.name, saved.scenario.delays, saved.version) == (
        sid, "Soft slips a year", {"SWE": 1}, 1)
    with UnitOfWork(url=demo) as uow:
        actions = set(uow.session.scalars(select(AuditEntryRow.action)))
    assert "scenario_save:insert" in actions
    # finance changes it; the planner's save from the old version is a conflict
    scenarios.save_scenario(FINANCE, replace(s, probability_cutoff=D(60)), "", sid, 1, url=demo)
    before = _counts(demo)
    with pytest.raises(ScenarioConflict, match=r"changed by demo\.finance"):
        scenarios.save_scenario(PLANNER, replace(s, probability_cutoff=D(10)), "", sid, 1,
                                url=demo)  # fmt: skip
    assert _counts(demo) == before
    [saved] = scenarios.list_scenarios(PLANNER, url=demo)
    assert (saved.scenario.probability_cutoff, saved.version) == (D(60), 2)
    with pytest.raises(ScenarioConflict):
        scenarios.delete_scenario(PLANNER, sid, 1, url=demo)
    scenarios.delete_scenario(PLANNER, sid, 2, url=demo)
    assert scenarios.list_scenarios(PLANNER, url=demo) == []
    with pytest.raises(ScenarioConflict, match="deleted"):
        scenarios.delete_scenario(PLANNER, sid, 2, url=demo)


def test_refusals_name_the_field_and_save_nothing(demo: str) -> None:
    scenarios.save_scenario(PLANNER, Scenario("Taken", requirement_cut_percent=D(5)), url=demo)
    before = _counts(demo)
    with pytest.raises(ScenarioRefused, match="Name: a scenario named 'Taken' exists"):
        scenarios.save_scenario(FINANCE, Scenario("Taken", requirement_cut_percent=D(6)), url=demo)
    with pytest.raises(ScenarioRefused, match=r"Name: holds an invisible direction mark"):
        scenarios.save_scenario(PLANNER, Scenario("Cut\u202e"), url=demo)
    with pytest.raises(ScenarioRefused, match=r"Description: is longer than 2,000"):
        scenarios.save_scenario(PLANNER, Scenario("Long"), "x" * 2001, url=demo)
    with pytest.raises(ScenarioRefused, match="Name: is missing"):
        scenarios.save_scenario(PLANNER, Scenario("  "), url=demo)
    with pytest.raises(ScenarioRefused, match="Probability: no contribution 9999"):
        scenarios.save_scenario(PLANNER, Scenario("Ghost", probability={"9999": D(5)}), url=demo)
    with pytest.raises(ScenarioRefused, match="Dropped positions: no position NOPE"):
        scenarios.save_scenario(PLANNER, Scenario("Ghost", dropped_positions=("NOPE",)),
                                url=demo)  # fmt: skip
    with pytest.raises(ScenarioRefused, match="Comparison: choose 1 to 4"):
        scenarios.compare(PLANNER, [Scenario()] * 5, draws=DRAWS, url=demo)
    with pytest.raises(PermissionDenied):
        scenarios.save_scenario(PSC, Scenario("PSC"), url=demo)
    assert _counts(demo) == before


def test_a_frozen_record_is_intact_and_never_changes(demo: str) -> None:
    s = Scenario("SC pack", dropped_donors=("USA",), donor_correlation=D("0.5"))
    fid = scenarios.freeze(PLANNER, s, draws=DRAWS, url=demo)
    f = scenarios.frozen_scenario(PSC, fid, url=demo)
    assert f.intact and f.frozen_by == "Demo Planner (Regional Representative), Programme planner"
    assert f.body["scenario"]["dropped_donors"] == ["USA"]
    assert f.body["results"]["monte_carlo"]["draws"] == DRAWS
    # The Monte Carlo ran with the scenario's own correlation within a donor, and says so.
    assert f.body["scenario"]["donor_correlation"] == "0.5"
    assert f.body["results"]["monte_carlo"]["correlation"] == 0.5
    body = json.dumps(f.body, sort_keys=True)
    with UnitOfWork(actor="mallory", action="tamper", url=demo) as uow:
        row = uow.scenarios.frozen_row(fid)
        row.body = row.body.replace("USA", "XXX")
        with pytest.raises(FrozenRecordError, match="never changed"):
            uow.commit()
    with UnitOfWork(actor="mallory", action="tamper", url=demo) as uow:
        uow.session.delete(uow.scenarios.frozen_row(fid))
        with pytest.raises(FrozenRecordError):
            uow.commit()
    again = scenarios.frozen_scenario(PLANNER, fid, url=demo)
    assert again.intact and json.dumps(again.body, sort_keys=True) == body
    with pytest.raises(PermissionDenied):
        scenarios.freeze(FINANCE, s, draws=DRAWS, url=demo)


def test_a_record_changed_behind_the_store_is_shown_as_not_intact(demo: str) -> None:
    fid = scenarios.freeze(PLANNER, Scenario("Pack"), draws=DRAWS, url=demo)
    with UnitOfWork(url=demo) as uow:
        uow.session.execute(FrozenScenarioRow.__table__.update().values(
            body=FrozenScenarioRow.body + " "))  # fmt: skip
        uow.commit()
    assert scenarios.frozen_scenario(PLANNER, fid, url=demo).intact  # whitespace: same JSON
    with UnitOfWork(url=demo) as uow:
        row_body = uow.scenarios.frozen_row(fid).body
        uow.session.execute(FrozenScenarioRow.__table__.update().values(
            body=row_body.replace('"SC', '"XX').replace('"Pack"', '"Kcap"')))  # fmt: skip
        uow.commit()
    assert not scenarios.frozen_scenario(PLANNER, fid, url=demo).intact


def _share(url: str, scenario_id: int) -> None:
    version = next(r.version for r in scenarios.list_scenarios(PLANNER, url=url)
                   if r.id == scenario_id)  # fmt: skip
    scenario_sharing.set_shared(PLANNER, scenario_id, version, True, url=url)


def test_observer_reads_only_shared_scenarios_computed_from_the_redacted_pipeline(
        demo: str) -> None:  # fmt: skip
    ita, swe = _key(demo, "ITA"), _key(demo, "SWE")
    aut = _key(demo, "AUT")
    singles_out = scenarios.save_scenario(PLANNER, Scenario("One halved", probability={
        ita: D(50), aut: D(90)}), url=demo)  # fmt: skip
    with pytest.raises(ScenarioRefused, match=rf"Probability: {ita} \(ITA\) is protected"):
        _share(demo, singles_out)
    s = Scenario("Sweden at 90", probability={swe: D(90)})
    sid = scenarios.save_scenario(PLANNER, s, url=demo)
    with pytest.raises(PermissionDenied, match="shared"):  # saved, not yet shared
        scenarios.evaluate(OBSERVER, s, draws=DRAWS, url=demo)
    assert scenarios.list_scenarios(OBSERVER, url=demo) == []
    _share(demo, sid)
    full = scenarios.evaluate(PLANNER, s, draws=DRAWS, url=demo)
    seen = scenarios.evaluate(OBSERVER, s, draws=DRAWS, url=demo)
    donors = {d for d, _ in seen.by_donor["hard"]}
    assert "ITA" not in donors and OTHER_CONTRIBUTIONS in donors and "AUT" in donors
    assert all(a.donor != "ITA" and "Italy" not in a.reference
               for m in seen.allocations.values() for a in m)  # fmt: skip
    # hard money by year is the same (the aggregate keeps it), but the figures are the
    # redacted pipeline's: the aggregate pays without earmarks, so the funding differs
    for y in full.years:
        assert sum(v for (d, yy), v in seen.by_donor["hard"].items() if yy == y) == \
            sum(v for (d, yy), v in full.by_donor["hard"].items() if yy == y)
    assert any(seen.funding[m][y].total != full.funding[m][y].total
               for m in seen.funding for y in full.years)  # fmt: skip
    assert seen.assumptions["probability"] == {swe: "90"} and seen.hidden_assumptions == 0
    [listed] = scenarios.list_scenarios(OBSERVER, url=demo)
    assert listed.name == "Sweden at 90" and dict(listed.scenario.probability) == {swe: D(90)}
    assert "ITA" not in scenarios.choices(OBSERVER, url=demo).donors
    assert all(c.donor != "ITA" for c in scenarios.choices(OBSERVER, url=demo).contributions)
    # frozen records: the observer reads the edition computed at freeze time, for a shared one
    fid = scenarios.freeze(PLANNER, s, sid, draws=DRAWS, url=demo)
    hidden = scenarios.freeze(PLANNER, Scenario("One halved", probability={ita: D(50)}),
                              singles_out, draws=DRAWS, url=demo)  # fmt: skip
    body = scenarios.frozen_scenario(OBSERVER, fid, url=demo).body
    assert "ITA" not in json.dumps(body) and "Italy" not in json.dumps(body)
    assert any(c["donor"] == OTHER_CONFIDENTIAL for c in body["contributions"])
    assert any(c["donor"] == "AUT" for c in body["contributions"])
    assert "ITA" in json.dumps(scenarios.frozen_scenario(PSC, fid, url=demo).body)
    assert [f.id for f in scenarios.frozen_scenarios(OBSERVER, url=demo)] == [fid]
    with pytest.raises(ScenarioRefused, match="not found"):
        scenarios.frozen_scenario(OBSERVER, hidden, url=demo)
    # an observer's own assumptions (not a shared scenario) are refused
    with pytest.raises(PermissionDenied, match="shared"):
        scenarios.evaluate(OBSERVER, Scenario("Probe", dropped_donors=("SWE",)), draws=DRAWS,
                           url=demo)  # fmt: skip


def test_the_demo_gpml_money_pays_only_money_laundering_lines(demo: str) -> None:
    from rpsee.services.scenarios import _read_baseline

    figures = _read_baseline(demo).figures
    assert figures.inputs.gp_areas["GPML"] == ("2.6",)  # from data/pipeline.yaml
    paid = 0
    for plan in figures.plans.values():
        needs = {n.key: n for n in plan.needs}
        for a in plan.allocations:
            earmark = plan.supplies[a.supply].tranche.earmark
            if earmark.code == "GPML":
                n = needs[a.need]
                assert (n.kind, n.output) == ("activity", "2.6"), n
                paid += a.cents
    assert paid > 0  # Germany's GPML money does pay the demo's money-laundering lines


def test_sharing_is_refused_naming_the_assumption_or_field(demo: str) -> None:
    cases = [
        (Scenario("Euro down", fx_shocks={"EUR": D(-10)}), "Exchange-rate shocks: EUR"),
        (Scenario("No Italy", dropped_donors=("ITA",)), "Dropped donors: ITA"),
        (Scenario("Cut", probability_cutoff=D(100), probability={_key(demo, "ITA"): D(50)}),
         "Probability"),
        (Scenario("Italy pays late", requirement_cut_percent=D(1)), "Name: names a donor"),
        # the observer's own confidential money is protected from every other observer
        (Scenario("Own at 90", probability={_key(demo, "AUT"): D(90)}),
         "Probability: .* \\(AUT\\)"),
    ]
    for s, message in cases:
        sid = scenarios.save_scenario(PLANNER, s, url=demo)
        with pytest.raises(ScenarioRefused, match=message):
            _share(demo, sid)
    sid = scenarios.save_scenario(PLANNER, Scenario("Calm", requirement_cut_percent=D(1)),
                                  description="Like ITA's", url=demo)  # fmt: skip
    with pytest.raises(ScenarioRefused, match="Description: names a donor"):
        _share(demo, sid)
    assert not any(r.shared for r in scenarios.list_scenarios(PLANNER, url=demo))
    with pytest.raises(PermissionDenied):
        scenario_sharing.set_shared(PSC, sid, 1, True, url=demo)
    ok = scenarios.save_scenario(PLANNER, Scenario("Swedish delay", delays={"SWE": 1}), url=demo)
    _share(demo, ok)
    [row] = [r for r in scenarios.list_scenarios(PLANNER, url=demo) if r.shared]
    scenario_sharing.set_shared(PLANNER, ok, row.version, False, url=demo)
    assert scenarios.list_scenarios(OBSERVER, url=demo) == []
    with UnitOfWork(url=demo) as uow:
        actions = {a.split(":")[0] for a in uow.session.scalars(select(AuditEntryRow.action))}
    assert {"scenario_share", "scenario_unshare"} <= actions
