from decimal import Decimal

from rpsee.domain.overview import (
    cycle_check,
    envelope_total,
    funding_by_year,
    staffing_by_grade,
    staffing_by_station,
)
from rpsee.store.data_files import load_reference


def test_funding_by_year_spans_delivery_to_last_envelope_year() -> None:
    ref = load_reference()
    rows = funding_by_year(ref.figures)
    assert [r.year for r in rows] == list(range(2021, 2030))
    by_year = {r.year: r for r in rows}
    assert by_year[2023].delivery == Decimal("7300000.00") and by_year[2023].envelope is None
    assert by_year[2025].hard_pipeline == Decimal("8300000.00")
    assert by_year[2025].pipeline_gap == Decimal("2700000.00")  # 11.0M - 8.3M
    assert by_year[2026].pipeline_gap is None
    # 5.5M (July-December 2024) + 4 x 11M + 5.5M (January-June 2029): the document's USD 55M
    assert envelope_total(ref.figures.envelope_by_year) == Decimal("55000000.00")
    short = cycle_check(ref.figures, ref.figures.envelope_by_year, short=True)
    assert short == "USD 55M by year, agrees"
    assert "USD 55,000,000.00: the document's total" in cycle_check(
        ref.figures, ref.figures.envelope_by_year
    )
    full_2029 = {**ref.figures.envelope_by_year, 2029: Decimal("11000000")}  # the alternative
    assert cycle_check(ref.figures, full_2029, short=True) == "USD 60.5M by year, +USD 5.5M"
    assert cycle_check(ref.figures, full_2029).endswith(
        "USD 60,500,000.00, USD 5,500,000.00 more than the document's USD 55,000,000.00."
    )
    changed = funding_by_year(ref.figures, {**ref.figures.envelope_by_year, 2025: Decimal(9)})
    assert next(r for r in changed if r.year == 2025).envelope == Decimal(9)


def test_staffing_summary_matches_the_table() -> None:
    ref = load_reference()
    grades = {g.grade: (g.existing, g.new) for g in staffing_by_grade(ref.positions)}
    assert grades == {
        "P4": (2, 3),
        "P3": (0, 1),
        "P2": (1, 0),
        "G6": (0, 1),
        "G5": (2, 0),
        "SC": (8, 2),
    }
    assert [g.grade for g in staffing_by_grade(ref.positions)] == [
        "P4",
        "P3",
        "P2",
        "G6",
        "G5",
        "SC",
    ]
    stations = staffing_by_station(ref.positions)
    assert sum(s.total for s in stations.values()) == 20
    assert stations["BEG"].total == 6  # SC_001, SC_002, SC_003, SC_008, P_010, P_013
    assert stations["VIE"].new == 1 and stations["VIE"].existing == 1
