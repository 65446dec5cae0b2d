"""The one parser for typed and uploaded amounts and percentages: examples and properties."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rpsee.domain.money import (
    MAX_AMOUNT,
    AmountError,
    format_amount,
    format_usd,
    parse_amount,
    parse_percent,
    to_decimal,
)
from rpsee.domain.workplan_rules import read_amount

FAST = settings(max_examples=200, deadline=None)
FIELD, ROW = "Budget – Travel", "Row 7"


def refusal(value: object, **kw: object) -> str:
    with pytest.raises(AmountError) as info:
        parse_amount(value, field=FIELD, row=ROW, **kw)
    return str(info.value)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("46,500.00", "46500.00"),
        ("46500", "46500.00"),
        ("46500.5", "46500.50"),
        ("USD 46,500.00", "46500.00"),
        ("$46,500", "46500.00"),
        ("46 500.00", "46500.00"),
        ("46\u00a0500.00", "46500.00"),
        ("1,500", "1500.00"),
        ("  12.3 ", "12.30"),
        ("0", "0.00"),
        (46500, "46500.00"),
        (46500.1, "46500.10"),  # a numeric Excel cell: read by its shortest repr, exactly
        (D("46500.10"), "46500.10"),
        ("1,000,000,000.00", "1000000000.00"),
    ],
)
def test_reads_the_products_convention(typed: object, amount: str) -> None:
    got = parse_amount(typed, field=FIELD)
    assert got == D(amount) and str(got) == amount


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("46.500,00", "if you mean 46,500.00, type 46500.00"),  # never 46.50
        ("1,5", "if you mean 1.50, type 1.50"),  # never 15.00
        ("1,50", "if you mean 1.50, type 1.50"),
        ("1 000,50", "if you mean 1,000.50, type 1000.50"),
        ("1,23,456", "not between groups of three digits: type 123456"),
        ("1.2.3", "several points"),
        ("1.234.567", "if you mean 1,234,567, type 1234567 or 1,234,567"),
        ("1234.567", "more than two decimals"),  # never 1,234.56 or 1,234.57
        ("1.500", "if you mean USD 1.50, type 1.50; if you mean USD 1,500.00, type 1500"),
        ("-5000", "is negative: this amount must be zero or more (type 5000"),  # never 5,000.00
        ("−5000", "is negative"),
        ("-USD 5.00", "is negative"),
        ("1e20", "scientific notation"),  # never 120.00
        ("1e26", "scientific notation"),
        ("100000000000000000000000000", "above the ceiling of USD 1,000,000,000.00"),
        ("1,000,000,000.01", "above the ceiling"),
        ("NaN", "not a finite number"),
        ("inf", "not a finite number"),
        ("twelve", "is not a number"),
        ("€ 5", "in USD"),
        ("(5,000)", "brackets"),
        ("", "is empty"),
    ],
)
def test_refuses_and_says_what_to_type(typed: str, says: str) -> None:
    message = refusal(typed)
    assert message.startswith(f"{ROW}, {FIELD}: ")
    assert says in message
    if typed:
        assert f"'{typed}'" in message


@pytest.mark.parametrize(
    ("number", "says"),
    [
        (1e26, "above the ceiling"),  # decimal.InvalidOperation before
        (1e20, "above the ceiling"),
        (-5000, "is negative"),
        (-5000.0, "is negative"),
        (0.30000000000000004, "round it to cents in the sheet"),
        (1234.567, "more than two decimals"),
        (float("inf"), "not a finite number"),
        (D("NaN"), "not a finite number"),
        (D("1E+26"), "above the ceiling"),
        (True, "yes/no"),
        (None, "is empty"),
    ],
)
def test_refuses_numbers_out_of_rule(number: object, says: str) -> None:
    assert says in refusal(number)


def test_negative_only_where_allowed_and_blank_only_where_given() -> None:
    assert parse_amount("-5,000.00", field=FIELD, allow_negative=True) == D("-5000.00")
    assert parse_amount("-USD 5.00", field=FIELD, allow_negative=True) == D("-5.00")
    assert parse_amount("", field=FIELD, blank=D("0.00")) == D("0.00")
    assert parse_amount("-0", field=FIELD) == D("0.00") and str(parse_amount("-0", field=FIELD))
    assert "ceiling of USD 100.00" in refusal("100.01", ceiling=D(100))


def test_the_grid_and_upload_read_through_the_same_parser() -> None:
    assert read_amount("46,500.00") == D("46500.00")  # the grid's own display
    assert read_amount("") == read_amount(None) == read_amount(" – ") == D("0.00")
    for typed in ("46.500,00", "1,5", "-5000", "1234.567", "1e20", "1e26", 1e26):
        with pytest.raises(AmountError) as info:
            read_amount(typed, field=FIELD, row=ROW)
        assert info.value.row == ROW and info.value.field == FIELD


def test_trusted_values_never_raise_invalid_operation() -> None:
    from rpsee.domain.money import MoneyError

    with pytest.raises(MoneyError, match="too large"):
        to_decimal("1e26")


@pytest.mark.parametrize(
    ("typed", "value"),
    [("12.5", "12.5"), ("12.5%", "12.5"), (" 7 ", "7"), (2.1, "2.1"), (15, "15"), ("0", "0")],
)
def test_percent_reads(typed: object, value: str) -> None:
    assert parse_percent(typed, field="Vacancy 2026") == D(value)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("12,5", "type 12.5"),
        ("33.333", "more than 2 decimals"),
        ("101", "from 0 to 100"),
        ("-1", "from 0 to 100"),
        ("1e2", "scientific notation"),
        (float("nan"), "is empty"),
        (0.30000000000000004, "more than 2 decimals"),
        ("abc", "not a percentage"),
    ],
)
def test_percent_refusals(typed: object, says: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_percent(typed, field="Vacancy 2026", row="Rates")
    assert str(info.value).startswith("Rates, Vacancy 2026: ") and says in str(info.value)


# Properties -------------------------------------------------------------------------------------

CENTS = st.integers(min_value=0, max_value=int(MAX_AMOUNT * 100))
FORMATS = [
    lambda d: f"{d}",  # plain 46500.00
    lambda d: f"{d:f}".rstrip("0").rstrip(".") if "." in f"{d}" else f"{d}",  # 46500.5
    format_amount,  # the grid's 46,500.00
    format_usd,  # USD 46,500.00
    lambda d: f"${d:,}",
    lambda d: f"{d:,}".replace(",", " "),
    lambda d: f"{d:,}".replace(",", "\u00a0"),
]


@FAST
@given(CENTS, st.sampled_from(FORMATS))
def test_every_formatted_amount_reads_back_exactly(cents: int, fmt) -> None:  # noqa: ANN001
    amount = D(cents) / 100
    assert parse_amount(fmt(amount), field=FIELD) == amount


@FAST
@given(CENTS)
def test_numbers_read_back_exactly(cents: int) -> None:
    amount = D(cents) / 100
    assert parse_amount(amount, field=FIELD) == amount
    assert parse_amount(float(f"{amount}"), field=FIELD) == amount  # repr of the nearest float
    if cents % 100 == 0:
        assert parse_amount(cents // 100, field=FIELD) == amount


@FAST
@given(st.text(max_size=30), st.sampled_from(["Envelope 2027", "Budget – Travel"]))
def test_every_refusal_names_the_field_and_quotes_the_input(text: str, field: str) -> None:
    try:
        parse_amount(text, field=field, row="Row 3")
    except AmountError as exc:
        message = str(exc)
        assert message.startswith(f"Row 3, {field}: ")
        assert text.strip() == "" or f"'{text}'" in message
        assert "type" in message or "yes/no" in message
    try:
        parse_percent(text, field=field)
    except AmountError as exc:
        assert str(exc).startswith(f"{field}: ")
        assert text.strip() == "" or f"'{text}'" in str(exc)


@FAST
@given(st.decimals(allow_nan=True, allow_infinity=True) | st.floats() | st.integers())
def test_any_number_is_read_exactly_or_refused_never_changed(number: object) -> None:
    try:
        got = parse_amount(number, field=FIELD, allow_negative=True)
    except AmountError as exc:
        assert str(exc).startswith(f"{FIELD}: ")
        return
    exact = D(repr(number)) if isinstance(number, float) else D(number)
    assert got == exact and abs(got) <= MAX_AMOUNT and got == got.quantize(D("0.01"))


@FAST
@given(st.from_regex(r"\A[0-9]{1,3}(,[0-9]{3}){0,3}\.[0-9]{3,6}\Z"))
def test_never_rounds_more_than_two_decimals(text: str) -> None:
    assert "decimals" in refusal(text)
