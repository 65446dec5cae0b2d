"""Exchange rates as typed by finance (observers: tests/unit/test_domain_disclosure.py)."""

from datetime import date
from decimal import Decimal as D

import pytest

from rpsee.domain.pipeline import (
    Contribution,
    Earmark,
    ExchangeRate,
    PipelineError,
    parse_rate,
    rate_table,
)

RATES = rate_table([ExchangeRate("EUR", D("1.1"), date(2024, 6, 28)),
                    ExchangeRate("SEK", D("0.1"), date(2024, 6, 28))])  # fmt: skip
DEFAULTS = {"hard": D(100), "soft": D(60), "prospect": D(25)}
OPEN = Contribution(1, "SWE", "S-1", "SEK", {2026: D("1000")}, "soft")
MINE = Contribution(2, "AUT", "A-1", "EUR", {2026: D("100")}, "hard", confidential=True)
SECRET_A = Contribution(3, "ITA", "I-1", "EUR", {2026: D("100"), 2027: D("10")}, "hard",
                        Earmark("area", "2"), confidential=True, notes="secret")  # fmt: skip
SECRET_B = Contribution(4, "DEU", "D-1", "SEK", {2026: D("300")}, "hard", probability=D(50),
                        support_rate=D(7), confidential=True)  # fmt: skip
ALL = [OPEN, MINE, SECRET_A, SECRET_B]


@pytest.mark.parametrize("text", ["1,07", "-1", "0", "1e3", "", "abc", "1.1234567", "99999"])
def test_bad_rates_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(PipelineError, match="^Rate EUR: "):
        parse_rate(text, field="Rate EUR")


def test_rates_are_read_exactly() -> None:
    assert parse_rate(" 0.030500 ", field="Rate TRY") == D("0.030500")
    assert parse_rate("1", field="Rate") == 1
    with pytest.raises(PipelineError):
        parse_rate(1.07, field="Rate")  # a float is not exact
