"""The Steering Committee cycle through the services, on SQLite and PostgreSQL: submit, comment,
positions, decisions, revisions in the meeting, amendments, meetings, and their audit entries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from rpsee.domain.roles import CurrentUser, PermissionDenied, Role
from rpsee.domain.workflow import Meeting, WorkflowError
from rpsee.services import audit_log, consultation, positions, workflow, workplans
from rpsee.services.demo import seed_demo_workplans
from rpsee.services.workplans import WorkplanEdit, WorkplanError
from rpsee.store.models import AuditEntryRow
from rpsee.store.uow import UnitOfWork
from tests.committee import decide_read, submit_read

PLANNER = CurrentUser("demo.planner", "Planner", Role.PLANNER)
PSC = CurrentUser("demo.psc", "Member", Role.PSC_MEMBER)
ADMIN = CurrentUser("demo.admin", "Admin", Role.ADMIN)
FINANCE = CurrentUser("demo.finance", "Finance", Role.FINANCE)


@pytest.fixture
def ref(db: str):  # noqa: ANN201
    seed_demo_workplans(db)
    with UnitOfWork(url=db) as uow:
        return uow.reference.load()


def _plan_2026(db: str):  # noqa: ANN202
    return next(p for p in workplans.list_workplans(PLANNER, url=db) if p.year == 2026)


def _workplan_audit(db: str, workplan_id: int) -> list[AuditEntryRow]:
    with UnitOfWork(url=db) as uow:
        return list(uow.session.scalars(select(AuditEntryRow).where(
            AuditEntryRow.entity == "workplan", AuditEntryRow.entity_id == str(workplan_id))
            .order_by(AuditEntryRow.id)))  # fmt: skip


def _one_line_edit(db: str, workplan_id: int, amount: Decimal) -> WorkplanEdit:
    line = workplans.activities(PLANNER, workplan_id, url=db)[0]
    budget = dict(line.budget)
    first = next(iter(budget))
    budget[first] = budget[first] + amount
    return WorkplanEdit(changed=[replace(line, budget=budget)])


def test_cycle_submit_comment_position_approve(db: str, ref) -> None:  # noqa: ANN001
    plan = _plan_2026(db)
    assert plan.status == "draft"
    with pytest.raises(PermissionDenied):
        submit_read(PSC, plan.id, url=db)
    submitted = submit_read(PLANNER, plan.id, url=db)
    assert submitted.status == "submitted" and not submitted.editable

    # nobody edits a submitted version
    with pytest.raises(WorkplanError, match="submitted: only a draft"):
        workplans.save(PLANNER, plan.id, _one_line_edit(db, plan.id, Decimal(1)), ref, url=db)

    code = workplans.activities(PSC, plan.id, url=db)[0].code
    c = workflow.comment(PSC, plan.id, "activity", code, "Why <b>so</b> much?", ref, url=db)
    workflow.reply(PLANNER, c.id, "Two trainings, not one.", url=db)
    workflow.comment(PSC, plan.id, "area", "2", "Area 2 looks thin.", ref, url=db)
    with pytest.raises(WorkflowError, match="not in this plan"):
        workflow.comment(PSC, plan.id, "activity", "2026-9.9-001", "x", ref, url=db)
    with pytest.raises(PermissionDenied):
        workflow.comment(FINANCE, plan.id, "plan", "", "x", ref, url=db)
    workflow.resolve(PLANNER, c.id, url=db)

    positions.record_position(PSC, plan.id, "endorse_with_comments", "ALB", "Fine.", ref, url=db)
    with pytest.raises(PermissionDenied):  # planners do not endorse
        positions.record_position(PLANNER, plan.id, "endorse", "ALB", "", ref, url=db)
    with pytest.raises(PermissionDenied):  # a member cannot decide
        workflow.record_decision(PSC, plan.id, "approved", url=db)

    meeting = workflow.save_meeting(PLANNER, Meeting("PSC-1", date(2026, 3, 10), "Vienna",
                                                     "Members of the PSC"), url=db)  # fmt: skip
    with pytest.raises(WorkflowError, match="1 open comment thread.*confirm you have read it"):
        workflow.record_decision(ADMIN, plan.id, "approved", meeting_id=meeting.id, url=db)
    approved = decide_read(ADMIN, plan.id, "approved", meeting_id=meeting.id, url=db)
    assert approved.status == "approved" and approved.in_use

    r = workflow.review(FINANCE, plan.id, url=db)
    assert [t.comment.target_label for t in r.threads] == [f"Activity {code}", "Thematic area 2"]
    assert r.threads[0].resolved and r.threads[0].replies[0].author == "demo.planner"
    assert r.threads[0].comment.text == "Why <b>so</b> much?"  # kept as typed
    assert [(p.member, p.jurisdiction) for p in r.positions] == [("demo.psc", "ALB")]
    assert r.decision.outcome == "approved" and r.decision.meeting_id == meeting.id
    assert r.decision.decided_by_label == "Demo Administrator, Administrator"  # not demo.admin

    # frozen for good: no edit, no second decision, no comment
    with pytest.raises(WorkplanError):
        workplans.save(PLANNER, plan.id, _one_line_edit(db, plan.id, Decimal(1)), ref, url=db)
    with pytest.raises(WorkflowError, match="approved"):
        workflow.record_decision(PLANNER, plan.id, "returned", "late", url=db)
    with pytest.raises(WorkflowError, match="approved"):
        workflow.comment(PSC, plan.id, "plan", "", "late", ref, url=db)

    audit = _workplan_audit(db, plan.id)
    moves = [(e.actor, e.action, e.new_values) for e in audit if e.action.endswith(":update")]
    assert ("demo.planner", "workplan_submit:update", '{"status": "submitted"}') in moves
    assert ("demo.admin", "workplan_decision:update", '{"status": "approved"}') in moves
    record = workflow.meeting_record(PSC, meeting.id, url=db)
    (decided_plan, decision, recorded, comments), = record.decided
    assert (decided_plan.id, decision.outcome, record.meeting.place) == (plan.id, "approved",
                                                                        "Vienna")
    assert [p.position for p in recorded] == ["endorse_with_comments"]
    assert [(t.comment.author, len(t.replies)) for t in comments] == [("demo.psc", 1),
                                                                     ("demo.psc", 0)]
    trail = audit_log.rows(ADMIN, audit_log.AuditFilter(None, None, None, "Steering Committee"),
                           limit=50, url=db)  # fmt: skip
    whats = {r.what for r in trail}
    assert {"Added (member's position recorded)", "Added (Steering Committee decision recorded)",
            "Changed (comment resolved)"} <= whats, whats
    with pytest.raises(WorkflowError, match=r"decisions refer to it \(2026 workplan, version "
                       rf"{plan.version_no} \(approved\)\); it stays in the record"):
        workflow.delete_meeting(PLANNER, meeting.id, url=db)
    assert [m.id for m in workflow.meetings(PSC, url=db)] == [meeting.id]  # still there


def test_return_with_reasons_then_revise_and_resubmit(db: str, ref) -> None:  # noqa: ANN001
    plan = _plan_2026(db)
    submit_read(PLANNER, plan.id, url=db)
    with pytest.raises(WorkflowError, match="reasons"):
        workflow.record_decision(PLANNER, plan.id, "returned", "  ", url=db)
    returned = workflow.record_decision(PLANNER, plan.id, "returned", "Cut travel.", url=db)
    assert returned.status == "returned"
    with pytest.raises(WorkflowError, match="returned"):
        submit_read(PLANNER, plan.id, url=db)
    revised = workflow.start_revision(PLANNER, plan.id, ref, url=db)
    assert (revised.status, revised.based_on_id) == ("draft", plan.id)
    workplans.save(PLANNER, revised.id, _one_line_edit(db, revised.id, Decimal(-100)), ref,
                   url=db)  # fmt: skip
    with pytest.raises(PermissionDenied, match="draft in preparation"):
        workflow.version_diff(PSC, plan.id, revised.id, ref, url=db)  # not shared yet
    consultation.set_shared(PLANNER, revised.id, True, url=db)
    diff = workflow.version_diff(PSC, plan.id, revised.id, ref, url=db)
    assert len(diff.lines.changed) == 1 and not diff.lines.added and not diff.lines.removed
    assert diff.by_area.total_row().cells[3] == Decimal("-100.00")
    assert submit_read(PLANNER, revised.id, url=db).status == "submitted"
    assert workflow.review(PLANNER, plan.id, url=db).decision.reasons == "Cut travel."


def test_revision_in_the_meeting_is_decided_without_resubmitting(db: str, ref) -> None:  # noqa: ANN001
    plan = _plan_2026(db)
    submit_read(PLANNER, plan.id, url=db)
    positions.record_position(PSC, plan.id, "object", "ALB", "Too much travel.", ref, url=db)
    revised = workflow.start_revision(PLANNER, plan.id, ref, url=db)
    workplans.save(PLANNER, revised.id, _one_line_edit(db, revised.id, Decimal(-50)), ref,
                   url=db)  # fmt: skip
    # a member comments on the revision being made in the room
    workflow.comment(PSC, revised.id, "plan", "", "Agreed as revised.", ref, url=db)
    workflow.comment(PSC, plan.id, "plan", "", "Travel first.", ref, url=db)
    r = workflow.review(PLANNER, revised.id, url=db)
    assert r.meeting_revision and [p.position for p in r.positions] == ["object"]
    assert [t.comment.text for t in r.threads] == ["Agreed as revised.", "Travel first."]
    brief = workflow.brief(ADMIN, revised.id, url=db)  # the objection on the version revised
    assert [(p.member, p.jurisdiction) for p in brief.objections] == [("demo.psc", "ALB")]
    assert [j.code for j in brief.jurisdictions if j.objects] == ["ALB"]
    with pytest.raises(WorkflowError, match="1 objection.*confirm you have read it"):
        workflow.record_decision(PLANNER, revised.id, "approved", url=db)
    positions.record_position(PSC, plan.id, "object", "ALB", "Still too much.", ref, url=db)
    with pytest.raises(WorkflowError, match="changed since you read it"):  # a newer objection
        workflow.record_decision(PLANNER, revised.id, "approved", url=db, brief_read=brief.key)
    decided = decide_read(PLANNER, revised.id, "approved", url=db)
    assert decided.status == "approved" and decided.in_use
    by_id = {p.id: p for p in workplans.list_workplans(PLANNER, url=db)}
    assert by_id[plan.id].status == "superseded" and not by_id[plan.id].in_use


def test_a_draft_never_submitted_cannot_be_decided(db: str, ref) -> None:  # noqa: ANN001
    plan = _plan_2026(db)
    with pytest.raises(WorkflowError, match="submit it first"):
        workflow.record_decision(PLANNER, plan.id, "approved", url=db)
    with pytest.raises(WorkflowError, match="not before the Steering Committee"):
        workflow.comment(PSC, plan.id, "plan", "", "early", ref, url=db)


def test_amendment_type_must_fit_the_budget_change(db: str, ref) -> None:  # noqa: ANN001
    plan = _plan_2026(db)
    submit_read(PLANNER, plan.id, url=db)
    workflow.record_decision(PLANNER, plan.id, "approved", url=db)
    with pytest.raises(WorkflowError, match="unknown 'nonsense'"):
        workflow.start_amendment(PLANNER, plan.id, "nonsense", ref, url=db)
    draft_2027 = next(p for p in workplans.list_workplans(PLANNER, url=db) if p.year == 2027)
    with pytest.raises(WorkflowError, match="is draft; to start an amendment, it must be approved"):
        workflow.start_amendment(PLANNER, draft_2027.id, "other", ref, url=db)
    amendment = workflow.start_amendment(PLANNER, plan.id, "budget_up_to_20", ref, url=db)
    assert amendment.amendment_type == "budget_up_to_20"
    total = sum((a.total for a in workplans.activities(PLANNER, plan.id, url=db)
                 if a.counts), Decimal(0))  # fmt: skip
    big = (total * Decimal("0.25")).quantize(Decimal("0.01"))
    workplans.save(PLANNER, amendment.id, _one_line_edit(db, amendment.id, big), ref, url=db)
    with pytest.raises(WorkflowError, match="over 20%"):
        submit_read(PLANNER, amendment.id, url=db)
    assert workflow.review(PLANNER, amendment.id, url=db).plan.status == "draft"
    submitted = submit_read(PLANNER, amendment.id, "budget_over_20", url=db)
    assert (submitted.status, submitted.amendment_type) == ("submitted", "budget_over_20")
    assert workflow.review(PLANNER, amendment.id, url=db).budget_change == Decimal("25.00")
    # revised in the meeting back under 20%: the type no longer fits, so no approval as it is
    revision = workflow.start_revision(PLANNER, amendment.id, ref, url=db)
    workplans.save(PLANNER, revision.id, _one_line_edit(db, revision.id, -big), ref, url=db)
    with pytest.raises(WorkflowError, match="not over 20%"):
        workflow.record_decision(PLANNER, revision.id, "approved", url=db)
    workflow.record_decision(PLANNER, amendment.id, "approved", url=db)
    used = workplans.in_use_by_year(PLANNER, url=db)[2026]
    assert used.id == amendment.id
    statuses = {p.id: p.status for p in workplans.list_workplans(PLANNER, url=db)}
    assert statuses[plan.id] == "approved"  # the first approval stays frozen as it was


def test_meetings_crud_and_conflict(db: str, ref) -> None:  # noqa: ANN001
    m = workflow.save_meeting(ADMIN, Meeting("PSC-2", date(2026, 6, 2), "Podgorica",
                                             "Members", "Observers: donors"), url=db)  # fmt: skip
    with pytest.raises(WorkflowError, match="already recorded"):
        workflow.save_meeting(PLANNER, Meeting("PSC-2", date(2026, 6, 3), "Skopje", "x"), url=db)
    edited = workflow.save_meeting(PLANNER, replace(m, agenda="1. Workplan 2027"), url=db)
    assert edited.agenda == "1. Workplan 2027" and edited.version == m.version + 1
    with pytest.raises(WorkflowError, match="someone else"):
        workflow.save_meeting(PLANNER, replace(m, place="Tirana"), url=db)
    with pytest.raises(PermissionDenied):
        workflow.save_meeting(PSC, replace(edited, place="Tirana"), url=db)
    assert [x.place for x in workflow.meetings(PSC, url=db)] == ["Podgorica"]
    workflow.delete_meeting(PLANNER, m.id, url=db)
    assert workflow.meetings(PSC, url=db) == []
    trail = audit_log.rows(ADMIN, audit_log.AuditFilter(None, None, None, "Steering Committee"),
                           limit=50, url=db)  # fmt: skip
    whats = [r.what for r in trail]
    assert "Removed (meeting record deleted)" in whats, whats
    assert whats.count("Changed (meeting record saved)") == 1, whats


def test_submit_needs_the_open_points_read_and_unchanged(db: str, ref) -> None:  # noqa: ANN001
    plan = _plan_2026(db)
    points = workflow.open_points(PLANNER, plan.id, url=db)
    checks = [p.check for p in points.points]
    # the demo: one line without budget, two without a position, and its marker findings
    assert checks[:3] == ["Activity without budget"] + ["Activity without responsible "
                                                        "position"] * 2  # fmt: skip
    n = len(points)
    with pytest.raises(WorkflowError, match=f"{n} open point.*confirm"):
        workflow.submit(PLANNER, plan.id, url=db)
    line = next(a for a in workplans.activities(PLANNER, plan.id, url=db) if a.position_id)
    workplans.save(PLANNER, plan.id, WorkplanEdit(changed=[replace(line, position_id=None)]),
                   ref, url=db)  # one more point after the planner read them
    with pytest.raises(WorkflowError, match=f"changed since you read them .now {n + 1}"):
        workflow.submit(PLANNER, plan.id, url=db, open_points_read=points.key)
    assert _plan_2026(db).status == "draft"
    again = workflow.open_points(PLANNER, plan.id, url=db)
    assert workflow.submit(PLANNER, plan.id, url=db,
                           open_points_read=again.key).status == "submitted"
