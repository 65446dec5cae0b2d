"""The chart caption states a scenario's assumptions in one line, names donors as the reader may
see them and never spells out what the reader may not see."""

from decimal import Decimal as D

from rpsee.domain.scenario import Scenario
from rpsee.domain.scenario_caption import BASELINE, assumptions_caption, signed_percent

NAMES = {"AUT": "Austria", "SWE": "Sweden", "ITA": "Italy"}


def test_the_issue_example_reads_as_written() -> None:
    s = Scenario("x", dropped_donors=("AUT",), probability_cutoff=D(50),
                 fx_shocks={"EUR": D(-10)})  # fmt: skip
    assert assumptions_caption(s.to_dict(), NAMES) == "Austria out, cut-off 50%, EUR \u221210%"


def test_baseline_says_nothing_changed() -> None:
    assert assumptions_caption(Scenario().to_dict(), NAMES) == BASELINE


def test_every_kind_of_assumption_is_stated() -> None:
    s = Scenario("x", delays={"SWE": 2, "17": 1}, probability={"17": D("40")},
                 amount={"17": D(1000)}, fx_shocks={"SEK": D("2.5")},
                 requirement_cut_percent=D(10), defer_new_months=6,
                 dropped_positions=("P-3",), deferred_positions={"P-1": 1},
                 envelope_change_percent=D(-5), donor_correlation=D("0.50"))  # fmt: skip
    text = assumptions_caption(s.to_dict(), NAMES, {"17": "Sweden SE-1"},
                               {"P-1": "Programme officer", "P-3": "Driver"})  # fmt: skip
    assert text == ("Sweden SE-1 1 year late, Sweden 2 years late, Sweden SE-1 at 40%, "
                    "Sweden SE-1 amount changed, SEK +2.5%, activities cut 10%, "
                    "new positions 6 months later, Driver dropped, "
                    "Programme officer 1 month later, envelope \u22125%, "
                    "correlation within a donor 0.5")  # fmt: skip


def test_a_donor_the_reader_may_not_see_is_counted_never_named() -> None:
    s = Scenario("x", dropped_donors=("ITA", "AUT"), delays={"42": 1})
    visible = {"AUT": "Austria"}  # an observer's names: Italy and contribution 42 withheld
    text = assumptions_caption(s.to_dict(), visible, hidden=1)
    assert "ITA" not in text and "Italy" not in text and "42" not in text
    assert text == "Austria out, 3 assumptions on contributions not shown"


def test_zero_values_are_left_out() -> None:
    s = Scenario("x", fx_shocks={"EUR": D(0)}, delays={"SWE": 0})
    assert assumptions_caption(s.to_dict(), NAMES) == BASELINE


def test_signed_percent() -> None:
    assert [signed_percent(v) for v in (D(5), D(-10), D(0), D("12.50"))] == [
        "+5%", "\u221210%", "0%", "+12.5%"]


def test_requirement_note_names_the_years_and_the_envelope() -> None:
    from rpsee.domain.scenario_caption import requirement_note

    text = requirement_note([2024, 2025, 2026, 2027, 2028, 2029], [2026, 2027], "USD 55M")
    assert text.startswith("Requirement 2024–2029 (July 2024 – June 2029): activities of "
                           "2026 and 2027 (the years with a workplan), staff costs only for "
                           "2024, 2025, 2028 and 2029")  # fmt: skip
    assert "not the USD 55M envelope" in text
    assert "no activities" in requirement_note([2026], [], "USD 55M")
