"""Steering Committee: submit a workplan version, comments and replies, members' positions, the
decision, revised versions and amendments, what changed between versions, meeting records."""

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from rpsee.domain.roles import Permission, person_label
from rpsee.domain.visibility import DELIBERATION_WITHHELD, reads_drafts
from rpsee.domain.workflow import (
    AMENDMENT_TYPES,
    APPROVED,
    COMMENT_TARGETS,
    DRAFT,
    OUTCOMES,
    POSITIONS,
    SUBMITTED,
    Meeting,
    WorkflowError,
)
from rpsee.services import positions, workflow, workplans
from rpsee.services.workplans import WorkplanError
from rpsee.ui import auth, cache, decision_views, pack_download, tables, workplan_views
from rpsee.ui.text import md
from rpsee.ui.version_label import default_version, version_label

user = auth.require()
ref = cache.reference(user)
may = user.can

st.title("Steering Committee")
flash = st.session_state.pop("rv_flash", None)
if flash:
    st.success(flash)


FORM_GEN = "rv_form_gen"  # part of the new-comment and new-meeting forms' keys


def act(done: str, fn, *args, clear: bool = False, **kwargs) -> None:  # noqa: ANN001
    """Call a service; on success say `done` (with `clear`, the entry forms come back empty:
    new keys, as the browser keeps a form's typed values) and redraw; else show the rule that
    refused it (what was typed stays in the form)."""
    try:
        result = fn(user, *args, **kwargs)
    except (WorkflowError, WorkplanError) as err:
        st.error(md(str(err)))
        return
    if clear:
        st.session_state[FORM_GEN] = st.session_state.get(FORM_GEN, 0) + 1
    st.session_state["rv_flash"] = done
    if hasattr(result, "status") and hasattr(result, "year"):
        st.session_state["rv_select_next"] = result.id
    st.rerun()


plans = workplans.list_workplans(user)
if not plans:
    st.info("No workplan yet." if reads_drafts(user) else
            "No workplan version has been submitted to the Steering Committee yet.")
    st.stop()
labels = {p.id: version_label(p) for p in plans}
pending = [p for p in plans if p.status == SUBMITTED]
opening = pending[0] if pending else default_version(plans, ref.figures.cycle_years)
if "rv_select_next" in st.session_state:  # a version just made or decided: open it
    st.session_state["rv_selected"] = st.session_state.pop("rv_select_next")
if st.session_state.get("rv_selected") not in labels:
    st.session_state["rv_selected"] = opening.id
plan_id = st.selectbox("Workplan version", list(labels), format_func=labels.get,
                       key="rv_selected")  # fmt: skip
review = workflow.review(user, plan_id)
plan = review.plan

facts = []
if plan.shared and plan.status == "draft":
    facts.append("shared with Committee members for consultation")
if plan.amendment_type:
    facts.append(f"amendment: {AMENDMENT_TYPES[plan.amendment_type]}")
if review.budget_change is not None:
    facts.append(f"budget change against the approved version: {review.budget_change}%")
if review.meeting_revision:
    facts.append("revised during the meeting: the decision can be recorded on it directly")
st.markdown(f"Status: **{md(plan.status)}**" + "".join(f"; {md(f)}" for f in facts))
if review.decision:
    d = review.decision
    why = f": {md(d.reasons)}" if d.reasons else ""
    st.info(f"{OUTCOMES[d.outcome]} by {md(d.decided_by_label)} on {d.decided_at:%Y-%m-%d %H:%M} "
            f"UTC{why}")  # fmt: skip

