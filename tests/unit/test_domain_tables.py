"""The table model: Total rows computed as the exact sum of the rows, the allocation comparison
with its Unallocated row and consistent headroom, and the names tables show."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from rpsee.domain.allocation_tables import UNALLOCATED, YearLine, cycle_table, year_table
from rpsee.domain.envelope import Target, compare, target_amounts
from rpsee.domain.tables import (
    SUBTOTAL_PREFIX,
    TOTAL_LABEL,
    Column,
    Kind,
    Row,
    RowKind,
    Table,
    breakdown,
    footnotes_for,
    is_total_label,
)


def _money_sum(table: Table, column: str, kinds: set[RowKind]) -> D:
    i = [c.name for c in table.columns].index(column)
    return sum((r.cells[i] or D(0) for r in table.body() if r.kind in kinds), D(0))


def test_total_row_is_the_exact_sum_of_the_rows() -> None:
    table = breakdown("By quarter", "Quarter", [("Q1", D("0.10")), ("Q2", D("0.20")),
                                                ("Q3", D("1234567.89"))], share=True)  # fmt: skip
    total = table.total_row()
    assert total is not None and total.label == TOTAL_LABEL
    assert total.cells[1] == D("1234568.19")  # 0.1 + 0.2 exactly, not 0.30000000000000004
    assert total.cells[2] is None  # shares are not summed
    assert table.body()[-1] == total and total.kind is RowKind.TOTAL
    assert [r.cells[2] for r in table.rows] == [D("0.00"), D("0.00"), D("100.00")]


def test_a_total_cannot_be_passed_in() -> None:
    cols = (Column("Area", Kind.TEXT), Column("USD"))
    with pytest.raises(ValueError, match="totals are computed"):
        Table("t", cols, (Row(("1. Drugs", D(5))), Row(("Total", D(99)))))
    with pytest.raises(ValueError, match="2 cells, not 3"):
        Table("t", (*cols, Column("n", Kind.COUNT)), (Row(("x", D(1))),))


def test_blank_cells_count_as_nothing_and_an_all_blank_column_totals_blank() -> None:
    cols = (Column("Year", Kind.TEXT), Column("Delivery"), Column("Envelope"),
            Column("Positions", Kind.COUNT))  # fmt: skip
    table = Table("t", cols, (Row(("2023", D("7300000"), None, 3)), Row(("2024", None, None, 4))))
    assert table.total_row().cells == ("Total", D("7300000"), None, 7)


def test_labels_follow_the_convention() -> None:
    assert is_total_label("Total") and is_total_label("Total: staff cost charged")
    assert not is_total_label("Totally") and not is_total_label("Subtotal: offices")


def _areas_2027() -> tuple[list, D]:
    """The demo's 2027 area shares (13/33/21/11/20 = 98%) of USD 11,000,000, gross at 13%."""
    envelope = D("11000000.00")
    shares = {"1": "13", "2": "33", "3": "21", "4": "11", "5": "20"}
    allocated = target_amounts([Target(2027, "area", k, "percent", D(v))
                                for k, v in shares.items()], envelope)  # fmt: skip
    activities = {"1": D("900000"), "2": D("2000000"), "3": D("1500000"), "4": D("1200000"),
                  "5": D("1800000")}  # fmt: skip
    staff = {"1": D("300000"), "2": D("500000"), "3": D("250000"), "4": D("150000"),
             "5": D("200000")}  # fmt: skip
    return compare(list(shares), allocated, activities, staff, "gross", D("13")), envelope


def test_by_year_shows_targets_unallocated_and_a_total_that_add_up() -> None:
    # Today's page: Allocated total USD 11,000,000.00 over area rows summing to 10,780,000.
    # Hand-checked: 13% = 1,430,000; 33% = 3,630,000; 21% = 2,310,000; 11% = 1,210,000;
    # 20% = 2,200,000 -> targets 10,780,000; unallocated 11,000,000 - 10,780,000 = 220,000.
    rows, envelope = _areas_2027()
    table = year_table("By thematic area", "Thematic area", rows, envelope, {},
                       dimension="thematic area")  # fmt: skip
    body = table.body()
    labels = [r.label for r in body]
    assert labels == ["1", "2", "3", "4", "5", f"{SUBTOTAL_PREFIX}: targets", UNALLOCATED,
                      TOTAL_LABEL]  # fmt: skip
    subtotal, unallocated, total = body[-3:]
    assert subtotal.cells[1] == D("10780000.00")
    assert unallocated.cells[1] == D("220000.00") and unallocated.kind is RowKind.SPECIAL
    assert total.cells[1] == envelope
    # Every money column of the Total is the sum of the area rows and the Unallocated row.
    for column in [c.name for c in table.columns[1:] if c.kind is not Kind.TEXT]:
        parts = _money_sum(table, column, {RowKind.ITEM, RowKind.SPECIAL})
        i = [c.name for c in table.columns].index(column)
        assert (total.cells[i] or D(0)) == parts, column


