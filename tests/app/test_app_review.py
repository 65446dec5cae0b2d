"""The Steering Committee page through AppTest, by role: the planner submits, a member comments
and records a position, the secretariat decides; read-only roles get no controls."""

from __future__ import annotations

import pytest

from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import workflow, workplans
from rpsee.ui.text import md
from tests.committee import decide_read, submit_read

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)
READ_ONLY = ("finance", "observer")


@pytest.fixture
def draft(app_db: str):  # noqa: ANN201
    import streamlit as st

    st.cache_data.clear()
    return next(p for p in workplans.list_workplans(PLANNER, url=app_db) if p.year == 2027)


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
    submit = next(b for b in at.button if b.label == "Submit to the Steering Committee")
    submit.click().run()  # the open points not confirmed: refused by the service
    n = len(workflow.open_points(PLANNER, draft.id, url=app_db))
    assert n > 3  # the demo: a line without budget, two without a position, marker findings
    assert any(f"has {n} open point" in e.value and "confirm" in e.value for e in at.error)
    assert {p.id: p.status for p in workplans.list_workplans(PLANNER, url=app_db)}[
        draft.id] == "draft"
    assert any("without budget" in str(t.value) for t in at.table)
    read = next(c for c in at.checkbox if c.label.startswith(f"I have read the {n} open point"))
    read.check()
    next(b for b in at.button if b.label == "Submit to the Steering Committee").click().run()
    assert not at.exception, at.exception
    assert any("was submitted" in s.value for s in at.success)
    status = {p.id: p.status for p in workplans.list_workplans(PLANNER, url=app_db)}
    assert status[draft.id] == "submitted"
    assert "Record the decision" in _labels(at) and "Make a revised version" in _labels(at)


def test_member_comments_and_takes_a_position_but_cannot_decide(app_for, app_db, draft
                                                                 ) -> None:  # noqa: ANN001
    submit_read(PLANNER, draft.id, url=app_db)
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
    submit_read(PLANNER, draft.id, url=app_db)
    at = _select_version(_open(app_for, "admin"), draft.id)
    assert "Add the comment" not in _labels(at)  # the administrator does not comment
    next(b for b in at.button if b.label == "Record the decision").click().run()
    assert not at.exception, at.exception
    assert any("Decision recorded: approved" in s.value for s in at.success)
    assert workflow.review(PLANNER, draft.id, url=app_db).plan.status == "approved"


def test_decision_brief_shows_an_objection_before_approving(app_for, app_db, draft
                                                           ) -> None:  # noqa: ANN001
    from rpsee.services import positions

    submit_read(PLANNER, draft.id, url=app_db)
    member = CurrentUser("demo.psc", "M", Role.PSC_MEMBER)
    positions.record_position(member, draft.id, "object", "ALB", "Travel <b>first</b>",
                              _ref(app_db), url=app_db)  # fmt: skip
    at = _select_version(_open(app_for, "admin"), draft.id)
    assert any("1 objection\\(s\\)" in m.value for m in at.markdown)  # the brief's summary
    assert any("objects for Albania" in e.value and md("Travel <b>first</b>") in e.value
               for e in at.error)  # fmt: skip
    brief = next(df.value for df in at.dataframe if "Position" in df.value.columns
                 and "No position recorded" in set(df.value["Position"]))  # fmt: skip
    assert ("Albania", "Object") in set(zip(brief["Jurisdiction"], brief["Position"],
                                            strict=True))  # fmt: skip
    next(b for b in at.button if b.label == "Record the decision").click().run()
    assert any("confirm you have read it" in e.value for e in at.error)  # not ticked: refused
    assert workflow.review(PLANNER, draft.id, url=app_db).plan.status == "submitted"
    next(c for c in at.checkbox if c.label.startswith("I have read the decision brief")).check()
    next(b for b in at.button if b.label == "Record the decision").click().run()
    assert any("Decision recorded: approved" in s.value for s in at.success)
    assert any("Approved by Demo Administrator, Administrator on" in i.value for i in at.info)


