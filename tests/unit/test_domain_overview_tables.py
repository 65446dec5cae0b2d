"""Overview tables: no Total where summing a column would not be a total of the whole."""

from decimal import Decimal as D

from rpsee.domain.overview import YearFunding
from rpsee.domain.overview_tables import funding_table


def test_overview_gap_column_has_no_total_beside_the_cycle_totals() -> None:
    """The gap exists for 2024 and 2025 only: summing it (USD 100,000) beside the cycle's
    envelope (55M) and hard pipeline (16.4M) read as a total that does not add up."""
    table = funding_table([YearFunding(2024, None, D("5500000"), D("8100000")),
                           YearFunding(2025, None, D("11000000"), D("8300000")),
                           YearFunding(2026, None, D("11000000"), None)])  # fmt: skip
    total = table.body()[-1]
    assert total.cells[2:4] == (D("27500000.00"), D("16400000.00"))
    assert total.cells[4] is None  # drawn as "–"
    assert table.column("Envelope not yet in hard pipeline")[:2] == [D(-2600000), D(2700000)]
