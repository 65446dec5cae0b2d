"""The workplan page through AppTest: a planner edits and saves; others only read."""

from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest

from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import workplans
from rpsee.services.workplans import WorkplanEdit
from rpsee.store.uow import UnitOfWork
from rpsee.ui.version_label import default_version
from tests.unit.test_domain_workplan import act

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)


@pytest.fixture
def plan(app_db: str):  # noqa: ANN201
    import streamlit as st

    st.cache_data.clear()  # caches are keyed by data version, which repeats across test databases
    with UnitOfWork(url=app_db) as uow:
        ref = uow.reference.load()
        if uow.workplans.list():  # the demo workplans: the version the page opens on
            return default_version(uow.workplans.list(), ref.figures.cycle_years, preparing=True)
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


def _figures(at) -> dict[str, str]:  # noqa: ANN001
    """The figures of the line over the grid (`Activities **90** · Budget **USD …** · …`)."""
    line = next(m.value for m in at.markdown if m.value.startswith("Activities"))
    text = line.replace("\\", "").replace("\u00a0", " ").split("  \n")[0]
    return {k.strip(): v for k, v in re.findall(r"(?:^| · )([^*]+?) \*\*(.+?)\*\*", text)}


def _editor_key(at) -> str:  # noqa: ANN001
    """The key of the editor as last drawn (the page records it with its rows)."""
    return next(at.session_state[k][0] for k in at.session_state if k.startswith("wp_rows_"))