@pytest.mark.parametrize("role", READ_ONLY)
def test_read_only_roles_see_no_controls(app_for, app_db, draft, role: str) -> None:  # noqa: ANN001
    submit_read(PLANNER, draft.id, url=app_db)
    workflow.comment(PLANNER, draft.id, "plan", "", "Planner note", _ref(app_db), url=app_db)
    at = _select_version(_open(app_for, role), draft.id)
    assert _labels(at) == {"Build the approval pack"}  # a download, nothing changes
    assert not at.text_area and not at.text_input
    shown = any("Planner note" in m.value for m in at.markdown)
    if role == "observer":  # comments and positions only once the Committee has decided
        assert not shown
        assert any("once the Steering Committee has decided" in c.value for c in at.caption)
        decide_read(PLANNER, draft.id, "approved", url=app_db)
        at = _select_version(_open(app_for, role), draft.id)
        shown = any("Planner note" in m.value for m in at.markdown)
    assert shown


def test_meeting_record_shows_what_was_decided(app_for, app_db, draft) -> None:  # noqa: ANN001
    from datetime import date

    from rpsee.domain.workflow import Meeting

    meeting = workflow.save_meeting(PLANNER, Meeting("PSC-4", date(2026, 3, 10), "Podgorica",
                                                     "Members"), url=app_db)  # fmt: skip
    submit_read(PLANNER, draft.id, url=app_db)
    workflow.comment(PLANNER, draft.id, "area", "3", "Anti-corruption first", _ref(app_db),
                     url=app_db)  # fmt: skip
    workflow.record_decision(PLANNER, draft.id, "returned", "Fewer workshops", meeting.id,
                             url=app_db)  # fmt: skip
    at = _open(app_for, "psc_member")
    assert "PSC-4, 2026-03-10, Podgorica" in at.selectbox(key="rv_meeting_record").options
    _select_meeting(at, meeting.id)  # the demo meeting "Demo 1" is listed too
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert any("returned: Fewer workshops" in t for t in texts), texts
    assert any("Anti\\-corruption first" in t and "Thematic area 3" in t for t in texts), texts


def test_the_approval_pack_is_built_with_progress_and_offered(app_for, app_db, draft) -> None:  # noqa: ANN001
    at = _select_version(_open(app_for, "psc_member"), draft.id)
    assert "Build the approval pack" not in _labels(at)  # a draft: not for members
    assert any("planners and finance" in c.value for c in at.caption)
    submit_read(PLANNER, draft.id, url=app_db)
    at = _select_version(_open(app_for, "observer"), draft.id)
    next(b for b in at.button if b.label == "Build the approval pack").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.status[0].proto.label.startswith("Approval pack ready")
    downloads = [d.proto.label for d in at.get("download_button")]
    assert downloads == ["Download the approval pack (PDF)",
                         "Download the accessible edition (HTML)"], downloads  # side by side


def _meeting(url: str, number: str = "PSC-5"):  # noqa: ANN202
    from datetime import date

    from rpsee.domain.workflow import Meeting

    return workflow.save_meeting(PLANNER, Meeting(number, date(2026, 4, 2), "Tirnaa", "Members"),
                                 url=url)  # fmt: skip


def _demo_meeting(url: str):  # noqa: ANN202
    """The demo Steering Committee meeting that approved the 2026 workplan."""
    (demo,) = [m for m in workflow.meetings(PLANNER, url=url) if m.number == "Demo 1"]
    return demo


def _shown(m) -> str:  # noqa: ANN001
    """A meeting as the record selector shows it."""
    return f"{m.number}, {m.held_on:%Y-%m-%d}, {m.place}"


def _select_meeting(at, meeting_id: int):  # noqa: ANN001, ANN202
    at.selectbox(key="rv_meeting_record").set_value(meeting_id).run()
    assert not at.exception, at.exception
    return at


def _field(at, label: str, kind: str = "text_input"):  # noqa: ANN001, ANN202
    """The field of the change form (keys `rv_me_...`), not of the new-meeting form."""
    return next(w for w in getattr(at, kind) if w.label == label and w.key.startswith("rv_me_"))


