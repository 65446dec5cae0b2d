"""Budget cross tables, the activity list and its CSV, and a frozen record's funding read back:
checked against hand-computed figures."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from rpsee.domain.activity_csv import inert, to_csv
from rpsee.domain.budget_tables import (
    activity_fields,
    activity_tables,
    area_by_category,
    cross_table,
)
from rpsee.domain.workplan import Activity
from rpsee.domain.workplan_labels import category_labels
from rpsee.store.data_files import load_reference

D = Decimal


@pytest.fixture(scope="module")
def ref():  # noqa: ANN201
    return load_reference()


def _line(code: str, output: str, budget: dict[str, str], status: str = "planned",
          places: tuple[str, ...] = ("ALB",), title: str = "A line") -> Activity:  # fmt: skip
    return Activity(code, title, output, places, "TIR", "P_001", 2, 5,
                    {k: D(v) for k, v in budget.items()}, status=status)  # fmt: skip


LINES = [
    _line("2026-1.1-001", "1.1", {"TRAVEL": "100.10", "GOC": "0.20"}),
    _line("2026-1.2-001", "1.2", {"TRAVEL": "50.05"}, places=("XKX", "SRB")),
    _line("2026-2.1-001", "2.1", {"CONTRACTUAL": "1000.00"}),
    _line("2026-2.1-002", "2.1", {"CONTRACTUAL": "999.99"}, status="cancelled"),
]


def test_area_by_category_adds_up_both_ways(ref) -> None:  # noqa: ANN001
    table = area_by_category(LINES, ref)
    names = category_labels(ref)  # the one naming scheme: short names, the full ones noted
    assert names["CONTRACTUAL"] == "Contractual"
    assert "Contractual = Contractual services" in " ".join(table.notes)
    travel = table.column(names["TRAVEL"])
    total = table.column("Total")
    # area 1: 100.10 + 50.05 travel, 0.20 general operating; area 2: 1,000.00 (the cancelled
    # line counts for nothing)
    assert travel[0] == D("150.15") and total[0] == D("150.35")
    assert table.column(names["CONTRACTUAL"])[1] == D("1000.00") and total[1] == D("1000.00")
    assert [r.label for r in table.body()][-1] == "Total"
    assert total[-1] == D("1150.35")  # the Total column's Total: the workplan total
    assert travel[-1] == D("150.15")
    assert len(table.rows) == len(ref.areas)  # every area, even without lines (zeros)
    assert total[2] == D("0.00")


def test_cross_table_keeps_unknown_keys_last() -> None:
    table = cross_table("T", "Row", [("a", "A", None)], [("x", "X")],
                        {("a", "x"): D("1.00"), ("b", "x"): D("2.00"), ("a", "y"): D("3.00")})
    assert [c.name for c in table.columns] == ["Row", "X", "y", "Total"]
    assert [r.cells for r in table.body()] == [
        ("A", D("1.00"), D("3.00"), D("4.00")), ("b", D("2.00"), D("0.00"), D("2.00")),
        ("Total", D("3.00"), D("3.00"), D("6.00"))]  # fmt: skip


def test_activity_tables_count_and_list_every_line(ref) -> None:  # noqa: ANN001
    counted, cancelled = activity_tables(LINES, ref, 2026)
    assert [r.label for r in counted.rows] == ["2026-1.1-001", "2026-1.2-001", "2026-2.1-001"]
    assert [r.label for r in cancelled.rows] == ["2026-2.1-002"] and not cancelled.total
    assert counted.column("Total (USD)")[-1] == D("1150.35")
    places = counted.column("Jurisdictions")
    assert places[1] == "Kosovo*; Serbia"
    assert any(f.startswith("* All references to Kosovo") for f in counted.footnotes)
    assert counted.column("Start")[0] == "2026-02" and counted.column("End")[0] == "2026-05"
    assert counted.column("GEM")[-1] is None  # a code: not summed
    names = {c.code: f"{c.name} (USD)" for c in ref.cost_categories}
    assert counted.column(names["GOC"]) == [D("0.20"), None, None, D("0.20")]  # unused: blank
    assert counted.column(names["STAFF"]) == [None] * 4  # no line uses it: no Total either


def test_csv_one_row_per_activity_plain_amounts_codes(ref) -> None:  # noqa: ANN001
    hostile = _line("2026-3.1-001", "3.1", {"GOC": "1234567.89"}, title="=HYPERLINK(\"x\")")
    text = to_csv([*LINES, hostile], ref, 2026)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["code"] for r in rows] == sorted(a.code for a in [*LINES, hostile])
    assert list(rows[0]) == [*(f.key for f in activity_fields(ref, 2026)), "jurisdiction_note"]
    by_code = {r["code"]: r for r in rows}
    assert by_code["2026-3.1-001"]["total"] == "1234567.89"  # no thousands separator
    assert by_code["2026-3.1-001"]["title"] == "'=HYPERLINK(\"x\")"
    assert by_code["2026-1.2-001"]["jurisdictions"] == "XKX;SRB"
    assert by_code["2026-1.1-001"]["budget_TRAVEL"] == "100.10"
    assert by_code["2026-1.1-001"]["budget_STAFF"] == "0.00"
    assert by_code["2026-2.1-002"]["status"] == "cancelled"
    assert by_code["2026-1.1-001"]["area"] == "1" and by_code["2026-1.1-001"]["lead_office"] \
        == "TIR"


KOSOVO_NOTE = ("XKX: All references to Kosovo should be understood to be in the context of "
               "United Nations Security Council resolution 1244 (1999).")


def test_csv_carries_the_kosovo_footnote_in_a_column_pandas_reads(ref) -> None:  # noqa: ANN001
    import pandas as pd

    text = to_csv(LINES, ref, 2026)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(frame["code"]) == sorted(a.code for a in LINES)  # one table, no stray row
    assert len(frame) == len(LINES) and frame.columns[-1] == "jurisdiction_note"
    by_code = frame.set_index("code")
    assert by_code.loc["2026-1.2-001", "jurisdictions"] == "XKX;SRB"  # still plain codes
    assert by_code.loc["2026-1.2-001", "jurisdiction_note"] == KOSOVO_NOTE
    assert by_code.loc["2026-1.1-001", "jurisdiction_note"] == ""  # Albania only: no note
    assert Decimal(by_code.loc["2026-1.1-001", "total"]) == D("100.30")


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_formula_like_text_is_made_inert(text: str) -> None:
    assert inert(text) == "'" + text


def test_ordinary_text_is_kept() -> None:
    assert inert("Podgorica – č ć š ž đ") == "Podgorica – č ć š ž đ"
    assert inert("2026-01") == "2026-01"