def test_planner_edits_a_cell_and_saves(app_for, app_db, plan) -> None:  # noqa: ANN001
    at = _open(app_for, "planner")
    assert at.title[0].value == "Annual workplans"
    before = workplans.activities(PLANNER, plan.id, url=app_db)
    key = _editor_key(at)
    at.session_state[key] = {"edited_rows": {0: {"Title": "Edited in the grid & saved",
                                                  "Travel": "1,234.50"}},
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


def _button(at, label: str):  # noqa: ANN001, ANN202
    return next(b for b in at.button if b.label == label)


def test_invalid_edit_is_refused_naming_row_and_field_and_stays(app_for, app_db, plan) -> None:  # noqa: ANN001
    at = _open(app_for, "planner")
    _edit(at, {0: {"Travel": "-10"}})
    _button(at, "Add line").click().run()  # a new line on top; the pending edit is kept
    assert at.dataframe[0].value["Code"].iloc[0] == "New row 1"
    key = _editor_key(at)
    edits = {"edited_rows": {0: {"Title": "No output yet"}}, "added_rows": [],
             "deleted_rows": []}  # fmt: skip
    at.session_state[key] = edits
    at.run()
    assert any("problem(s) to fix before saving" in e.value for e in at.error)
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    rows = set(zip(problems["Row"], problems["Field"], strict=True))
    code = workplans.activities(PLANNER, plan.id, url=app_db)[0].code
    assert (f"Row {code}", "Travel") in rows  # the grid's column names
    assert ("New row 1", "Output") in rows and ("New row 1", "Lead office") in rows
    assert ("New row 1", "Start") in rows
    assert ("New row 1 is missing Output, Jurisdictions, Lead office, Start, End: fill in these "
            "columns to add it.") in [w.value for w in at.warning]
    assert at.dataframe[0].value["Title"].iloc[0] == "No output yet"  # the user's edits stay
    assert at.dataframe[0].value["Travel"].iloc[1] == "-10"  # the line's edit, on its row


def test_refused_amount_reads_once(app_for, plan) -> None:  # noqa: ANN001
    at = _open(app_for, "planner")
    _edit(at, {0: {"Travel": "1234.567"}})
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert list(problems.iloc[0]) == [
        problems["Row"].iloc[0], "Travel", "'1234.567' has more than two decimals: amounts are "
        "in dollars and cents; round it to cents yourself (e.g. 1234.57)"]


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
    budget = _figures(at)["Budget"]
    total = next(m.value for m in at.metric if m.label == "Workplan total (activity budgets)")
    assert budget == total
    areas = next(d.value for d in at.dataframe if "Thematic area" in d.value.columns)
    assert f"USD {areas['USD'].iloc[-1]:,.2f}" == total
    places = next(d.value for d in at.dataframe if "Jurisdiction" in d.value.columns)
    assert "Kosovo*" in list(places["Jurisdiction"])
    assert any("resolution 1244 \\(1999\\)" in c.value for c in at.caption)
    at.session_state["wp_tab"] = "Checks"
    at.run()
    assert any("open point(s) in this workplan" in w.value for w in at.warning) or at.success
    assert not any("to fix" in w.value for w in at.warning)  # finance reads; planners fix
    at.session_state["wp_tab"] = "Timeline"
    at.run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["xaxis"]["type"] == "date"
    top = spec["layout"]["xaxis2"]  # the months over the bars too (a tall chart)
    assert (top["side"], top["matches"], top["tickformat"]) == ("top", "x", "%b")
    assert any(t.get("xaxis") == "x2" for t in spec["data"])  # an axis without a trace is not drawn
    assert sum(len(t["y"]) for t in spec["data"]) == int(_figures(at)["Activities"])


OTHER = CurrentUser("o.officer", "Other officer", Role.PLANNER)


def _ref(app_db: str):  # noqa: ANN202
    with UnitOfWork(url=app_db) as uow:
        return uow.reference.load()


def _edit(at, edited_rows: dict, added_rows: list | None = None) -> str:  # noqa: ANN001
    key = _editor_key(at)
    at.session_state[key] = {"edited_rows": edited_rows, "added_rows": added_rows or [],
                             "deleted_rows": []}  # fmt: skip
    at.run()
    assert not at.exception, at.exception
    return key


def _colleague_saves(app_db: str, plan, index: int, **values) -> None:  # noqa: ANN001
    from dataclasses import replace

    line = workplans.activities(OTHER, plan.id, url=app_db)[index]
    workplans.save(OTHER, plan.id, WorkplanEdit(changed=[replace(line, **values)]),
                   _ref(app_db), url=app_db)  # fmt: skip


def test_pending_edits_survive_a_colleagues_save_then_save(app_for, app_db, plan) -> None:  # noqa: ANN001
    at = _open(app_for, "planner")
    key = _edit(at, {0: {"Title": "My pending title"}})
    _colleague_saves(app_db, plan, 1, notes="Saved by a colleague")
    at.run()  # my next click, after their save
    assert not at.exception, at.exception
    assert at.session_state[key]["edited_rows"] == {0: {"Title": "My pending title"}}
    assert "Unsaved: 1 changed, 0 new, 0 removed" in [c.value for c in at.caption]
    assert not any(m.disabled for m in at.multiselect)  # filtering keeps the edits
    notice = " ".join(i.value for i in at.info).replace("\\", "")  # markdown escapes
    assert "changed by o.officer at" in notice and "your edits are kept" in notice
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception, at.exception
    after = workplans.activities(PLANNER, plan.id, url=app_db)
    assert after[0].title == "My pending title" and after[1].notes == "Saved by a colleague"
    assert any("Saved: 1 changed" in s.value for s in at.success)
    assert not [i for i in at.info if "changed by" in i.value]  # the grid now shows the latest


def test_pending_edit_of_a_line_a_colleague_saved_is_a_conflict(app_for, app_db, plan) -> None:  # noqa: ANN001
    at = _open(app_for, "planner")
    lines = workplans.activities(PLANNER, plan.id, url=app_db)
    key = _edit(at, {0: {"Travel": "20,000.00"}})
    _colleague_saves(app_db, plan, 0, budget={**lines[0].budget, "TRAVEL": Decimal("25000.00")})
    at.run()
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception, at.exception
    assert any("Someone else saved" in e.value for e in at.error)
    table = next(d.value for d in at.dataframe if "Saved value" in d.value.columns)
    assert list(table.iloc[0][["Field", "Saved value", "Your value", "Saved by"]]) == [
        "Travel", "USD 25,000.00", "USD 20,000.00", "o.officer"]
    assert at.session_state[key]["edited_rows"] == {0: {"Travel": "20,000.00"}}  # still there
    after = workplans.activities(PLANNER, plan.id, url=app_db)
    assert after[0].budget["TRAVEL"] == Decimal("25000.00")


def test_without_pending_edits_a_colleagues_save_offers_reload(app_for, app_db, plan) -> None:  # noqa: ANN001
    at = _open(app_for, "planner")
    _colleague_saves(app_db, plan, 0, title="Renamed by a colleague")
    at.run()
    assert any("changed by o\\.officer" in i.value for i in at.info)  # escaped for markdown
    next(b for b in at.button if b.label == "Reload").click().run()
    assert not [i for i in at.info if "changed by" in i.value]
    grid = at.dataframe[0].value  # the editor
    assert "Renamed by a colleague" in list(grid["Title"])


def test_header_budget_and_totals_row_follow_unsaved_edits(app_for, app_db, plan) -> None:  # noqa: ANN001
    at = _open(app_for, "planner")
    lines = workplans.activities(PLANNER, plan.id, url=app_db)
    saved = sum(a.total for a in lines if a.counts)
    assert _figures(at)["Budget"] == f"USD {saved:,.2f}"
    old = lines[0].budget.get("TRAVEL", Decimal(0))
    _edit(at, {0: {"Travel": "1,000,000.00"}})
    expected = saved - old + Decimal("1000000.00")
    assert _figures(at)["Budget (with unsaved edits)"] == f"USD {expected:,.2f}"
    totals = _totals(at).value
    assert totals["Total"].iloc[0] == f"{expected:,.2f}"
    travel = sum(a.budget.get("TRAVEL", Decimal(0)) for a in lines[1:] if a.counts)
    assert totals["Travel"].iloc[0] == f"{travel + Decimal('1000000.00'):,.2f}"


def _totals(at):  # noqa: ANN001, ANN202
    """The totals line under the grid: one row, `Total` in its first column."""
    return next(d for d in at.dataframe if len(d.value) == 1 and d.value.iloc[0, 0] == "Total")


def test_totals_line_is_the_grids_total_row(app_for, app_db, plan) -> None:  # noqa: ANN001
    import json

    from tests.app.test_app_totals import set_apart

    at = _open(app_for, "planner")
    area = next(m for m in at.multiselect if m.label == "Thematic area")
    area.set_value([area.options[0][:1]]).run()  # the lines of one area: the totals follow
    grid, line = at.dataframe[0], _totals(at)
    order, columns = list(grid.proto.column_order), list(line.value.columns)
    assert columns == order[:len(columns)] and order[len(columns)] == "Delete"  # all the budget
    assert columns[:3] == ["Code", "Title", "Total"] and len(columns) == 3 + 7
    grid_config, line_config = (json.loads(d.proto.columns) for d in (grid, line))
    for col in columns:  # the grid's widths and pins; amounts right-aligned
        assert line_config[col]["width"] == grid_config[col]["width"], col
        assert bool(line_config[col].get("pinned")) == (col in ("Code", "Title", "Total")), col
        if col not in ("Code", "Title"):
            assert line_config[col]["alignment"] == "right", col
    assert set_apart(line.proto, 0)  # bold and tinted like every Total row
    rows = grid.value[grid.value["Status"] != "cancelled"]
    lines = [a for a in workplans.activities(PLANNER, plan.id, url=app_db)
             if a.area_code == area.value[0] and a.counts]  # fmt: skip
    assert 0 < len(lines) == len(rows) < len(workplans.activities(PLANNER, plan.id, url=app_db))
    expected = sum(a.total for a in lines)
    assert line.value["Total"].iloc[0] == f"{expected:,.2f}"  # to the cent, two decimals
    assert Decimal(line.value["Total"].iloc[0].replace(",", "")) == sum(
        Decimal(t.replace(",", "")) for t in rows["Total"])  # fmt: skip
    travel = sum(a.budget.get("TRAVEL", Decimal(0)) for a in lines)
    assert line.value["Travel"].iloc[0] == f"{travel:,.2f}"


def test_typed_amounts_and_long_text_are_refused_not_changed(app_for, app_db, plan) -> None:  # noqa: ANN001
    at = _open(app_for, "planner")
    before = workplans.activities(PLANNER, plan.id, url=app_db)
    _edit(at, {0: {"Travel": "-5000", "Contractual": "1e20", "Title": "x" * 10_000,
                   "Supplies": "1234.567"}, 1: {"Equipment": "46.500,00"}})  # fmt: skip
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    code0, code1 = (a.code for a in before[:2])
    rows = set(zip(problems["Row"], problems["Field"], strict=True))
    assert {(f"Row {code0}", f) for f in ("Travel", "Contractual", "Title", "Supplies")} <= rows
    assert (f"Row {code1}", "Equipment") in rows
    next(b for b in at.button if b.label == "Save").click().run()
    assert workplans.activities(PLANNER, plan.id, url=app_db) == before  # nothing saved


def test_budget_cells_are_text_right_aligned_after_a_pinned_title(app_for, plan) -> None:  # noqa: ANN001
    import json

    at = _open(app_for, "planner")
    proto = at.dataframe[0].proto  # the editor
    config = json.loads(proto.columns)
    assert config["Travel"]["type_config"]["type"] == "text"
    assert config["Travel"]["alignment"] == "right"
    assert "max_chars" not in config["Title"].get("type_config", {})
    assert config["Title"]["pinned"] and config["Code"]["pinned"]
    order = list(proto.column_order)
    assert order[:3] == ["Code", "Title", "Total"] and config["Total"]["pinned"]
    assert order.index("Travel") < order.index("Output")  # the budget before the other fields


@pytest.mark.parametrize("role", ["psc_member", "finance", "admin"])
def test_read_only_roles_see_no_editing_tabs_or_upload(app_for, app_db, plan, role) -> None:  # noqa: ANN001
    at = _open(app_for, role)
    labels = [t.label for t in at.tabs]
    assert "Copy forward" not in labels and "Activities" in labels
    if "Excel" in labels:
        at.session_state["wp_tab"] = "Excel"
        at.run()
        assert not at.get("file_uploader")
        assert not [c for c in at.caption if "Leave Code empty" in c.value]
    shown = at.session_state["wp_selected"]  # a member exports what the Committee was given
    submitted = workplans.list_workplans(PLANNER, url=app_db)
    given = next(p for p in submitted if p.id == shown).status in ("submitted", "approved")
    assert ("Excel" in labels) == (role == "finance" or (role == "psc_member" and given))
    assert role != "psc_member" or given  # members open on the approved 2026 workplan


def test_planner_sees_every_tab_and_the_uploader(app_for, plan) -> None:  # noqa: ANN001
    at = _open(app_for, "planner")
    assert [t.label for t in at.tabs] == ["Activities", "Totals", "Checks", "Markers",
                                          "Timeline", "Copy forward", "Excel"]  # fmt: skip
    at.session_state["wp_tab"] = "Excel"
    at.run()
    assert at.get("file_uploader")


@pytest.mark.parametrize("role", ["planner", "finance"])
def test_excel_tab_offers_the_finance_exports(app_for, plan, role) -> None:  # noqa: ANN001
    at = _open(app_for, role)
    at.session_state["wp_tab"] = "Excel"
    at.run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download the workplan (.xlsx)", "Budget tables (.xlsx)",
                      "Activities (.csv)", "IATI 2.03 file (.xml)"]  # fmt: skip
    pick = next(s for s in at.selectbox if s.label == "Frozen scenario in the workbook")
    assert pick.value is None and pick.options[0] == "No frozen scenario: the baseline"


