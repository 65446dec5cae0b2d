"""Steering Committee cycle: submit a version, comment and reply, members' positions, the
secretariat's decision, revised versions and amendments, meeting records, what changed between
two versions. Each use case checks the role and the workflow rule, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rpsee.domain.decision_brief import DecisionBrief, check_brief_read, decision_brief
from rpsee.domain.open_points import OpenPoints, check_read
from rpsee.domain.open_points import open_points as find_open_points
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.roles import CurrentUser, Permission, require
from rpsee.domain.version_diff import VersionDiff, diff_versions
from rpsee.domain.visibility import readable, require_version, sees_deliberation
from rpsee.domain.workflow import (
    APPROVED,
    DECIDED,
    DRAFT,
    OUTCOMES,
    SUBMITTED,
    SUPERSEDED,
    Comment,
    Decision,
    Meeting,
    MemberPosition,
    Thread,
    WorkflowError,
    already_decided,
    already_submitted,
    budget_change_percent,
    check_amendment_type,
    check_comment,
    check_decision,
    check_meeting,
    check_submit,
    check_text,
    check_transition,
    current_positions,
    is_meeting_revision,
    threads,
)
from rpsee.domain.workplan import Workplan
from rpsee.services import markers, progress
from rpsee.services.workplans import _create_version
from rpsee.store.audit import utcnow
from rpsee.store.models import (
    DecisionRow,
    MeetingRow,
    ReviewCommentRow,
    SubmissionRow,
)
from rpsee.store.uow import UnitOfWork
from rpsee.store.workflow import to_comment, to_meeting
from rpsee.store.workplans import race_window, to_workplan


@dataclass(frozen=True)
class Review:
    """A version as the Committee sees it: its status, comments and members' positions (on a
    revision made in the meeting, those on the version it revises too), the decision taken."""

    plan: Workplan
    versions: list[Workplan]  # every version of its year
    threads: list[Thread]
    positions: list[MemberPosition]
    decision: Decision | None
    budget_change: Decimal | None  # an amendment's change against the approved version (%)
    meeting_revision: bool
    deliberation_withheld: bool = False  # positions and comments not yet shown (observers)


def _plan(uow: UnitOfWork, workplan_id: int) -> tuple[Workplan, list[Workplan]]:
    plans = uow.workplans.list()
    plan = next((p for p in plans if p.id == workplan_id), None)
    if plan is None:
        raise WorkflowError("exists", f"Workplan {workplan_id} does not exist.")
    return plan, [p for p in plans if p.year == plan.year]


def _locked_plan(uow: UnitOfWork, workplan_id: int) -> tuple[Workplan, list[Workplan]]:
    """`_plan` for a change: the year's versions locked until the transaction ends (see
    WorkplanRepository.lock_year), so the checks that follow hold when the write commits."""
    if uow.workplans.lock_version(workplan_id) is None:
        raise WorkflowError("exists", f"Workplan {workplan_id} does not exist.")
    return _plan(uow, workplan_id)


def _name_of(uow: UnitOfWork, username: str) -> str:
    row = uow.users.get(username)
    return row.name if row is not None else username


def _check_not_decided(uow: UnitOfWork, plan: Workplan, versions: list[Workplan]) -> None:
    """Refuse a second decision with who decided first and when: on this version, on the
    revision that superseded it, or (on a revision made in the meeting) on the version it
    revises."""
    ids = {p.id for p in versions}
    if plan.status in DECIDED:
        targets = [plan.id] + [p.id for p in versions if p.based_on_id == plan.id]
    elif plan.status == DRAFT and plan.based_on_id in ids:
        base = next(p for p in versions if p.id == plan.based_on_id)
        if base.status not in DECIDED:
            return
        targets = [base.id] + [p.id for p in versions if p.based_on_id == base.id]
    else:
        return
    decided = uow.workflow.decisions(targets)
    if not decided:
        return
    last = decided[-1]
    via = next(p for p in versions if p.id == last.workplan_id)
    raise already_decided(plan, last, _name_of(uow, last.decided_by), via)


def _approved(versions: list[Workplan], plan: Workplan) -> Workplan | None:
    done = [p for p in versions if p.status == APPROVED and p.id != plan.id]
    return done[-1] if done else None


def _change(uow: UnitOfWork, plan: Workplan, versions: list[Workplan]) -> Decimal | None:
    approved = _approved(versions, plan)
    if approved is None:
        return None
    return budget_change_percent(uow.workplans.activities(approved.id),
                                 uow.workplans.activities(plan.id))  # fmt: skip


def review(user: CurrentUser, workplan_id: int, url: str | None = None) -> Review:
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        plan, versions = _plan(uow, workplan_id)
        require_version(user, plan)
        ids = [plan.id] + ([plan.based_on_id] if plan.based_on_id else [])
        revision = is_meeting_revision(plan, versions)
        decided = uow.workflow.decisions([plan.id])
        change = _change(uow, plan, versions) if plan.amendment_type else None
        ids = ids if revision else [plan.id]
        shown = sees_deliberation(user, plan)
        return Review(plan, readable(user, versions),
                      threads(uow.workflow.comments(ids)) if shown else [],
                      current_positions(uow.workflow.positions(ids)) if shown else [],
                      decided[-1] if decided else None, change, revision,
                      deliberation_withheld=not shown)  # fmt: skip


def open_points(user: CurrentUser, workplan_id: int, url: str | None = None) -> OpenPoints:
    """The version's open points (the Checks tab), as the submit form shows them."""
    require(user, Permission.SUBMIT_PLANS)
    with UnitOfWork(url=url) as uow:
        plan, _versions = _plan(uow, workplan_id)
        require_version(user, plan)
        return _open_points(uow, plan.id)


