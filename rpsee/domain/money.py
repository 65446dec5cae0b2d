"""Exact money: amounts are Decimal in code and integer cents in storage. One formatter for all."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


class MoneyError(ValueError):
    """An amount that cannot be read as money."""


def to_decimal(value: object) -> Decimal:
    """Read an amount (str, int or Decimal; floats refused) as a Decimal rounded to the cent."""
    if isinstance(value, (bool, float)):
        raise MoneyError(
            f"amount {value!r} must be given exactly (text or integer), not as a float"
        )
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
        if text.upper().startswith("USD"):
            text = text[3:]
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise MoneyError(f"{value!r} is not a number") from None
    else:
        raise MoneyError(f"{value!r} is not an amount")
    if not amount.is_finite():
        raise MoneyError(f"{value!r} is not a finite amount")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(value: object) -> int:
    return int(to_decimal(value) * 100)


def from_cents(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(CENT)


def format_usd(amount: Decimal | int, *, cents: bool = True) -> str:
    """`USD 11,582,088.60`; with cents=False `USD 11,582,089`. Negative as `-USD 5.00`."""
    value = Decimal(amount)
    sign = "-" if value < 0 else ""
    if cents:
        body = f"{abs(value).quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"
    else:
        body = f"{abs(value).quantize(Decimal(1), rounding=ROUND_HALF_UP):,.0f}"
    return f"{sign}USD {body}"


def format_millions(amount: Decimal | int) -> str:
    """`USD 8.1M`, for headlines and chart labels (never for tables that must reconcile)."""
    value = Decimal(amount) / Decimal(1_000_000)
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"USD {text}M"
