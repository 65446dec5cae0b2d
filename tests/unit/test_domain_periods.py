"""Closed periods and rate plausibility against hand-checked figures."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from rpsee.domain.periods import check_close, closed_changes, closed_message, month_name
from rpsee.domain.rate_checks import grade_level, implausible_rates
from rpsee.domain.staffing import CostRates, PositionPlan, cost

PERIOD = ("2024-07", "2029-06")
RATES = CostRates(
    base_year=2024, escalation_percent=Decimal("2"),
    annual={("P4", "IST"): Decimal("240000"), ("SB-3", "SAR"): Decimal("40000")},
    vacancy_percent={2024: Decimal("10"), 2025: Decimal("5")},
)  # fmt: skip


def p4(start: str = "2024-07", end: str = "2029-06", pid: str = "P_X") -> PositionPlan:
    return PositionPlan(pid, "Officer", "P4", "international_professional", "IST", False,
                        start, end, {"2": Decimal(100)})  # fmt: skip


def sb3(start: str = "2024-07") -> PositionPlan:
    return PositionPlan("SC_Y", "Assistant", "SB-3", "service_contract", "SAR", False,
                        start, "2029-06", {"1": Decimal(50), "3": Decimal(50)})  # fmt: skip


def test_nothing_closed_nothing_refused() -> None:
    before = cost([p4()], RATES, PERIOD)
    after = cost([p4("2025-01")], RATES, PERIOD)
    assert closed_changes(before, after, None, PERIOD) == []


def test_a_later_start_empties_closed_months_from_the_first() -> None:
    # Closed through June 2025: deferring P_X from July 2024 to March 2025 removes the months
    # July 2024 - February 2025 (20,000.00 and 20,400.00 a month), all closed.
    before = cost([p4(), sb3()], RATES, PERIOD)
    after = cost([p4("2025-03"), sb3()], RATES, PERIOD)
    [change] = closed_changes(before, after, "2025-06", PERIOD)
    assert change.position_id == "P_X"
    assert change.first == "2024-07"
    assert change.months[:8] == ("2024-07", "2024-08", "2024-09", "2024-10", "2024-11",
                                 "2024-12", "2025-01", "2025-02")  # fmt: skip
    assert "standard cost" in change.what
    # 2024 is wholly closed (July-December is all of it in the period): its vacancy changes
    assert "vacancy deduction" in change.what


def test_a_change_after_the_closed_months_passes() -> None:
    # Closed through June 2025; ending P_X in December 2026 instead of June 2029 changes 2026
    # onwards only (2026's per-month figure is the same: 249,696.00 / 12 = 20,808.00).
    before = cost([p4(), sb3()], RATES, PERIOD)
    after = cost([p4(end="2026-12"), sb3()], RATES, PERIOD)
    assert after.months[("P_X", 2026 * 12 + 11)] == before.months[("P_X", 2026 * 12 + 11)]
    assert after.gross_total() != before.gross_total()
    assert closed_changes(before, after, "2025-06", PERIOD) == []


def test_a_rate_change_reaches_every_closed_month_of_the_grade() -> None:
    before = cost([p4(), sb3()], RATES, PERIOD)
    higher = replace(RATES, annual={**RATES.annual, ("SB-3", "SAR"): Decimal("42000")})
    after = cost([p4(), sb3()], higher, PERIOD)
    [change] = closed_changes(before, after, "2024-09", PERIOD)
    assert (change.position_id, change.months) == ("SC_Y", ("2024-07", "2024-08", "2024-09"))
    # 40,000 x 6 / 12 = 20,000.00 for July-December split exactly: 3,333.33 a month and the
    # two cents left over to July and August
    assert [before.months[("SC_Y", 2024 * 12 + m)] for m in (6, 7, 8)] == [333334, 333334,
                                                                         333333]  # fmt: skip
    assert [after.months[("SC_Y", 2024 * 12 + m)] for m in (6, 7, 8)] == [350000] * 3


def test_a_vacancy_factor_of_a_wholly_closed_year_is_closed() -> None:
    before = cost([p4()], RATES, PERIOD)
    after = cost([p4()], replace(RATES, vacancy_percent={**RATES.vacancy_percent,
                                                         2024: Decimal("8")}), PERIOD)  # fmt: skip
    [change] = closed_changes(before, after, "2024-12", PERIOD)
    assert change.what == ("vacancy deduction",) and change.first == "2024-07"
    # closed only through November: 2024 is not wholly closed, its vacancy is the year's
    assert closed_changes(before, after, "2024-11", PERIOD) == []
    # the 2025 factor while only 2024 is closed: open
    later = cost([p4()], replace(RATES, vacancy_percent={**RATES.vacancy_percent,
                                                         2025: Decimal("7")}), PERIOD)  # fmt: skip
    assert closed_changes(before, later, "2024-12", PERIOD) == []


def test_a_split_change_rewrites_a_wholly_closed_year() -> None:
    before = cost([sb3()], RATES, PERIOD)
    moved = replace(sb3(), split={"1": Decimal(20), "3": Decimal(80)})
    after = cost([moved], RATES, PERIOD)
    [change] = closed_changes(before, after, "2024-12", PERIOD)
    assert change.what == ("split over thematic areas",)
    assert closed_changes(before, after, "2024-08", PERIOD) == []


def test_the_message_names_position_first_month_and_finance() -> None:
    before = cost([p4(), sb3()], RATES, PERIOD)
    after = cost([p4("2025-03"), sb3()], RATES, PERIOD)
    changes = closed_changes(before, after, "2025-06", PERIOD)
    text = closed_message(changes, "2025-06", {"P_X": "Officer"})
    assert "P_X (Officer) from July 2024" in text
    assert "actuals through June 2025" in text and "Finance must reopen" in text
    assert month_name("2025-06") == "June 2025"


def test_check_close() -> None:
    assert check_close("2025-06", "2026-12", PERIOD) == ("2025-06", [])
    for bad in ("2025-6", "June", "2025-13", "", None):
        month, problems = check_close(bad, "2026-12", PERIOD)
        assert month is None and "Closed through" in str(problems[0])
    assert "has not ended" in str(check_close("2026-12", "2026-12", PERIOD)[1][0])
    assert "outside the costing period" in str(check_close("2024-06", "2026-12", PERIOD)[1][0])


def test_grade_levels() -> None:
    assert grade_level("G5") == ("G", 5)
    assert grade_level("SB-3") == ("SB", 3)
    assert grade_level("NPSA-8") == ("NPSA", 8)
    assert grade_level("Assistant") is None


def test_the_demo_like_rates_are_plausible() -> None:
    rates = {("G5", "VIE"): Decimal("118000"), ("G5", "IST"): Decimal("62000"),
             ("SB-3", "BEG"): Decimal("42000"), ("SB-2", "BEG"): Decimal("32000"),
             ("P4", "IST"): Decimal("240000"), ("P3", "VIE"): Decimal("215000")}  # fmt: skip
    assert implausible_rates(rates, "VIE") == []


def test_a_g5_in_istanbul_above_vienna_is_flagged() -> None:
    rates = {("G5", "VIE"): Decimal("118000"), ("G5", "IST"): Decimal("130000"),
             ("P4", "IST"): Decimal("260000"), ("P4", "VIE"): Decimal("250000")}  # fmt: skip
    [warning] = implausible_rates(rates, "VIE", {"IST": "Istanbul", "VIE": "Vienna"})
    # the professional P4 (post adjustment, not a local scale) is not flagged
    assert warning.startswith("G5 at Istanbul (IST) costs USD 130,000.00 a year, more than "
                              "G5 at Vienna (VIE), USD 118,000.00")  # fmt: skip
    equal = {**rates, ("G5", "IST"): Decimal("118000")}
    assert implausible_rates(equal, "VIE") == []  # equal is not more


def test_a_higher_grade_below_a_lower_one_is_flagged() -> None:
    rates = {("SB-3", "BEG"): Decimal("30000"), ("SB-2", "BEG"): Decimal("32000"),
             ("SB-2", "SKP"): Decimal("31000"), ("P3", "VIE"): Decimal("215000"),
             ("P4", "VIE"): Decimal("210000")}  # fmt: skip
    warnings = implausible_rates(rates, "VIE")
    assert warnings == [
        "SB-3 at BEG costs USD 30,000.00 a year, less than the lower grade SB-2 there, "
        "USD 32,000.00.",
        "P4 at VIE costs USD 210,000.00 a year, less than the lower grade P3 there, "
        "USD 215,000.00.",
    ]
