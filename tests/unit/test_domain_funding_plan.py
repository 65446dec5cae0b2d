"""The funding plan, the funding figures and cut lines: hand-checked gap arithmetic, a property
test of earmarks, years and amounts, and the plan against a brute-force (LP) optimum."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from rpsee.domain.cutline import cut_line
from rpsee.domain.funding import OTHER_CONTRIBUTIONS, by_donor_year, waterfall, year_funding
from rpsee.domain.funding_plan import (
    counted_cents,
    covers,
    direct_capacity,
    matching,
    solve,
)
from rpsee.domain.pipeline import Earmark
from rpsee.domain.workplan import PRIORITIES
from tests.unit.funding_fixtures import need, tranche

RATE = Decimal(13)

# The worked example (USD). Year 2026, default support-cost rate 13%.
#   Needs (direct costs): A1 area 1 essential 100,000; A2 area 2 high 50,000;
#                         P1 a position in area 1, essential, 40,000.   Direct total 190,000.
#   T1 hard, unearmarked, 13%: 113,000 -> pays 100,000 direct (+13,000 support costs).
#   T2 hard, area 2, EU 7%:     53,500 -> pays  50,000 direct (+ 3,500).
#   T3 soft, area 1, 13%:       22,600 -> pays  20,000 direct (+ 2,600); probability 70%.
EXAMPLE_NEEDS = [
    need("A1", 10_000_000, area="1"),
    need("A2", 5_000_000, area="2", priority="high"),
    need("P1", 4_000_000, area="1", kind="position"),
]
EXAMPLE_TRANCHES = [
    tranche("T1", "113000.00"),
    tranche("T2", "53500.00", earmark=Earmark("area", "2"), rate="7", donor="EU"),
    tranche("T3", "22600.00", status="soft", earmark=Earmark("area", "1"), probability="70"),
]


def test_gap_hard_only_by_hand() -> None:
    # Hard only: T1 may pay anything, essentials first: A1 and P1 (140,000) compete for its
    # 100,000; T2 may only pay area 2, so it pays A2. Funded: 100,000 at 13% and 50,000 at 7%;
    # P1's 40,000 stays unfunded and carries the default 13%.
    # Support costs: 13,000 + 3,500 + 5,200 = 21,700; requirement 190,000 + 21,700 = 211,700.
    # Funded: 113,000 + 53,500 = 166,500. Gap: 40,000 + 5,200 = 45,200.
    # Coverage: 166,500 / 211,700 = 78.649% -> 78.6%. At the default rate on everything the
    # requirement would be 190,000 + 24,700 = 214,700 (the EU line saves 3,000).
    plan = solve(EXAMPLE_NEEDS, EXAMPLE_TRANCHES, "hard")
    f = year_funding(2026, plan, RATE, ["1", "2"], ["IST"])
    assert f.total.direct_cents == 19_000_000
    assert f.total.support_cents == 2_170_000
    assert f.total.requirement_cents == 21_170_000
    assert f.total.funded_cents == 16_650_000
    assert f.total.gap_cents == 4_520_000
    assert f.total.coverage_percent == Decimal("78.6")
    assert f.requirement_at_default_cents == 21_470_000
    assert [(r.rate, r.funded, r.direct_cents, r.support_cents) for r in f.rates] == [
        (Decimal(7), True, 5_000_000, 350_000),
        (Decimal(13), True, 10_000_000, 1_300_000),
        (Decimal(13), False, 4_000_000, 520_000),
    ]
    area1, area2 = f.areas
    assert (area1.direct_cents, area1.support_cents, area1.funded_cents, area1.gap_cents) == (
        14_000_000, 1_820_000, 11_300_000, 4_520_000)  # fmt: skip
    assert (area2.direct_cents, area2.support_cents, area2.funded_cents, area2.gap_cents) == (
        5_000_000, 350_000, 5_350_000, 0)  # fmt: skip
    assert [(s.need.key, s.funded_cents, s.status) for s in plan.shortfalls()] == [
        ("P1", 0, "unfunded")]  # fmt: skip
    assert f.counted_cents == 16_650_000 and f.unused_cents == 0


def test_gap_hard_soft_and_weighted_by_hand() -> None:
    # Hard + soft: T3 adds 20,000 for area 1 (P1 partly funded): unfunded 20,000 -> gap
    # 20,000 + 2,600 = 22,600; funded 166,500 + 22,600 = 189,100; requirement stays 211,700.
    f = year_funding(2026, solve(EXAMPLE_NEEDS, EXAMPLE_TRANCHES, "hard_soft"), RATE)
    assert (f.total.requirement_cents, f.total.funded_cents, f.total.gap_cents) == (
        21_170_000, 18_910_000, 2_260_000)  # fmt: skip
    # Weighted: T3 counts 70% of 22,600 = 15,820 -> pays 14,000 direct; gap 26,000 * 1.13.
    plan = solve(EXAMPLE_NEEDS, EXAMPLE_TRANCHES, "weighted")
    f = year_funding(2026, plan, RATE)
    assert f.total.gap_cents == 2_938_000
    assert [(s.need.key, s.funded_cents, s.status) for s in plan.shortfalls()] == [
        ("P1", 1_400_000, "partly funded")]  # fmt: skip


def test_counting_modes_and_capacity() -> None:
    soft = tranche("S", "1000.00", status="soft", probability="25")
    assert [counted_cents(soft, m) for m in ("hard", "hard_soft", "weighted")] == [0, 100_000,
                                                                                  25_000]
    assert direct_capacity(11_300, Decimal(13)) == 10_000
    assert direct_capacity(100, Decimal(13)) == 88  # 88 + 11.44 -> 88 + 11 = 99 <= 100


def test_a_tranche_pays_only_its_own_year() -> None:
    plan = solve([need("A", 100_00, year=2027)], [tranche("T", "500.00", year=2026)], "hard")
    assert plan.allocations == () and plan.shortfalls()[0].status == "unfunded"


def test_priorities_tier_by_tier() -> None:
    # 100 of unearmarked money; essential 60 and high 80: the essential need gets all 60 first.
    needs = [need("H", 8_000, priority="high"), need("E", 6_000, priority="essential")]
    plan = solve(needs, [tranche("T", "113.00")], "hard")
    assert plan.funded == {"E": 6_000, "H": 4_000}


def test_earmarked_money_is_routed_so_essentials_get_most() -> None:
    # U (any) and O (output 1.1 only). A greedy that gave U to the 1.1 need first would leave
    # B unfunded; the flow sends O to the 1.1 need and U to B: both essentials funded.
    needs = [need("A", 10_000, output="1.1"), need("B", 10_000, output="1.2")]
    money = [tranche("U", "113.00"), tranche("O", "113.00", earmark=Earmark("output", "1.1"))]
    plan = solve(needs, money, "hard")
    assert plan.funded == {"A": 10_000, "B": 10_000}


def test_cut_line_by_hand() -> None:
    # Needs 2026: E1 60,000 essential, H1 30,000 high, M1 10,000 medium -> direct 100,000,
    # requirement at 13%: 113,000. At 70%: 79,100 of money pays 70,000 direct: E1 in full,
    # H1 10,000 of 30,000 (partly funded), M1 nothing.
    needs = [need("E1", 6_000_000), need("H1", 3_000_000, priority="high"),
             need("M1", 1_000_000, priority="medium")]  # fmt: skip
    line = cut_line(2026, needs, Decimal(70), RATE)
    assert line.budget_cents == 7_910_000
    assert [(t.priority, t.funded_cents) for t in line.tiers] == [
        ("essential", 6_000_000), ("high", 1_000_000), ("medium", 0), ("low", 0)]  # fmt: skip
    assert [(s.need.key, s.status) for s in line.below] == [("H1", "partly funded"),
                                                            ("M1", "unfunded")]


# --- property: earmarks, years and amounts are never broken ------------------------------------

EARMARKS = st.sampled_from([
    Earmark(), Earmark("area", "1"), Earmark("area", "2"), Earmark("output", "1.1"),
    Earmark("output", "2.2"), Earmark("jurisdiction", "ALB"), Earmark("jurisdiction", "SRB"),
    Earmark("global_programme", "GP1"), Earmark("global_programme", "GP2"),
])  # fmt: skip
GP_AREAS = {"GP1": ("2",), "GP2": ("1.1",)}  # an area, an output


@st.composite
def instances(draw: st.DrawFn) -> tuple[list, list]:
    needs = []
    for i in range(draw(st.integers(1, 8))):
        area = draw(st.sampled_from(["1", "2"]))
        kind = draw(st.sampled_from(["activity", "position"]))
        needs.append(need(
            f"N{i}", draw(st.integers(1, 5_000_000)), year=draw(st.sampled_from([2026, 2027])),
            area=area, priority=draw(st.sampled_from(PRIORITIES)), kind=kind,
            output=f"{area}.{draw(st.integers(1, 2))}" if kind == "activity" else None,
            jurisdictions=tuple(draw(st.lists(st.sampled_from(["ALB", "SRB", "MNE"]),
                                              max_size=2, unique=True)))
            if kind == "activity" else ()))  # fmt: skip
    money = [
        tranche(f"T{i}", f"{draw(st.integers(0, 4_000_000)) / 100:.2f}",
                year=draw(st.sampled_from([2026, 2027])),
                status=draw(st.sampled_from(["hard", "soft", "prospect"])),
                earmark=draw(EARMARKS), rate=draw(st.sampled_from(["7", "13"])),
                probability=str(draw(st.integers(0, 100))))
        for i in range(draw(st.integers(0, 6)))
    ]  # fmt: skip
    return needs, money


@settings(max_examples=200, deadline=None)
@given(instances(), st.sampled_from(["hard", "hard_soft", "weighted"]))
def test_no_plan_breaks_an_earmark_a_year_or_an_amount(inst: tuple, mode: str) -> None:
    needs, money = inst
    plan = solve(needs, money, mode, GP_AREAS)
    by_key = {n.key: n for n in needs}
    spent: dict[int, int] = {}
    funded: dict[str, int] = {}
    for a in plan.allocations:
        s, n = plan.supplies[a.supply], by_key[a.need]
        assert a.cents > 0
        assert covers(s.tranche.earmark, n, GP_AREAS), (s.tranche.earmark, n)
        assert s.tranche.year == n.year
        spent[a.supply] = spent.get(a.supply, 0) + a.cents
        funded[a.need] = funded.get(a.need, 0) + a.cents
    for i, cents in spent.items():
        assert cents <= plan.supplies[i].direct_cents
    for key, cents in funded.items():
        assert cents <= by_key[key].cents
    for y in {n.year for n in needs}:  # the year's figures add up, to the cent
        f = year_funding(y, plan, RATE, ["1", "2"])
        assert sum(c.requirement_cents for c in f.areas) == f.total.requirement_cents
        assert sum(c.funded_cents for c in f.areas) == f.total.funded_cents
        assert sum(c.funded_cents for c in f.offices) == f.total.funded_cents
        assert 0 <= f.total.funded_cents <= f.counted_cents


@given(instances())
@settings(max_examples=100, deadline=None)
def test_matching_agrees_with_covers(inst: tuple) -> None:
    needs, money = inst
    earmarks = sorted({t.earmark for t in money}, key=lambda e: (e.kind, e.code or ""))
    sigs = matching(needs, earmarks, GP_AREAS)
    for n, sig in zip(needs, sigs, strict=True):
        assert sig == tuple(i for i, e in enumerate(earmarks) if covers(e, n, GP_AREAS))


# --- the plan equals a brute-force optimum (lexicographic LP) on small cases ------------------


def lp_optimum(needs: list, money: list, mode: str) -> list[int]:
    """Funded cents per priority tier maximised tier by tier with scipy's HiGHS LP (the
    network matrix makes the optimum integral)."""
    caps = [direct_capacity(counted_cents(t, mode), t.support_rate) for t in money]
    pairs = [(i, j) for i, t in enumerate(money) for j, n in enumerate(needs)
             if t.year == n.year and covers(t.earmark, n) and caps[i] > 0]  # fmt: skip
    if not pairs:
        return [0] * len(PRIORITIES)
    a_ub, b_ub = [], []
    for i in range(len(money)):
        a_ub.append([1.0 if p[0] == i else 0.0 for p in pairs])
        b_ub.append(caps[i])
    for j, n in enumerate(needs):
        a_ub.append([1.0 if p[1] == j else 0.0 for p in pairs])
        b_ub.append(n.cents)
    out = []
    for tier in range(len(PRIORITIES)):
        c = [-1.0 if needs[p[1]].tier == tier else 0.0 for p in pairs]
        res = linprog(c, A_ub=np.array(a_ub), b_ub=b_ub, bounds=(0, None), method="highs")
        best = round(-res.fun)
        out.append(best)
        a_ub.append(c)  # keep this tier at (at least) its optimum: -sum <= -best
        b_ub.append(-best)
    return out


def test_plan_equals_the_lp_optimum_on_small_cases() -> None:
    rng = random.Random(9)
    earmarks = [Earmark(), Earmark("area", "1"), Earmark("area", "2"), Earmark("output", "1.1"),
                Earmark("jurisdiction", "ALB")]  # fmt: skip
    for _ in range(60):
        needs = [need(f"N{j}", rng.randint(1, 200_000), area=(area := rng.choice("12")),
                      priority=rng.choice(PRIORITIES), output=f"{area}.{rng.randint(1, 2)}",
                      jurisdictions=tuple(rng.sample(["ALB", "SRB"], rng.randint(0, 2))))
                 for j in range(rng.randint(1, 7))]  # fmt: skip
        money = [tranche(f"T{i}", f"{rng.randint(0, 300_000) / 100:.2f}",
                         earmark=rng.choice(earmarks), rate=rng.choice(["7", "13"]))
                 for i in range(rng.randint(1, 5))]  # fmt: skip
        plan = solve(needs, money, "hard")
        got = [plan.funded_by_tier(2026)[p] for p in PRIORITIES]
        assert got == lp_optimum(needs, money, "hard"), (needs, money)


def test_plan_is_reproducible_whatever_the_order_of_the_needs() -> None:
    one = solve(EXAMPLE_NEEDS, EXAMPLE_TRANCHES, "weighted")
    two = solve(list(reversed(EXAMPLE_NEEDS)), EXAMPLE_TRANCHES, "weighted")
    assert one.allocations == two.allocations and one.funded == two.funded


def test_waterfall_adds_up_by_hand() -> None:
    # Requirement at 13% on all: 214,700. Hard + soft: requirement 211,700 (3,000 saved by
    # the EU's 7%), funded 189,100; hard alone 166,500; soft adds 22,600; gap 22,600.
    hard = year_funding(2026, solve(EXAMPLE_NEEDS, EXAMPLE_TRANCHES, "hard"), RATE)
    both = year_funding(2026, solve(EXAMPLE_NEEDS, EXAMPLE_TRANCHES, "hard_soft"), RATE)
    steps = waterfall(hard, both)
    assert [(s.label, s.cents) for s in steps] == [
        ("Planned", 21_470_000), ("Support costs saved", -300_000), ("Hard", -16_650_000),
        ("Soft", -2_260_000), ("Gap", 2_260_000)]  # fmt: skip
    assert sum(s.cents for s in steps[:-1]) == steps[-1].cents


def test_planned_and_the_requirement_at_funders_rates_reconcile_by_hand() -> None:
    from rpsee.domain.scenario_tables import reconciliation_table, years_table

    # The example, hard + soft: planned 190,000 + 13% = 214,700.00; the EU's 7% on its
    # 50,000 saves 3,000.00; requirement at funders' rates 211,700.00.
    funding = {m: {2026: year_funding(2026, solve(EXAMPLE_NEEDS, EXAMPLE_TRANCHES, m), RATE)}
               for m in ("hard", "hard_soft", "weighted")}  # fmt: skip
    table = reconciliation_table(funding, "hard_soft", "From planned", Decimal(13))
    assert [c.name for c in table.columns] == [
        "Year", "Planned", "Support costs saved", "Requirement at funders' rates"]
    assert table.rows[0].cells == ("2026", Decimal("214700.00"), Decimal("3000.00"),
                                   Decimal("211700.00"))  # fmt: skip
    assert "standard rate (13%)" in table.notes[0]
    # the by-year table names its figure the same way, never a bare "Requirement"
    years = years_table(funding, "hard_soft")
    assert years.columns[1].name == "Requirement at funders' rates"
    assert years.rows[0].cells[1] == Decimal("211700.00")


def test_by_donor_year_hides_other_donors_confidential_money() -> None:
    money = [tranche("A1", "100.00", donor="A"), tranche("B1", "50.00", donor="B"),
             tranche("C1", "25.00", donor="C")]  # fmt: skip
    money = [replace(t, confidential=t.donor != "A") for t in money]
    assert by_donor_year(money, "hard") == {("A", 2026): 10_000, ("B", 2026): 5_000,
                                            ("C", 2026): 2_500}
    assert by_donor_year(money, "hard", show_confidential_of="B", show_all=False) == {
        ("A", 2026): 10_000, ("B", 2026): 5_000, (OTHER_CONTRIBUTIONS, 2026): 2_500}


def test_a_lines_own_funding_source_pays_it_first() -> None:
    # In fixed order A's money would pay N1 (first by key) and B's N2; N2 names A as its
    # funding source, so A pays N2 and B pays N1.
    n1 = need("N1", 10_000)
    n2 = replace(need("N2", 10_000), funding_source="A")
    money = [tranche("A1", "113.00", donor="A"), tranche("B1", "113.00", donor="B")]
    plan = solve([n1, n2], money, "hard")
    paid = {(plan.supplies[a.supply].tranche.donor, a.need): a.cents for a in plan.allocations}
    assert paid == {("A", "N2"): 10_000, ("B", "N1"): 10_000}
    # Only A's money: it pays its own line, although N1 comes first by key.
    plan = solve([n1, n2], money[:1], "hard")
    assert plan.funded == {"N2": 10_000}


# --- Global Programmes pay only what they serve (data/pipeline.yaml) -----------------------------


def test_gpml_money_pays_money_laundering_not_corruption_or_terrorism() -> None:
    from rpsee.services.pipeline import global_programme_serves

    serves = global_programme_serves()
    assert serves["GPML"] == ("2.6",)
    # Germany's GPML tranche, EUR 800,000 at 1.0705 = USD 856,400.00 at 13%: it can pay
    # 856,400 / 1.13 = 757,876.10 direct. Needs of 2026: an anti-corruption line (3.3,
    # 300,000), a counter-terrorism line (4.2, 200,000), a money-laundering line (2.6,
    # 150,000), a cybercrime line in the same output (2.6, 100,000) and a position charged to
    # output 2.6's area (50,000). Only the two 2.6 activities may be paid: 250,000.00.
    needs = [need("AC", 30_000_000, area="3", output="3.3"),
             need("CT", 20_000_000, area="4", output="4.2"),
             need("ML", 15_000_000, area="2", output="2.6"),
             need("CY", 10_000_000, area="2", output="2.6"),
             need("P2", 5_000_000, area="2", kind="position")]  # fmt: skip
    gpml = tranche("DEU GPML", "856400.00", earmark=Earmark("global_programme", "GPML"),
                   donor="DEU")  # fmt: skip
    plan = solve(needs, [gpml], "hard", serves)
    assert plan.funded == {"ML": 15_000_000, "CY": 10_000_000}
    f = year_funding(2026, plan, RATE, ["1", "2", "3", "4", "5"])
    # funded 250,000 direct + 32,500 support = 282,500.00; the rest of the 856,400 unused
    assert f.total.funded_cents == 28_250_000 and f.unused_cents == 85_640_000 - 28_250_000
    assert [c.funded_cents for c in f.areas] == [0, 28_250_000, 0, 0, 0]
    assert not covers(gpml.earmark, needs[0], serves)
    assert not covers(gpml.earmark, needs[1], serves)


def test_a_global_programme_without_a_mapping_pays_nothing() -> None:
    gp = tranche("GP", "1130.00", earmark=Earmark("global_programme", "NEW"))
    plan = solve([need("A", 100_000, area="2", output="2.6")], [gp], "hard", {})
    assert plan.funded == {}


def test_every_global_programme_in_the_data_has_a_known_mapping() -> None:
    from rpsee.domain.funding_plan import check_serves
    from rpsee.services.pipeline import global_programme_serves, global_programmes
    from rpsee.store.data_files import load_reference

    ref = load_reference()
    serves = global_programme_serves()
    assert set(serves) == set(global_programmes())
    areas, outputs = [a.code for a in ref.areas], [o.code for o in ref.outputs]
    assert check_serves(serves, global_programmes(), areas, outputs) == []
    assert check_serves({"GPML": ("9.9",)}, ["GPML", "GFP"], areas, outputs) == [
        "Global Programme GFP: no thematic area or output given",
        "Global Programme GPML: '9.9' is not a thematic area or output"]  # fmt: skip


def test_counted_to_funded_bridges_the_two_hard_plus_soft_figures() -> None:
    """Money counted (the pipeline's hard + soft) minus what the earmarks leave unused is the
    scenario's funded hard + soft, year by year, to the cent."""
    from rpsee.domain.funding import Coverage, YearFunding
    from rpsee.domain.scenario_tables import counted_to_funded_table

    total = Coverage("total", 300_00, 13_00, 250_00)
    year = YearFunding(2026, "hard_soft", total, (), (), (), counted_cents=400_00,
                       default_support_cents=13_00)  # fmt: skip
    table = counted_to_funded_table({"hard_soft": {2026: year}}, "hard_soft", "t")
    row = table.rows[0].cells
    assert row == ("2026", Decimal("400.00"), Decimal("150.00"), Decimal("250.00"))
    assert row[1] - row[2] == row[3]
    assert [c.name for c in table.columns][1:] == [
        "Money counted (hard + soft)", "Not usable that year", "Funded (hard + soft)"]
