"""Exact money: amounts are Decimal in code and integer cents in storage. One formatter for all,
and one parser (`parse_amount`, `parse_percent`) for every amount or percentage a user types or
uploads; `to_decimal` is for trusted internal values only (reference data, stored figures)."""

from __future__ import annotations

import math
import numbers
import re
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from rpsee.domain.text_rules import shown

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# The ceiling of any one amount a user types: a budget line, a year's envelope, a target, an
# annual cost rate. The whole programme is USD 55M; above USD 1bn it is a typing error.
MAX_AMOUNT = Decimal("1000000000.00")
PERCENT_PLACES = 2  # a percentage has at most two decimals (33.33)
MAX_TYPED = 40  # characters: longer text is not an amount (quoted cut to this length)

_SPACES = " \u00a0\u202f\u2009\t"  # space, no-break space, narrow no-break space, thin space
_MINUS = "-\u2212"
_PLAIN = re.compile(r"^(\d+)(?:\.(\d*))?$|^\.(\d+)$", re.ASCII)
_COMMA_GROUPS = re.compile(r"^(\d{1,3}(?:,\d{3})+)(?:\.(\d*))?$", re.ASCII)
_SPACE_GROUPS = re.compile(r"^(\d{1,3}(?: \d{3})+)(?:\.(\d*))?$", re.ASCII)
_POINT_GROUPS = re.compile(r"^\d{1,3}(?:\.\d{3})+$", re.ASCII)
_COMMA_DECIMAL = re.compile(r"^[\d., ]*\d,\d{1,2}$", re.ASCII)
_WIDE = Context(prec=200)  # for hints about typed text (at most MAX_TYPED digits)


class MoneyError(ValueError):
    """An amount that cannot be read as money."""


class AmountError(MoneyError):
    """A typed or uploaded amount or percentage refused: `reason` quotes the input and says what
    to type; the message adds the row (or cell) and the field."""

    def __init__(self, field: str, row: str | None, reason: str) -> None:
        self.field, self.row, self.reason = field, row, reason
        where = f"{row}, {field}" if row else field
        super().__init__(f"{where}: {reason}")


def is_blank(value: object) -> bool:
    """None, an empty or all-space text, NaN, or a pandas NA: no value was given."""
    if value is None:
        return True
    if isinstance(value, Decimal):  # a Decimal NaN is refused, not taken for an empty cell
        return False
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip(_SPACES + "\r\n"):
        return True
    try:  # pandas NA / NaT
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def quoted(value: object) -> str:
    """The input as the message quotes it: as typed (cut to MAX_TYPED), floats by repr."""
    if isinstance(value, date):  # a date cell: as the user reads it, `1 Mar 2026`
        return shown(value)
    text = repr(value) if isinstance(value, float) else str(value)
    return f"'{text[:MAX_TYPED]}…'" if len(text) > MAX_TYPED else f"'{text}'"


def _places(number: Decimal) -> int:
    """Decimals a finite number needs (1.50 -> 1, 1E+3 -> 0), without rounding."""
    _sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing)) if any(digits) else 0


def _cents(number: Decimal) -> Decimal:
    """`number` rounded to the cent, for a hint in a message only (never for the value)."""
    return number.quantize(CENT, ROUND_HALF_UP, context=_WIDE)


def _plain(number: Decimal) -> str:
    """`1500`, `1.5`: the number as the user should type it (no exponent)."""
    return f"{number.normalize():f}"


class _Refused(Exception):
    """Internal: the explanation that follows the quoted input."""


