"""Workplans on SQLite and PostgreSQL: round trip, one-transaction saves, conflicts, audit."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from rpsee.domain.roles import CurrentUser, PermissionDenied, Role
from rpsee.services import consultation, workplans
from rpsee.services.workplans import (
    WorkplanConflict,
    WorkplanEdit,
    WorkplanError,
    WorkplanInvalid,
)
from rpsee.store.uow import UnitOfWork
from tests.unit.test_domain_workplan import act

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)
OTHER = CurrentUser("o.officer", "Other officer", Role.PLANNER)
PSC = CurrentUser("demo.psc", "PSC", Role.PSC_MEMBER)


@pytest.fixture
def ref(db: str):  # noqa: ANN201
    with UnitOfWork(url=db) as uow:
        return uow.reference.load()


@pytest.fixture
def plan(db: str, ref):  # noqa: ANN001, ANN201
    plan = workplans.start_draft(PLANNER, 2026, ref, url=db)
    lines = [
        act("", "2.3", {"TRAVEL": "18500.00", "GOC": "0.01"}, jur=("ALB", "MKD"), months=(3, 4)),
        act("", "2.3", {"EQUIPMENT": "120000"}, jur=("MNE",), months=(6, 6)),
        act("", "5.4", {"TRANSFERS": "45000.50"}, jur=("REG",), months=(1, 12)),
    ]
    workplans.save(PLANNER, plan.id, WorkplanEdit(added=lines), ref, url=db)
    return plan


def test_round_trip_is_exact_and_codes_are_assigned(db: str, plan, ref) -> None:  # noqa: ANN001
    lines = workplans.activities(PLANNER, plan.id, url=db)
    assert [a.code for a in lines] == ["2026-2.3-001", "2026-2.3-002", "2026-5.4-001"]
    first = lines[0]
    assert first.budget == {"GOC": Decimal("0.01"), "TRAVEL": Decimal("18500.00")}
    assert first.jurisdictions == ("ALB", "MKD") and first.version == 1
    assert sum(a.total for a in lines) == Decimal("183500.51")


def test_a_psc_member_cannot_save(db: str, plan, ref) -> None:  # noqa: ANN001
    with pytest.raises(PermissionDenied):
        workplans.save(PSC, plan.id, WorkplanEdit(added=[act("", "1.1", {"GOC": "1"})]), ref,
                       url=db)  # fmt: skip
    with pytest.raises(PermissionDenied):
        workplans.start_draft(PSC, 2027, ref, url=db)
    with pytest.raises(PermissionDenied, match="draft in preparation"):
        workplans.activities(PSC, plan.id, url=db)  # not shared with members
    consultation.set_shared(PLANNER, plan.id, True, url=db)
    assert len(workplans.activities(PSC, plan.id, url=db)) == 3


def test_a_save_cannot_remove_a_line_of_another_workplan(db: str, plan, ref) -> None:  # noqa: ANN001
    other = workplans.start_draft(PLANNER, 2027, ref, url=db)
    workplans.save(PLANNER, other.id, WorkplanEdit(added=[act("", "1.1", {"GOC": "7"})]), ref,
                   url=db)  # fmt: skip
    victim = workplans.activities(PLANNER, other.id, url=db)[0]
    mine = workplans.activities(PLANNER, plan.id, url=db)[0]
    edit = WorkplanEdit(removed=[(mine.id, mine.version, mine.code),
                                 (victim.id, victim.version, victim.code)])  # fmt: skip
    with pytest.raises(WorkplanError, match=f"Line {victim.code}: not a line of the 2026"):
        workplans.save(PLANNER, plan.id, edit, ref, url=db)
    assert [a.code for a in workplans.activities(PLANNER, other.id, url=db)] == [victim.code]
    assert len(workplans.activities(PLANNER, plan.id, url=db)) == 3  # nothing of it was saved
    with UnitOfWork(actor="test", action="approve", url=db) as uow:
        uow.workplans.get_row(other.id).status = "approved"
        uow.commit()
    with pytest.raises(WorkplanError, match="only a draft can be edited"):
        workplans.save(PLANNER, other.id, WorkplanEdit(
            removed=[(victim.id, victim.version, victim.code)]), ref, url=db)  # fmt: skip


def test_an_invalid_line_refuses_the_whole_save(db: str, plan, ref) -> None:  # noqa: ANN001
    lines = workplans.activities(PLANNER, plan.id, url=db)
    good = replace(lines[0], title="Renamed")
    bad = act("", "9.9", {"TRAVEL": "-5"})
    with pytest.raises(WorkplanInvalid) as info:
        workplans.save(PLANNER, plan.id, WorkplanEdit(added=[bad], changed=[good]), ref, url=db)
    fields = {(e.row, e.field) for e in info.value.errors}
    assert ("New row 1", "Output") in fields and ("New row 1", "Budget – Travel") in fields
    assert workplans.activities(PLANNER, plan.id, url=db)[0].title == lines[0].title


def test_second_save_of_a_changed_row_is_a_conflict_showing_both_values(db: str, plan, ref) -> None:  # noqa: ANN001
    mine = workplans.activities(PLANNER, plan.id, url=db)
    theirs = workplans.activities(OTHER, plan.id, url=db)
    workplans.save(OTHER, plan.id, WorkplanEdit(changed=[replace(
        theirs[0], budget={"TRAVEL": Decimal("20000.00")})]), ref, url=db)  # fmt: skip
    with pytest.raises(WorkplanConflict) as info:
        workplans.save(
            PLANNER,
            plan.id,
            WorkplanEdit(
                changed=[
                    replace(mine[0], budget={"TRAVEL": Decimal("15000.00")}),
                    replace(mine[1], title="Also changed, must not be half-saved"),
                ]
            ),
            ref,
            url=db,
        )
    [conflict] = info.value.conflicts
    assert conflict.code == "2026-2.3-001" and conflict.field == "Travel"
    assert (conflict.theirs, conflict.yours) == ("USD 20,000.00", "USD 15,000.00")
    assert conflict.by == "o.officer" and conflict.at is not None
    now = workplans.activities(PLANNER, plan.id, url=db)
    assert now[0].budget == {"TRAVEL": Decimal("20000.00")} and now[0].version == 2
    assert now[1].title == mine[1].title  # nothing of the refused save was written


def test_deleting_a_line_someone_changed_is_a_conflict(db: str, plan, ref) -> None:  # noqa: ANN001
    mine = workplans.activities(PLANNER, plan.id, url=db)
    workplans.save(OTHER, plan.id, WorkplanEdit(changed=[replace(mine[2], notes="updated")]), ref,
                   url=db)  # fmt: skip
    with pytest.raises(WorkplanConflict):
        workplans.save(
            PLANNER,
            plan.id,
            WorkplanEdit(removed=[(mine[2].id, mine[2].version, mine[2].code)]),
            ref,
            url=db,
        )
    assert len(workplans.activities(PLANNER, plan.id, url=db)) == 3


def test_every_change_is_audited(db: str, plan, ref) -> None:  # noqa: ANN001
    lines = workplans.activities(PLANNER, plan.id, url=db)
    workplans.save(PLANNER, plan.id, WorkplanEdit(
        changed=[replace(lines[1], budget={"EQUIPMENT": Decimal("99000.00")}, title="New")],
        removed=[(lines[2].id, lines[2].version, lines[2].code)]), ref, url=db)  # fmt: skip
    with UnitOfWork(url=db) as uow:
        entries = uow.audit.recent(limit=20)
    by_kind = {(e.entity, e.action) for e in entries}
    assert ("activity", "workplan_save:update") in by_kind
    assert ("activity", "workplan_save:delete") in by_kind
    assert ("activity_budget", "workplan_save:update") in by_kind
    budget = next(e for e in entries if e.entity == "activity_budget"
                  and e.action == "workplan_save:update")  # fmt: skip
    assert budget.old_values == {"amount_cents": 12_000_000}
    assert budget.new_values == {"amount_cents": 9_900_000}
    assert all(e.actor == "demo.planner" for e in entries if e.action.startswith("workplan_save"))


def test_copy_forward_to_a_new_draft(db: str, plan, ref) -> None:  # noqa: ANN001
    lines = workplans.activities(PLANNER, plan.id, url=db)
    new = workplans.start_draft(PLANNER, 2027, ref, copy_from=plan.id,
                                codes=[lines[0].code, lines[2].code],
                                uplift_percent=Decimal("10"), url=db)  # fmt: skip
    assert (new.year, new.version_no, new.status) == (2027, 1, "draft")
    copied = workplans.activities(PLANNER, new.id, url=db)
    assert [a.code for a in copied] == ["2027-2.3-001", "2027-5.4-001"]
    assert copied[0].budget == {"GOC": Decimal("0.01"), "TRAVEL": Decimal("20350.00")}
    assert copied[1].budget == {"TRANSFERS": Decimal("49500.55")}
    second = workplans.start_draft(PLANNER, 2027, ref, copy_from=new.id, confirmed=True, url=db)
    assert second.version_no == 2
    assert [a.code for a in workplans.activities(PLANNER, second.id, url=db)] == [
        "2027-2.3-001",
        "2027-5.4-001",
    ]  # a new version of the same year keeps the codes


def test_only_drafts_can_be_edited(db: str, plan, ref) -> None:  # noqa: ANN001
    from rpsee.store.models import WorkplanRow

    with UnitOfWork(actor="system", url=db) as uow:
        uow.session.get(WorkplanRow, plan.id).status = "approved"
        uow.commit()
    with pytest.raises(workplans.WorkplanError, match="only a draft"):
        workplans.save(PLANNER, plan.id, WorkplanEdit(added=[act("", "1.1", {"GOC": "1"})]), ref,
                       url=db)  # fmt: skip


def test_demo_workplans_and_excel_round_trip_of_the_demo(db: str, ref) -> None:  # noqa: ANN001
    from rpsee.domain.workplan_totals import coverage
    from rpsee.services import workplan_import
    from rpsee.services.demo import seed_demo_workplans

    assert seed_demo_workplans(db) > 160
    assert seed_demo_workplans(db) == 0  # idempotent
    plans = workplans.list_workplans(PLANNER, url=db)
    assert [(p.year, p.version_no) for p in plans] == [(2026, 1), (2027, 1)]
    lines = workplans.activities(PLANNER, plans[0].id, url=db)
    assert len(lines) >= 80
    cov = coverage(lines, ref)
    assert cov.outputs_without == [] and cov.jurisdictions_without == []
    data = workplan_import.export(PLANNER, plans[0], lines, ref, url=db)
    preview = workplan_import.preview(PLANNER, plans[0], lines, data, ref)
    assert preview.ok and preview.diff.empty
    draft = workplans.activities(PLANNER, plans[1].id, url=db)
    carried = [a for a in lines if a.status in ("planned", "ongoing")]
    assert len(draft) == len(carried) < len(lines)  # completed and cancelled lines stay behind
    assert [a.code for a in draft] == [a.code.replace("2026-", "2027-", 1) for a in carried]
    assert [a.line_id for a in draft] == [a.code for a in carried]
    assert [a.status for a in draft] == [a.status for a in carried]  # ongoing ones continue
    assert all(p.in_use for p in plans)