def _open_points(uow: UnitOfWork, workplan_id: int) -> OpenPoints:
    ref = uow.reference.load()
    return find_open_points(uow.workplans.activities(workplan_id), ref,
                            markers.sex_disaggregated_outputs(ref))  # fmt: skip


def submit(user: CurrentUser, workplan_id: int, amendment_type: str | None = None,
           url: str | None = None, open_points_read: str | None = None) -> Workplan:  # fmt: skip
    """Send a draft to the Steering Committee: it is locked for editing from now on. The
    planner confirms having read its open points (`open_points_read`: their `key` as shown);
    refused if they changed since, or if a rule blocks the submission."""
    require(user, Permission.SUBMIT_PLANS)
    with UnitOfWork(actor=user.username, action="workplan_submit", url=url) as uow:
        plan, versions = _locked_plan(uow, workplan_id)
        if plan.status == SUBMITTED:
            sent = uow.workflow.submissions(plan.id)
            if sent:
                raise already_submitted(plan, _name_of(uow, sent[-1].submitted_by),
                                        sent[-1].submitted_at)  # fmt: skip
        check_transition(user, "submit", plan)
        kind = amendment_type or plan.amendment_type
        change = _change(uow, plan, versions)
        check_submit(plan, versions, kind, change)
        check_read(f"The {plan.year} workplan version {plan.version_no}",
                   _open_points(uow, plan.id), open_points_read)  # fmt: skip
        race_window()
        row = uow.workplans.get_row(plan.id)
        row.status, row.amendment_type = SUBMITTED, kind
        uow.session.add(SubmissionRow(workplan_id=plan.id, amendment_type=kind,
                                      budget_change=None if change is None else str(change),
                                      submitted_at=utcnow(), submitted_by=user.username))
        reviewed = plan.year - 1  # the year the Committee reviews with this version
        if reviewed >= int(uow.reference.load().figures.cycle_start[:4]):
            as_of = min(date.today(), date(reviewed, 12, 31))  # the figures of that year
            progress.freeze(uow, user.username, reviewed, as_of, plan.id)
        uow.commit()
        return to_workplan(row, plan.in_use)


