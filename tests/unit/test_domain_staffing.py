"""Staff costing against hand-computed figures."""

from __future__ import annotations

from decimal import Decimal

from rpsee.domain.staffing import CostRates, PositionPlan, check_plan, cost, defer, drop, move

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
    # 2026: 240,000 x 1.02^2 / 12 = 20,808.00
    assert RATES.monthly("P4", "IST", 2026) == Decimal("20808.00")


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
