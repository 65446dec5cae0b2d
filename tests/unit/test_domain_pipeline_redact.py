"""Donor confidentiality (what an observer sees) and exchange rates as typed by finance."""

from datetime import date
from decimal import Decimal as D

import pytest

from rpsee.domain.pipeline import (
    OTHER_CONFIDENTIAL,
    Contribution,
    Earmark,
    ExchangeRate,
    PipelineError,
    parse_rate,
    rate_table,
    redact,
    tranches_usd,
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


def test_others_see_everything() -> None:
    assert redact(ALL, RATES, DEFAULTS, None, observer=False) == ALL


def test_an_observer_sees_its_own_and_one_aggregate_per_year_and_status() -> None:
    seen = redact(ALL, RATES, DEFAULTS, "AUT", observer=True)
    assert seen[:2] == [OPEN, MINE]
    agg = seen[2:]
    assert [(c.donor, c.status, dict(c.tranches)) for c in agg] == [
        (OTHER_CONFIDENTIAL, "hard", {2026: D("140.00")}),  # 110 + 30 USD
        (OTHER_CONFIDENTIAL, "hard", {2027: D("11.00")}),
    ]
    # amount-weighted: probability (110 x 100 + 30 x 50) / 140 = 89.29; support rate
    # (110 x 13 + 30 x 7) / 140 = 11.71
    assert (agg[0].probability, agg[0].support_rate) == (D("89.29"), D("11.71"))
    assert all(c.id is None and c.earmark == Earmark() and not c.notes for c in agg)
    assert "ITA" not in repr(seen) and "secret" not in repr(seen) and "D-1" not in repr(seen)


def test_the_aggregate_keeps_the_usd_totals_to_the_cent() -> None:
    def usd(cs: list) -> dict:  # noqa: ANN001
        out: dict = {}
        for t in tranches_usd(cs, RATES, DEFAULTS):
            out[(t.year, t.status)] = out.get((t.year, t.status), 0) + t.usd
        return out

    assert usd(redact(ALL, RATES, DEFAULTS, "AUT", observer=True)) == usd(ALL)


def test_an_observer_without_a_donor_sees_no_confidential_contribution_itself() -> None:
    seen = redact(ALL, RATES, DEFAULTS, None, observer=True)
    assert [c.id for c in seen if c.id] == [1]


@pytest.mark.parametrize("text", ["1,07", "-1", "0", "1e3", "", "abc", "1.1234567", "99999"])
def test_bad_rates_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(PipelineError, match="^Rate EUR: "):
        parse_rate(text, field="Rate EUR")


def test_rates_are_read_exactly() -> None:
    assert parse_rate(" 0.030500 ", field="Rate TRY") == D("0.030500")
    assert parse_rate("1", field="Rate") == 1
    with pytest.raises(PipelineError):
        parse_rate(1.07, field="Rate")  # a float is not exact