def _open_for_comments(user: CurrentUser, plan: Workplan, versions: list[Workplan]) -> None:
    check_transition(user, "comment", plan)
    if plan.status != SUBMITTED and not user.can(Permission.EDIT_PLANS) and not (
            is_meeting_revision(plan, versions)):  # fmt: skip
        raise WorkflowError("not_before_committee", f"The {plan.year} workplan version "
                            f"{plan.version_no} is not before the Steering Committee.")


def comment(user: CurrentUser, workplan_id: int, target_kind: str, target_code: str, text: str,
            ref: ProgrammeReference, url: str | None = None) -> Comment:  # fmt: skip
    """A comment on the whole plan (`target_code` ""), a thematic area or an activity (code)."""
    require(user, Permission.COMMENT)
    with UnitOfWork(actor=user.username, action="review_comment", url=url) as uow:
        plan, versions = _locked_plan(uow, workplan_id)
        _open_for_comments(user, plan, versions)
        codes = [a.code for a in uow.workplans.activities(plan.id)]
        check_comment(text, target_kind, target_code, [a.code for a in ref.areas], codes)
        return _add_comment(uow, user, plan.id, None, target_kind, target_code, text)


def _add_comment(uow: UnitOfWork, user: CurrentUser, workplan_id: int, parent_id: int | None,
                 kind: str, code: str, text: str) -> Comment:  # fmt: skip
    row = ReviewCommentRow(workplan_id=workplan_id, parent_id=parent_id, target_kind=kind,
                           target_code=code, text=text.strip(), author=user.username,
                           author_name=user.name, created_at=utcnow())  # fmt: skip
    uow.session.add(row)
    uow.commit()
    return to_comment(row)


def _thread_root(uow: UnitOfWork, comment_id: int) -> ReviewCommentRow:
    row = uow.workflow.comment_row(comment_id)
    if row is None:
        raise WorkflowError("exists", f"Comment {comment_id} does not exist.")
    return uow.workflow.comment_row(row.parent_id) if row.parent_id else row


def reply(user: CurrentUser, comment_id: int, text: str, url: str | None = None) -> Comment:
    """An answer in the comment's thread (a reply to a reply joins the same thread)."""
    require(user, Permission.COMMENT)
    with UnitOfWork(actor=user.username, action="review_reply", url=url) as uow:
        root = _thread_root(uow, comment_id)
        plan, versions = _locked_plan(uow, root.workplan_id)
        _open_for_comments(user, plan, versions)
        if not text.strip():
            raise WorkflowError("text", "Reply: the text is empty.")
        check_text("Reply", text)
        return _add_comment(uow, user, plan.id, root.id, root.target_kind, root.target_code,
                            text)  # fmt: skip


def resolve(user: CurrentUser, comment_id: int, url: str | None = None) -> Comment:
    """Mark a thread resolved: a planner, or the member who opened it."""
    require(user, Permission.COMMENT)
    with UnitOfWork(actor=user.username, action="review_resolve", url=url) as uow:
        root = _thread_root(uow, comment_id)
        plan, _versions = _locked_plan(uow, root.workplan_id)
        check_transition(user, "resolve", plan)
        if not user.can(Permission.EDIT_PLANS) and root.author != user.username:
            raise WorkflowError("resolve", "Only a planner or the comment's author resolves it.")
        if root.resolved_at is None:
            root.resolved_at, root.resolved_by = utcnow(), user.username
        uow.commit()
        return to_comment(root)


def _brief(uow: UnitOfWork, plan: Workplan, versions: list[Workplan]) -> DecisionBrief:
    """The decision brief of a version (on a revision made in the meeting, with the positions
    and comments on the version it revises), grouped by the jurisdictions members represent."""
    ids = [plan.id] + ([plan.based_on_id] if is_meeting_revision(plan, versions) else [])
    places = {j.code: j.name for j in uow.reference.load().jurisdictions if not j.regional}
    return decision_brief(current_positions(uow.workflow.positions(ids)),
                          threads(uow.workflow.comments(ids)), places)  # fmt: skip


