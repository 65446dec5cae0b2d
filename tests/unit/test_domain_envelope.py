"""The allocation comparison on a small hand-checked example."""

from __future__ import annotations

from decimal import Decimal as D

from rpsee.domain.envelope import (
    Target,
    check_targets,
    compare,
    direct_share,
    over_allocations,
    psc,
    target_amounts,
    total_row,
    unallocated,
)


def test_targets_in_usd_or_percent() -> None:
    targets = [Target(2026, "area", "1", "percent", D("15")),
               Target(2026, "area", "2", "usd", D("1234.5"))]  # fmt: skip
    assert target_amounts(targets, D("11000000")) == {"1": D("1650000.00"), "2": D("1234.50")}
    assert unallocated(targets, D("11000000")) == D("9348765.50")


def _thirds(envelope: str) -> dict[str, D]:
    shares = [Target(2027, "office", k, "percent", D(v))
              for k, v in (("IST", "33.33"), ("SAR", "33.33"), ("BEL", "33.34"))]  # fmt: skip
    return target_amounts(shares, D(envelope))


def test_shares_of_100_percent_give_the_envelope_to_the_cent() -> None:
    # Rounding each row gave 3,666,300.02 + 3,666,300.02 + 3,667,400.02 = 11,000,000.06 of
    # 11,000,000.05 (a false over-allocation) and 33.33 + 33.33 + 33.34 of 100.01 = 100.00 (a
    # cent lost). Exact cents: 366,630,001.6665 twice and 366,740,001.667: floors leave 2 cents,
    # to the largest remainders (.667, then the first .6665).
    big = _thirds("11000000.05")
    assert sum(big.values()) == D("11000000.05")
    assert big == {"IST": D("3666300.02"), "SAR": D("3666300.01"), "BEL": D("3667400.02")}
    small = _thirds("100.01")
    assert sum(small.values()) == D("100.01")
    assert small == {"IST": D("33.33"), "SAR": D("33.33"), "BEL": D("33.35")}


def test_shares_of_100_percent_give_no_false_over_allocation() -> None:
    shares = [Target(2027, "area", k, "percent", D(v))
              for k, v in (("1", "33.33"), ("2", "33.33"), ("3", "33.34"))]  # fmt: skip
    for envelope in ("11000000.05", "100.01", "11000000.00", "0.01", "0"):
        assert check_targets(2027, "Thematic area", D(envelope), shares, {}) == [], envelope
        assert unallocated(shares, D(envelope)) == 0


def test_shares_below_100_percent_leave_the_rest_unallocated() -> None:
    shares = [Target(2027, "area", "1", "percent", D("33.33")),
              Target(2027, "area", "2", "percent", D("33.33"))]  # fmt: skip
    amounts = target_amounts(shares, D("100.01"))
    assert amounts == {"1": D("33.33"), "2": D("33.33")}
    assert unallocated(shares, D("100.01")) == D("33.35")


def test_shares_above_100_percent_are_over_the_envelope() -> None:
    shares = [Target(2027, "area", "1", "percent", D("60")),
              Target(2027, "area", "2", "percent", D("60"))]  # fmt: skip
    assert target_amounts(shares, D("100.01")) == {"1": D("60.01"), "2": D("60.00")}
    [share, over] = check_targets(2027, "Thematic area", D("100.01"), shares, {})
    assert "add up to 120%" in share.message and "USD 20.00 more than" in over.message


def test_support_costs_and_gross_envelope() -> None:
    assert psc(D("100000.00"), D("13")) == D("13000.00")
    assert direct_share(D("11300000"), "gross", D("13")) == D("10000000.00")
    assert direct_share(D("11300000"), "net", D("13")) == D("11300000")


def test_comparison_envelope_allocated_planned_headroom() -> None:
    # Envelope 1,000,000 gross at 13%. Area 1: allocated 40% = 400,000; activities 250,000 and
    # staff 100,000 -> support costs 45,500 -> planned 395,500 -> headroom 4,500.
    # Area 2: allocated 60% = 600,000; activities 500,000 and staff 60,000 -> support costs
    # 72,800 -> planned 632,800 -> over-allocated by 32,800.
    envelope = D("1000000.00")
    targets = [
        Target(2026, "area", "1", "percent", D("40")),
        Target(2026, "area", "2", "percent", D("60")),
    ]
    allocated = target_amounts(targets, envelope)
    rows = compare(
        ["1", "2"],
        allocated,
        {"1": D("250000"), "2": D("500000")},
        {"1": D("100000"), "2": D("60000")},
        "gross",
        D("13"),
    )
    one, two = rows
    assert (one.support_costs, one.planned, one.headroom) == (
        D("45500.00"),
        D("395500.00"),
        D("4500.00"),
    )
    assert (two.support_costs, two.planned, two.headroom) == (
        D("72800.00"),
        D("632800.00"),
        D("-32800.00"),
    )
    total = total_row(rows, envelope, "gross")
    assert total.planned == one.planned + two.planned == D("1028300.00")
    assert total.headroom == D("-28300.00")
    [warning] = over_allocations(2026, rows, {"2": "2. Organized Crime"})
    assert warning.cell == "2026 · 2. Organized Crime" and "USD 32,800.00" in warning.message
    net = compare(["1"], allocated, {"1": D("250000")}, {"1": D("100000")}, "net", D("13"))[0]
    assert net.planned == D("350000") and net.support_costs == D("45500.00")


def test_shares_that_do_not_add_up_and_over_allocation() -> None:
    envelope = D("11000000")
    shares = [
        Target(2027, "area", k, "percent", D(v))
        for k, v in {"1": "15", "2": "33", "3": "20", "4": "12", "5": "18"}.items()
    ]
    [w] = check_targets(2027, "Thematic area", envelope, shares, {})
    assert w.cell == "2027 · Thematic area shares" and "98%" in w.message
    usd = [Target(2027, "office", "IST", "usd", D("12000000"))]
    [w] = check_targets(2027, "Office", envelope, usd, {})
    assert "USD 1,000,000.00 more than the envelope" in w.message
    assert check_targets(2027, "Office", envelope, [], {}) == []
