"""Pipeline records: USD conversion at dated rates, default probabilities, checks by field."""

from datetime import date
from decimal import Decimal as D

import pytest

from rpsee.domain.pipeline import (
    Contribution,
    Earmark,
    ExchangeRate,
    PipelineError,
    check_contribution,
    rate_table,
    tranches_usd,
)

RATES = [ExchangeRate("EUR", D("1.0800"), date(2026, 1, 1)),
         ExchangeRate("EUR", D("1.1000"), date(2026, 6, 30)),
         ExchangeRate("SEK", D("0.0950"), date(2026, 6, 30))]  # fmt: skip
DEFAULTS = {"hard": D(100), "soft": D(60), "prospect": D(25)}


def test_the_latest_rate_on_or_before_a_date_is_used() -> None:
    assert rate_table(RATES)["EUR"].usd_per_unit == D("1.1000")
    assert rate_table(RATES, on=date(2026, 3, 1))["EUR"].usd_per_unit == D("1.0800")
    assert rate_table(RATES)["USD"].usd_per_unit == 1


def test_tranches_in_usd_to_the_cent_with_the_status_default_probability() -> None:
    eu = Contribution(1, "EU", "EU-2026-01", "EUR", {2026: D("1000000.00"), 2027: D("333.33")},
                      "soft", Earmark("area", "2"), support_rate=D(7))  # fmt: skip
    [a, b] = tranches_usd([eu], rate_table(RATES), DEFAULTS)
    assert (a.year, a.usd, a.probability, a.support_rate) == (2026, D("1100000.00"), 60, 7)
    assert b.usd == D("366.66")  # 333.33 x 1.1 = 366.663, to the cent


def test_an_unknown_currency_is_named() -> None:
    nok = Contribution(2, "NOR", "N-1", "NOK", {2026: D(5)}, "hard")
    with pytest.raises(PipelineError, match="Currency: no exchange rate for 'NOK'"):
        tranches_usd([nok], rate_table(RATES), DEFAULTS)


def test_bad_contributions_are_refused_field_by_field() -> None:
    bad = Contribution(None, "SWE", "S-1", "XXX", {2031: D(-1)}, "maybe",
                       probability=D(120), support_rate=D(-1))  # fmt: skip
    problems = check_contribution(bad, range(2024, 2030), ["USD", "EUR", "SEK"])
    text = "\n".join(problems)
    for field in ("Status", "Currency", "Probability", "Support-cost rate",
                  "Tranche 2031: outside", "Tranche 2031: a negative"):  # fmt: skip
        assert field in text


def test_an_earmark_needs_its_code() -> None:
    with pytest.raises(PipelineError):
        Earmark("output")
    with pytest.raises(PipelineError):
        Earmark("none", "1.1")
    assert Earmark("jurisdiction", "SRB").label == "Jurisdiction SRB"
