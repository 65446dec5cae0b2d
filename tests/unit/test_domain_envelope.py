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
    target_amount,
    total_row,
)


def test_targets_in_usd_or_percent() -> None:
    assert target_amount(Target(2026, "area", "1", "percent", D("15")), D("11000000")) == D(
        "1650000.00"
    )
    assert target_amount(Target(2026, "area", "1", "usd", D("1234.5")), D("11000000")) == D(
        "1234.50"
    )


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
    allocated = {t.key: target_amount(t, envelope) for t in targets}
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