def _workbook_with_title(app_db: str, plan, title: str) -> bytes:  # noqa: ANN001
    from io import BytesIO

    from openpyxl import load_workbook

    from rpsee.services import workplan_import

    stored = next(p for p in workplans.list_workplans(PLANNER, url=app_db) if p.id == plan.id)
    lines = workplans.activities(PLANNER, plan.id, url=app_db)
    book = load_workbook(BytesIO(workplan_import.export(PLANNER, stored, lines, _ref(app_db),
                                                        url=app_db)))  # fmt: skip
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index("Title") + 1).value = title
    data = BytesIO()
    book.save(data)
    return data.getvalue()


def _upload(at, data: bytes) -> None:  # noqa: ANN001
    at.session_state["wp_tab"] = "Excel"
    at.run()
    at.get("file_uploader")[0].upload("plan.xlsx", data).run()
    assert not at.exception, at.exception
    assert any("Preview:" in m.value for m in at.markdown)


def test_upload_applied_shows_in_the_grid(app_for, app_db, plan) -> None:  # noqa: ANN001
    at = _open(app_for, "planner")
    _upload(at, _workbook_with_title(app_db, plan, "Renamed in the workbook"))
    next(b for b in at.button if b.label == "Apply these changes").click().run()
    assert any("Applied the workbook: 0 added, 1 changed" in s.value for s in at.success)
    at.session_state["wp_tab"] = "Activities"
    at.run()
    assert at.dataframe[0].value["Title"].iloc[0] == "Renamed in the workbook"
    assert not [i for i in at.info if "changed by" in i.value]  # my own change: no notice


