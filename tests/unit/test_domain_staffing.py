"""Staff costing against hand-computed figures."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from rpsee.domain.staffing import (
    CostRates,
    PositionPlan,
    check_plan,
    cost,
    defer,
    drop,
    move,
    period_warnings,
    rate_change_effect,
    staff_line_problem,
    vacancy_share,
)

ROOT = Path(__file__).resolve().parents[2]

PERIOD = ("2024-07", "2029-06")
RATES = CostRates(
    base_year=2024, escalation_percent=Decimal("2"),
    annual={("P4", "IST"): Decimal("240000"), ("P4", "TIR"): Decimal("225000"),
            ("SB-3", "SAR"): Decimal("40000")},
    vacancy_percent={},
)  # fmt: skip


def p4(start: str, end: str, split=None, station="IST") -> PositionPlan:  # noqa: ANN001
    return PositionPlan("P_X", "Officer", "P4", "international_professional", station, False,
                        start, end, split or {"2": Decimal(100)})  # fmt: skip


def test_one_p4_for_six_months_with_escalation_crossing_a_year_end() -> None:
    # Oct-Dec 2024 at 240,000 / 12 = 20,000.00 a month;
    # Jan-Mar 2025 at 240,000 x 1.02 / 12 = 20,400.00 a month.
    costing = cost([p4("2024-10", "2025-03")], RATES, PERIOD)
    assert costing.gross_total(2024) == Decimal("60000.00")
    assert costing.gross_total(2025) == Decimal("61200.00")
    assert costing.gross_total() == Decimal("121200.00")
    # 2026: 240,000 x 1.02^2 = 249,696.00 a year; 5 months: 249,696 x 5 / 12 = 104,040.00
    assert RATES.year_cost("P4", "IST", 2026, 12) == Decimal("249696.00")
    assert RATES.year_cost("P4", "IST", 2026, 5) == Decimal("104040.00")


def test_a_full_year_costs_the_escalated_annual_cost_to_the_cent() -> None:
    """Not twelve months each rounded: 252,000 x 1.02^3 = 267,424.416 a year, 267,424.42 to
    the cent, where 12 x 22,285.37 (267,424.416 / 12 rounded) would give 267,424.44. The
    months differ by a cent at most and add up to the year."""
    rates = CostRates(2024, Decimal("2"), {("P4", "IST"): Decimal("252000")}, {})
    costing = cost([p4("2027-01", "2027-12")], rates, PERIOD)
    assert costing.gross_total(2027) == Decimal("267424.42")
    months = [v for (_p, _m), v in sorted(costing.months.items())]
    assert len(months) == 12 and sum(months) == 26742442 and max(months) - min(months) <= 1


def test_a_position_split_50_30_20_across_three_areas() -> None:
    split = {"1": Decimal(50), "2": Decimal(30), "3": Decimal(20)}
    costing = cost([p4("2024-07", "2024-12", split)], RATES, PERIOD)
    assert costing.gross_total() == Decimal("120000.00")
    assert costing.area_net("1") == Decimal("60000.00")
    assert costing.area_net("2") == Decimal("36000.00")
    assert costing.area_net("3") == Decimal("24000.00")
    assert costing.office_net("IST") == Decimal("120000.00")


def test_uneven_split_still_adds_up_to_the_cent() -> None:
    split = {"1": Decimal("33.33"), "2": Decimal("33.33"), "3": Decimal("33.34")}
    plan = PositionPlan("SC_005", "Assistant", "SB-3", "service_contract", "SAR", True,
                        "2025-01", "2025-12", split)  # fmt: skip
    costing = cost([plan], RATES, PERIOD)
    monthly = Decimal("40000") * Decimal("1.02") / 12  # 3,400.00
    assert costing.gross_total() == (monthly * 12).quantize(Decimal("0.01"))
    assert sum(costing.area_net(a) for a in "123") == costing.net_total()


def test_vacancy_factor_is_shown_separately() -> None:
    rates = CostRates(2024, Decimal(0), RATES.annual, {2024: Decimal("10")})
    costing = cost([p4("2024-07", "2024-12")], rates, PERIOD)
    assert costing.gross_total() == Decimal("120000.00")
    assert costing.vacancy_total() == Decimal("12000.00")
    assert costing.net_total() == Decimal("108000.00")


def sb3(annual: str, split: dict[str, Decimal]) -> tuple[PositionPlan, CostRates]:
    plan = PositionPlan("SC_X", "Assistant", "SB-3", "service_contract", "SAR", False,
                        "2024-07", "2024-12", split)  # fmt: skip
    return plan, CostRates(2024, Decimal(0), {("SB-3", "SAR"): Decimal(annual)},
                           {2024: Decimal(5)})  # fmt: skip


def test_the_years_vacancy_is_the_rate_of_the_years_cost_rounded_once() -> None:
    # 40,001 a year, July-December 2024: 20,000.50, in months of 3,333.42 (x4) and 3,333.41
    # (x2). 5% of each month rounded: 166.67 x 6 = 1,000.02; 5% of the year: 1,000.025 ->
    # 1,000.03 (half up), the figure a reader checks.
    plan, rates = sb3("40001", {"2": Decimal(100)})
    costing = cost([plan], rates, PERIOD)
    assert costing.gross_total(2024) == Decimal("20000.50")
    assert costing.vacancy_total(2024) == Decimal("1000.03")
    # two such positions: 5% of 40,001.00 = 2,000.05, shared 1,000.03 + 1,000.02 (the tie
    # to the first in the table's order)
    other = replace(plan, position_id="SC_Y")
    both = cost([plan, other], rates, PERIOD)
    assert both.vacancy_total(2024) == Decimal("2000.05")
    assert [both.vacancy[(p, 2024)] for p in ("SC_X", "SC_Y")] == [100003, 100002]


def test_the_demo_years_vacancy_is_five_percent_of_its_cost() -> None:
    from bench.scenario import demo_inputs

    costing = demo_inputs(1).staff_costing()
    # 2026: 5% of 2,365,869.60 = 118,293.48 (month by month it was 118,293.72)
    assert costing.gross_total(2026) == Decimal("2365869.60")
    assert costing.vacancy_total(2026) == Decimal("118293.48")
    assert costing.net_total(2026) == Decimal("2247576.12")


def test_a_time_split_shares_the_years_cost_once_not_month_by_month() -> None:
    # 20,000.50 split 50/50 (no vacancy): 10,000.25 each. Month by month the first area got
    # the odd cent of the two 3,333.41 months: 10,000.26 and 10,000.24.
    plan, rates = sb3("40001", {"1": Decimal(50), "2": Decimal(50)})
    costing = cost([plan], replace(rates, vacancy_percent={}), PERIOD)
    assert (costing.area_net("1"), costing.area_net("2")) == (Decimal("10000.25"),
                                                              Decimal("10000.25"))
    # an odd cent for the year (40,000.02 -> 20,000.01): equal remainders, the lower area
    plan, rates = sb3("40000.02", {"2": Decimal(50), "1": Decimal(50)})
    costing = cost([plan], replace(rates, vacancy_percent={}), PERIOD)
    assert (costing.area_net("1"), costing.area_net("2")) == (Decimal("10000.01"),
                                                              Decimal("10000.00"))


def test_period_limits_and_missing_rates() -> None:
    costing = cost([p4("2024-01", "2029-12")], RATES, PERIOD)
    assert costing.years() == [2024, 2025, 2026, 2027, 2028, 2029]
    assert costing.gross_total(2024) == Decimal("120000.00")  # only July-December counted
    assert costing.gross_between("2029-01", "2029-06") == costing.gross_total(2029)
    unknown = cost([p4("2024-07", "2024-12", station="VIE")], RATES, PERIOD)
    assert unknown.missing_rates == {("P_X", "P4", "VIE")} and unknown.gross_total() == 0


def test_what_ifs() -> None:
    base = p4("2025-01", "2025-12")
    full = cost([base], RATES, PERIOD).gross_total(2025)
    assert full == Decimal("244800.00")
    later = cost([defer(base, 3)], RATES, PERIOD).gross_total(2025)
    assert later == Decimal("183600.00")  # 9 months x 20,400.00
    moved = cost([move(base, "TIR")], RATES, PERIOD).gross_total(2025)
    assert moved == Decimal("229500.00")  # 225,000 x 1.02
    assert cost([drop(base)], RATES, PERIOD).gross_total() == 0


def test_plan_checks() -> None:
    bad = PositionPlan("SC_X", "Assistant", "SB-3", "service_contract", "VIE", True, "2025-05",
                       "2025-01", {"1": Decimal(60), "9": Decimal(30)})  # fmt: skip
    fields = {p.field for p in check_plan(bad, "12345", {"VIE"}, PERIOD)}
    assert fields == {"Time split", "End", "Duty station"}
    good = p4("2024-07", "2029-06")
    assert check_plan(good, "12345", {"VIE"}, PERIOD) == []


def test_no_vacancy_on_top_of_a_delayed_start() -> None:
    # P4 Istanbul at 240,000 a year = 20,000.00 a month (no escalation), 2025 vacancy 5%.
    rates = CostRates(2024, Decimal(0), RATES.annual, {2025: Decimal(5), 2026: Decimal(5)})
    late = cost([p4("2025-07", "2026-12")], rates, PERIOD)
    # 2025: 5% of 12 months = 0.6 expected empty months, already covered by the 6 unfunded
    # months January-June: nothing more is deducted (the old code took 5% of 120,000 = 6,000).
    assert late.gross_total(2025) == Decimal("120000.00")
    assert late.vacancy_total(2025) == Decimal("0.00")
    # 2026, funded all year: the full 5% of 240,000.00 = 12,000.00.
    assert late.vacancy_total(2026) == Decimal("12000.00")
    # A post funded from the period start is deducted the full factor, as before.
    early = cost([p4("2024-07", "2025-12")], rates, PERIOD)
    assert early.vacancy_total(2025) == Decimal("12000.00")


def test_a_high_factor_deducts_only_what_the_delay_does_not_cover() -> None:
    # 25% of 2025's 12 months = 3 expected empty months; the post starts in March, so 2 are
    # unfunded already and 1 month's cost (20,000.00) remains to deduct, spread over the 10
    # funded months (2,000.00 each). The old code deducted 25% x 200,000 = 50,000.00.
    rates = CostRates(2024, Decimal(0), RATES.annual, {2025: Decimal(25)})
    costing = cost([p4("2025-03", "2025-12")], rates, PERIOD)
    assert costing.gross_total(2025) == Decimal("200000.00")
    assert costing.vacancy_total(2025) == Decimal("20000.00")
    assert costing.net_total(2025) == Decimal("180000.00")
    assert vacancy_share(Decimal(25), 10, 2) == Decimal("0.1")
    assert vacancy_share(Decimal(5), 6, 6) == 0 and vacancy_share(Decimal(5), 0, 0) == 0


def test_positions_running_outside_the_costing_period_are_named() -> None:
    plans = [p4("2024-07", "2029-06"), replace(p4("2024-01", "2029-12"), position_id="P_Y"),
             replace(p4("2029-09", "2029-12"), position_id="P_Z"),
             replace(p4("2024-07", "2030-01"), position_id="P_D", dropped=True)]  # fmt: skip
    warnings = period_warnings(plans, PERIOD)
    assert warnings == [
        "P_Y (Officer) runs to 2029-12, past the costing period 2024-07 to 2029-06: 6 month(s) "
        "are not costed.",
        "P_Y (Officer) starts 2024-01, before the costing period 2024-07 to 2029-06: 6 "
        "month(s) are not costed.",
        "P_Z (Officer) starts 2029-09, after the costing period 2024-07 to 2029-06: no month "
        "is costed.",
    ]
    assert cost(plans[1:2], RATES, PERIOD).years()[-1] == 2029  # costed only inside the period


def test_staff_line_rule() -> None:
    assert staff_line_problem(None, "Regional workshop") is None
    assert staff_line_problem(Decimal(0), "Regional workshop") is None
    assert "whom" in staff_line_problem(Decimal(5000), "Monitoring of prevention programmes")
    assert "Staffing page" in staff_line_problem(Decimal(5000), "P_003 salary for the survey")
    fees = "fees of an evaluation consultant"
    assert staff_line_problem(Decimal(5000), "Survey", None, fees) is None


def test_the_demo_workplan_obeys_the_staff_line_rule() -> None:
    doc = yaml.safe_load((ROOT / "data" / "demo" / "workplan_2026.yaml").read_text("utf-8"))
    staff_lines = [a for a in doc["activities"] if (a.get("budget") or {}).get("STAFF")]
    assert staff_lines  # the demo shows the rule in use, not only its absence
    problems = [(a["title"], staff_line_problem(a["budget"]["STAFF"], a["title"],
                                                a.get("description"), a.get("notes")))
                for a in staff_lines]  # fmt: skip
    assert [p for p in problems if p[1]] == []


def test_rate_change_effect_before_and_after() -> None:
    plans = [p4("2024-07", "2029-06")]
    raised = CostRates(2024, Decimal("2"), {**RATES.annual, ("P4", "IST"): Decimal("252000")}, {})
    effect = rate_change_effect(plans, RATES, raised, PERIOD, PERIOD, Decimal("11582088.60"))
    assert effect.changed and not rate_change_effect(plans, RATES, RATES, PERIOD, PERIOD,
                                                     Decimal(0)).changed  # fmt: skip
    # 2024: 6 months x 20,000.00 now, x 21,000.00 with the new rate
    assert effect.before.net_total(2024) == Decimal("120000.00")
    assert effect.after.net_total(2024) == Decimal("126000.00")
    assert effect.years() == [2024, 2025, 2026, 2027, 2028, 2029]
    now, new = effect.reconciliation_before, effect.reconciliation_after
    assert (now.start, now.end, now.document) == ("2024-07", "2029-06", Decimal("11582088.60"))
    assert now.computed == effect.before.gross_total()  # the same monthly figures
    assert new.computed - now.computed == effect.after.gross_total() - effect.before.gross_total()
    assert new.difference == new.computed - Decimal("11582088.60")
    # By hand, 252,000 x 1.02^n x months / 12, rounded once a year: 2024 (6 months)
    # 126,000.00; 2025 257,040.00; 2026 262,180.80; 2027 267,424.42 (267,424.416); 2028
    # 272,772.90 (272,772.904); 2029 (6 months) 139,114.18 (278,228.362 / 2).
    assert new.computed == Decimal("1324532.30")


@given(annual=st.integers(1_000_00, 500_000_00), escalation=st.integers(0, 1000),
       year=st.integers(2024, 2029), first=st.integers(1, 12), last=st.integers(1, 12))
def test_a_positions_months_add_up_to_its_year_for_any_rate(annual: int, escalation: int,
                                                            year: int, first: int,
                                                            last: int) -> None:  # fmt: skip
    """Any annual rate (cents), escalation (0-10.00%) and run of months inside a year: the
    months add up to the escalated annual cost x months / 12 rounded once, a cent apart."""
    first, last = min(first, last), max(first, last)
    if year == 2024:
        first = max(first, 7)
        last = max(first, last)
    if year == 2029:
        last = min(last, 6)
        first = min(first, last)
    rates = CostRates(2024, Decimal(escalation) / 100,
                      {("P4", "IST"): Decimal(annual) / 100}, {})  # fmt: skip
    costing = cost([p4(f"{year}-{first:02d}", f"{year}-{last:02d}")], rates, PERIOD)
    count = last - first + 1
    factor = (1 + Decimal(escalation) / 10000) ** (year - 2024)
    expected = (Decimal(annual) / 100 * factor * count / 12).quantize(Decimal("0.01"),
                                                                       "ROUND_HALF_UP")  # fmt: skip
    assert costing.gross_total(year) == expected
    months = [v for (_p, _m), v in costing.months.items()]
    assert len(months) == count and max(months) - min(months) <= 1