def brief(user: CurrentUser, workplan_id: int, url: str | None = None) -> DecisionBrief:
    """What the secretariat reads before recording the decision: positions by jurisdiction,
    objections, open comment threads."""
    require(user, Permission.RECORD_DECISIONS)
    with UnitOfWork(url=url) as uow:
        plan, versions = _plan(uow, workplan_id)
        require_version(user, plan)
        return _brief(uow, plan, versions)


def record_decision(user: CurrentUser, workplan_id: int, outcome: str, reasons: str = "",
                    meeting_id: int | None = None, url: str | None = None,
                    brief_read: str | None = None) -> Workplan:  # fmt: skip
    """The secretariat records the Committee's decision: approved (frozen for good and used by
    every page from now on) or returned with reasons. On a revision made in the meeting, the
    submitted version it revises is superseded. Approving over a member's objection or an
    open thread needs the decision brief confirmed (`brief_read`: its `key` as read)."""
    require(user, Permission.RECORD_DECISIONS)
    with UnitOfWork(actor=user.username, action="workplan_decision", url=url) as uow:
        plan, versions = _locked_plan(uow, workplan_id)
        _check_not_decided(uow, plan, versions)
        check_transition(user, "approve" if outcome == APPROVED else "return", plan)
        check_decision(plan, versions, outcome, reasons)
        check_brief_read(f"The {plan.year} workplan version {plan.version_no}",
                         _brief(uow, plan, versions), outcome, brief_read)  # fmt: skip
        if plan.amendment_type and outcome == APPROVED:  # a revision may have moved money
            check_amendment_type(plan.amendment_type, _change(uow, plan, versions))
        if meeting_id is not None and uow.workflow.meeting_row(meeting_id) is None:
            raise WorkflowError("meeting", f"Meeting: record {meeting_id} does not exist.")
        race_window()
        now = utcnow()
        if is_meeting_revision(plan, versions):
            uow.workplans.get_row(plan.based_on_id).status = SUPERSEDED
        row = uow.workplans.get_row(plan.id)
        row.status = outcome
        uow.session.add(DecisionRow(workplan_id=plan.id, outcome=outcome, reasons=reasons.strip(),
                                    meeting_id=meeting_id, decided_at=now,
                                    decided_by=user.username))  # fmt: skip
        if outcome == APPROVED:
            uow.workplans.set_in_use(plan.year, plan.id, user.username, now)
        uow.commit()
        return to_workplan(row, outcome == APPROVED or plan.in_use)


def start_revision(user: CurrentUser, workplan_id: int, ref: ProgrammeReference,
                   url: str | None = None) -> Workplan:  # fmt: skip
    """A new draft with every line of a submitted version (changes agreed in the meeting, then
    decided on directly) or of a returned one (to answer the comments and submit again)."""
    require(user, Permission.EDIT_PLANS)
    with UnitOfWork(actor=user.username, action="workplan_revision", url=url) as uow:
        plan, _versions = _locked_plan(uow, workplan_id)
        check_transition(user, "revise", plan)
        race_window()
        new = _create_version(uow, user, plan.year, ref, plan.id, None, Decimal(0), False,
                              plan.amendment_type)  # fmt: skip
        uow.commit()
        return new


def start_amendment(user: CurrentUser, workplan_id: int, amendment_type: str,
                    ref: ProgrammeReference, url: str | None = None) -> Workplan:  # fmt: skip
    """A new draft of an approved plan, of the given amendment type, needing its own decision
    (the type is checked against the budget change again when it is submitted)."""
    require(user, Permission.EDIT_PLANS)
    with UnitOfWork(actor=user.username, action="workplan_amendment", url=url) as uow:
        plan, _versions = _locked_plan(uow, workplan_id)
        check_transition(user, "amend", plan)
        check_amendment_type(amendment_type, None)
        race_window()
        new = _create_version(uow, user, plan.year, ref, plan.id, None, Decimal(0), False,
                              amendment_type)  # fmt: skip
        uow.commit()
        return new