# --- the planner's actions on the version ---
if may(Permission.SUBMIT_PLANS) and plan.status == DRAFT and not review.meeting_revision:
    points = workflow.open_points(user, plan.id)
    if points.blocking:
        st.error(f"This version cannot be submitted: {len(points.blocking)} check(s) block it.")
    elif points.points:
        st.warning(f"Before submitting: {len(points)} open point(s) from the workplan's checks.")
    if points.points:
        workplan_views.show_points(points, ref)
    with st.form("rv_submit"):
        approved_year = any(p.status == APPROVED for p in review.versions)
        kind = None
        if approved_year or plan.amendment_type:
            kinds = list(AMENDMENT_TYPES)
            kind = st.selectbox("Amendment type", kinds, format_func=AMENDMENT_TYPES.get,
                                index=kinds.index(plan.amendment_type or "other"))  # fmt: skip
        read = not points.points or st.checkbox(
            f"I have read the {len(points)} open point(s) above", key=f"rv_read_{points.key}")
        st.caption("Once submitted, the version is locked for editing.")
        if st.form_submit_button("Submit to the Steering Committee", type="primary"):
            act(f"The {plan.label.replace(', draft', '')} was submitted.", workflow.submit,
                plan.id, kind, open_points_read=points.key if read else None)  # fmt: skip
if may(Permission.EDIT_PLANS) and plan.status in (SUBMITTED, "returned"):
    hint = ("Changes agreed in the meeting: edit the new draft on the Workplans page, then "
            "record the decision on it here." if plan.status == SUBMITTED else
            "Answer the comments in a new draft, then submit it.")  # fmt: skip
    if st.button("Make a revised version", help=hint):
        act("A revised draft was made: edit it on the Workplans page.",
            workflow.start_revision, plan.id, ref)  # fmt: skip
if may(Permission.EDIT_PLANS) and plan.status == APPROVED:
    with st.form("rv_amend"):
        kind = st.selectbox("Amendment type", list(AMENDMENT_TYPES),
                            format_func=AMENDMENT_TYPES.get)  # fmt: skip
        if st.form_submit_button("Start an amendment"):
            act("An amendment draft was made: edit it on the Workplans page.",
                workflow.start_amendment, plan.id, kind, ref)  # fmt: skip

meetings = workflow.meetings(user)
decidable = plan.status == SUBMITTED or review.meeting_revision
if may(Permission.RECORD_DECISIONS) and decidable:
    brief = workflow.brief(user, plan.id)
    decision_views.brief(brief)
    with st.form("rv_decision"):
        st.markdown("**Record the Committee's decision**")
        outcome = st.radio("Decision", list(OUTCOMES), format_func=OUTCOMES.get,
                           horizontal=True)  # fmt: skip
        reasons = st.text_area("Reasons (required when returned)")
        numbers = {m.id: f"{m.number}, {m.held_on:%Y-%m-%d}, {m.place}" for m in meetings}
        meeting_id = st.selectbox("Meeting", [None, *numbers],
                                  format_func=lambda i: "—" if i is None else numbers[i])
        read = not brief.needs_confirmation or st.checkbox(
            f"I have read the decision brief ({brief.summary})", key=f"rv_brief_{brief.key}")
        if st.form_submit_button("Record the decision", type="primary"):
            act(f"Decision recorded: {OUTCOMES[outcome].lower()}.", workflow.record_decision,
                plan.id, outcome, reasons, meeting_id,
                brief_read=brief.key if read else None)  # fmt: skip

pack_download.show(user, plan)

# --- members' positions ---
st.header("Members' positions")
if review.positions:
    names = {j.code: j.name for j in ref.jurisdictions}
    st.dataframe(pd.DataFrame({
        "Jurisdiction": [names.get(p.jurisdiction, p.jurisdiction) for p in review.positions],
        "Member": [p.member_name for p in review.positions],
        "Position": [POSITIONS[p.position] for p in review.positions],
        "Comments": [p.remarks for p in review.positions],
        "Recorded (UTC)": [f"{p.recorded_at:%Y-%m-%d %H:%M}" for p in review.positions],
        "Recorded by": [p.recorded_note or "the member" for p in review.positions],
    }), hide_index=True, width="stretch")  # fmt: skip