def test_upload_apply_never_reverts_a_colleagues_save(app_for, app_db, plan) -> None:  # noqa: ANN001
    lines = workplans.activities(PLANNER, plan.id, url=app_db)
    at = _open(app_for, "planner")
    _upload(at, _workbook_with_title(app_db, plan, "Renamed in the workbook"))
    contractual = lines[0].budget.get("CONTRACTUAL", Decimal(0)) + Decimal("50000.00")
    _colleague_saves(app_db, plan, 0, budget={**lines[0].budget, "CONTRACTUAL": contractual})
    next(b for b in at.button if b.label == "Apply these changes").click().run()
    assert not at.exception, at.exception
    assert any("nothing was applied" in e.value for e in at.error)
    table = next(d.value for d in at.dataframe if "Saved value" in d.value.columns)
    row = table[table["Field"] == "Contractual"].iloc[0]
    assert row["Saved value"] == f"USD {contractual:,.2f}" and row["Saved by"] == "o.officer"
    after = workplans.activities(PLANNER, plan.id, url=app_db)[0]
    assert after.budget["CONTRACTUAL"] == contractual and after.title == lines[0].title


def test_pending_edits_survive_looking_at_another_tab(app_for, plan) -> None:  # noqa: ANN001
    at = _open(app_for, "planner")
    key = _edit(at, {0: {"Title": "Pending while I look at the totals"}})
    at.session_state["wp_tab"] = "Totals"
    at.run()
    assert "Budget (with unsaved edits)" in _figures(at)
    at.session_state["wp_tab"] = "Activities"
    at.run()
    assert at.session_state[key]["edited_rows"] == {0: {"Title": "Pending while I look at the "
                                                                 "totals"}}  # fmt: skip
    assert "Unsaved: 1 changed, 0 new, 0 removed" in [c.value for c in at.caption]