def version_diff(user: CurrentUser, old_id: int, new_id: int, ref: ProgrammeReference,
                 url: str | None = None) -> VersionDiff:  # fmt: skip
    """What changed from one version to another (lines matched by their identity)."""
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        require_version(user, _plan(uow, old_id)[0])
        require_version(user, _plan(uow, new_id)[0])
        old, new = uow.workplans.activities(old_id), uow.workplans.activities(new_id)
    areas = {a.code: a.short_name for a in ref.areas}
    categories = {c.code: c.name for c in ref.cost_categories}
    return diff_versions(old, new, areas, categories)


@dataclass(frozen=True)
class MeetingRecord:
    """A meeting with what it decided: each version decided there, with the members' positions
    and the comments (author and time) on it."""

    meeting: Meeting
    decided: list[tuple[Workplan, Decision, list[MemberPosition], list[Thread]]]


def meeting_record(user: CurrentUser, meeting_id: int, url: str | None = None) -> MeetingRecord:
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        row = uow.workflow.meeting_row(meeting_id)
        if row is None:
            raise WorkflowError("exists", f"Meeting record {meeting_id} does not exist.")
        plans = {p.id: p for p in uow.workplans.list()}
        decided = []
        for d in uow.workflow.decisions():
            if d.meeting_id != meeting_id:
                continue
            plan = plans[d.workplan_id]
            ids = [plan.id] + ([plan.based_on_id] if plan.based_on_id else [])
            ids = [i for i in ids if i == plan.id or plans[i].status == SUPERSEDED]
            decided.append((plan, d, current_positions(uow.workflow.positions(ids)),
                            threads(uow.workflow.comments(ids))))  # fmt: skip
        return MeetingRecord(to_meeting(row), decided)


def meetings(user: CurrentUser, url: str | None = None) -> list[Meeting]:
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        return uow.workflow.meetings()


def save_meeting(user: CurrentUser, meeting: Meeting, url: str | None = None) -> Meeting:
    """Record a new meeting (`meeting.id` None) or update one (its loaded `version`)."""
    require(user, Permission.RECORD_DECISIONS)
    with UnitOfWork(actor=user.username, action="psc_meeting", url=url) as uow:
        others = [m.number for m in uow.workflow.meetings() if m.id != meeting.id]
        errors = check_meeting(meeting, others)
        if errors:
            raise WorkflowError("meeting", " ".join(errors))
        if meeting.id is None:
            row = MeetingRow()
            uow.session.add(row)
        else:
            row = uow.workflow.meeting_row(meeting.id)
            if row is None or row.version != meeting.version:
                raise WorkflowError("conflict", f"Meeting {meeting.number}: changed or removed "
                                    "by someone else since you opened it; reload.")  # fmt: skip
        row.number, row.held_on, row.place = meeting.number.strip(), meeting.held_on, meeting.place
        row.participants, row.observers = meeting.participants, meeting.observers
        row.agenda, row.decisions = meeting.agenda, meeting.decisions
        row.updated_at, row.updated_by = utcnow(), user.username
        uow.commit()
        return to_meeting(row)


def delete_meeting(user: CurrentUser, meeting_id: int, url: str | None = None) -> None:
    """Remove a meeting record that no decision refers to."""
    require(user, Permission.RECORD_DECISIONS)
    with UnitOfWork(actor=user.username, action="psc_meeting_delete", url=url) as uow:
        row = uow.workflow.meeting_row(meeting_id)
        if row is None:
            raise WorkflowError("exists", f"Meeting record {meeting_id} does not exist.")
        plans = {p.id: p for p in uow.workplans.list()}
        decided = [f"{plans[d.workplan_id].year} workplan, version "
                   f"{plans[d.workplan_id].version_no} ({OUTCOMES[d.outcome].lower()})"
                   for d in uow.workflow.decisions() if d.meeting_id == meeting_id]  # fmt: skip
        if decided:
            raise WorkflowError("meeting", f"Meeting {row.number}: decisions refer to it "
                                f"({'; '.join(decided)}); it stays in the record.")  # fmt: skip
        uow.session.delete(row)
        uow.commit()
