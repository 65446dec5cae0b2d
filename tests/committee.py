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


def decide_read(user: CurrentUser | None, workplan_id: int, outcome: str, reasons: str = "",
                meeting_id: int | None = None, url: str | None = None) -> Workplan:  # fmt: skip
    """`workflow.record_decision` with the decision brief read (by a planner) just before."""
    key = workflow.brief(READER, workplan_id, url=url).key
    return workflow.record_decision(user, workplan_id, outcome, reasons, meeting_id, url=url,
                                    brief_read=key)  # fmt: skip
