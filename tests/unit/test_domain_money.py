from decimal import Decimal

import pytest

from rpsee.domain.money import (
    MoneyError,
    format_millions,
    format_usd,
    from_cents,
    to_cents,
    to_decimal,
)


def test_reads_text_and_integers_exactly() -> None:
    assert to_decimal("11,582,088.60") == Decimal("11582088.60")
    assert to_decimal("USD 8 100 000") == Decimal("8100000.00")
    assert to_decimal(55_000_000) == Decimal("55000000.00")
    assert to_decimal("0.005") == Decimal("0.01")  # half up to the cent


@pytest.mark.parametrize("bad", [0.1, "abc", "", "1e400x", None, True, "NaN", "Infinity"])
def test_refuses_what_is_not_an_exact_amount(bad: object) -> None:
    with pytest.raises(MoneyError):
        to_decimal(bad)


def test_cents_round_trip() -> None:
    assert to_cents("11582088.60") == 1_158_208_860
    assert from_cents(1_158_208_860) == Decimal("11582088.60")
    # the per position-month average of the domain brief: 11,582,088.60 / (20 x 60)
    assert (from_cents(1_158_208_860) / 1200).quantize(Decimal("0.01")) == Decimal("9651.74")


def test_formats() -> None:
    assert format_usd(Decimal("11582088.60")) == "USD 11,582,088.60"
    assert format_usd(Decimal("11582088.60"), cents=False) == "USD 11,582,089"
    assert format_usd(Decimal(-5)) == "-USD 5.00"
    assert format_millions(Decimal(8100000)) == "USD 8.1M"
    assert format_millions(Decimal(11000000)) == "USD 11M"
    assert format_millions(Decimal("11582088.60")) == "USD 11.58M"
