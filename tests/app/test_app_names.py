"""One naming scheme on the workplan page: Kosovo* with its footnote in the filters, under the
grid and the timeline; offices by their short name; outputs with their text."""

from __future__ import annotations

import json

from tests.app.conftest import TIMEOUT

FOOTNOTE = "resolution 1244 (1999)"


def _captions(at) -> str:  # noqa: ANN001
    return " ".join(c.value.replace("\\", "") for c in at.caption)


def test_workplan_page_names_jurisdictions_offices_and_outputs(app_for) -> None:  # noqa: ANN001
    at = app_for("psc_member").run()
    at.switch_page("pages/workplan.py").run(timeout=TIMEOUT)
    assert not at.exception, at.exception
    filters = {m.label: m.options for m in at.multiselect}
    assert "Kosovo*" in filters["Jurisdiction"] and "Kosovo" not in filters["Jurisdiction"]
    assert "Istanbul" in filters["Lead office"] and "IST" not in filters["Lead office"]
    assert any(o.startswith("1.1 · ") and len(o) > 20 for o in filters["Output"])
    assert FOOTNOTE in _captions(at)  # under the grid
    at.session_state["wp_tab"] = "Timeline"
    at.run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    places = {row[2] for trace in spec["data"] for row in trace["customdata"]}
    assert any("Kosovo*" in p for p in places)
    assert FOOTNOTE in _captions(at)


def test_allocation_names_offices_by_their_short_name(app_for) -> None:  # noqa: ANN001
    at = app_for("planner").run()
    at.switch_page("pages/allocation.py").run()
    at.session_state["alloc_tab"] = "By year"
    at.run()
    offices = next(d.value for d in at.dataframe if "Office" in d.value.columns)
    assert list(offices["Office"])[:2] == ["Istanbul", "Sarajevo"]
    assert "Istanbul: Regional Office for South-Eastern Europe (Istanbul)" in _captions(at)


def test_workplan_grid_shows_output_text_and_office_names_with_codes_as_values() -> None:
    """The grid's Output and Lead office columns show `1.1 · text` and `Istanbul`; the value
    kept (and saved) is still the code."""
    from rpsee.store.data_files import load_reference
    from rpsee.ui.workplan_grid import amount_widths, column_config

    ref = load_reference()
    config = column_config(ref, 2026, True, amount_widths([], ref))
    outputs = {o["value"]: o["label"] for o in config["Output"]["type_config"]["options"]}
    assert len(outputs) == 22
    assert outputs["1.1"].startswith("1.1 · Drug use and HIV/AIDS prevention")
    offices = {o["value"]: o["label"] for o in config["Lead office"]["type_config"]["options"]}
    assert offices["IST"] == "Istanbul" and offices["SKP"] == "Skopje"
    assert "Istanbul: Regional Office for South-Eastern Europe" in config["Lead office"]["help"]
    position = {o["value"]: o["label"]
                for o in config["Responsible position"]["type_config"]["options"]}  # fmt: skip
    assert position["P_001"].startswith("P_001 · Regional Representative")
    donors = {o["value"]: o["label"]
              for o in config["Funding source"]["type_config"]["options"]}  # fmt: skip
    assert donors["EU"] == "European Union"
