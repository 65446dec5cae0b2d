"""Chart specs built from hand-made domain figures hold the hand-checked amounts and colours."""

from decimal import Decimal as D

import pytest

from rpsee.domain import chart_specs as cs
from rpsee.domain.funding import Step
from rpsee.domain.montecarlo import MonteCarlo
from rpsee.domain.overview import YearFunding


def monte_carlo(years: tuple[int, ...]) -> MonteCarlo:
    return MonteCarlo(draws=100, seed=1, correlation=0.3, years=years,
                      p10={2025: 100_00, 2026: 200_00, 2027: 1},
                      p50={2025: 150_00, 2026: 250_00, 2027: 2},
                      p90={2025: 190_00, 2026: 300_00, 2027: 3},
                      mean={}, cover={}, cover_all=0.5, staff={}, staff_all=0.5,
                      exact=True)  # fmt: skip


def test_funding_by_year_bars_line_and_labels():
    rows = [YearFunding(2023, D("6543210.55"), None, None),
            YearFunding(2024, None, D("9000000.00"), D("8100000.00"))]  # fmt: skip
    spec = cs.funding_by_year(rows)
    assert spec.kind == cs.GROUPED and spec.categories == ("2023", "2024")
    delivery, pipeline, envelope = spec.series
    assert delivery.values == (D("6543210.55"), None)
    assert delivery.labels == ("USD 6.54M", "")
    assert pipeline.values == (None, D("8100000.00")) and pipeline.labels == ("", "USD 8.1M")
    assert (envelope.kind, envelope.dash, envelope.labels) == (cs.LINE, True, None)
    assert [s.colour for s in spec.series] == ["#7f8c9a", "#1f4e79", "#e0a100"]
    assert spec.plotted(D("6543210.55")) == pytest.approx(6.54321055)
    assert spec.plotted(None) is None


def test_stacked_years_never_shows_negative_headroom():
    rows = [{"year": 2026, "staff": D("4000000"), "activities": D("3500000.50"),
             "support": D("950000"), "unallocated": D("-5.00"), "envelope": D("8450000")}]
    spec = cs.stacked_years(rows)
    assert spec.kind == cs.STACKED
    assert [s.name for s in spec.series] == ["Staff", "Activities", "Programme support costs",
                                             "Headroom", "Envelope"]  # fmt: skip
    assert [s.values[0] for s in spec.series] == [D("4000000"), D("3500000.50"), D("950000"),
                                                  D(0), D("8450000")]  # fmt: skip
    assert spec.series[-1].kind == cs.MARKER and spec.series[-1].colour == cs.ENVELOPE_MARK


def test_heat_map_grid_text_and_colour_scale():
    heat = {("1", "IST"): D("1000000"), ("2", "SAR"): D("500000"), ("2", "IST"): D("62500")}
    spec = cs.heat_map(heat, [("1", "1. Drugs"), ("2", "2. Crime")],
                       [("IST", "Istanbul"), ("SAR", "Sarajevo")])  # fmt: skip
    g = spec.grid
    assert g is not None and spec.unit == cs.THOUSAND
    assert g.values == ((D("1000000"), D(0)), (D("62500"), D("500000")))
    # USD '000 like the unit and the title: 62,500 -> 62.5 thousand, rounded half up to 63
    assert g.labels == (("1,000", ""), ("63", "500"))
    assert (g.low, g.high) == (D(0), D("1000000"))
    assert spec.plotted(D("62500")) == 62.5
    assert g.colour(D(0)) == "#f7fbff" and g.colour(D("1000000")) == "#08306b"
    assert g.colour(D("500000")) == "#6baed6"  # the middle stop
    # 1/16 of the way: halfway between the first two stops (247+222)/2 = 234.5 -> 235 (eb)
    assert g.colour(D("62500")) == "#ebf3fb"


