"""Markers through AppTest: the grid refuses a higher code without its justification (naming the
row and the field) and saves it with one; the Markers tab's shares add up to the workplan's
budget; the Checks tab lists the demo's marker findings."""

from __future__ import annotations

from decimal import Decimal

from rpsee.domain.markers.evidence import NO_INCLUSION, NO_SEX_INDICATOR, SDG_OUTSIDE
from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import workplans
from tests.app.test_app_workplan import _edit, _figures, _open, plan  # noqa: F401  (fixture)

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)


def _first_gem_one(app_db: str, version) -> int:  # noqa: ANN001
    lines = workplans.activities(PLANNER, version.id, url=app_db)
    return next(i for i, a in enumerate(lines) if a.gem == 1 and a.dac_gender != 2)


def test_a_higher_code_needs_its_justification(app_for, app_db, plan) -> None:  # noqa: ANN001, F811
    at = _open(app_for, "planner")
    row = _first_gem_one(app_db, plan)
    code = workplans.activities(PLANNER, plan.id, url=app_db)[row].code
    _edit(at, {row: {"GEM": 3, "SDG targets": ["16.4", "5.2"]}})
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert list(problems.iloc[0]) == [f"Row {code}", "Marker justification",
                                      "required for GEM 3: say in a sentence how the line "
                                      "serves that objective"]  # fmt: skip
    _edit(at, {row: {"GEM": 3, "SDG targets": ["16.4", "5.2"],
                     "Marker justification": "Women <judges> & prosecutors lead it."}})
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception
    saved = workplans.activities(PLANNER, plan.id, url=app_db)[row]
    assert (saved.gem, saved.sdg_targets) == (3, ("16.4", "5.2"))
    assert saved.marker_note == "Women <judges> & prosecutors lead it."  # as typed


def test_the_markers_tab_adds_up_to_the_budget(app_for, plan) -> None:  # noqa: ANN001, F811
    at = _open(app_for, "finance")
    budget = Decimal(_figures(at)["Budget"].removeprefix("USD ").replace(",", ""))
    at.session_state["wp_tab"] = "Markers"
    at.run()
    assert not at.exception
    frames = [d.value for d in at.dataframe if "GEM 2" in d.value.columns]
    assert frames, "no GEM table on the Markers tab"
    gem = frames[0]
    assert gem.iloc[-1, 0] == "Total"
    total = Decimal(str(gem["Total"].iloc[-1])).quantize(Decimal("0.01"))
    assert total == budget
    codes = sum(Decimal(str(gem[f"GEM {k}"].iloc[-1])) for k in range(4))
    assert codes.quantize(Decimal("0.01")) == budget
    captions = [c.value.replace("\\", "") for c in at.caption]  # markdown escapes removed
    assert any(c.startswith("Whole: ") and "(target 15%)" in c for c in captions), captions


def test_the_checks_tab_lists_the_marker_findings(app_for, plan) -> None:  # noqa: ANN001, F811
    at = _open(app_for, "planner")
    at.session_state["wp_tab"] = "Checks"
    at.run()
    points = next(t.value for t in at.table if "Check" in t.value.columns)
    found = set(points["Check"])
    assert {NO_SEX_INDICATOR, NO_INCLUSION, SDG_OUTSIDE} <= found
    off = points[points["Check"] == SDG_OUTSIDE]["What"].iloc[0]
    assert "9.c not under its output 2.6's SDG 16" in off
