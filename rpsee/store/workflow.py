"""Steering Committee records: rows <-> domain records (submissions, decisions, positions,
comments, meetings)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpsee.domain.workflow import Comment, Decision, Meeting, MemberPosition
from rpsee.store.models import (
    DecisionRow,
    MeetingRow,
    MemberPositionRow,
    ReviewCommentRow,
    SubmissionRow,
    UserRow,
)


def to_comment(r: ReviewCommentRow) -> Comment:
    return Comment(r.id, r.workplan_id, r.parent_id, r.target_kind, r.target_code, r.text,
                   r.author, r.author_name, r.created_at, r.resolved_at, r.resolved_by)  # fmt: skip


def to_position(r: MemberPositionRow) -> MemberPosition:
    return MemberPosition(r.workplan_id, r.member, r.member_name, r.jurisdiction_code,
                          r.position, r.remarks, r.recorded_at, r.recorded_by,
                          r.recorded_by_name)  # fmt: skip


def to_decision(r: DecisionRow, who: UserRow | None = None) -> Decision:
    """`who`: the deciding account, for the person's name and role."""
    return Decision(r.workplan_id, r.outcome, r.reasons, r.meeting_id, r.decided_by,
                    r.decided_at, who.name if who else "", who.role if who else "")  # fmt: skip


def to_meeting(r: MeetingRow) -> Meeting:
    return Meeting(r.number, r.held_on, r.place, r.participants, r.observers, r.agenda,
                   r.decisions, r.id, r.version)  # fmt: skip


class WorkflowRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def comments(self, workplan_ids: list[int]) -> list[Comment]:
        query = select(ReviewCommentRow).where(ReviewCommentRow.workplan_id.in_(workplan_ids))
        rows = self.session.scalars(query.order_by(ReviewCommentRow.id))
        return [to_comment(r) for r in rows]

    def comment_row(self, comment_id: int) -> ReviewCommentRow | None:
        return self.session.get(ReviewCommentRow, comment_id)

    def positions(self, workplan_ids: list[int]) -> list[MemberPosition]:
        query = select(MemberPositionRow).where(MemberPositionRow.workplan_id.in_(workplan_ids))
        rows = self.session.scalars(query.order_by(MemberPositionRow.id))
        return [to_position(r) for r in rows]

    def decisions(self, workplan_ids: list[int] | None = None) -> list[Decision]:
        query = select(DecisionRow).order_by(DecisionRow.id)
        if workplan_ids is not None:
            query = query.where(DecisionRow.workplan_id.in_(workplan_ids))
        rows = list(self.session.scalars(query))
        names = {r.decided_by for r in rows}
        users = {u.username: u for u in self.session.scalars(
            select(UserRow).where(UserRow.username.in_(names)))} if names else {}  # fmt: skip
        return [to_decision(r, users.get(r.decided_by)) for r in rows]

    def submissions(self, workplan_id: int) -> list[SubmissionRow]:
        return list(self.session.scalars(select(SubmissionRow).where(
            SubmissionRow.workplan_id == workplan_id).order_by(SubmissionRow.id)))  # fmt: skip

    def meetings(self) -> list[Meeting]:
        rows = self.session.scalars(select(MeetingRow).order_by(MeetingRow.held_on.desc(),
                                                                MeetingRow.id.desc()))  # fmt: skip
        return [to_meeting(r) for r in rows]

    def meeting_row(self, meeting_id: int) -> MeetingRow | None:
        return self.session.get(MeetingRow, meeting_id)