else:
    st.caption(DELIBERATION_WITHHELD if review.deliberation_withheld
               else "No position recorded yet." if plan.status != "draft" else
               "Members record their positions once a version is submitted to the Steering "
               "Committee.")  # fmt: skip
jur_names = {j.code: j.name for j in ref.jurisdictions}
if may(Permission.RECORD_POSITION) and plan.status == SUBMITTED:
    mine = [j for m in positions.members(user) for j in m.jurisdictions]
    if not mine:
        st.warning("Your account represents no jurisdiction yet: an administrator sets it on "
                   "the Users page. Until then you cannot record a position.")  # fmt: skip
    else:
        with st.form("rv_position"):
            c1, c2 = st.columns(2)
            position = c1.selectbox("Your position", list(POSITIONS), format_func=POSITIONS.get)
            jurisdiction = c2.selectbox("For", mine, format_func=jur_names.get)
            remarks = st.text_area("Comments (required unless you endorse)")
            if st.form_submit_button("Record my position"):
                act("Your position was recorded.", positions.record_position, plan.id,
                    position, jurisdiction, remarks, ref)  # fmt: skip
if may(Permission.RECORD_POSITION_FOR_MEMBER) and plan.status == SUBMITTED:
    members = {m.username: m for m in positions.members(user) if m.jurisdictions}
    with st.expander("Record a member's position on their behalf (audited as such)"):
        if not members:
            st.caption("No active Steering Committee member with a jurisdiction.")
        else:
            who = st.selectbox("Member", list(members), key="rv_behalf_member",
                               format_func=lambda u: f"{members[u].name} ({u})")  # fmt: skip
            with st.form("rv_position_behalf"):
                c1, c2 = st.columns(2)
                position = c1.selectbox("Their position", list(POSITIONS),
                                        format_func=POSITIONS.get)  # fmt: skip
                jurisdiction = c2.selectbox("For", members[who].jurisdictions,
                                            format_func=jur_names.get)  # fmt: skip
                remarks = st.text_area("Their comments (required unless they endorse)")
                if st.form_submit_button("Record the position on their behalf"):
                    act(f"Position recorded on behalf of {md(members[who].name)}.",
                        positions.record_position, plan.id, position, jurisdiction, remarks,
                        ref, on_behalf_of=who)  # fmt: skip

# --- comments ---
st.header("Comments")
open_for_comments = plan.status == SUBMITTED or (plan.status == DRAFT and (
    may(Permission.EDIT_PLANS) or review.meeting_revision))  # fmt: skip
can_comment = may(Permission.COMMENT) and open_for_comments
version_no = {p.id: p.version_no for p in review.versions}
not_yet = not can_comment and may(Permission.COMMENT) and plan.status == DRAFT
if not review.threads:
    st.caption(DELIBERATION_WITHHELD if review.deliberation_withheld else
               "No comment yet: comments open once the version is submitted to the Steering "
               "Committee." if not_yet else "No comment yet.")  # fmt: skip
for t in review.threads:
    c = t.comment
    with st.container(border=True):
        state = " · resolved" if t.resolved else ""
        if c.workplan_id != plan.id:
            state += f" · on version {version_no.get(c.workplan_id, '?')}"
        st.caption(f"{md(c.target_label)} · {md(c.author_name)} · "
                   f"{c.created_at:%Y-%m-%d %H:%M} UTC{state}")  # fmt: skip
        st.markdown(md(c.text))
        for r in t.replies:
            st.markdown(f"↳ **{md(r.author_name)}** ({r.created_at:%Y-%m-%d %H:%M}): "
                        f"{md(r.text)}")  # fmt: skip
        if can_comment:
            c1, c2, c3 = st.columns([5, 1, 1], vertical_alignment="bottom")
            text = c1.text_input("Reply", key=f"rv_reply_{c.id}", label_visibility="collapsed",
                                 placeholder="Reply…")  # fmt: skip
            if c2.button("Reply", key=f"rv_reply_btn_{c.id}") and text.strip():
                act("Reply added.", workflow.reply, c.id, text)
            mine = may(Permission.EDIT_PLANS) or c.author == user.username
            if mine and not t.resolved and c3.button("Resolve", key=f"rv_resolve_{c.id}"):
                act("Comment resolved.", workflow.resolve, c.id)
