"""Scenarios on the demo inputs: the requirement computed one way (needs add up to the
allocation comparison), assumptions applied purely (exchange-rate shock, delay, amounts,
probability, dropped donor, cut, deferral, envelope), serialised, and frozen with a hash."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.scenario import demo_inputs
from rpsee.domain import requirement
from rpsee.domain.funding_plan import MODES
from rpsee.domain.pipeline import Contribution, Earmark, tranches_usd
from rpsee.domain.requirement import direct_costs
from rpsee.domain.scenario import Scenario, ScenarioError, apply, unmatched
from rpsee.domain.scenario_figures import evaluate
from rpsee.domain.scenario_record import freeze, money_by_donor
from rpsee.services import planning


@pytest.fixture(scope="module")
def base():  # noqa: ANN201
    inputs = demo_inputs(1)
    return replace(inputs, costing=inputs.staff_costing())


@pytest.fixture(scope="module")
def figures(base):  # noqa: ANN001, ANN201
    return evaluate(base)


def test_compare_year_lives_in_the_domain_and_is_still_importable_from_services() -> None:
    assert planning.compare_year is requirement.compare_year
    assert planning.YearComparison is requirement.YearComparison
    assert planning.EnvelopeSettings is requirement.EnvelopeSettings


def test_needs_add_up_to_the_comparisons_direct_costs(figures) -> None:  # noqa: ANN001
    for year, comparison in figures.comparisons.items():
        mine = [n for n in figures.needs if n.year == year]
        assert sum(n.cents for n in mine) == direct_costs(comparison)
        for row in comparison.areas:  # by area too: positions split as the costing splits
            assert sum(n.cents for n in mine if n.area == row.key) == int(
                (row.activities + row.staff) * 100)
        staff = sum(n.cents for n in mine if n.kind == "position")
        assert staff == int(comparison.area_total.staff * 100)
        assert all(n.priority == "essential" for n in mine if n.kind == "position")
        f = figures.funding["hard"][year]
        assert f.requirement_at_default_cents == int(comparison.area_total.planned * 100)


def _eur(base) -> Contribution:  # noqa: ANN001
    return next(c for c in base.contributions if c.currency == "EUR" and len(c.tranches) > 1)


def test_exchange_rate_shock(base) -> None:  # noqa: ANN001
    c = _eur(base)
    year = min(c.tranches)
    shocked = apply(base, Scenario("EUR -10%", fx_shocks={"EUR": -10}))
    assert shocked.rates["EUR"].usd_per_unit == Decimal("1.08") * Decimal("0.9")
    before = tranches_usd([c], base.rates, base.defaults)[0]
    after = tranches_usd([c], shocked.rates, base.defaults)[0]
    assert after.year == before.year == year
    assert after.usd == (c.tranches[year] * Decimal("0.972")).quantize(Decimal("0.01"))
    assert base.rates["EUR"].usd_per_unit == Decimal("1.08")  # the baseline is untouched


def test_delay_by_donor_and_by_contribution(base) -> None:  # noqa: ANN001
    c = _eur(base)
    by_donor = apply(base, Scenario(delays={c.donor: 1}))
    moved = next(x for x in by_donor.contributions if x.id == c.id)
    assert moved.tranches == {y + 1: v for y, v in c.tranches.items()}
    own = apply(base, Scenario(delays={c.donor: 1, str(c.id): 2}))
    assert next(x for x in own.contributions if x.id == c.id).tranches == {
        y + 2: v for y, v in c.tranches.items()}  # fmt: skip


def test_amount_probability_and_dropped_donor(base) -> None:  # noqa: ANN001
    c = _eur(base)
    s = Scenario(amount={str(c.id): Decimal("1000.01")}, probability={str(c.id): 55},
                 dropped_donors=("USA",))  # fmt: skip
    out = apply(base, s)
    changed = next(x for x in out.contributions if x.id == c.id)
    assert changed.total == Decimal("1000.01") and changed.probability == Decimal(55)
    assert set(changed.tranches) == set(c.tranches)
    assert not [x for x in out.contributions if x.donor == "USA"]
    assert [x for x in base.contributions if x.donor == "USA"]


def test_requirement_cut_deferral_and_envelope(base, figures) -> None:  # noqa: ANN001
    s = Scenario(requirement_cut_percent=10, defer_new_months=12, envelope_change_percent=-20)
    out = evaluate(apply(base, s))
    y = 2026
    before, after = figures.comparisons[y].area_total, out.comparisons[y].area_total
    assert after.activities < before.activities * Decimal("0.9") + Decimal(1)
    assert after.activities > before.activities * Decimal("0.9") - Decimal(1)
    assert out.comparisons[2025].area_total.staff < figures.comparisons[2025].area_total.staff
    assert out.comparisons[y].envelope == Decimal("8800000.00")
    dropped = evaluate(apply(base, Scenario(drop_new_positions=True)))
    new = {p.position_id for p in base.plans if p.is_new}
    assert not [n for n in dropped.needs if n.code in new]


def test_a_scenario_of_the_pipeline_reuses_the_requirement(base, figures) -> None:  # noqa: ANN001
    out = evaluate(apply(base, Scenario(fx_shocks={"EUR": 5})), base=figures)
    assert out.needs is figures.needs
    for changed in (Scenario(requirement_cut_percent=5), Scenario(defer_new_months=1)):
        again = evaluate(apply(base, changed), base=figures)
        assert again.needs is not figures.needs and again.needs != figures.needs
    assert out.funding["hard"][2026].counted_cents >= figures.funding["hard"][2026].counted_cents


def test_scenario_round_trips_through_json() -> None:
    s = Scenario("Tight", probability={"7": Decimal("40.5")}, amount={"3": Decimal("10.00")},
                 dropped_donors=("NOR", "AUT"), delays={"SWE": 1}, fx_shocks={"GBP": -3},
                 requirement_cut_percent=Decimal("2.5"), deferred_positions={"P_010": 6},
                 defer_new_months=3, dropped_positions=("SC_011",), drop_new_positions=False,
                 envelope_change_percent=Decimal("-5"),
                 donor_correlation=Decimal("0.4"))  # fmt: skip
    assert Scenario.from_json(s.to_json()) == s
    assert Scenario.from_dict(s.to_dict()) == s
    assert s.dropped_donors == ("AUT", "NOR")
    # A scenario saved before the correlation existed reads as independent draws (0).
    old = {k: v for k, v in s.to_dict().items() if k != "donor_correlation"}
    assert Scenario.from_dict(old).donor_correlation == 0


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"probability": {"1": 101}}, "Probability of 1"),
    ({"amount": {"1": -5}}, "Amount of 1"),
    ({"amount": {"1": "10.005"}}, "Amount of 1: 10.005 has more than two decimals"),
    ({"delays": {"SWE": -1}}, "Delay of SWE"),
    ({"fx_shocks": {"EUR": -100}}, "Exchange-rate shock EUR"),
    ({"requirement_cut_percent": 120}, "Requirement cut"),
    ({"donor_correlation": "1.1"}, "Correlation within a donor: 1.1 is outside 0–1"),
    ({"donor_correlation": -0.5}, "Correlation within a donor"),
])  # fmt: skip
def test_bad_assumptions_are_refused_by_name(kwargs: dict, field: str) -> None:
    with pytest.raises(ScenarioError, match=field):
        Scenario(**kwargs)


def test_unknown_assumption_and_currency_refused(base) -> None:  # noqa: ANN001
    with pytest.raises(ScenarioError, match="unknown assumption"):
        Scenario.from_dict({"name": "x", "colour": "red"})
    with pytest.raises(ScenarioError, match="CHF"):
        apply(base, Scenario(fx_shocks={"CHF": 5}))


def test_frozen_record_is_hashed_and_reproducible(base, figures) -> None:  # noqa: ANN001
    at = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)
    s = Scenario("PSC pack")
    one = freeze(s, figures, None, at, "demo.planner")
    two = freeze(s, evaluate(base), None, at, "demo.planner")
    assert one.content_hash == two.content_hash and one.intact()
    body = one.body
    assert body["exchange_rates"]["EUR"]["usd_per_unit"] == "1.08"
    assert body["results"]["funding"]["hard"]["2026"]["total"]["gap_cents"] == (
        figures.funding["hard"][2026].total.gap_cents)  # fmt: skip
    tampered = replace(one, body_json=one.body_json.replace('"1.08"', '"1.09"'))
    assert not tampered.intact()
    other = freeze(Scenario("PSC pack", fx_shocks={"EUR": 1}), figures, None, at, "x")
    assert other.content_hash != one.content_hash


def test_earmark_of_a_contribution_is_kept_through_a_scenario(base) -> None:  # noqa: ANN001
    out = apply(base, Scenario(delays={"EU": 1}))
    assert [c.earmark for c in out.contributions] == [c.earmark for c in base.contributions]
    assert all(isinstance(c.earmark, Earmark) for c in out.contributions)


def test_probability_cutoff_leaves_out_unlikely_contributions(base) -> None:  # noqa: ANN001
    out = apply(base, Scenario(probability_cutoff=50))
    assert {c.status for c in out.contributions} == {"hard", "soft"}  # prospects are at 30%
    kept = apply(base, Scenario(probability_cutoff=50, probability={"4": 60}))
    assert "4" in {str(c.id) for c in kept.contributions}
    assert next(c for c in base.contributions if c.id == 4).status == "prospect"


def test_unmatched_assumptions_are_named(base) -> None:  # noqa: ANN001
    s = Scenario(probability={"999": 10}, delays={"Atlantis": 1}, fx_shocks={"EUR": 1},
                 dropped_positions=("P_999",))  # fmt: skip
    assert unmatched(base, s) == ["Probability: no contribution 999",
                                  "Delays: no contribution or donor Atlantis",
                                  "Dropped positions: no position P_999"]
    assert unmatched(base, Scenario(delays={"SWE": 1})) == []


def test_an_observer_edition_is_computed_from_the_redacted_inputs(base) -> None:  # noqa: ANN001
    from rpsee.domain.disclosure import OTHER_CONFIDENTIAL, Rule, aggregate, protect

    secret = [replace(c, confidential=c.donor in ("SWE", "NOR")) for c in base.contributions]
    full = replace(base, contributions=tuple(secret))
    view = protect(full.contributions, full.rates, full.defaults, "SWE", Rule(),
                   full.settings.rate_percent)  # fmt: skip
    seen = replace(full, contributions=tuple(aggregate(
        full.contributions, view.group, full.rates, full.defaults, full.settings.rate_percent,
        view.left_out)))  # fmt: skip
    at = datetime(2026, 11, 29, tzinfo=UTC)
    edition = freeze(Scenario("Pack"), evaluate(seen), None, at, "x").body
    record = freeze(Scenario("Pack"), evaluate(full), None, at, "x", {"SWE": edition})
    assert record.intact() and record.body["observer_editions"]["SWE"] == edition
    assert "NOR" not in json.dumps(edition) and "SWE" in json.dumps(edition)
    for mode in MODES:  # the chart by donor: NOR's money only inside the aggregate line
        money = money_by_donor(edition, mode)
        assert money is not None and not [d for d, _y in money if d == "NOR"]
        assert view.left_out or any(d == OTHER_CONFIDENTIAL for d, _y in money)
        assert money[("SWE", 2026)] == money_by_donor(record.body, mode)[("SWE", 2026)]


def test_frozen_record_keeps_the_monte_carlo_settings(figures) -> None:  # noqa: ANN001
    from rpsee.domain.montecarlo import simulate

    mc = simulate(figures.needs, figures.tranches, 500, seed=3, correlation={"EU": 0.5})
    record = freeze(Scenario("MC"), figures, mc, datetime(2026, 11, 29, tzinfo=UTC), "x")
    body = record.body["results"]["monte_carlo"]
    assert (body["draws"], body["seed"], body["correlation"]) == (500, 3, {"EU": 0.5})
    assert body["p50"]["2026"] == mc.p50[2026] and record.intact()


PERCENT = st.decimals(min_value=0, max_value=100, places=2)
KEYS = st.text("ABC123_", min_size=1, max_size=6)


@settings(max_examples=100, deadline=None)
@given(st.builds(
    Scenario, name=st.text(max_size=20), probability=st.dictionaries(KEYS, PERCENT, max_size=3),
    amount=st.dictionaries(KEYS, st.decimals(min_value=0, max_value=10**9, places=2), max_size=3),
    dropped_donors=st.lists(KEYS, max_size=3).map(tuple), probability_cutoff=PERCENT,
    delays=st.dictionaries(KEYS, st.integers(0, 5), max_size=3),
    fx_shocks=st.dictionaries(st.sampled_from(["EUR", "GBP", "SEK"]),
                              st.decimals(min_value=-99, max_value=100, places=1), max_size=2),
    requirement_cut_percent=PERCENT, deferred_positions=st.dictionaries(KEYS, st.integers(0, 24)),
    defer_new_months=st.integers(0, 24), drop_new_positions=st.booleans(),
    envelope_change_percent=st.decimals(min_value=-100, max_value=100, places=2),
))  # fmt: skip
def test_any_scenario_round_trips_through_json(s: Scenario) -> None:
    assert Scenario.from_json(s.to_json()) == s
    assert Scenario.from_json(s.to_json()).to_json() == s.to_json()


def test_several_uncertain_names_donors_the_correlation_matters_for() -> None:
    from rpsee.domain.scenario import several_uncertain

    def c(donor: str, status: str, probability: str | None = None) -> Contribution:
        return Contribution(None, donor, f"{donor} {status} {probability}", "USD",
                            {2026: Decimal(1)}, status,
                            probability=None if probability is None else Decimal(probability))
    defaults = {"hard": Decimal(100), "soft": Decimal(60), "prospect": Decimal(25)}
    pipeline = [c("A", "soft"), c("A", "prospect"),  # two uncertain: A
                c("B", "hard"), c("B", "soft"),  # one uncertain only
                c("C", "soft", "100"), c("C", "soft", "0"), c("C", "soft")]  # sure, never, one
    assert several_uncertain(pipeline, defaults) == ["A"]