def test_filters_keep_pending_edits(app_for, app_db, plan) -> None:  # noqa: ANN001
    lines = workplans.activities(PLANNER, plan.id, url=app_db)
    other = next(a for a in lines if a.area_code != lines[0].area_code)
    at = _open(app_for, "planner")
    _edit(at, {0: {"Title": "Edited before filtering"}})
    area = next(m for m in at.multiselect if m.label == "Thematic area")
    area.set_value([other.area_code]).run()  # line 0 is filtered out
    assert not at.exception, at.exception
    assert "Unsaved: 1 changed, 0 new, 0 removed" in [c.value for c in at.caption]
    grid = at.dataframe[0].value
    assert lines[0].code not in list(grid["Code"])
    assert _figures(at)["Activities (filtered)"] == f"{len(grid)} of {len(lines)}"
    assert any("Filtered by area: 1" in m.value for m in at.markdown)
    row = list(grid["Code"]).index(other.code)
    _edit(at, {row: {"Notes": "Edited while filtered"}})
    assert "Unsaved: 2 changed, 0 new, 0 removed" in [c.value for c in at.caption]
    next(m for m in at.multiselect if m.label == "Thematic area").set_value([]).run()
    assert at.dataframe[0].value["Title"].iloc[0] == "Edited before filtering"
    _button(at, "Save").click().run()
    after = {a.code: a for a in workplans.activities(PLANNER, plan.id, url=app_db)}
    assert after[lines[0].code].title == "Edited before filtering"
    assert after[other.code].notes == "Edited while filtered"