def _numeric(value: object) -> Decimal | None:
    """A bool, int, float or Decimal as an exact Decimal (floats by their shortest repr, as a
    numeric Excel cell or a grid shows them); None for text. Refuses bools, NaN and infinity."""
    if isinstance(value, bool):
        raise _Refused("is a yes/no value, not an amount")
    item = getattr(value, "item", None)  # numpy scalars from a pandas table
    if callable(item) and getattr(value, "shape", None) == () and not isinstance(value, float):
        value = item()
        if isinstance(value, bool):
            raise _Refused("is a yes/no value, not an amount")
    if isinstance(value, numbers.Integral):
        return Decimal(int(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _Refused("is not a finite number: type an amount, e.g. 46500.00")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _Refused("is not a finite number: type an amount, e.g. 46500.00")
        return value
    if isinstance(value, str):
        return None
    raise _Refused("is not an amount (a date or other value): type an amount, e.g. 46500.00")


def _sign(text: str) -> tuple[bool, str]:
    """Strip a leading minus or plus sign: (negative, rest)."""
    if text[:1] in _MINUS:
        return True, text[1:].lstrip(_SPACES)
    if text[:1] == "+":
        return False, text[1:].lstrip(_SPACES)
    return False, text


def _amount_text(text: str) -> Decimal:
    """Typed text as a Decimal by the product's convention (see `parse_amount`), or _Refused."""
    text = text.strip(_SPACES + "\r\n")
    if len(text) > MAX_TYPED:
        raise _Refused("is too long to be an amount")
    if text.startswith("(") and text.endswith(")"):
        raise _Refused("is in brackets: type a minus sign if you mean a negative amount")
    negative, body = _sign(text)
    if body[:3].upper() == "USD":
        body = body[3:].lstrip(_SPACES)
    elif body[:1] == "$":
        body = body[1:].lstrip(_SPACES)
    if not negative:
        negative, body = _sign(body)
    number = _digits(body)
    return -number if negative else number


def _digits(body: str) -> Decimal:
    """The unsigned number part of a typed amount."""
    lower = body.lower()
    if not body:
        raise _Refused("has no digits: type an amount, e.g. 46500.00")
    if lower in ("nan", "inf", "infinity"):
        raise _Refused("is not a finite number: type an amount, e.g. 46500.00")
    if re.search(r"\d[eE][-+]?\d", body):
        raise _Refused("is in scientific notation: type the amount in full digits, e.g. 46500.00")
    if "€" in body or "eur" in lower or "£" in body or "chf" in lower:
        raise _Refused("is not in US dollars: type the amount in USD, e.g. 46500.00")
    spaced = re.sub(f"[{_SPACES}]+", " ", body)
    if re.search(r"[^0-9., ]", spaced):
        raise _Refused("is not a number: type digits with a point for decimals, e.g. 46500.00 "
                       "or 46,500.00")  # fmt: skip
    if "," in spaced and "." in spaced and spaced.rfind(",") > spaced.rfind("."):
        raise _Refused(_european(spaced))
    if _COMMA_DECIMAL.match(spaced):
        raise _Refused(_european(spaced))
    if spaced.count(".") > 1:
        whole = spaced.replace(" ", "")
        if _POINT_GROUPS.match(whole):
            n = Decimal(whole.replace(".", ""))
            raise _Refused(f"uses points between thousands: if you mean {n:,}, type {n} or "
                           f"{n:,}")  # fmt: skip
        raise _Refused("has several points: type one point, for decimals, e.g. 46500.00")
    for pattern in (_PLAIN, _COMMA_GROUPS, _SPACE_GROUPS):
        match = pattern.match(spaced)
        if match:
            break
    else:
        digits = re.sub(r"[^\d.]", "", spaced)
        raise _Refused("has separators that are not between groups of three digits: type "
                       f"{digits or 'the amount'} without separators, or group thousands with "
                       "commas, e.g. 1,234,567.00")  # fmt: skip
    number = Decimal(spaced.replace(",", "").replace(" ", ""))
    decimals = len(spaced.rpartition(".")[2]) if "." in spaced else 0
    if decimals > 2:
        raise _Refused(_too_many_decimals(spaced, number))
    return number


def _european(spaced: str) -> str:
    """The message for a comma used as the decimal mark (`46.500,00`, `1,5`)."""
    whole, _c, cents = spaced.rpartition(",")
    whole = whole.replace(".", "").replace(" ", "").replace(",", "")
    try:
        meant = Decimal(f"{whole or '0'}.{cents}")
    except InvalidOperation:
        return "uses a comma for decimals: use a point for decimals, e.g. 46500.00"
    if _places(meant) > 2:
        return "uses a comma for decimals: use a point for decimals, e.g. 46500.00"
    plain = _cents(meant)
    return (f"uses a comma for decimals (the European way): here a point marks decimals and "
            f"commas only separate thousands; if you mean {plain:,}, type {plain}")


def _too_many_decimals(spaced: str, number: Decimal) -> str:
    if re.match(r"^\d{1,3}\.\d{3}$", spaced):
        thousands = Decimal(spaced.replace(".", ""))
        small = _cents(number)
        return (f"has three decimals: if you mean USD {small}, type {small}; if you mean "
                f"USD {thousands:,}.00, type {thousands} or {thousands:,} (a point marks "
                "decimals here, at most two)")  # fmt: skip
    return ("has more than two decimals: amounts are in dollars and cents; round it to cents "
            f"yourself (e.g. {_cents(number)})")


def whole_number(value: object) -> int:
    """A whole number a user typed or uploaded, exactly (`3`, `3.0`, a numeric cell); ValueError
    for anything else (`2.5` is never read as 2, `True` is not 1)."""
    if isinstance(value, bool):
        raise ValueError
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(
            str(value).strip())  # fmt: skip
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError
    return int(number)


def parse_amount(
    value: object, *, field: str, row: str | None = None, ceiling: Decimal = MAX_AMOUNT,
    allow_negative: bool = False, blank: Decimal | None = None,
) -> Decimal:  # fmt: skip
    """Read an amount a user typed or uploaded, exactly, as a Decimal with two places.

    Rules: a point marks decimals, at most two (`1234.567` and `1.500` are refused, never
    rounded); thousands may be separated by commas (`46,500.00`) or spaces in groups of three;
    an optional leading `USD` or `$`. Refused, with what to type: a comma as decimal mark
    (`46.500,00`, `1,5`, `1,50`), bad grouping (`1,23,456`), several points, scientific notation
    (`1e20`), NaN, infinity, yes/no values, a negative amount unless `allow_negative`, anything
    above `ceiling`, and a blank unless `blank` gives its value. Integers and Decimals are read
    exactly; a float (a numeric Excel cell) by its shortest repr, then by the same rules.
    Raises AmountError naming `row` and `field` and quoting the input.
    """
    if is_blank(value):
        if blank is not None:
            return blank
        raise AmountError(field, row, "is empty: type an amount, e.g. 46500.00")
    try:
        number = _numeric(value)
        typed = number is None
        if number is None:
            number = _amount_text(str(value))
        if number < 0 and not allow_negative:
            meant = f" (type {_plain(-number)} if you mean a positive one)" if typed else ""
            raise _Refused(f"is negative: this amount must be zero or more{meant}")
        if abs(number) > ceiling:
            raise _Refused(f"is above the ceiling of {format_usd(ceiling)} for one amount: "
                           "check the figure (type the amount in USD, e.g. 46500.00)")  # fmt: skip
        if _places(number) > 2:
            hint = "round it to cents in the sheet" if isinstance(value, float) else "round it"
            raise _Refused(f"has more than two decimals: amounts are in dollars and cents; "
                           f"{hint} (e.g. {_cents(number)})")  # fmt: skip
    except _Refused as refusal:
        raise AmountError(field, row, f"{quoted(value)} {refusal}") from None
    return abs(number).quantize(CENT) if number == 0 else number.quantize(CENT)


def parse_percent(
    value: object, *, field: str, row: str | None = None, low: Decimal = Decimal(0),
    high: Decimal = Decimal(100), blank: Decimal | None = None,
) -> Decimal:  # fmt: skip
    """Read a percentage a user typed, exactly: digits with a point for decimals (at most
    PERCENT_PLACES), an optional `%`, between `low` and `high`. A comma (`12,5`), scientific
    notation, NaN and anything out of range are refused with what to type; floats by repr.
    Raises AmountError naming `row` and `field` and quoting the input."""
    if is_blank(value):
        if blank is not None:
            return blank
        raise AmountError(field, row, "is empty: type a percentage, e.g. 12.5")
    try:
        number = _numeric(value)
        if number is None:
            number = _percent_text(str(value))
        if not low <= number <= high:
            raise _Refused(f"is out of range: type a percentage from {_plain(low)} to "
                           f"{_plain(high)}")  # fmt: skip
        if _places(number) > PERCENT_PLACES:
            raise _Refused(f"has more than {PERCENT_PLACES} decimals: type e.g. "
                           f"{_cents(number)}")  # fmt: skip
    except _Refused as refusal:
        raise AmountError(field, row, f"{quoted(value)} {refusal}") from None
    return abs(number) if number == 0 else number


def _percent_text(text: str) -> Decimal:
    text = text.strip(_SPACES + "\r\n")
    if len(text) > MAX_TYPED:
        raise _Refused("is too long to be a percentage")
    text = text.removesuffix("%").rstrip(_SPACES)
    negative, body = _sign(text)
    if re.fullmatch(r"[0-9]+,[0-9]+", body):
        raise _Refused(f"uses a comma for decimals: type {body.replace(',', '.')} (a point "
                       "marks decimals)")  # fmt: skip
    if re.search(r"[0-9][eE][-+]?[0-9]", body):
        raise _Refused("is in scientific notation: type the percentage in digits, e.g. 12.5")
    if not _PLAIN.match(body):
        raise _Refused("is not a percentage: type digits with a point for decimals, e.g. 12.5")
    number = Decimal(body)
    return -number if negative else number


def to_decimal(value: object) -> Decimal:
    """Read a trusted internal amount (str, int or Decimal; floats refused) as a Decimal rounded
    to the cent. What users type or upload goes through `parse_amount` instead."""
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
    try:
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than Decimal's precision (e.g. 1e26)
        raise MoneyError(f"{value!r} is too large an amount") from None


def to_cents(value: object) -> int:
    return int(to_decimal(value) * 100)


def from_cents(cents: int) -> Decimal:
    """Cents as an exact amount with two decimals (`12345` -> `123.45`, `0` -> `0.00`)."""
    return Decimal(int(cents)).scaleb(-2)


def format_usd(amount: Decimal | int, *, cents: bool = True) -> str:
    """`USD 11,582,088.60`; with cents=False `USD 11,582,089`. Negative as `-USD 5.00`."""
    value = Decimal(amount)
    sign = "-" if value < 0 else ""
    if cents:
        body = f"{abs(value).quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"
    else:
        body = f"{abs(value).quantize(Decimal(1), rounding=ROUND_HALF_UP):,.0f}"
    return f"{sign}USD {body}"


def format_amount(amount: Decimal | int) -> str:
    """`46,500.00`: an amount as the grid and the editable tables show it (no currency)."""
    return format_usd(amount).replace("USD ", "")


def format_millions(amount: Decimal | int) -> str:
    """`USD 8.1M`, for headlines and chart labels (never for tables that must reconcile)."""
    value = Decimal(amount) / Decimal(1_000_000)
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"USD {text}M"
