"""The disclosure rule by hand: threshold and dominance per cell, secondary suppression, the
left-out case, the observer's own money, and the sharing gate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from rpsee.domain.disclosure import (
    CYCLE,
    OTHER_CONFIDENTIAL,
    Rule,
    cells,
    mentions,
    protect,
)
from rpsee.domain.disclosure_gate import assumption_problems, text_problems
from rpsee.domain.pipeline import Contribution, ExchangeRate, rate_table, tranches_usd
from rpsee.domain.scenario import Scenario

RATES = rate_table([ExchangeRate("EUR", D("1.1"), date(2024, 6, 28))])
DEFAULTS = {"hard": D(100), "soft": D(60), "prospect": D(25)}
RULE = Rule(3, D(50))


def c(i: int, donor: str, usd: dict[int, str], status: str = "hard", conf: bool = False,
      currency: str = "USD") -> Contribution:  # fmt: skip
    return Contribution(i, donor, f"{donor}-{i}", currency, {y: D(v) for y, v in usd.items()},
                        status, confidential=conf)  # fmt: skip


def test_the_rule_counts_donors_and_the_largest_share() -> None:
    assert RULE.passes({"A": 100, "B": 100, "C": 100})
    assert not RULE.passes({"A": 100, "B": 100})  # two donors: each learns the other's
    assert not RULE.passes({"A": 301, "B": 150, "C": 150})  # 301 / 601 = 50.08% > 50%
    assert RULE.passes({"A": 300, "B": 150, "C": 150})  # exactly 50%
    assert RULE.passes({})


def test_cells_cover_statuses_modes_years_and_the_cycle() -> None:
    t = tranches_usd([c(1, "A", {2026: "10", 2027: "5"}, "soft")], RATES, DEFAULTS)
    got = cells(t)
    assert got[(("soft",), 2026)] == {"A": 1000} and got[(("hard", "soft"), CYCLE)] == {"A": 1500}
    assert (("hard",), 2026) not in got


def test_one_hidden_donor_gets_two_complements_smallest_first() -> None:
    pipeline = [c(1, "ITA", {2024: "300"}, conf=True), c(2, "AUT", {2024: "5"}, conf=True),
                c(3, "BIG", {2024: "9000"}), c(4, "MID", {2024: "400"}),
                c(5, "LOW", {2024: "200"}), c(6, "LOW", {2024: "150"})]  # fmt: skip
    seen = protect(pipeline, RATES, DEFAULTS, "AUT", RULE, D(13))
    # ITA alone fails; LOW's 150 (new donor, smallest) -> 2 donors; then MID's 400 (a new donor
    # is needed before LOW's second): 300 / 850 = 35% passes
    assert seen.group == {"1", "6", "4"} and seen.complementary == 2 and not seen.left_out
    agg = [x for x in seen.contributions if x.donor == OTHER_CONFIDENTIAL]
    assert [(x.status, dict(x.tranches)) for x in agg] == [("hard", {2024: D("850.00")})]
    assert agg[0].probability is None and agg[0].support_rate == D(13) and agg[0].id is None
    assert {x.donor for x in seen.contributions} == {"AUT", "BIG", "LOW", OTHER_CONFIDENTIAL}
    assert seen.protected_donors == {"ITA"} and "ITA" not in repr(seen.contributions)
    assert "at least 3 donors" in seen.note and "50%" in seen.note


def test_a_dominant_donor_pulls_in_money_until_it_is_at_most_half() -> None:
    pipeline = [c(1, "A", {2024: "1000"}, conf=True), c(2, "B", {2024: "10"}, conf=True),
                c(3, "C", {2024: "20"}, conf=True), c(4, "D", {2024: "500"}),
                c(5, "E", {2024: "600"})]  # fmt: skip
    seen = protect(pipeline, RATES, DEFAULTS, None, RULE, D(13))
    # three donors but A holds 97%: D (500) joins -> 1000 / 1530 = 65%; E (600) -> 47%
    assert seen.group == {"1", "2", "3", "4", "5"} and not seen.left_out


def test_the_dominant_donors_own_open_money_never_joins() -> None:
    # ITA's open 5 is the smallest, but adding it would raise ITA's share: D's 400 joins instead
    pipeline = [c(1, "ITA", {2024: "1000"}, conf=True), c(2, "ITA", {2024: "5"}),
                c(3, "B", {2024: "300"}), c(4, "C", {2024: "300"}), c(5, "D", {2024: "400"})]
    seen = protect(pipeline, RATES, DEFAULTS, None, RULE, D(13))
    assert seen.group == {"1", "3", "4", "5"} and not seen.left_out  # 1000 / 2000 = 50%


def test_every_year_and_the_cycle_must_pass() -> None:
    # 2024 passes with three confidential donors; 2025 holds only A's money: a complement with
    # 2025 money is needed, two in fact (threshold)
    pipeline = [c(1, "A", {2024: "100", 2025: "100"}, conf=True), c(2, "B", {2024: "100"},
                conf=True), c(3, "C", {2024: "100"}, conf=True), c(4, "D", {2025: "100"}),
                c(5, "E", {2025: "100"}), c(6, "F", {2026: "1"})]  # fmt: skip
    seen = protect(pipeline, RATES, DEFAULTS, None, RULE, D(13))
    assert seen.group == {"1", "2", "3", "4", "5"}


def test_no_group_can_pass_so_the_money_is_left_out_and_said() -> None:
    pipeline = [c(1, "ITA", {2029: "300"}, "prospect", conf=True), c(2, "X", {2029: "100"},
                "prospect"), c(3, "SWE", {2026: "50"})]  # fmt: skip
    seen = protect(pipeline, RATES, DEFAULTS, "SWE", RULE, D(13))
    assert seen.left_out and seen.contributions == (pipeline[2],)
    assert "LEFT OUT" in seen.note and "do not reconcile" in seen.note


def test_the_observers_own_money_is_never_grouped() -> None:
    own = c(1, "AUT", {2024: "100"}, conf=True)
    seen = protect([own, c(2, "X", {2024: "1"})], RATES, DEFAULTS, "AUT", RULE, D(13))
    assert seen.contributions == (own, c(2, "X", {2024: "1"})) and not seen.applied


def test_the_gate_names_each_assumption_on_protected_money() -> None:
    pipeline = [c(1, "ITA", {2024: "300"}, "soft", conf=True, currency="EUR"),
                c(2, "L", {2024: "150"}, "soft"), c(3, "M", {2024: "400"}, "soft"),
                c(4, "SWE", {2024: "900"})]  # fmt: skip
    view = protect(pipeline, RATES, DEFAULTS, "SWE", RULE, D(13))
    s = Scenario("x", amount={"1": D(0)}, dropped_donors=("L",), fx_shocks={"EUR": D(-5)},
                 delays={"SWE": 1}, probability_cutoff=D(70))  # fmt: skip
    problems = assumption_problems(s, pipeline, DEFAULTS, [view])
    assert problems == ["Amount: 1 (ITA) is protected money for an observer",
                        "Dropped donors: L has protected money for an observer",
                        "Exchange-rate shocks: EUR is a currency protected money is paid in",
                        "Probability cut-off: 70% drops protected money (ITA, L, M)"]
    assert assumption_problems(Scenario("ok", delays={"SWE": 1}), pipeline, DEFAULTS,
                               [view]) == []  # fmt: skip


def test_names_and_codes_are_found_as_words() -> None:
    donors = [("ITA", "Italy"), ("AUT", "Austria")]
    assert mentions("If italy pays late", donors) == ["ITA"]
    assert mentions("ITA's share", donors) == ["ITA"]
    assert mentions("Capital and autumn", donors) == []
    assert text_problems("Fine", "Austria late", donors) == [
        "Description: names a donor whose money is confidential (AUT); rename it before sharing"]