def test_delete_tick_marks_the_line_until_saved(app_for, app_db, plan) -> None:  # noqa: ANN001
    lines = workplans.activities(PLANNER, plan.id, url=app_db)
    at = _open(app_for, "planner")
    saved = sum(a.total for a in lines if a.counts)
    _edit(at, {1: {"Delete": True}})
    assert "Unsaved: 0 changed, 0 new, 1 removed" in [c.value for c in at.caption]
    assert bool(at.dataframe[0].value["Delete"].iloc[1])  # shown ticked until saved
    budget = _figures(at)["Budget (with unsaved edits)"]
    assert budget == f"USD {saved - (lines[1].total if lines[1].counts else 0):,.2f}"
    _button(at, "Save").click().run()
    assert not at.exception, at.exception
    codes = [a.code for a in workplans.activities(PLANNER, plan.id, url=app_db)]
    assert lines[1].code not in codes and len(codes) == len(lines) - 1
    assert lines[1].code not in list(at.dataframe[0].value["Code"])


def test_new_line_added_and_saved_with_a_pending_edit(app_for, app_db, plan) -> None:  # noqa: ANN001
    lines = workplans.activities(PLANNER, plan.id, url=app_db)
    at = _open(app_for, "planner")
    _edit(at, {0: {"Notes": "Edited before adding"}})
    _button(at, "Add line").click().run()
    line = lines[0]
    _edit(at, {0: {"Title": "Added in the grid", "Output": line.output_code,
                   "Jurisdictions": list(line.jurisdictions), "Lead office": line.lead_office,
                   "Start": "Mar", "End": "Apr", "Travel": "1,000.00"}})  # fmt: skip
    assert "Unsaved: 1 changed, 1 new, 0 removed" in [c.value for c in at.caption]
    assert not at.warning
    _button(at, "Save").click().run()
    assert not at.exception, at.exception
    after = workplans.activities(PLANNER, plan.id, url=app_db)
    added = next(a for a in after if a.title == "Added in the grid")
    assert added.budget["TRAVEL"] == Decimal("1000.00") and len(after) == len(lines) + 1
    assert next(a for a in after if a.code == line.code).notes == "Edited before adding"
    assert at.dataframe[0].value["Code"].iloc[0] != "New row 1"  # the draft is gone


def test_a_save_keeps_the_editor_unless_a_cell_it_shows_went_stale(app_for, app_db, plan) -> None:  # noqa: ANN001
    """The same key (and rows) after a save: the browser keeps the grid's scroll position.
    Once a colleague changed a cell the browser still shows as I edited it, the next save
    starts a new editor, so my old value never shows over theirs."""
    at = _open(app_for, "planner")
    key = _edit(at, {0: {"Title": "Saved by me"}})
    _button(at, "Save").click().run()
    assert _editor_key(at) == key and "No unsaved edits." in [c.value for c in at.caption]
    _colleague_saves(app_db, plan, 0, title="Then changed by a colleague")
    _edit(at, {0: {"Title": "Saved by me"}, 1: {"Notes": "My next edit"}})
    _button(at, "Save").click().run()
    assert not at.exception, at.exception
    assert _editor_key(at) != key
    assert at.dataframe[0].value["Title"].iloc[0] == "Then changed by a colleague"
    assert "No unsaved edits." in [c.value for c in at.caption]