def _click(at, label: str):  # noqa: ANN001, ANN202
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def test_planner_changes_a_meeting_record(app_for, app_db, draft) -> None:  # noqa: ANN001
    from rpsee.services import audit_log

    meeting = _meeting(app_db)
    demo = _demo_meeting(app_db)
    at = _select_meeting(_open(app_for, "planner"), meeting.id)
    assert _field(at, "Place").value == "Tirnaa"  # prefilled from the record
    _field(at, "Place").input("Tirana")
    _field(at, "Participants", "text_area").input("Members\nUNODC Regional Representative")
    _click(at, "Save the changes")
    assert any("Meeting PSC\\-5 changed." in s.value for s in at.success), at.success
    stored = {m.id: m for m in workflow.meetings(PLANNER, url=app_db)}
    saved = stored[meeting.id]
    assert (saved.place, saved.version) == ("Tirana", meeting.version + 1)
    assert saved.participants == "Members\nUNODC Regional Representative"
    assert stored[demo.id] == demo  # the other meeting untouched
    shown = at.selectbox(key="rv_meeting_record").options
    assert sorted(shown) == sorted([_shown(demo), "PSC-5, 2026-04-02, Tirana"])
    table = at.dataframe[-1].value
    assert dict(zip(table["Number"], table["Place"], strict=True)) == {
        "Demo 1": demo.place, "PSC-5": "Tirana"}
    assert _field(at, "Place").value == "Tirana"  # the form reopens on what was saved
    admin = CurrentUser("demo.admin", "A", Role.ADMIN)
    trail = audit_log.rows(admin, audit_log.AuditFilter(None, None, None, "Steering Committee"),
                           limit=20, url=app_db)  # fmt: skip
    assert [r.what for r in trail].count("Changed (meeting record saved)") == 1


def test_a_stale_or_wrong_change_keeps_what_was_typed(app_for, app_db, draft) -> None:  # noqa: ANN001
    from dataclasses import replace

    meeting = _meeting(app_db)
    at = _select_meeting(_open(app_for, "planner"), meeting.id)
    _field(at, "Place").input("")
    _click(at, "Save the changes")
    assert any(md("Place: required.") in e.value for e in at.error), [e.value for e in at.error]
    assert _field(at, "Place").value == ""
    workflow.save_meeting(PLANNER, replace(meeting, agenda="Someone else's agenda"), url=app_db)
    _field(at, "Place").input("Tirana")
    _field(at, "Observers", "text_area").input("EU Delegation")
    _click(at, "Save the changes")
    assert any(md("changed or removed by someone else") in e.value for e in at.error), [
        e.value for e in at.error]
    assert (_field(at, "Place").value, _field(at, "Observers", "text_area").value) == (
        "Tirana", "EU Delegation")  # nothing lost
    stored = next(m for m in workflow.meetings(PLANNER, url=app_db) if m.id == meeting.id)
    assert (stored.place, stored.agenda) == ("Tirnaa", "Someone else's agenda")
    _click(at, "Discard my changes and reload the record")
    assert _field(at, "Agenda", "text_area").value == "Someone else's agenda"


def test_delete_asks_for_confirmation(app_for, app_db, draft) -> None:  # noqa: ANN001
    _meeting(app_db, "PSC-6")
    kept = _meeting(app_db, "PSC-7")
    submit_read(PLANNER, draft.id, url=app_db)
    workflow.record_decision(PLANNER, draft.id, "approved", meeting_id=kept.id, url=app_db)
    demo = _demo_meeting(app_db)
    at = _open(app_for, "admin")
    options = at.selectbox(key="rv_meeting_record").options
    assert sorted(options) == sorted([_shown(demo), "PSC-6, 2026-04-02, Tirnaa",
                                      "PSC-7, 2026-04-02, Tirnaa"])  # fmt: skip
    _select_meeting(at, kept.id)  # the meeting with the decision: not deletable
    assert "Delete the meeting record" not in _labels(at)
    assert any("Meeting PSC\\-7 cannot be deleted" in w.value and "2027 workplan" in w.value
               and "Approved" in w.value for w in at.warning), [w.value for w in at.warning]
    at.selectbox(key="rv_meeting_record").set_value(
        next(m.id for m in workflow.meetings(PLANNER, url=app_db) if m.number == "PSC-6")).run()
    button = next(b for b in at.button if b.label == "Delete the meeting record")
    assert button.disabled  # not before the confirmation
    next(c for c in at.checkbox if c.label.startswith("Yes, delete meeting PSC")).check().run()
    _click(at, "Delete the meeting record")
    assert any("Meeting PSC\\-6 deleted." in s.value for s in at.success), at.success
    assert sorted(m.number for m in workflow.meetings(PLANNER, url=app_db)) == ["Demo 1", "PSC-7"]
    assert sorted(at.selectbox(key="rv_meeting_record").options) == sorted(
        [_shown(demo), "PSC-7, 2026-04-02, Tirnaa"])