def test_headroom_is_allocated_minus_planned_on_every_row_with_a_target() -> None:
    rows, envelope = _areas_2027()  # every area has a target
    table = year_table("t", "Area", rows, envelope, {}, dimension="area")
    for r in table.body():
        allocated, planned, headroom = r.cells[1] or D(0), r.cells[5] or D(0), r.cells[6]
        assert headroom == allocated - planned, r.label
    assert {r.cells[7] for r in table.rows} <= {"within", "over"}
    # Area 1: 1,430,000 - (900,000 + 300,000) * 1.13 = 1,430,000 - 1,356,000 = 74,000.
    assert table.body()[0].cells[6] == D("74000.00")
    # Total: direct 7,400,000 + 1,400,000 = 8,800,000; * 1.13 = 9,944,000 planned;
    # 11,000,000 - 9,944,000 = 1,056,000.
    assert table.total_row().cells[5] == D("9944000.00")
    assert table.total_row().cells[6] == D("1056000.00")


def test_a_row_without_a_target_has_nothing_allocated() -> None:
    envelope = D("1000.00")
    rows = compare(["A", "B"], {"A": D("600.00")}, {"A": D("100"), "B": D("50")}, {}, "net",
                   D("13"))  # fmt: skip
    table = year_table("t", "Office", rows, envelope, {"A": "Alpha"}, dimension="office")
    a, b, _sub, unallocated, total = table.body()
    assert (a.label, b.label) == ("Alpha", "B")
    # B: nothing allocated, 50 planned: no headroom of its own, never "over"
    assert b.cells[1] is None and b.cells[6] is None and b.cells[7] == "no target set"
    assert a.cells[6] == D("500.00") and a.cells[7] == "within"  # 600 - 100
    # B's 50 come out of the 400 no target claims: 350 left there
    assert unallocated.cells[1] == D("400.00") and unallocated.cells[6] == D("350.00")
    assert total.cells[6] == D("850.00") == envelope - D("150")  # the column still adds up


def test_no_targets_at_all_says_so_and_shows_nobody_over() -> None:
    """No office targets: every office reads "no target set", none is shown over (before,
    each showed its whole plan as a negative headroom)."""
    rows = compare(["A", "B"], {}, {"A": D("10"), "B": D("20")}, {}, "net", D("13"))
    table = year_table("t", "Office", rows, D("100.00"), {}, dimension="office")
    assert [r.cells[6] for r in table.rows] == [None, None]
    assert [r.cells[7] for r in table.rows] == ["no target set"] * 2
    assert table.body()[-2].cells[1] == D("100.00")
    assert table.body()[-2].cells[6] == D("70.00") == table.total_row().cells[6]
    assert "No office targets" in table.notes[-1]
    assert "no row is over a target" in table.notes[-1]


def test_cycle_table_totals_the_cycle() -> None:
    lines = [YearLine(2024, D("5500000"), D("1"), D("2"), D("0.39"), D("3.39")),
             YearLine(2025, D("11000000"), D("10"), D("20"), D("3.90"), D("33.90"))]
    total = cycle_table(lines).total_row()
    assert total.cells == ("Total", D("16500000"), D("11"), D("22"), D("4.29"), D("37.29"),
                           D("16499962.71"))  # fmt: skip


def test_footnotes_once_for_the_labels_shown() -> None:
    notes = {"Kosovo*": "* All references to Kosovo ..."}
    assert footnotes_for(["Albania", "Kosovo*", "Kosovo*"], notes) == (
        "* All references to Kosovo ...",)
    assert footnotes_for(["Albania"], notes) == ()