def test_a_save_whose_run_stopped_after_the_write_is_found_saved(app_for, app_db, plan) -> None:  # noqa: ANN001
    """Streamlit stops a run at any Streamlit call when the browser sends a newer event (the
    editor re-sends its cells after an edit), also just after the save's write: the draft and
    the old snapshot stay. The next run finds the edits in the stored lines: nothing pending,
    the same editor (the browser keeps its scroll), and the user is told it was saved."""
    from dataclasses import replace

    at = _open(app_for, "planner")
    line = workplans.activities(PLANNER, plan.id, url=app_db)[0]
    key = _edit(at, {0: {"Title": "Saved, then the run stopped"}})
    assert "Unsaved: 1 changed, 0 new, 0 removed" in [c.value for c in at.caption]
    workplans.save(PLANNER, plan.id, WorkplanEdit(changed=[replace(
        line, title="Saved, then the run stopped")]), _ref(app_db), url=app_db)  # fmt: skip
    at.session_state[key] = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}
    at.run()  # the browser's event that stopped the save's run
    assert not at.exception, at.exception
    assert "No unsaved edits." in [c.value for c in at.caption]
    assert "Saved: 1 changed, 0 added, 0 removed." in [s.value for s in at.success]
    assert not [i for i in at.info if "changed by" in i.value]
    assert _editor_key(at) == key
    assert at.dataframe[0].value["Title"].iloc[0] == "Saved, then the run stopped"
    at.run()
    assert not at.success and "No unsaved edits." in [c.value for c in at.caption]


def test_a_save_click_whose_run_stopped_before_the_write_is_kept(app_for, app_db, plan) -> None:  # noqa: ANN001
    """The Save button's callback queues the click before the page runs; a run stopped before
    the write (the editor re-sent its cells, which starts a new run without the click) leaves it
    queued, and the next run saves it, once."""
    at = _open(app_for, "planner")
    before = workplans.activities(PLANNER, plan.id, url=app_db)[0]
    key = _edit(at, {0: {"Title": "Queued, then the run stopped"}})
    at.session_state[f"wp_save_queued_{plan.id}"] = time.monotonic()  # the callback left it
    at.session_state[key] = {"edited_rows": {0: {"Title": "Queued, then the run stopped"}},
                             "added_rows": [], "deleted_rows": []}  # fmt: skip
    at.run()  # the run the editor's re-sent state started: the click is not in it
    assert not at.exception, at.exception
    after = workplans.activities(PLANNER, plan.id, url=app_db)[0]
    assert (after.title, after.version) == ("Queued, then the run stopped", before.version + 1)
    assert "Saved: 1 changed, 0 added, 0 removed." in [s.value for s in at.success]
    assert f"wp_save_queued_{plan.id}" not in at.session_state
    at.run()
    assert workplans.activities(PLANNER, plan.id, url=app_db)[0].version == after.version
    assert "No unsaved edits." in [c.value for c in at.caption]


def test_an_add_line_click_whose_run_stopped_is_kept_once(app_for, app_db, plan) -> None:  # noqa: ANN001
    """Add line is queued by its callback too: the next run adds one blank line on top and
    keeps the edit typed before the click."""
    at = _open(app_for, "planner")
    rows = len(at.dataframe[0].value)
    _edit(at, {0: {"Notes": "Typed before Add line"}})
    at.session_state[f"wp_add_queued_{plan.id}"] = time.monotonic()  # the callback left it
    at.run()  # the run the editor's re-sent state started
    assert not at.exception, at.exception
    codes = list(at.dataframe[0].value["Code"])
    assert codes[0] == "New row 1" and len(codes) == rows + 1
    assert "Unsaved: 1 changed, 0 new, 0 removed" in [c.value for c in at.caption]
    at.run()
    assert len(at.dataframe[0].value) == rows + 1  # added once
    _button(at, "Discard edits").click().run()
    assert len(at.dataframe[0].value) == rows and "No unsaved edits." in [
        c.value for c in at.caption]  # fmt: skip