@pytest.mark.parametrize("role", ("psc_member", "observer"))
def test_read_only_roles_cannot_change_meetings(app_for, app_db, draft, role: str) -> None:  # noqa: ANN001
    _meeting(app_db)
    demo = _demo_meeting(app_db)
    at = _open(app_for, role)
    if role == "observer":  # observers read no draft: the page opens on the approved 2026 version
        assert draft.id not in at.selectbox(key="rv_selected").options
        assert at.selectbox(key="rv_selected").value != draft.id
    assert sorted(at.selectbox(key="rv_meeting_record").options) == sorted(
        [_shown(demo), "PSC-5, 2026-04-02, Tirnaa"])
    assert not _labels(at) & {"Save the changes", "Delete the meeting record",
                              "Discard my changes and reload the record"}
    assert not at.checkbox and not [e for e in at.expander if "meeting" in e.label]


def _new_field(at, label: str, kind: str = "text_input"):  # noqa: ANN001, ANN202
    """A field of the "Record a meeting" form (keys `rv_new_...`)."""
    return next(w for w in getattr(at, kind) if w.label == label and w.key.startswith("rv_new_"))


def test_a_refused_new_meeting_keeps_what_was_typed_a_saved_one_empties_the_form(
    app_for, app_db, draft  # noqa: ANN001
) -> None:
    at = _open(app_for, "planner")
    _new_field(at, "Number").input("PSC-6")
    _new_field(at, "Agenda", "text_area").input("1. The 2027 workplan")
    _click(at, "Save the meeting record")  # no place: refused
    assert any(md("Place: required.") in e.value for e in at.error), [e.value for e in at.error]
    assert _new_field(at, "Number").value == "PSC-6"
    assert _new_field(at, "Agenda", "text_area").value == "1. The 2027 workplan"
    assert [m.number for m in workflow.meetings(PLANNER, url=app_db)] == ["Demo 1"]  # nothing saved
    _new_field(at, "Place").input("Vienna")
    _new_field(at, "Participants", "text_area").input("Members of the Steering Committee")
    _click(at, "Save the meeting record")
    assert any("Meeting PSC\\-6 recorded." in s.value for s in at.success), [
        e.value for e in at.error]
    assert sorted(m.number for m in workflow.meetings(PLANNER, url=app_db)) == ["Demo 1", "PSC-6"]
    (saved,) = [m for m in workflow.meetings(PLANNER, url=app_db) if m.number == "PSC-6"]
    assert (saved.number, saved.place, saved.agenda) == ("PSC-6", "Vienna", "1. The 2027 workplan")
    assert (_new_field(at, "Number").value, _new_field(at, "Place").value) == ("", "")


def test_a_saved_comment_empties_the_box(app_for, app_db, draft) -> None:  # noqa: ANN001
    submit_read(PLANNER, draft.id, url=app_db)
    at = _select_version(_open(app_for, "psc_member"), draft.id)
    box = next(t for t in at.text_area if (t.key or "").startswith("rv_comment_text"))
    box.input("Why two trainings in Skopje?")
    _click(at, "Add the comment")
    assert any("Comment added." in s.value for s in at.success), at.success
    assert next(t for t in at.text_area if (t.key or "").startswith("rv_comment_text")).value == ""
    (thread,) = workflow.review(PLANNER, draft.id, url=app_db).threads
    assert thread.comment.text == "Why two trainings in Skopje?"


def test_member_chooses_only_their_jurisdictions(app_for, app_db, draft) -> None:  # noqa: ANN001
    submit_read(PLANNER, draft.id, url=app_db)
    at = _select_version(_open(app_for, "psc_member"), draft.id)
    assert next(s for s in at.selectbox if s.label == "For").options == ["Albania"]


def test_secretariat_records_a_position_on_a_members_behalf(app_for, app_db, draft
                                                            ) -> None:  # noqa: ANN001
    submit_read(PLANNER, draft.id, url=app_db)
    at = _select_version(_open(app_for, "admin"), draft.id)
    assert at.selectbox(key="rv_behalf_member").value == "demo.psc"
    remarks = next(t for t in at.text_area if t.label.startswith("Their comments"))
    remarks.input("Said by phone.")
    next(s for s in at.selectbox if s.label == "Their position").set_value("object")
    next(b for b in at.button if b.label == "Record the position on their behalf").click().run()
    assert not at.exception, at.exception
    assert any("Position recorded on behalf of" in s.value for s in at.success)
    (p,) = workflow.review(PLANNER, draft.id, url=app_db).positions
    assert (p.member, p.position, p.recorded_by) == ("demo.psc", "object", "demo.admin")
    table = next(df.value for df in at.dataframe if "Recorded by" in df.value.columns)
    assert table["Recorded by"].tolist() == [
        "recorded by Demo Administrator on behalf of Demo Steering Committee member"]
