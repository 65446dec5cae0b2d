"""Drafts shared with Steering Committee members for consultation: a planner's choice, per
version (members read the versions submitted to them and these drafts; donor observers never a
draft, see rpsee/domain/visibility.py)."""

from __future__ import annotations

from rpsee.domain.roles import CurrentUser, Permission, require
from rpsee.domain.workplan import Workplan
from rpsee.store.uow import UnitOfWork
from rpsee.store.workplans import race_window, to_workplan


class ConsultationError(ValueError):
    """A version that cannot be shared for consultation (it is no longer a draft)."""


def set_shared(user: CurrentUser, workplan_id: int, shared: bool,
               url: str | None = None) -> Workplan:  # fmt: skip
    """Share this draft with Committee members for consultation (or stop sharing it)."""
    require(user, Permission.EDIT_PLANS)
    with UnitOfWork(actor=user.username, action="workplan_consultation", url=url) as uow:
        row = uow.workplans.lock_version(workplan_id)
        if row is None:
            raise ConsultationError(f"Workplan {workplan_id} does not exist.")
        if row.status != "draft":
            raise ConsultationError(
                f"The {row.year} workplan version {row.version_no} is {row.status}: Committee "
                "members read it as submitted; only a draft is shared for consultation.")
        race_window()
        if bool(row.shared_for_consultation) != shared:
            row.shared_for_consultation = shared
        in_use = any(p.in_use for p in uow.workplans.list() if p.id == row.id)
        plan = to_workplan(row, in_use)
        uow.commit()
        return plan
