"""The workplan page through AppTest: a planner edits and saves; others only read."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import workplans
from rpsee.services.workplans import WorkplanEdit
from rpsee.store.uow import UnitOfWork
from tests.unit.test_domain_workplan import act

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)


@pytest.fixture
def plan(app_db: str):  # noqa: ANN201
    with UnitOfWork(url=app_db) as uow:
        if uow.workplans.list():  # the demo workplans
            plans = uow.workplans.list()
            return next(p for p in plans if p.year == 2027)
        ref = uow.reference.load()
    plan = workplans.start_draft(PLANNER, 2027, ref, url=app_db)
    workplans.save(PLANNER, plan.id, WorkplanEdit(added=[
        act("", "2.3", {"TRAVEL": "18500.00"}, jur=("ALB",), months=(3, 4)),
        act("", "5.4", {"TRANSFERS": "45000.50"}, jur=("REG",), months=(1, 12))]), ref,
        url=app_db)  # fmt: skip
    return plan


def _open(app_for, role: str):  # noqa: ANN001, ANN202
    at = app_for(role).run()
    at.switch_page("pages/workplan.py").run()
    assert not at.exception, at.exception
    return at


def _editor_key(at) -> str:  # noqa: ANN001
    return next(k for k in at.session_state if k.startswith("wp_editor_"))


def test_planner_edits_a_cell_and_saves(app_for, app_db, plan) -> None:  # noqa: ANN001
    at = _open(app_for, "planner")
    assert at.title[0].value == "Annual workplans"
    before = workplans.activities(PLANNER, plan.id, url=app_db)
    key = _editor_key(at)
    at.session_state[key] = {"edited_rows": {0: {"Title": "Edited in the grid & saved",
                                                  "Travel": 1234.5}},
                             "added_rows": [], "deleted_rows": []}  # fmt: skip
    at.run()
    assert "Unsaved: 1 changed, 0 new, 0 removed" in [c.value for c in at.caption]
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception
    after = workplans.activities(PLANNER, plan.id, url=app_db)
    assert after[0].title == "Edited in the grid & saved"
    assert after[0].budget["TRAVEL"] == Decimal("1234.50")
    assert after[0].version == before[0].version + 1
    assert any("Saved: 1 changed" in s.value for s in at.success)


def test_invalid_edit_is_refused_naming_row_and_field_and_stays(app_for, app_db, plan) -> None:  # noqa: ANN001
    at = _open(app_for, "planner")
    key = _editor_key(at)
    edits = {"edited_rows": {0: {"Travel": -10}}, "added_rows": [{"Title": "No output yet"}],
             "deleted_rows": []}  # fmt: skip
    at.session_state[key] = edits
    at.run()
    assert any("problem(s) to fix before saving" in e.value for e in at.error)
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    rows = set(zip(problems["Row"], problems["Field"], strict=True))
    code = workplans.activities(PLANNER, plan.id, url=app_db)[0].code
    assert (f"Row {code}", "Budget – Travel") in rows
    assert ("New row 1", "Output") in rows and ("New row 1", "Lead office") in rows
    assert at.session_state[key] == edits  # the user's edits stay


def test_psc_member_reads_but_cannot_save(app_for, app_db, plan) -> None:  # noqa: ANN001
    at = _open(app_for, "psc_member")
    assert not [b for b in at.button if b.label == "Save"]
    assert any("Read only" in c.value for c in at.caption)
    assert at.get("arrow_data_frame") or at.dataframe  # the grid is shown
    with pytest.raises(Exception, match="does not allow"):
        workplans.save(
            CurrentUser("demo.psc", "PSC", Role.PSC_MEMBER),
            plan.id,
            WorkplanEdit(added=[act("", "1.1", {"GOC": "1"})]),
            UnitOfWork(url=app_db).__enter__().reference.load(),
            url=app_db,
        )


def test_totals_checks_and_timeline_render(app_for, plan) -> None:  # noqa: ANN001
    import json

    at = _open(app_for, "finance")
    assert "Workplan total (activity budgets)" not in [m.label for m in at.metric]  # lazy tabs
    at.session_state["wp_tab"] = "Totals"
    at.run()
    assert not at.exception
    assert "Workplan total (activity budgets)" in [m.label for m in at.metric]
    budget = next(m.value for m in at.metric if m.label == "Budget")
    total = next(m.value for m in at.metric if m.label == "Workplan total (activity budgets)")
    assert budget == total
    areas = next(d.value for d in at.dataframe if "Thematic area" in d.value.columns)
    assert f"USD {areas['USD'].iloc[-1]:,.2f}" == total
    places = next(d.value for d in at.dataframe if "Jurisdiction" in d.value.columns)
    assert "Kosovo*" in list(places["Jurisdiction"])
    assert any("resolution 1244 \\(1999\\)" in c.value for c in at.caption)
    at.session_state["wp_tab"] = "Checks"
    at.run()
    assert any("to fix" in w.value for w in at.warning) or at.success
    at.session_state["wp_tab"] = "Timeline"
    at.run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["xaxis"]["type"] == "date"
    assert sum(len(t["y"]) for t in spec["data"]) == int(at.metric[0].value)
