"""Every splitter: the parts always add up to the whole, for any weights, never negative."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rpsee.domain.allocation import percent_shares, split_amount, split_cents
from rpsee.domain.envelope import Target, compare, target_amounts, unallocated
from rpsee.domain.money import from_cents
from rpsee.domain.workplan import Activity
from rpsee.domain.workplan_totals import by_jurisdiction, by_month, by_quarter, grand_total

FAST = settings(max_examples=200, deadline=None)
TOTALS = st.integers(min_value=0, max_value=10**17)
INT_WEIGHTS = st.integers(min_value=0, max_value=10**30)
DEC_WEIGHTS = st.decimals(min_value=0, max_value=10**12, places=6, allow_nan=False,
                          allow_infinity=False)  # fmt: skip
TINY_WEIGHTS = st.decimals(min_value=D("1E-20"), max_value=D("1E-12"), places=30)
WEIGHTS = st.lists(INT_WEIGHTS | DEC_WEIGHTS | TINY_WEIGHTS, min_size=1, max_size=25)


@FAST
@given(TOTALS, WEIGHTS)
def test_parts_add_up_never_negative_zero_weights_get_nothing(total: int, weights: list) -> None:
    assume(sum(weights) > 0)
    parts = split_cents(total, weights)
    assert sum(parts) == total and len(parts) == len(weights)
    assert all(p >= 0 for p in parts)
    assert all(p == 0 for p, w in zip(parts, weights, strict=True) if w == 0)
    weight_sum = sum(D(w) for w in weights)
    for p, w in zip(parts, weights, strict=True):  # each within a cent of its exact share
        exact = D(total) * D(w) / weight_sum
        assert abs(p - exact) < 1 + D("1E-6")


@FAST
@given(st.integers(min_value=-(10**15), max_value=10**15), WEIGHTS)
def test_negative_totals_split_the_same_way(total: int, weights: list) -> None:
    assume(sum(weights) > 0)
    parts = split_cents(total, weights)
    assert sum(parts) == total
    assert parts == [-p for p in split_cents(-total, weights)]


@FAST
@given(TOTALS)
def test_one_weight_takes_the_whole(total: int) -> None:
    assert split_cents(total, [D("0.0001")]) == [total]
    assert split_amount(from_cents(total), [7]) == [from_cents(total)]


def test_weights_that_cannot_split_are_refused() -> None:
    assert split_cents(500, []) == []
    with pytest.raises(ValueError, match="more than zero"):
        split_cents(500, [0, 0])
    with pytest.raises(ValueError, match="negative"):
        split_cents(500, [3, -1])


def test_huge_and_tiny_weights_are_exact() -> None:
    # beyond Decimal's 28 digits: rounding the quotients once gave parts adding up wrongly
    weights = [10**40 + 1, 10**40, 1]
    assert sum(split_cents(10**20 + 7, weights)) == 10**20 + 7
    assert split_cents(3, [D("1E-30"), D("2E-30")]) == [1, 2]


PERCENTS = st.decimals(min_value=0, max_value=100, places=2)


@FAST
@given(st.lists(PERCENTS, min_size=1, max_size=9), st.integers(min_value=0, max_value=10**11))
def test_percent_targets_and_the_unallocated_rest_add_up(shares: list, cents: int) -> None:
    envelope = from_cents(cents)
    targets = [Target(2027, "area", str(i), "percent", s) for i, s in enumerate(shares)]
    amounts = target_amounts(targets, envelope)
    assert all(a >= 0 for a in amounts.values())
    if sum(shares) <= 100:
        assert sum(amounts.values()) + unallocated(targets, envelope) == envelope
        assert unallocated(targets, envelope) >= 0
    else:
        exact = envelope * sum(shares) / 100
        assert abs(sum(amounts.values()) - exact) <= D("0.005")


@FAST
@given(st.lists(PERCENTS, min_size=1, max_size=9), st.integers(min_value=0, max_value=10**11))
def test_shares_of_exactly_100_percent_give_the_envelope(shares: list, cents: int) -> None:
    rest = D(100) - sum(shares)
    assume(0 <= rest <= 100)
    targets = [Target(2027, "office", str(i), "percent", s)
               for i, s in enumerate([*shares, rest])]  # fmt: skip
    assert sum(target_amounts(targets, from_cents(cents)).values()) == from_cents(cents)


@FAST
@given(st.lists(st.integers(min_value=0, max_value=10**11), min_size=1, max_size=8),
       st.lists(st.integers(min_value=0, max_value=10**10), min_size=8, max_size=8),
       st.decimals(min_value=0, max_value=50, places=2))  # fmt: skip
def test_support_costs_shared_to_the_cent(activities: list, staff: list, rate: D) -> None:
    keys = [str(i) for i in range(len(activities))]
    rows = compare(keys, {}, {k: from_cents(a) for k, a in zip(keys, activities, strict=True)},
                   {k: from_cents(s) for k, s in zip(keys, staff, strict=False)}, "gross",
                   rate)  # fmt: skip
    direct = sum(r.activities + r.staff for r in rows)
    total_psc = (direct * rate / 100).quantize(D("0.01"), "ROUND_HALF_UP")
    assert sum(r.support_costs for r in rows) == (total_psc if direct else 0)
    assert all(r.support_costs >= 0 for r in rows)


def _activity(cents: int, places: int, months: tuple[int, int]) -> Activity:
    codes = ("ALB", "BIH", "MNE", "MKD", "SRB", "XKX", "REG")[:places]
    return Activity(code="", title="t", output_code="1.1", jurisdictions=codes, lead_office="IST",
                    position_id=None, start_month=months[0], end_month=months[1],
                    budget={"TRAVEL": from_cents(cents)})  # fmt: skip


@FAST
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=10**11),
                          st.integers(min_value=1, max_value=7),
                          st.tuples(st.integers(1, 12), st.integers(1, 12)).map(sorted)),
                min_size=1, max_size=6))  # fmt: skip
def test_jurisdiction_month_and_quarter_splits_add_up(lines: list) -> None:
    activities = [_activity(c, n, (m[0], m[1])) for c, n, m in lines]
    total = grand_total(activities)
    assert sum(by_jurisdiction(activities).values()) == total
    assert sum(by_quarter(activities).values()) == total
    for a in activities:
        months = by_month(a)
        assert sum(months.values()) == a.total * 100 and all(v >= 0 for v in months.values())


def test_shown_percentages_add_up_to_exactly_100() -> None:
    from rpsee.domain.tables import breakdown

    # rounded one by one: 33.33 x 3 = 99.99; 16.67 x 6 = 100.02
    assert percent_shares([1, 1, 1]) == [D("33.34"), D("33.33"), D("33.33")]
    assert sum(percent_shares([D("1.00")] * 6)) == 100
    # 2/3 = 66.666.. and 1/3 = 33.333..: 66.67 + 33.33 (the largest remainder gets the cent)
    assert percent_shares([2, 1]) == [D("66.67"), D("33.33")]
    assert percent_shares([0, 0]) == [None, None] and percent_shares([]) == []
    table = breakdown("By quarter", "Quarter", [(f"Q{i}", D("100.00")) for i in range(1, 4)],
                      share=True)  # fmt: skip
    assert table.column("Share")[:3] == [D("33.34"), D("33.33"), D("33.33")]


@FAST
@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=30))
def test_percent_shares_always_add_up_to_100(amounts: list) -> None:
    assume(sum(amounts) > 0)
    shares = percent_shares(amounts)
    assert sum(shares) == 100
    for s, a in zip(shares, amounts, strict=True):  # each within 0.01 of its exact share
        assert abs(s - D(a) * 100 / sum(amounts)) < D("0.01")
