"""Copy forward and the version in use, through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from rpsee.domain.roles import PermissionDenied
from rpsee.services import workplans
from rpsee.services.workplans import WorkplanEdit, WorkplanError
from rpsee.store.uow import UnitOfWork
from tests.store import test_store_workplans as base
from tests.unit.test_domain_workplan import act

PLANNER, PSC = base.PLANNER, base.PSC
ref = base.ref  # the programme reference fixture


@pytest.fixture
def plan(db: str, ref):  # noqa: ANN001, ANN201
    """2026, version 1: three lines of output 1.1 (planned, completed, cancelled), one ongoing."""
    plan = workplans.start_draft(PLANNER, 2026, ref, url=db)
    workplans.save(PLANNER, plan.id, WorkplanEdit(added=[
        act("", "1.1", {"TRAVEL": "100.00"}, months=(2, 3)),
        act("", "1.1", {"TRAVEL": "200.00"}, status="completed"),
        act("", "1.1", {"TRAVEL": "300.00"}, status="cancelled"),
        act("", "2.3", {"GOC": "1000.00"}, status="ongoing", months=(1, 12)),
        act("", "1.1", {"TRAVEL": "400.00"}, months=(10, 12)),
    ]), ref, url=db)  # fmt: skip
    return plan


def _lines(db: str, plan_id: int) -> dict[str, object]:
    return {a.code: a for a in workplans.activities(PLANNER, plan_id, url=db)}


def test_start_draft_copies_planned_and_ongoing_lines_only_by_default(db, plan, ref) -> None:  # noqa: ANN001
    new = workplans.start_draft(PLANNER, 2027, ref, copy_from=plan.id, url=db)
    lines = _lines(db, new.id)
    assert list(lines) == ["2027-1.1-001", "2027-1.1-004", "2027-2.3-001"]  # no renumbering
    assert lines["2027-2.3-001"].status == "ongoing"
    assert lines["2027-2.3-001"].notes == "Continues 2026-2.3-001."
    assert lines["2027-1.1-004"].line_id == "2026-1.1-004"
    assert "2027-1.1-003" not in lines  # the cancelled line did not come back


def test_a_cancelled_line_picked_explicitly_is_planned_again_and_says_so(db, plan, ref) -> None:  # noqa: ANN001
    new = workplans.start_draft(PLANNER, 2027, ref, copy_from=plan.id, codes=["2026-1.1-003"],
                                url=db)  # fmt: skip
    [line] = _lines(db, new.id).values()
    assert (line.code, line.status) == ("2027-1.1-003", "planned")
    assert "cancelled in 2026, planned again" in line.notes


def test_new_lines_never_take_a_number_of_any_version_or_year(db, plan, ref) -> None:  # noqa: ANN001
    v1 = workplans.start_draft(PLANNER, 2027, ref, copy_from=plan.id, codes=["2026-1.1-001"],
                               url=db)  # fmt: skip
    v2 = workplans.start_draft(PLANNER, 2027, ref, copy_from=v1.id, confirmed=True, url=db)
    workplans.save(PLANNER, v1.id, WorkplanEdit(added=[act("", "1.1", {"GOC": "1"})]), ref,
                   url=db)  # fmt: skip
    saved = workplans.save(PLANNER, v2.id, WorkplanEdit(added=[act("", "1.1", {"GOC": "2"})]),
                           ref, url=db)  # fmt: skip
    # 2026 used 001..004 (skipped ones too); version 1 of 2027 took 005: version 2 gets 006
    assert _lines(db, v1.id)["2027-1.1-005"].line_id == "2027-1.1-005"
    assert saved.added == ["2027-1.1-006"]
    # copying the rest of 2026 into a third version keeps the numbers: nothing collides
    v3 = workplans.start_draft(PLANNER, 2027, ref, copy_from=plan.id, confirmed=True, url=db)
    assert list(_lines(db, v3.id)) == ["2027-1.1-001", "2027-1.1-004", "2027-2.3-001"]


def test_same_year_version_keeps_codes_status_and_lineage(db, plan, ref) -> None:  # noqa: ANN001
    v2 = workplans.start_draft(PLANNER, 2026, ref, copy_from=plan.id, confirmed=True, url=db)
    before, after = _lines(db, plan.id), _lines(db, v2.id)
    assert list(after) == list(before)
    assert [(a.status, a.line_id) for a in after.values()] == [
        (a.status, a.code) for a in before.values()]  # fmt: skip


def test_a_year_with_a_version_asks_for_confirmation(db, plan, ref) -> None:  # noqa: ANN001
    with pytest.raises(WorkplanError, match=r"2026 already has version 1 \(draft, in use\)"):
        workplans.start_draft(PLANNER, 2026, ref, copy_from=plan.id, url=db)
    with pytest.raises(WorkplanError, match="confirm"):
        workplans.start_draft(PLANNER, 2026, ref, url=db)
    assert len(workplans.list_workplans(PLANNER, url=db)) == 1


def test_preview_is_what_start_draft_creates(db, plan, ref) -> None:  # noqa: ANN001
    workplans.start_draft(PLANNER, 2029, ref, url=db)
    preview = workplans.preview_draft(PLANNER, 2029, ref, plan.id, uplift_percent=Decimal("5"),
                                      url=db)  # fmt: skip
    assert preview.needs_confirmation and preview.version_no == 2
    assert [p.version_no for p in preview.existing] == [1]
    new = workplans.start_draft(PLANNER, 2029, ref, copy_from=plan.id, confirmed=True,
                                uplift_percent=Decimal("5"), url=db)  # fmt: skip
    created = list(_lines(db, new.id).values())
    assert created == [replace(a, id=c.id, version=c.version)
                       for a, c in zip(preview.activities, created, strict=True)]  # fmt: skip
    assert sum(a.total for a in created) == preview.total == Decimal("1575.00")
    assert ref.figures.months_of(2029) == (1, 2, 3, 4, 5, 6)  # the cycle ends in June 2029
    flagged = {c.line.code: (c.months_before, c.months_after) for c in preview.flagged}
    assert flagged == {"2029-1.1-004": ("Oct–Dec", "Jun"), "2029-2.3-001": ("Jan–Dec", "Jan–Jun")}


def test_nothing_switches_silently(db, plan, ref) -> None:  # noqa: ANN001
    assert workplans.in_use_by_year(PLANNER, url=db)[2026].id == plan.id
    v2 = workplans.start_draft(PLANNER, 2026, ref, copy_from=plan.id, confirmed=True, url=db)
    assert not v2.in_use
    assert workplans.in_use_by_year(PLANNER, url=db)[2026].id == plan.id
    lines = workplans.lines_in_use(PLANNER, url=db)[2026]
    assert {a.id for a in lines} == set(a.id for a in _lines(db, plan.id).values())
    v3 = workplans.start_draft(PLANNER, 2026, ref, copy_from=plan.id, confirmed=True,
                               use_now=True, url=db)  # fmt: skip
    assert v3.in_use and workplans.in_use_by_year(PLANNER, url=db)[2026].id == v3.id
    workplans.set_in_use(PLANNER, v2.id, url=db)
    used = [p for p in workplans.list_workplans(PLANNER, url=db) if p.in_use]
    assert [p.id for p in used] == [v2.id]
    with pytest.raises(PermissionDenied):
        workplans.set_in_use(PSC, plan.id, url=db)
    with UnitOfWork(url=db) as uow:
        entries = uow.audit.recent(limit=50)
    assert any(e.entity == "workplan_in_use" and e.actor == PLANNER.username
               and e.action.startswith("workplan_in_use") for e in entries)  # fmt: skip


def test_migration_gives_existing_lines_a_lineage(empty_db: str) -> None:
    """A database from before migration 0004, with a 2027 draft the old copy forward renumbered
    (2026-1.1-002 skipped, 2026-1.1-003 became 2027-1.1-002) and a second 2027 version."""
    from alembic import command
    from sqlalchemy import text

    from rpsee.services.bootstrap import seed_reference
    from rpsee.store.db import engine_for
    from rpsee.store.migrate import alembic_config, upgrade

    engine = engine_for(empty_db)
    with engine.begin() as conn:
        cfg = alembic_config(empty_db)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    seed_reference(empty_db)
    plans = [(1, 2026, 1, None), (2, 2027, 1, 1), (3, 2027, 2, 2)]
    lines = [(1, "2026-1.1-001", ""), (1, "2026-1.1-002", ""), (1, "2026-1.1-003", ""),
             (2, "2027-1.1-001", "Copied from 2026-1.1-001"),
             (2, "2027-1.1-002", "Copied from 2026-1.1-003. Own note"),
             (3, "2027-1.1-001", "Copied from 2026-1.1-001"),
             (3, "2027-1.1-002", "Copied from 2026-1.1-003. Own note"),
             (3, "2027-1.1-003", "")]  # fmt: skip
    with engine.begin() as conn:
        for pid, year, no, based in plans:
            conn.execute(text("INSERT INTO workplan (id, year, version_no, status, based_on_id, "
                              "created_at, created_by, version) VALUES (:i, :y, :n, 'draft', :b, "
                              "CURRENT_TIMESTAMP, 'x', 1)"),
                         {"i": pid, "y": year, "n": no, "b": based})  # fmt: skip
        for pid, code, notes in lines:
            conn.execute(text("INSERT INTO activity (workplan_id, code, title, description, "
                              "output_code, jurisdictions, lead_office, start_month, end_month, "
                              "priority, indicators, gender_marker, status, notes, updated_at, "
                              "updated_by, version) VALUES (:w, :c, 't', '', '1.1', 'ALB', 'BEG', "
                              "1, 1, 'high', '', 1, 'planned', :n, CURRENT_TIMESTAMP, 'x', 1)"),
                         {"w": pid, "c": code, "n": notes})  # fmt: skip
    upgrade(empty_db)
    with engine.begin() as conn:
        got = conn.execute(text("SELECT workplan_id, code, line_id FROM activity "
                                "ORDER BY workplan_id, code")).all()  # fmt: skip
        in_use = dict(conn.execute(text("SELECT year, workplan_id FROM workplan_in_use")).all())
    lineage = {(w, c): line for w, c, line in got}
    assert lineage[(2, "2027-1.1-002")] == "2026-1.1-003"
    assert lineage[(3, "2027-1.1-002")] == "2026-1.1-003"
    assert lineage[(3, "2027-1.1-001")] == "2026-1.1-001"
    assert lineage[(3, "2027-1.1-003")] == "2027-1.1-003"
    assert lineage[(1, "2026-1.1-002")] == "2026-1.1-002"
    assert in_use == {2026: 1, 2027: 2}


def test_a_line_removed_in_the_same_save_keeps_its_number_from_new_lines(db, plan, ref) -> None:  # noqa: ANN001
    last = _lines(db, plan.id)["2026-1.1-004"]
    saved = workplans.save(PLANNER, plan.id, WorkplanEdit(
        added=[act("", "1.1", {"GOC": "5"})], removed=[(last.id, last.version, last.code)]), ref,
        url=db)  # fmt: skip
    assert saved.added == ["2026-1.1-005"] and saved.removed == ["2026-1.1-004"]