def test_a_queued_save_with_problems_is_answered_not_kept(app_for, app_db, plan) -> None:  # noqa: ANN001
    """A click on a draft with a refused cell says so and is not kept for later: fixing the
    cell saves nothing until Save is clicked again."""
    at = _open(app_for, "planner")
    before = workplans.activities(PLANNER, plan.id, url=app_db)[0]
    _edit(at, {0: {"Travel": "46.500,00"}})
    at.session_state[f"wp_save_queued_{plan.id}"] = time.monotonic()
    at.run()
    assert any("problem(s) to fix before saving" in e.value for e in at.error)
    assert f"wp_save_queued_{plan.id}" not in at.session_state
    _edit(at, {0: {"Travel": "12,345.00"}})
    assert workplans.activities(PLANNER, plan.id, url=app_db)[0].version == before.version
    assert "Unsaved: 1 changed, 0 new, 0 removed" in [c.value for c in at.caption]
    _button(at, "Save").click().run()
    assert workplans.activities(PLANNER, plan.id, url=app_db)[0].budget["TRAVEL"] == Decimal(
        "12345.00")


def test_a_new_line_whose_save_run_stopped_is_not_offered_again(app_for, app_db, plan) -> None:  # noqa: ANN001
    lines = workplans.activities(PLANNER, plan.id, url=app_db)
    at = _open(app_for, "planner")
    _button(at, "Add line").click().run()
    line = lines[0]
    _edit(at, {0: {"Title": "Added, then the run stopped", "Output": line.output_code,
                   "Jurisdictions": list(line.jurisdictions), "Lead office": line.lead_office,
                   "Start": "Mar", "End": "Apr", "Travel": "1,000.00"}})  # fmt: skip
    assert "Unsaved: 0 changed, 1 new, 0 removed" in [c.value for c in at.caption]
    ref = _ref(app_db)
    from rpsee.ui.workplan_grid import read_changes

    edit = read_changes(at.session_state[f"wp_draft_{plan.id}"], lines, ref,
                        plan.year).edit  # what the Save button saves  # fmt: skip
    assert len(edit.added) == 1
    code = workplans.save(PLANNER, plan.id, edit, ref, url=app_db).added[0]
    at.run()
    assert not at.exception, at.exception
    assert "No unsaved edits." in [c.value for c in at.caption]
    assert f"Saved: 0 changed, 1 added ({code}), 0 removed." in [s.value for s in at.success]
    codes = list(at.dataframe[0].value["Code"])
    assert "New row 1" not in codes and code in codes and len(codes) == len(lines) + 1
    assert not any(b.label == "Save" and not b.disabled for b in at.button)  # nothing to add twice


def test_an_edit_a_colleague_saved_the_same_is_no_longer_pending(app_for, app_db, plan) -> None:  # noqa: ANN001
    at = _open(app_for, "planner")
    _edit(at, {0: {"Title": "The same title twice"}})
    _colleague_saves(app_db, plan, 0, title="The same title twice")
    at.run()
    assert not at.exception, at.exception
    assert "No unsaved edits." in [c.value for c in at.caption]
    assert not at.success  # not my save
    assert any("Your edits to 1 line(s) and 0 new line(s) are already in the stored plan"
               in i.value for i in at.info)  # fmt: skip
    assert not [i for i in at.info if "changed by" in i.value]  # the snapshot is up to date


def test_unsaved_amounts_are_listed_formatted_before_saving(app_for, app_db, plan) -> None:  # noqa: ANN001
    at = _open(app_for, "planner")
    lines = workplans.activities(PLANNER, plan.id, url=app_db)
    old = lines[0].budget.get("TRAVEL", Decimal(0))
    _edit(at, {0: {"Travel": "12500", "Title": "Retitled <b> & kept"}})
    review = [e for e in at.expander if e.label.startswith("Review your unsaved edits")]
    assert len(review) == 1 and "1 changed, 0 new, 0 removed" in review[0].label
    frame = review[0].dataframe[0].value
    rows = {r["Field"]: (r["Before"], r["After"]) for _, r in frame.iterrows()}
    assert rows["Travel"] == (f"USD {old:,.2f}" if old else "–", "USD 12,500.00")
    assert rows["Title"] == (lines[0].title, "Retitled <b> & kept")
    assert set(frame["Line"]) == {lines[0].code}
    assert workplans.activities(PLANNER, plan.id, url=app_db)[0].title == lines[0].title

