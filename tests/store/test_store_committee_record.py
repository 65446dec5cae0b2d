"""A Committee record that cannot contradict itself, through the services on SQLite and
PostgreSQL: a second decision or submit is refused naming who acted and when; no draft becomes
the version in use while its year has an approved one; members record positions only for their
jurisdictions, the secretariat on a member's behalf (audited as such); the terminal sets a
member's jurisdictions. The two-process races are in test_workflow_races.py."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import select

from rpsee.__main__ import main
from rpsee.domain.roles import CurrentUser, PermissionDenied, Role
from rpsee.domain.workflow import WorkflowError
from rpsee.services import accounts, positions, workflow, workplans
from rpsee.services.demo import seed_demo_workplans
from rpsee.services.workplans import WorkplanError
from rpsee.store.models import AuditEntryRow, MemberPositionRow, WorkplanInUseRow
from rpsee.store.uow import UnitOfWork
from tests.committee import submit_read

PLANNER = CurrentUser("demo.planner", "Demo Planner (Regional Representative)", Role.PLANNER)
PSC = CurrentUser("demo.psc", "Demo Steering Committee member", Role.PSC_MEMBER)
ADMIN = CurrentUser("demo.admin", "Demo Administrator", Role.ADMIN)
PASSWORD = "Committee-record-2026"


@pytest.fixture
def ref(db: str):  # noqa: ANN201
    seed_demo_workplans(db)
    with UnitOfWork(url=db) as uow:
        return uow.reference.load()


def _version(db: str, year: int):  # noqa: ANN202
    return next(p for p in workplans.list_workplans(PLANNER, url=db) if p.year == year)


def test_a_second_decision_is_refused_naming_who_decided_and_when(db: str, ref) -> None:  # noqa: ANN001
    plan = _version(db, 2026)
    submit_read(PLANNER, plan.id, url=db)
    with pytest.raises(WorkflowError) as second_submit:
        submit_read(PLANNER, plan.id, url=db)
    assert second_submit.value.rule == "already_submitted"
    assert re.search(r"already submitted, by Demo Planner \(Regional Representative\) at "
                     r"\d\d:\d\d UTC", str(second_submit.value))  # fmt: skip
    before = datetime.utcnow()
    workflow.record_decision(ADMIN, plan.id, "approved", url=db)
    with pytest.raises(WorkflowError) as second:
        workflow.record_decision(PLANNER, plan.id, "returned", "Too late.", url=db)
    message = str(second.value)
    assert second.value.rule == "already_decided"
    assert "is already decided (approved) by Demo Administrator at " in message
    hhmm = re.search(r"at (\d\d:\d\d) UTC", message).group(1)
    assert abs(int(hhmm[:2]) * 60 + int(hhmm[3:]) - (before.hour * 60 + before.minute)) <= 1
    with UnitOfWork(url=db) as uow:
        assert [d.outcome for d in uow.workflow.decisions([plan.id])] == ["approved"]


def test_a_version_superseded_in_the_meeting_names_the_decision_on_its_revision(
        db: str, ref) -> None:  # noqa: ANN001
    plan = _version(db, 2026)
    submit_read(PLANNER, plan.id, url=db)
    revision = workflow.start_revision(PLANNER, plan.id, ref, url=db)
    workflow.record_decision(PLANNER, revision.id, "approved", url=db)
    with pytest.raises(WorkflowError, match=rf"already decided through version "
                       rf"{revision.version_no} \(approved\) by Demo Planner"):  # fmt: skip
        workflow.record_decision(ADMIN, plan.id, "returned", "No.", url=db)
    with pytest.raises(WorkflowError, match="is superseded; to make a revised version"):
        workflow.start_revision(PLANNER, plan.id, ref, url=db)


def test_no_draft_is_used_while_its_year_has_an_approved_version(db: str, ref) -> None:  # noqa: ANN001
    plan = _version(db, 2026)
    submit_read(PLANNER, plan.id, url=db)
    workflow.record_decision(PLANNER, plan.id, "approved", url=db)
    amendment = workflow.start_amendment(PLANNER, plan.id, "other", ref, url=db)
    with pytest.raises(WorkplanError, match="approved version .version 1.: the pages keep using"):
        workplans.set_in_use(PLANNER, amendment.id, url=db)
    with pytest.raises(WorkplanError, match="until the new draft is approved itself"):
        workplans.start_draft(PLANNER, 2026, ref, copy_from=plan.id, confirmed=True,
                              use_now=True, url=db)  # fmt: skip
    copy = workplans.start_draft(PLANNER, 2026, ref, copy_from=plan.id, confirmed=True, url=db)
    submitted = submit_read(PLANNER, amendment.id, url=db)
    with pytest.raises(WorkplanError, match="until version"):  # submitted is not approved
        workplans.set_in_use(PLANNER, submitted.id, url=db)
    assert workplans.in_use_by_year(PLANNER, url=db)[2026].id == plan.id
    # a version in use stored by hand (or by an older release) is not used either
    with UnitOfWork(actor="test", action="test", url=db) as uow:
        uow.session.get(WorkplanInUseRow, 2026).workplan_id = copy.id
        uow.commit()
    assert workplans.in_use_by_year(PLANNER, url=db)[2026].id == plan.id
    workflow.record_decision(PLANNER, amendment.id, "approved", url=db)
    assert workplans.in_use_by_year(PLANNER, url=db)[2026].id == amendment.id
    workplans.set_in_use(PLANNER, plan.id, url=db)  # an approved version may be chosen
    assert workplans.in_use_by_year(PLANNER, url=db)[2026].id == plan.id


def test_members_record_positions_only_for_their_jurisdictions(db: str, ref) -> None:  # noqa: ANN001
    plan = _version(db, 2026)
    submit_read(PLANNER, plan.id, url=db)
    accounts.add_user(ADMIN, "member.mne", "Ana Member", "psc_member", PASSWORD,
                      jurisdictions=["mne", "SRB"], url=db)  # fmt: skip
    mne = CurrentUser("member.mne", "Ana Member", Role.PSC_MEMBER)
    assert [(m.username, m.jurisdictions) for m in positions.members(mne, url=db)] == [
        ("member.mne", ("MNE", "SRB"))]
    positions.record_position(mne, plan.id, "endorse", "MNE", "", ref, url=db)
    positions.record_position(mne, plan.id, "object", "SRB", "Travel.", ref, url=db)
    with pytest.raises(WorkflowError, match="Ana Member represents MNE, SRB, not ALB"):
        positions.record_position(mne, plan.id, "endorse", "ALB", "", ref, url=db)
    # the demo member represents Albania only
    with pytest.raises(WorkflowError, match="represents ALB, not MNE"):
        positions.record_position(PSC, plan.id, "endorse", "MNE", "", ref, url=db)
    # a member without a jurisdiction (made before they existed) is told how to get one
    with UnitOfWork(actor="test", action="test", url=db) as uow:
        uow.users.get("member.mne").jurisdictions = ""
        uow.commit()
    with pytest.raises(WorkflowError, match="represents no jurisdiction yet"):
        positions.record_position(mne, plan.id, "endorse", "MNE", "", ref, url=db)
    r = workflow.review(PLANNER, plan.id, url=db)
    assert [(p.member, p.jurisdiction, p.position) for p in r.positions] == [
        ("member.mne", "MNE", "endorse"), ("member.mne", "SRB", "object")]


def test_the_secretariat_records_on_a_members_behalf_audited_as_such(db: str, ref) -> None:  # noqa: ANN001
    plan = _version(db, 2026)
    submit_read(PLANNER, plan.id, url=db)
    with pytest.raises(PermissionDenied):  # a member never records for another member
        positions.record_position(PSC, plan.id, "endorse", "ALB", "", ref, url=db,
                                  on_behalf_of="demo.planner")  # fmt: skip
    with pytest.raises(PermissionDenied):  # the secretariat only on a member's behalf
        positions.record_position(PLANNER, plan.id, "endorse", "ALB", "", ref, url=db)
    with pytest.raises(WorkflowError, match="'demo.finance' is not an active Steering"):
        positions.record_position(PLANNER, plan.id, "endorse", "ALB", "", ref, url=db,
                                  on_behalf_of="demo.finance")  # fmt: skip
    with pytest.raises(WorkflowError, match="represents ALB, not SRB"):
        positions.record_position(ADMIN, plan.id, "endorse", "SRB", "", ref, url=db,
                                  on_behalf_of="demo.psc")  # fmt: skip
    done = positions.record_position(ADMIN, plan.id, "object", "ALB", "By phone.", ref,
                                     url=db, on_behalf_of="demo.psc")  # fmt: skip
    assert done.recorded_note == ("recorded by Demo Administrator on behalf of Demo Steering "
                                  "Committee member")  # fmt: skip
    (shown,) = workflow.review(PSC, plan.id, url=db).positions
    assert (shown.member, shown.recorded_by, shown.position) == ("demo.psc", "demo.admin",
                                                                 "object")  # fmt: skip
    assert [m.username for m in positions.members(ADMIN, url=db)] == ["demo.psc"]
    with UnitOfWork(url=db) as uow:
        entry = uow.session.scalars(select(AuditEntryRow).where(
            AuditEntryRow.entity == "member_position")).one()  # fmt: skip
        row = uow.session.scalars(select(MemberPositionRow)).one()
    assert (entry.actor, entry.action) == ("demo.admin", "member_position_on_behalf:insert")
    assert '"member": "demo.psc"' in entry.new_values
    assert '"recorded_by": "demo.admin"' in entry.new_values
    assert (row.member, row.recorded_by) == ("demo.psc", "demo.admin")


def test_accounts_give_members_known_jurisdictions(db: str) -> None:
    with pytest.raises(accounts.AccountError, match="represents at least one"):
        accounts.add_user(ADMIN, "m.none", "M", "psc_member", PASSWORD, url=db)
    with pytest.raises(accounts.AccountError, match="unknown XXX"):
        accounts.add_user(ADMIN, "m.bad", "M", "psc_member", PASSWORD, url=db,
                          jurisdictions=["ALB", "XXX"])  # fmt: skip
    with pytest.raises(accounts.AccountError, match="unknown REG"):  # a tag, not a jurisdiction
        accounts.add_user(ADMIN, "m.reg", "M", "psc_member", PASSWORD, url=db,
                          jurisdictions=["REG"])  # fmt: skip
    with pytest.raises(accounts.AccountError, match="only a Steering Committee member"):
        accounts.add_user(ADMIN, "p.one", "P", "planner", PASSWORD, url=db,
                          jurisdictions=["ALB"])  # fmt: skip
    added = accounts.add_user(ADMIN, "m.one", "M", "psc_member", PASSWORD, url=db,
                              jurisdictions=["BIH"])  # fmt: skip
    assert added.jurisdictions == ("BIH",)
    assert accounts.set_jurisdictions(ADMIN, "m.one", ["XKX", "BIH"], url=db).jurisdictions == (
        "XKX", "BIH")  # fmt: skip
    with pytest.raises(accounts.AccountError, match="not a Steering Committee member"):
        accounts.set_jurisdictions(ADMIN, "demo.planner", ["ALB"], url=db)
    with pytest.raises(PermissionDenied):
        accounts.set_jurisdictions(PLANNER, "m.one", ["ALB"], url=db)
    accounts.set_role(ADMIN, "m.one", "planner", url=db)  # a planner represents none
    assert next(u for u in accounts.list_users(ADMIN, url=db)
                if u.username == "m.one").jurisdictions == ()  # fmt: skip
    with pytest.raises(accounts.AccountError, match="represents at least one"):
        accounts.set_role(ADMIN, "m.one", "psc_member", url=db)
    accounts.set_role(ADMIN, "m.one", "psc_member", url=db, jurisdictions=["SRB"])
    with UnitOfWork(url=db) as uow:
        assert uow.users.get("m.one").jurisdictions == "SRB"
        assert uow.users.get("demo.psc").jurisdictions == "ALB"  # the demo member's
        changed = uow.session.scalars(select(AuditEntryRow).where(
            AuditEntryRow.action == "user_jurisdictions:update")).one()  # fmt: skip
    assert changed.new_values == '{"jurisdictions": "XKX;BIH"}'


def test_the_terminal_sets_a_members_jurisdictions(db: str, monkeypatch, capsys) -> None:  # noqa: ANN001
    monkeypatch.setenv("DATABASE_URL", db)
    monkeypatch.setenv("RPSEE_NEW_PASSWORD", PASSWORD)
    assert main(["users", "add", "m.alb", "--role", "psc_member", "--jurisdiction", "ALB",
                 "--jurisdiction", "mne,srb"]) == 0  # fmt: skip
    assert "Created m.alb (psc_member, for ALB, MNE, SRB)." in capsys.readouterr().out
    assert main(["users", "add", "m.none", "--role", "psc_member"]) == 1
    assert "represents at least one" in capsys.readouterr().err
    assert main(["users", "set-jurisdiction", "m.alb", "BIH", "XKX"]) == 0
    assert "m.alb represents BIH, XKX from now on." in capsys.readouterr().out
    assert main(["users", "set-jurisdiction", "m.alb", "NOPE"]) == 1
    assert "unknown NOPE" in capsys.readouterr().err
    assert main(["users", "list"]) == 0
    assert "(BIH, XKX)" in capsys.readouterr().out
    with UnitOfWork(url=db) as uow:
        assert uow.users.get("m.alb").jurisdictions == "BIH;XKX"
