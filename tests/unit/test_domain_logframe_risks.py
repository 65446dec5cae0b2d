"""The logframe as the pack prints it (no "[...]" nor "not legible", the document's wording or
"To be defined by the Steering Committee") and the risk matrix as a likelihood × impact grid,
checked by hand against the programme document (data/risks.yaml, data/thematic_areas.yaml)."""

from __future__ import annotations

import pytest

from rpsee.domain.logframe import (
    FIELD_TO_BE_DEFINED,
    TO_BE_DEFINED,
    complete,
    indicators_table,
    undefined_indicators,
)
from rpsee.domain.reference import LOST_WORDING, Indicator, Risk
from rpsee.domain.risk_matrix import grid, grid_table, rating, risks_table
from rpsee.store.data_files import load_reference


@pytest.fixture(scope="module")
def ref():  # noqa: ANN201
    return load_reference()


def test_complete_keeps_the_documents_wording_and_drops_lost_text() -> None:
    assert complete("Number of  seizures\n in the region") == "Number of seizures in the region"
    assert complete("Number of jurisdictions with improved [...]") is None
    assert complete("[…] gender sensitivity.") is None
    assert complete(LOST_WORDING) is None
    assert complete(None) is None and complete("  ") is None


def test_the_printed_logframe_has_no_placeholder(ref) -> None:  # noqa: ANN001
    table = indicators_table(ref)
    cells = [str(c) for r in table.body() for c in r.cells]
    assert not [c for c in cells if "[" in c or "…" in c or "legible" in c.lower()]
    # the yaml does hold such text: the rule is what keeps it out
    raw = [i.text for o in ref.outputs for i in o.indicators]
    assert any("[...]" in t for t in raw) and LOST_WORDING in raw


def test_indicators_without_whole_wording_are_for_the_committee(ref) -> None:  # noqa: ANN001
    # by hand from data/thematic_areas.yaml: text null (1.3.a, 5.4.a) or cut by "[...]"
    undefined = undefined_indicators(ref)
    for code in ("1.3.a", "2.6.b", "3.3.a", "3.5.a", "4.3.a", "5.3.a", "5.4.a"):
        assert code in undefined
    table = indicators_table(ref)
    rows = {r.cells[0]: r.cells for r in table.body()}
    assert rows["1.3.a"][1] == TO_BE_DEFINED and rows["1.3.a"][3] == FIELD_TO_BE_DEFINED
    assert rows["4.3.a"][1:] == (TO_BE_DEFINED, "0", "2", "1", "Regular annual reporting")
    assert rows["1.1.a"][2:4] == ("0", "1000 (male/female ratio to be tracked)")
    assert rows["2.6.a"][1].startswith("Number of jurisdictions with strengthened legislative")
    assert any("1.3.a" in n and "Steering Committee" in n for n in table.notes)


def test_an_indicator_printed_field_by_field() -> None:
    from rpsee.domain.logframe import printed

    i = Indicator("9.9.a", "9.9", "Number of x", baseline="0", target=None,
                  interim_target="[...] 2", interval="annual")
    assert printed(i) == ("Number of x", "0", FIELD_TO_BE_DEFINED, FIELD_TO_BE_DEFINED, "annual")


def test_cell_levels() -> None:
    assert [rating("L", i) for i in "LMH"] == ["L", "L", "M"]
    assert [rating("M", i) for i in "LMH"] == ["L", "M", "M"]
    assert [rating("H", i) for i in "LMH"] == ["M", "M", "H"]


def test_the_documents_risks_in_their_cells(ref) -> None:  # noqa: ANN001
    g = grid(ref.risks)
    assert g.likelihoods == ("H", "M", "L") and g.impacts == ("L", "M", "H")
    # domain brief: natural disasters M/M; the other four H/M
    assert g.cells[1][1] == ("R1",)
    assert g.cells[0][1] == ("R2", "R3", "R4", "R5")
    assert sum(len(c) for row in g.cells for c in row) == len(ref.risks) == 5
    assert g.placed()["R1"] == ("M", "M")
    # every risk's cell level is the level the document states: no disagreement note
    assert all(g.ratings[g.likelihoods.index(lk)][g.impacts.index(im)] == r.level
               for r in ref.risks for lk, im in [g.placed()[r.code]])  # fmt: skip
    assert len(g.notes) == 1


def test_a_level_other_than_the_cells_is_noted_and_bad_levels_refused() -> None:
    g = grid([Risk("X1", "x", "H", "H", "M")])
    assert g.cells[0][2] == ("X1",) and "X1" in g.notes[-1]
    with pytest.raises(ValueError, match="X2"):
        grid([Risk("X2", "y", "Very high", "H", "H")])


def test_the_grid_as_a_table_and_the_key(ref) -> None:  # noqa: ANN001
    t = grid_table(grid(ref.risks))
    assert [c.name for c in t.columns] == ["Likelihood", "Impact: Low", "Impact: Medium",
                                           "Impact: High"]
    assert t.body()[0].cells == ("High", "none (level Medium)",
                                 "R2, R3, R4, R5 (level Medium)", "none (level High)")
    key = risks_table(ref.risks)
    assert [r.cells[0] for r in key.body()] == ["R1", "R2", "R3", "R4", "R5"]
    assert key.body()[0].cells[2:5] == ("Medium", "Medium", "Medium")


def test_a_charts_data_table_holds_its_exact_amounts() -> None:
    from decimal import Decimal

    from rpsee.domain.chart_specs import stacked_years, waterfall
    from rpsee.domain.chart_tables import data_table
    from rpsee.domain.funding import Step

    rows = [{"year": 2026, "staff": Decimal("2247576.12"), "activities": Decimal("7119376.50"),
             "support": Decimal("1217703.84"), "unallocated": Decimal("415343.54"),
             "envelope": Decimal("11000000.00")}]  # fmt: skip
    t = data_table(stacked_years(rows), "Envelope and plan by year (USD million)")
    assert t.title == "Data of the chart: Envelope and plan by year (USD million)"
    assert [c.name for c in t.columns][:2] == ["Category", "Staff (USD)"]
    assert t.body()[0].cells == ("2026", Decimal("2247576.12"), Decimal("7119376.50"),
                                 Decimal("1217703.84"), Decimal("415343.54"),
                                 Decimal("11000000.00"))  # exact, not in millions
    w = data_table(waterfall([Step("Planned", 100_00), Step("Hard", -40_00),
                              Step("Total", 60_00)]), "W")  # fmt: skip
    assert [r.cells for r in w.body()] == [
        ("Planned", Decimal("100.00"), Decimal("100.00")),
        ("Hard", Decimal("-40.00"), Decimal("60.00")),
        ("Total (as charted)", Decimal("60.00"), Decimal("60.00"))]  # a label, not a sum row