if not_yet and review.threads:
    st.caption("Comments open once the version is submitted to the Steering Committee.")
if can_comment:
    kind = st.selectbox("New comment about", list(COMMENT_TARGETS), key="rv_comment_kind",
                        format_func=COMMENT_TARGETS.get)  # fmt: skip
    with st.form("rv_comment"):
        code = ""
        if kind == "area":
            areas = {a.code: f"{a.code} {a.short_name}" for a in ref.areas}
            code = st.selectbox("Thematic area", list(areas), format_func=areas.get)
        elif kind == "activity":
            lines = {a.code: f"{a.code} {a.title}" for a in workplans.activities(user, plan.id)}
            code = st.selectbox("Activity", list(lines), format_func=lines.get)
        text = st.text_area("Comment", key=f"rv_comment_text_{st.session_state.get(FORM_GEN, 0)}")
        if st.form_submit_button("Add the comment"):
            act("Comment added.", workflow.comment, plan.id, kind, code or "", text, ref,
                clear=True)  # fmt: skip

# --- what changed ---
st.header("What changed between two versions")
others = [p for p in plans if p.year == plan.year and p.id != plan.id]
if others:
    base = plan.based_on_id if plan.based_on_id in {p.id for p in others} else others[-1].id
    other_id = st.selectbox("Compared with", [p.id for p in others], format_func=labels.get,
                            index=[p.id for p in others].index(base), key="rv_compare")
    other = next(p for p in others if p.id == other_id)
    first, last = sorted((other, plan), key=lambda p: p.version_no)
    diff = workflow.version_diff(user, first.id, last.id, ref)
    st.caption(f"From version {first.version_no} to version {last.version_no}: "
               f"{len(diff.lines.added)} added, {len(diff.lines.removed)} removed, "
               f"{len(diff.lines.changed)} changed (lines matched by their number).")
    tables.show(diff.by_area, key="rv_by_area")
    if diff.changes.rows:
        tables.show(diff.changes, key="rv_changes")
else:
    st.caption(f"The {plan.year} workplan has no other version.")

# --- meetings ---
st.header("Meetings")
if meetings:
    st.dataframe(pd.DataFrame({
        "Number": [m.number for m in meetings], "Date": [f"{m.held_on:%Y-%m-%d}" for m in meetings],
        "Place": [m.place for m in meetings], "Participants": [m.participants for m in meetings],
        "Observers": [m.observers for m in meetings], "Agenda": [m.agenda for m in meetings],
        "Decisions": [m.decisions for m in meetings],
    }), hide_index=True, width="stretch")  # fmt: skip
    shown = {m.id: f"{m.number}, {m.held_on:%Y-%m-%d}, {m.place}" for m in meetings}
    chosen = st.selectbox("Record of the meeting", list(shown), format_func=shown.get,
                          key="rv_meeting_record")  # fmt: skip
    record = workflow.meeting_record(user, chosen)
    if not record.decided:
        st.caption("No decision recorded at this meeting yet.")
    for p, d, positions, threads in record.decided:
        with st.container(border=True):
            why = f": {md(d.reasons)}" if d.reasons else ""
            st.markdown(f"**{md(version_label(p))}**: {OUTCOMES[d.outcome].lower()}{why}")
            for pos in positions:
                note = f" ({md(pos.recorded_note)})" if pos.recorded_note else ""
                st.markdown(f"- {md(person_label(pos.member_name, 'psc_member'))} "
                            f"({md(jur_names.get(pos.jurisdiction, pos.jurisdiction))}): "
                            f"{POSITIONS[pos.position]}. {md(pos.remarks)}{note}")  # fmt: skip
            for t in threads:
                c = t.comment
                st.caption(f"{md(c.target_label)} · {md(c.author_name)} · "
                           f"{c.created_at:%Y-%m-%d %H:%M} UTC: {md(c.text)} "
                           f"({len(t.replies)} repl{'y' if len(t.replies) == 1 else 'ies'}"
                           f"{', resolved' if t.resolved else ''})")  # fmt: skip
