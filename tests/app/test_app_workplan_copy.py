"""The Copy forward tab through AppTest: a year that already has a draft asks first, then a new
version is created that no page uses until a planner says so."""

from __future__ import annotations

from datetime import date

from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import workplans

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)


def _copy_tab(app_for, source: int | None = None):  # noqa: ANN001, ANN202
    """The Copy forward tab of the version the page opens on, or of the version `source`."""
    at = app_for("planner").run()
    at.switch_page("pages/workplan.py").run()
    at.session_state["wp_tab"] = "Copy forward"
    if source is not None:
        at.session_state["wp_selected"] = source
    at.run()
    assert not at.exception, at.exception
    return at


def _create_button(at):  # noqa: ANN001, ANN202
    return next(b for b in at.button if b.label.startswith("Create the 2027 workplan, version 2"))


def test_copy_into_a_year_with_a_draft_asks_then_creates_an_unused_version(app_for, app_db) -> None:  # noqa: ANN001
    before = workplans.list_workplans(PLANNER, url=app_db)
    assert [(p.year, p.version_no, p.status, p.in_use) for p in before] == [
        (2026, 1, "approved", True), (2027, 1, "draft", True)]  # fmt: skip
    opened = _copy_tab(app_for).selectbox(key="wp_selected")  # a planner: the plan in preparation
    assert opened.value == before[1].id
    assert opened.format_func(opened.value) == (
        "2027 workplan, version 1, draft shared for consultation, in use")
    at = _copy_tab(app_for, source=before[0].id)  # the approved 2026 copied forward again
    selected = at.selectbox(key="wp_selected")
    assert selected.format_func(selected.value) == "2026 workplan, version 1, approved, in use"
    warning = next(w.value for w in at.warning if "already has 1 version" in w.value)
    assert "2027 workplan, version 1, draft shared for consultation, in use" in warning.replace(
        "\\", "")  # fmt: skip
    source = workplans.activities(PLANNER, before[0].id, url=app_db)
    carried = [a for a in source if a.status in ("planned", "ongoing")]
    lines = next(m for m in at.metric if m.label == "Lines")
    assert lines.value == str(len(carried))
    assert next(m.value for m in at.metric if m.label == "Continuing") == str(
        sum(a.status == "ongoing" for a in carried))  # fmt: skip
    areas = next(d.value for d in at.dataframe if "Thematic area" in d.value.columns)
    assert list(areas["Thematic area"])[-1] == "Total"
    assert round(sum(areas["USD"][:-1]), 2) == round(areas["USD"].iloc[-1], 2)
    assert _create_button(at).disabled  # not before the confirmation

    at.checkbox(key=f"wp_copy_ok_{before[0].id}_2027").check().run()
    assert not _create_button(at).disabled
    _create_button(at).click().run()
    assert not at.exception, at.exception
    after = workplans.list_workplans(PLANNER, url=app_db)
    new = next(p for p in after if (p.year, p.version_no) == (2027, 2))
    assert not new.in_use  # nothing switched silently
    assert [p.id for p in after if p.year == 2027 and p.in_use] == [before[1].id]
    created = workplans.activities(PLANNER, new.id, url=app_db)
    assert [a.code for a in created] == [a.code.replace("2026-", "2027-", 1) for a in carried]
    assert any("Created the 2027 workplan, version 2, draft" in s.value for s in at.success)
    selected = at.selectbox(key="wp_selected")
    assert selected.value == new.id  # the new version is open, and says it is not in use
    assert any("Not in use: the other pages use 2027 workplan, version 1" in c.value
               for c in at.caption)  # fmt: skip
    next(b for b in at.button if b.label == "Use this version").click().run()
    assert [p.id for p in workplans.list_workplans(PLANNER, url=app_db)
            if p.year == 2027 and p.in_use] == [new.id]  # fmt: skip


def test_a_completed_line_ticked_is_planned_again_and_the_preview_says_so(app_for, app_db) -> None:  # noqa: ANN001
    plan = workplans.list_workplans(PLANNER, url=app_db)[0]  # 2026: the 2027 draft has none
    at = _copy_tab(app_for, source=plan.id)
    source = workplans.activities(PLANNER, plan.id, url=app_db)
    row = next(i for i, a in enumerate(source) if a.status == "completed")
    edits = {"edited_rows": {row: {"Copy": True}}, "added_rows": [], "deleted_rows": []}
    at.session_state[f"wp_copy_{plan.id}_2027"] = edits
    at.run()
    code = source[row].code
    assert any(f"completed: {code} becomes 2027{code[4:]}, planned" in i.value.replace("\\", "")
               for i in at.info)  # fmt: skip


