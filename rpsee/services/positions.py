"""Members' positions on a version before the Steering Committee. A member (psc_member account)
records one only for a jurisdiction the account represents; the secretariat (planner or
administrator) may record one on a member's behalf, audited as such ("recorded by X on behalf
of Y"). Serialised with the version's other state changes (see services/workflow.py)."""

from __future__ import annotations

from dataclasses import dataclass

from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.roles import CurrentUser, Permission, Role, require
from rpsee.domain.workflow import MemberPosition, WorkflowError, check_position, check_transition
from rpsee.services.workflow import _locked_plan
from rpsee.store.audit import utcnow
from rpsee.store.models import MemberPositionRow, UserRow
from rpsee.store.uow import UnitOfWork
from rpsee.store.workplans import race_window


@dataclass(frozen=True)
class Member:
    """A Steering Committee member who may take a position, and for which jurisdictions."""

    username: str
    name: str
    jurisdictions: tuple[str, ...]


def _member_codes(row: UserRow) -> tuple[str, ...]:
    return tuple(c for c in (row.jurisdictions or "").split(";") if c)


def _member(row: UserRow) -> Member:
    return Member(row.username, row.name, _member_codes(row))


def members(user: CurrentUser, url: str | None = None) -> list[Member]:
    """Whom `user` may record a position for: a member, themselves; the secretariat, every
    active member."""
    if user is not None and user.role is Role.PSC_MEMBER:
        require(user, Permission.RECORD_POSITION)
        with UnitOfWork(url=url) as uow:
            row = uow.users.get(user.username)
            return [_member(row)] if row is not None and row.active else []
    require(user, Permission.RECORD_POSITION_FOR_MEMBER)
    with UnitOfWork(url=url) as uow:
        return [_member(r) for r in uow.users.list() if r.active and r.role == Role.PSC_MEMBER]


def record_position(user: CurrentUser, workplan_id: int, position: str, jurisdiction: str,
                    remarks: str, ref: ProgrammeReference, url: str | None = None,
                    on_behalf_of: str | None = None) -> MemberPosition:  # fmt: skip
    """A member's position on a submitted version, for a jurisdiction they represent: their
    own (`on_behalf_of` None), or one the secretariat records for the member `on_behalf_of`."""
    own = on_behalf_of is None or (user is not None and on_behalf_of == user.username)
    require(user, Permission.RECORD_POSITION if own else Permission.RECORD_POSITION_FOR_MEMBER)
    action = "member_position" if own else "member_position_on_behalf"
    with UnitOfWork(actor=user.username, action=action, url=url) as uow:
        member = uow.users.get(user.username if own else on_behalf_of)
        if member is None or not member.active or member.role != Role.PSC_MEMBER:
            raise WorkflowError("member", f"Member: {on_behalf_of!r} is not an active Steering "
                                "Committee member.")  # fmt: skip
        plan, _versions = _locked_plan(uow, workplan_id)
        as_member = CurrentUser(member.username, member.name, Role.PSC_MEMBER)
        check_transition(as_member, "position", plan)
        known = [j.code for j in ref.jurisdictions if not j.regional]
        check_position(position, jurisdiction, known, remarks, _member_codes(member),
                       member.name)  # fmt: skip
        race_window()
        by, by_name = (None, None) if own else (user.username, user.name)
        row = MemberPositionRow(workplan_id=plan.id, member=member.username,
                                member_name=member.name, jurisdiction_code=jurisdiction,
                                position=position, remarks=remarks.strip(),
                                recorded_at=utcnow(), recorded_by=by,
                                recorded_by_name=by_name)  # fmt: skip
        uow.session.add(row)
        uow.commit()
        return MemberPosition(plan.id, member.username, member.name, jurisdiction, position,
                              row.remarks, row.recorded_at, by, by_name)  # fmt: skip