else:
    st.caption("No meeting recorded yet.")


def meeting_fields(m: Meeting, key: str) -> Meeting:
    """The meeting form's fields, prefilled from `m`; the typed values as a meeting."""
    c1, c2, c3 = st.columns(3)
    number = c1.text_input("Number", m.number, placeholder="PSC-3", key=f"{key}_number")
    held_on = c2.date_input("Date", m.held_on, format="YYYY-MM-DD", key=f"{key}_date")
    place = c3.text_input("Place", m.place, key=f"{key}_place")
    texts = {f: st.text_area(f.capitalize(), getattr(m, f), key=f"{key}_{f}")
             for f in ("participants", "observers", "agenda", "decisions")}  # fmt: skip
    return replace(m, number=number, held_on=held_on, place=place, **texts)


def save_change(u, meeting: Meeting) -> Meeting:  # noqa: ANN001
    """Save a changed record; the next form opens on what was saved."""
    saved = workflow.save_meeting(u, meeting)
    st.session_state.pop(f"rv_meeting_loaded_{meeting.id}", None)
    return saved


def delete(u, meeting: Meeting) -> None:  # noqa: ANN001
    workflow.delete_meeting(u, meeting.id)
    st.session_state.pop("rv_meeting_record", None)


if may(Permission.RECORD_DECISIONS) and meetings:
    # the record as loaded when the form was opened: saving checks that version
    loaded = st.session_state.setdefault(f"rv_meeting_loaded_{chosen}",
                                         next(m for m in meetings if m.id == chosen))
    with st.expander(f"Change the record of meeting {md(loaded.number)}"):
        with st.form(f"rv_meeting_change_{loaded.id}_{loaded.version}"):
            changed = meeting_fields(loaded, f"rv_me_{loaded.id}_{loaded.version}")
            if st.form_submit_button("Save the changes", type="primary"):
                act(f"Meeting {md(changed.number)} changed.", save_change, changed)
        if st.button("Discard my changes and reload the record"):
            st.session_state.pop(f"rv_meeting_loaded_{chosen}", None)
            st.rerun()
    with st.expander(f"Delete the record of meeting {md(loaded.number)}"):
        if record.decided:
            st.warning(f"Meeting {md(loaded.number)} cannot be deleted: decisions were recorded "
                       "at it (" + "; ".join(f"{md(version_label(p))}: {OUTCOMES[d.outcome]}"
                                              for p, d, _, _ in record.decided)
                       + "). It stays in the record.")  # fmt: skip
        else:
            sure = st.checkbox(f"Yes, delete meeting {md(loaded.number)} for good",
                               key=f"rv_meeting_sure_{chosen}")  # fmt: skip
            if st.button("Delete the meeting record", disabled=not sure):
                act(f"Meeting {md(loaded.number)} deleted.", delete, loaded)
if may(Permission.RECORD_DECISIONS):
    with st.expander("Record a meeting"), st.form("rv_meeting"):
        new = meeting_fields(Meeting("", date.today(), ""),
                             f"rv_new_{st.session_state.get(FORM_GEN, 0)}")  # fmt: skip
        if st.form_submit_button("Save the meeting record"):
            act(f"Meeting {md(new.number)} recorded.", workflow.save_meeting, new, clear=True)
