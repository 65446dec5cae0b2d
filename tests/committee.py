"""Test helper: submit a version the way the page does, the planner having read its open points."""

from __future__ import annotations

from rpsee.domain.roles import CurrentUser, Role
from rpsee.domain.workplan import Workplan
from rpsee.services import workflow

READER = CurrentUser("demo.planner", "Planner", Role.PLANNER)


def submit_read(user: CurrentUser | None, workplan_id: int, amendment_type: str | None = None,
                url: str | None = None) -> Workplan:  # fmt: skip
    """`workflow.submit` with the open points read (by a planner) just before."""
    key = workflow.open_points(READER, workplan_id, url=url).key
    return workflow.submit(user, workplan_id, amendment_type, url=url, open_points_read=key)