def test_allocation_year_selector_names_the_version_it_uses(app_for) -> None:  # noqa: ANN001
    at = app_for("planner").run()
    at.switch_page("pages/allocation.py").run()
    at.session_state["alloc_tab"] = "By year"
    at.run()
    assert not at.exception, at.exception
    year = at.selectbox(key="alloc_year")
    assert year.value == min(max(date.today().year, 2024), 2029)  # the year being implemented
    assert year.format_func(2026) == "2026 workplan, version 1, approved, used here"
    assert year.format_func(2027) == (
        "2027 workplan, version 1, draft shared for consultation, used here")
    assert year.format_func(2029) == "2029: no workplan yet"


def test_copy_into_2029_flags_the_months_after_june(app_for, app_db) -> None:  # noqa: ANN001
    from rpsee.store.uow import UnitOfWork

    with UnitOfWork(url=app_db) as uow:
        ref = uow.reference.load()
    y2027 = next(p for p in workplans.list_workplans(PLANNER, url=app_db) if p.year == 2027)
    y2028 = workplans.start_draft(PLANNER, 2028, ref, copy_from=y2027.id, url=app_db)
    lines = workplans.activities(PLANNER, y2028.id, url=app_db)
    late = [a for a in lines if a.status in ("planned", "ongoing") and a.end_month > 6]
    at = app_for("planner").run()
    at.switch_page("pages/workplan.py").run()
    at.session_state["wp_selected"] = y2028.id
    at.session_state["wp_tab"] = "Copy forward"
    at.run()
    assert not at.exception, at.exception
    assert any("have months outside 2029 (Jan–Jun)" in w.value for w in at.warning)
    flagged = next(d.value for d in at.dataframe if "Months in 2029" in d.value.columns)
    assert len(flagged) == len(late) > 0
    assert set(flagged["Code"]) == {a.code.replace("2028-", "2029-", 1) for a in late}
    assert set(flagged["Months in 2029"]) <= {"Jun", *(f"{m}–Jun" for m in
                                                       ("Jan", "Feb", "Mar", "Apr", "May"))}


def test_a_double_click_on_create_makes_one_version(app_for, app_db) -> None:  # noqa: ANN001
    import time

    source = next(p for p in workplans.list_workplans(PLANNER, url=app_db) if p.year == 2027)
    at = _copy_tab(app_for)
    at.selectbox(key="wp_selected").set_value(source.id).run()
    create = next(b for b in at.button if b.label.startswith("Create the 2028 workplan, version 1"))
    create.click().run()
    assert not at.exception, at.exception
    made = [p for p in workplans.list_workplans(PLANNER, url=app_db) if p.year == 2028]
    assert [p.version_no for p in made] == [1]
    assert at.selectbox(key="wp_selected").value == made[0].id  # the new version is open
    # where the Create button was there is no next year's button: the copy asks where first
    assert not [b for b in at.button if b.label.startswith("Create the")]
    assert at.radio(key=f"wp_copy_target_{made[0].id}").value is None
    assert any("was just created" in i.value for i in at.info)
    # the second click of the double click, queued under the button it was made on
    at.session_state[f"wp_copy_create_{source.id}_2028_1:click"] = time.monotonic()
    at.run()
    at.selectbox(key="wp_selected").set_value(source.id).run()  # back on 2027: now version 2
    assert any(b.label.startswith("Create the 2028 workplan, version 2") and b.disabled
               for b in at.button)  # fmt: skip
    assert [p.version_no for p in workplans.list_workplans(PLANNER, url=app_db)
            if p.year == 2028] == [1]  # fmt: skip


def test_picking_a_target_after_creating_shows_the_next_button(app_for, app_db) -> None:  # noqa: ANN001
    source = next(p for p in workplans.list_workplans(PLANNER, url=app_db) if p.year == 2027)
    at = _copy_tab(app_for)
    at.selectbox(key="wp_selected").set_value(source.id).run()
    next(b for b in at.button if b.label.startswith("Create the 2028 workplan")).click().run()
    made = next(p for p in workplans.list_workplans(PLANNER, url=app_db) if p.year == 2028)
    at.radio(key=f"wp_copy_target_{made.id}").set_value(2029).run()
    assert any(b.label.startswith("Create the 2029 workplan, version 1") for b in at.button)
