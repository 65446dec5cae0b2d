"""The demo Steering Committee meeting (demo mode only, data/demo/meeting.yaml): the demo 2026
workplan is submitted (freezing the 2025 progress report with it), the demo member records a
position, and the secretariat records the meeting and its approval. Written through the
workflow services, which check every step; run once, after the review's demo data."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from rpsee.domain.roles import CurrentUser, Role
from rpsee.domain.workflow import APPROVED, DRAFT, Meeting, WorkflowError
from rpsee.services import positions, workflow
from rpsee.store.data_files import read_yaml
from rpsee.store.uow import UnitOfWork

MEETING_FILE = "demo/meeting.yaml"
SECRETARIAT = "demo.planner"  # the Regional Representative's office keeps the record
log = logging.getLogger(__name__)


def _plan_to_approve(url: str, year: int) -> int | None:
    """The demo version of `year` when it is still the untouched first draft and no meeting
    is recorded; None otherwise (seeded already, or the user has been at work)."""
    with UnitOfWork(url=url) as uow:
        if uow.workflow.meetings():
            return None
        plans = [p for p in uow.workplans.list() if p.year == year]
    if len(plans) != 1 or plans[0].status != DRAFT or plans[0].version_no != 1:
        return None
    return plans[0].id


def seed_demo_meeting(url: str) -> bool:
    """Hold the demo meeting once; True when it was recorded now."""
    doc: dict[str, Any] = read_yaml(MEETING_FILE)
    plan_id = _plan_to_approve(url, int(doc["year"]))
    if plan_id is None:
        return False
    with UnitOfWork(url=url) as uow:
        ref = uow.reference.load()
        account = uow.users.get(SECRETARIAT)
    if account is None:  # the demo accounts are made before the data: never seen, but say so
        log.warning("No %s account: the demo meeting is not recorded.", SECRETARIAT)
        return False
    secretariat = CurrentUser(account.username, account.name, Role.PLANNER)
    read = workflow.open_points(secretariat, plan_id, url=url).key
    try:
        workflow.submit(secretariat, plan_id, url=url, open_points_read=read)
    except WorkflowError:  # another process preparing the same database submitted it first:
        return False  # the meeting is theirs to record (submit is serialised per year)
    p = doc["position"]
    with UnitOfWork(url=url) as uow:
        member = uow.users.get(p["member"])
    if member is not None:  # the member records their own position
        as_member = CurrentUser(member.username, member.name, Role.PSC_MEMBER)
        positions.record_position(as_member, plan_id, p["position"], p["jurisdiction"],
                                  p["remarks"], ref, url=url)  # fmt: skip
    m = doc["meeting"]
    meeting = workflow.save_meeting(secretariat, Meeting(
        str(m["number"]), date.today(), m["place"], m["participants"], m["observers"],
        m["agenda"], m["decisions"]), url=url)  # fmt: skip
    brief = workflow.brief(secretariat, plan_id, url=url).key
    workflow.record_decision(secretariat, plan_id, APPROVED, doc["decision"]["reasons"],
                             meeting_id=meeting.id, url=url, brief_read=brief)  # fmt: skip
    log.info("Demo Steering Committee meeting %s recorded: the %s workplan approved.",
             meeting.number, doc["year"])  # fmt: skip
    return True
