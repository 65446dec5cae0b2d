"""Monte Carlo of the pipeline: the mean converges to the probability-weighted funding, draws
are reproducible, donor correlation keeps each probability, and coverage honours earmarks."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from decimal import Decimal

import numpy as np

from rpsee.domain.funding_plan import counted_cents
from rpsee.domain.montecarlo import materialised, simulate
from rpsee.domain.pipeline import Earmark
from tests.unit.funding_fixtures import need, tranche

PIPELINE = [
    tranche("H", "500000.00", status="hard", probability="100", cid=1),
    tranche("S", "300000.00", status="soft", probability="70", cid=2),
    tranche("S", "250000.00", year=2027, status="soft", probability="70", cid=2),
    tranche("P1", "400000.00", status="prospect", probability="30", donor="D", cid=3),
    tranche("P2", "200000.00", year=2027, status="prospect", probability="45", donor="D", cid=4),
]
NEEDS = [need("A", 60_000_000), need("B", 50_000_000, year=2027)]


def test_mean_converges_to_probability_weighted_funding() -> None:
    # Tolerance: 4 standard errors of the mean, sqrt(sum p(1-p) x^2 / N), per year.
    draws = 20_000
    for correlation in (0.0, 0.6):
        mc = simulate(NEEDS, PIPELINE, draws, seed=11, correlation=correlation)
        for year in (2026, 2027):
            mine = [t for t in PIPELINE if t.year == year]
            weighted = sum(counted_cents(t, "weighted") for t in mine)
            var = sum(float(t.probability / 100) * float(1 - t.probability / 100)
                      * (float(t.usd) * 100) ** 2 for t in mine)  # fmt: skip
            # With a donor correlation D's two contributions are in different years: still
            # independent within a year, so the same error bound holds.
            assert abs(mc.mean[year] - weighted) <= 4 * math.sqrt(var / draws), (year, mc)


def test_reproducible_with_a_seed() -> None:
    a = simulate(NEEDS, PIPELINE, 2_000, seed=5, correlation=0.4)
    b = simulate(NEEDS, PIPELINE, 2_000, seed=5, correlation=0.4)
    c = simulate(NEEDS, PIPELINE, 2_000, seed=6, correlation=0.4)
    assert a == b
    assert a.mean != c.mean


def test_correlation_keeps_probabilities_and_ties_a_donor_together() -> None:
    money = [tranche(f"C{i}", "100.00", status="soft", probability="40", donor="D", cid=i)
             for i in range(2)]  # fmt: skip
    free = materialised(money, 40_000, seed=3, correlation=0.0)
    tied = materialised(money, 40_000, seed=3, correlation={"D": 0.9})
    for m in (free, tied):
        assert np.allclose(m.mean(axis=0), 0.4, atol=0.015)
    both_free, both_tied = (free.all(axis=1).mean(), tied.all(axis=1).mean())
    assert abs(both_free - 0.16) < 0.015  # independent: 0.4 * 0.4
    assert both_tied > 0.3  # together: close to 0.4


def test_cover_honours_earmarks() -> None:
    # 2026: area 1 needs 100 (direct); area 2 needs 100. Money: area-2 earmarked 226 (pays
    # 200 direct) always, and unearmarked 113 (pays 100) with probability 60%. Money in total
    # always covers 200, but area 1 can only be paid by the unearmarked money: P = 0.6.
    needs = [need("A1", 10_000, area="1"), need("A2", 10_000, area="2")]
    money = [tranche("E", "226.00", earmark=Earmark("area", "2"), cid=1),
             tranche("U", "113.00", status="soft", probability="60", cid=2)]  # fmt: skip
    mc = simulate(needs, money, 20_000, seed=2)
    assert abs(mc.cover[2026] - 0.6) < 0.015
    assert mc.exact


def test_staff_question_and_crossing_earmarks() -> None:
    # Staff: the position in area 1 is paid only by area-1 or unearmarked money.
    needs = [need("P", 10_000, area="1", kind="position"),
             need("A", 10_000, area="2", jurisdictions=("ALB",))]  # fmt: skip
    money = [tranche("J", "113.00", earmark=Earmark("jurisdiction", "ALB"), cid=1),
             tranche("O", "113.00", earmark=Earmark("area", "1"), status="soft",
                     probability="50", cid=2)]  # fmt: skip
    mc = simulate(needs, money, 20_000, seed=4)
    assert abs(mc.staff[2026] - 0.5) < 0.015
    assert abs(mc.cover[2026] - 0.5) < 0.015
    crossing = [tranche("J", "113.00", earmark=Earmark("jurisdiction", "ALB"), cid=1),
                tranche("R", "113.00", earmark=Earmark("area", "2"), cid=2)]
    # J pays {A, C}, R pays {A, B}: the sets cross, so A loses one of its payers in the tree.
    crossed = [needs[1], need("B", 10_000, area="2"),
               need("C", 10_000, area="1", jurisdictions=("ALB",))]  # fmt: skip
    assert not simulate(crossed, crossing, 100, seed=1).exact
    assert simulate(needs[1:], crossing, 100, seed=1).exact  # one need: nothing crosses


def test_percentiles_of_a_sure_pipeline_are_its_amount() -> None:
    mc = simulate(NEEDS, PIPELINE[:1], 1_000, seed=1)
    assert mc.p10[2026] == mc.p50[2026] == mc.p90[2026] == 50_000_000
    assert mc.mean[2026] == int(Decimal("500000.00") * 100)


def _exact_cover(needs: list, money: list, draws: int, seed: int) -> tuple[float, float]:
    """Per draw, the funding plan (an exact maximum flow) of the money that materialised:
    the share of draws where every need, and every position, is fully funded."""
    from rpsee.domain.funding_plan import solve
    from rpsee.domain.montecarlo import _contributions

    hit = materialised(money, draws, seed)  # the draws `simulate` makes with this seed
    contribs = _contributions(money)
    money = [replace(t, probability=Decimal(100)) for t in money]  # counted whole when drawn
    whole = staff = 0
    for row in hit:
        came = {contribs[i] for i in np.flatnonzero(row)}
        mine = [t for t in money if (t.contribution_id or 0, t.donor, t.reference) in came]
        plan = solve(needs, mine, "weighted")  # probabilities are 100% here
        whole += all(plan.funded.get(n.key, 0) == n.cents for n in needs)
        positions = [n for n in needs if n.kind == "position"]
        staff_plan = solve(positions, mine, "weighted")
        staff += all(staff_plan.funded.get(n.key, 0) == n.cents for n in positions)
    return whole / draws, staff / draws


def test_cover_equals_the_exact_plan_when_earmarks_nest_and_bounds_it_otherwise() -> None:
    rng = random.Random(21)
    nested = [Earmark(), Earmark(), Earmark("area", "1"), Earmark("area", "2"),
              Earmark("output", "1.1")]  # fmt: skip
    crossing = nested + [Earmark("jurisdiction", "ALB"), Earmark("jurisdiction", "ALB")]
    seen = {"partial": 0, "crossing": 0}
    for trial in range(40):
        earmarks = nested if trial % 2 == 0 else crossing
        needs = [need(f"N{j}", rng.randint(1, 30_000), area=(a := rng.choice("12")),
                      kind=rng.choice(["activity", "position"]), output=f"{a}.{rng.randint(1, 2)}",
                      jurisdictions=tuple(rng.sample(["ALB", "SRB"], rng.randint(0, 1))))
                 for j in range(rng.randint(1, 5))]  # fmt: skip
        needs = [replace(n, output=None, jurisdictions=()) if n.kind == "position" else n
                 for n in needs]  # fmt: skip
        money = [tranche(f"T{i}", f"{rng.randint(0, 40_000) / 100:.2f}", cid=i + 1,
                         earmark=rng.choice(earmarks), probability=str(rng.choice([30, 60, 90])))
                 for i in range(rng.randint(2, 6))]  # fmt: skip
        if trial % 2:  # make the ALB and area 1 earmarks cross: {X1, X2} against {X1, X3}
            needs += [need("X1", 9_000, area="1", jurisdictions=("ALB",)),
                      need("X2", 9_000, area="2", jurisdictions=("ALB",)), need("X3", 9_000)]
            money += [tranche("J", "150.00", cid=98, earmark=Earmark("jurisdiction", "ALB"),
                              probability="70"),
                      tranche("R", "150.00", cid=99, earmark=Earmark("area", "1"),
                              probability="70")]  # fmt: skip
        mc = simulate(needs, money, 150, seed=trial)
        whole, staff = _exact_cover(needs, money, 150, trial)
        assert mc.staff[2026] == staff, trial  # the staff question is always exact
        if mc.exact:
            assert mc.cover[2026] == whole, trial
        else:
            assert mc.cover[2026] <= whole, trial
            seen["crossing"] += 1
        seen["partial"] += 0 < whole < 1
    assert seen["partial"] >= 10 and seen["crossing"] >= 3, seen  # the cases are not trivial


def test_correlation_one_ties_a_donor_completely_and_above_one_is_refused() -> None:
    import pytest

    same = [tranche(f"C{i}", "100.00", status="soft", probability="40", donor="D", cid=i)
            for i in range(3)]  # fmt: skip
    tied = materialised(same, 5_000, seed=2, correlation=1.0)
    assert (tied.all(axis=1) | ~tied.any(axis=1)).all()  # all three come or none does
    assert abs(tied[:, 0].mean() - 0.4) < 0.03
    # Different probabilities: the likelier one comes whenever the less likely one does.
    mixed = [replace(same[0], probability=Decimal(30)), replace(same[1], probability=Decimal(70))]
    m = materialised(mixed, 5_000, seed=2, correlation=1.0)
    assert not (m[:, 0] & ~m[:, 1]).any()
    with pytest.raises(ValueError, match="from 0 to 1"):
        materialised(same, 10, seed=2, correlation=1.5)