def test_heat_map_cells_print_thousands_as_the_unit_says():
    heat = {("1", "IST"): D("794409.49"), ("1", "SAR"): D("499.99"), ("2", "IST"): D("500"),
            ("2", "SAR"): D("1234567.89")}
    spec = cs.heat_map(heat, [("1", "1. Drugs"), ("2", "2. Crime")],
                       [("IST", "Istanbul"), ("SAR", "Sarajevo")])  # fmt: skip
    assert spec.unit == "USD '000"
    assert spec.grid is not None and spec.grid.labels == (("794", "<1"), ("1", "1,235"))
    assert cs.thousands(D("-1500")) == "-2" and cs.thousands(D("0")) == "0"


def test_waterfall_steps_run_from_requirement_to_gap():
    steps = [Step("Requirement", 1_150_000_000), Step("Support costs saved", -4_500_000),
             Step("Hard", -700_000_000), Step("Soft", -150_000_000), Step("Gap", 295_500_000)]
    spec = cs.waterfall(steps, "2026")
    got = [(s.measure, s.start, s.end, s.colour, s.text) for s in spec.steps]
    assert got == [
        ("relative", D(0), D("11500000.00"), "#1f4e79", "USD 11.5M"),  # not the gap's red
        ("relative", D("11500000.00"), D("11455000.00"), "#2e86c1", "USD 0.04M"),
        ("relative", D("11455000.00"), D("4455000.00"), "#2e86c1", "USD 7M"),
        ("relative", D("4455000.00"), D("2955000.00"), "#2e86c1", "USD 1.5M"),
        ("total", D(0), D("2955000.00"), "#c0392b", "USD 2.96M"),
    ]
    assert spec.steps[4].amount == D("2955000.00") and spec.title == "2026"


def test_by_donor_sums_donors_that_share_a_shown_name_largest_first():
    money = {("EU", 2024): 100_00, ("DE", 2024): 300_00, ("AT", 2024): 50_00,
             ("AT", 2025): 60_00}  # fmt: skip
    names = {"EU": "Confidential donor", "AT": "Confidential donor", "DE": "Germany"}
    spec = cs.by_donor(money, [2024, 2025], "By donor", names)
    assert [(s.name, s.values, s.colour) for s in spec.series] == [
        ("Germany", (D("300.00"), D("0.00")), cs.PALETTE[0]),
        ("Confidential donor", (D("150.00"), D("60.00")), cs.PALETTE[1]),
    ]
    assert spec.kind == cs.STACKED and spec.categories == ("2024", "2025")


def test_fan_keeps_the_years_with_a_requirement():
    spec = cs.fan(monte_carlo((2025, 2026, 2027)), {2025: 500_00, 2026: 600_00})
    assert spec.categories == ("2025", "2026")
    assert spec.band is not None
    assert (spec.band.low, spec.band.high) == ((D("100.00"), D("200.00")),
                                               (D("190.00"), D("300.00")))  # fmt: skip
    assert (spec.band.colour, spec.band.opacity) == ("#2e86c1", 0.25)
    median, requirement = spec.series
    assert median.values == (D("150.00"), D("250.00")) and median.colour == "#1f4e79"
    assert requirement.values == (D("500.00"), D("600.00")) and requirement.dash


def test_gaps_one_series_per_scenario_and_coverage_stacks_to_the_requirement():
    spec = cs.gaps(["Baseline", "Lower EU"], [{2025: 10_00, 2026: -5_00}, {2025: 0, 2026: 7}],
                   [2025, 2026])  # fmt: skip
    assert [(s.name, s.values) for s in spec.series] == [
        ("Baseline", (D("10.00"), D("-5.00"))), ("Lower EU", (D("0.00"), D("0.07")))]
    assert spec.kind == cs.GROUPED
    cover = cs.coverage({2025: 1_000_000_00}, {2025: 750_000_00}, [2025])
    funded, gap = cover.series
    assert (funded.values, gap.values) == ((D("750000.00"),), (D("250000.00"),))
    assert (funded.labels, gap.labels) == (("USD 0.75M",), ("USD 0.25M",))
    assert (funded.colour, gap.colour, gap.label_position) == ("#1f4e79", "#e6b0aa", "inside")
