"""One naming scheme: outputs with their text, offices by one short name, Kosovo* with the
footnote, in every table built from the reference."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from rpsee.domain.tables import TOTAL_LABEL
from rpsee.domain.workplan import Activity
from rpsee.domain.workplan_tables import totals_tables
from rpsee.store.data_files import load_reference

FOOTNOTE = ("* All references to Kosovo should be understood to be in the context of United "
            "Nations Security Council resolution 1244 (1999).")  # the document's footnote 4


@pytest.fixture(scope="module")
def ref():
    return load_reference()


def test_kosovo_is_shown_with_its_footnote(ref) -> None:
    names = ref.jurisdiction_names()
    assert names["XKX"] == "Kosovo*" and names["ALB"] == "Albania"
    assert ref.jurisdiction_footnotes() == {"Kosovo*": FOOTNOTE}


def test_outputs_show_their_code_and_text(ref) -> None:
    label = ref.output_label("1.1")
    assert label.startswith("1.1 · ") and label.endswith(ref.output("1.1").text)
    short = ref.output_label("1.1", 30)
    assert len(short) == len("1.1 · ") + 30 and short.endswith("…")
    assert ref.output_label("9.9") == "9.9"


def test_offices_have_one_short_name_and_a_legend(ref) -> None:
    assert ref.office_names()["IST"] == "Istanbul"
    assert ref.office_labels()["IST"].startswith("Regional Office")
    assert "Istanbul: Regional Office for South-Eastern Europe (Istanbul)" in ref.office_legend()


def _activity(code: str, output: str, places: tuple[str, ...], office: str,
              amount: str) -> Activity:  # fmt: skip
    return Activity(code=code, title="t", output_code=output, jurisdictions=places,
                    lead_office=office, position_id=None, start_month=1, end_month=6,
                    budget={"TRAVEL": D(amount)})  # fmt: skip


def test_workplan_totals_name_things_one_way_and_add_up(ref) -> None:
    lines = [_activity("2026-1.1-001", "1.1", ("XKX", "ALB", "SRB"), "IST", "100.00"),
             _activity("2026-2.3-001", "2.3", ("REG",), "SAR", "50.01")]  # fmt: skip
    made = totals_tables(lines, ref, {"TRAVEL": "Travel"})
    for table in made.values():
        total = table.total_row()
        assert total.label == TOTAL_LABEL and total.cells[1] == D("150.01"), table.title
        assert sum(r.cells[1] for r in table.rows) == D("150.01"), table.title
    places = made["jurisdiction"]
    assert [r.label for r in places.rows] == ["Albania", "Serbia", "Kosovo*", "Regional"]
    # 100.00 over three places: 33.333... each; the odd cent to the first code (ALB), the
    # stated tie order of `workplan_totals.shared`
    assert [r.cells[1] for r in places.rows] == [D("33.34"), D("33.33"), D("33.33"), D("50.01")]
    assert FOOTNOTE in places.footnotes
    assert [r.label for r in made["office"].rows] == ["Istanbul", "Sarajevo"]
    assert made["output"].rows[0].label == ref.output_label("1.1")
    assert FOOTNOTE not in made["area"].footnotes
