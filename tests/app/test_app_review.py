"""The Steering Committee page through AppTest, by role: the planner submits, a member comments
and records a position, the secretariat decides; read-only roles get no controls."""

from __future__ import annotations

import pytest

from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import workflow, workplans
from rpsee.ui.text import md

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)
READ_ONLY = ("finance", "observer")


@pytest.fixture
def draft(app_db: str):  # noqa: ANN201
    import streamlit as st

    st.cache_data.clear()
    return next(p for p in workplans.list_workplans(PLANNER, url=app_db) if p.year == 2026)


def _ref(url: str):  # noqa: ANN202
    from rpsee.services import programme

    return programme.reference(PLANNER, url=url)


def _open(app_for, role: str):  # noqa: ANN001, ANN202
    at = app_for(role).run()
    at.switch_page("pages/review.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Steering Committee"
    return at


def _labels(at) -> set[str]:  # noqa: ANN001
    return {b.label for b in at.button if b.label != "Log out"}


def _select_version(at, plan_id: int):  # noqa: ANN001, ANN202
    at.selectbox(key="rv_selected").set_value(plan_id).run()
    assert not at.exception, at.exception
    return at


def test_planner_submits_a_draft(app_for, app_db, draft) -> None:  # noqa: ANN001
    at = _select_version(_open(app_for, "planner"), draft.id)
    assert "Submit to the Steering Committee" in _labels(at)
    assert "Record my position" not in _labels(at)  # planners do not endorse
    next(b for b in at.button if b.label == "Submit to the Steering Committee").click().run()
    assert not at.exception, at.exception
    assert any("was submitted" in s.value for s in at.success)
    status = {p.id: p.status for p in workplans.list_workplans(PLANNER, url=app_db)}
    assert status[draft.id] == "submitted"
    assert "Record the decision" in _labels(at) and "Make a revised version" in _labels(at)


def test_member_comments_and_takes_a_position_but_cannot_decide(app_for, app_db, draft
                                                                 ) -> None:  # noqa: ANN001
    workflow.submit(PLANNER, draft.id, url=app_db)
    at = _select_version(_open(app_for, "psc_member"), draft.id)
    labels = _labels(at)
    assert {"Record my position", "Add the comment"} <= labels
    assert not labels & {"Record the decision", "Submit to the Steering Committee",
                         "Make a revised version", "Save the meeting record"}
    comment_box = next(t for t in at.text_area if t.label == "Comment")
    typed = '<b>R&D "x"</b> **not bold**'
    comment_box.input(typed)
    next(b for b in at.button if b.label == "Add the comment").click().run()
    assert not at.exception, at.exception
    shown = [m.value for m in at.markdown]
    assert md(typed) in shown and r"\*\*not bold\*\*" in md(typed)  # shown as typed
    remarks = next(t for t in at.text_area if t.label.startswith("Comments (required"))
    remarks.input("Endorsed for Serbia.")
    next(b for b in at.button if b.label == "Record my position").click().run()
    assert not at.exception, at.exception
    positions = workflow.review(PLANNER, draft.id, url=app_db).positions
    assert [p.member for p in positions] == ["demo.psc"]


def test_admin_records_the_decision(app_for, app_db, draft) -> None:  # noqa: ANN001
    workflow.submit(PLANNER, draft.id, url=app_db)
    at = _select_version(_open(app_for, "admin"), draft.id)
    assert "Add the comment" not in _labels(at)  # the administrator does not comment
    next(b for b in at.button if b.label == "Record the decision").click().run()
    assert not at.exception, at.exception
    assert any("Decision recorded: approved" in s.value for s in at.success)
    assert workflow.review(PLANNER, draft.id, url=app_db).plan.status == "approved"


@pytest.mark.parametrize("role", READ_ONLY)
def test_read_only_roles_see_no_controls(app_for, app_db, draft, role: str) -> None:  # noqa: ANN001
    workflow.submit(PLANNER, draft.id, url=app_db)
    workflow.comment(PLANNER, draft.id, "plan", "", "Planner note", _ref(app_db), url=app_db)
    at = _select_version(_open(app_for, role), draft.id)
    assert _labels(at) == {"Build the approval pack"}  # a download, nothing changes
    assert not at.text_area and not at.text_input
    assert any("Planner note" in m.value for m in at.markdown)


def test_meeting_record_shows_what_was_decided(app_for, app_db, draft) -> None:  # noqa: ANN001
    from datetime import date

    from rpsee.domain.workflow import Meeting

    meeting = workflow.save_meeting(PLANNER, Meeting("PSC-4", date(2026, 3, 10), "Podgorica",
                                                     "Members"), url=app_db)  # fmt: skip
    workflow.submit(PLANNER, draft.id, url=app_db)
    workflow.comment(PLANNER, draft.id, "area", "3", "Anti-corruption first", _ref(app_db),
                     url=app_db)  # fmt: skip
    workflow.record_decision(PLANNER, draft.id, "returned", "Fewer workshops", meeting.id,
                             url=app_db)  # fmt: skip
    at = _open(app_for, "psc_member")
    assert "PSC-4, 2026-03-10, Podgorica" in at.selectbox(key="rv_meeting_record").options
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert any("returned: Fewer workshops" in t for t in texts), texts
    assert any("Anti\\-corruption first" in t and "Thematic area 3" in t for t in texts), texts


def test_the_approval_pack_is_built_with_progress_and_offered(app_for, app_db, draft) -> None:  # noqa: ANN001
    at = _select_version(_open(app_for, "psc_member"), draft.id)
    assert "Build the approval pack" not in _labels(at)  # a draft: not for members
    assert any("planners and finance" in c.value for c in at.caption)
    workflow.submit(PLANNER, draft.id, url=app_db)
    at = _select_version(_open(app_for, "observer"), draft.id)
    next(b for b in at.button if b.label == "Build the approval pack").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.status[0].proto.label.startswith("Approval pack ready")
    assert at.get("download_button"), "no download offered"
