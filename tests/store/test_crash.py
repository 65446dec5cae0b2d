"""A save of 1,000 lines killed with SIGKILL mid-way leaves all of it or none of it, with the audit
trail matching, and a killed restore leaves the old database or the restored one, on SQLite and
PostgreSQL; the database opens cleanly afterwards."""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import signal
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy.orm import Session

from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import workplans
from rpsee.services.workplans import WorkplanEdit
from rpsee.store import backup as backup_store
from rpsee.store.db import dispose
from rpsee.store.models import ActivityBudgetRow, ActivityRow, AuditEntryRow
from rpsee.store.uow import UnitOfWork
from tests.unit.test_domain_workplan import act

LINES = 1000
SETUP = CurrentUser("demo.planner", "P", Role.PLANNER)
CRASHER = CurrentUser("crasher", "Killed mid-save", Role.PLANNER)
OUTPUTS = ["1.1", "2.3", "3.2", "4.1", "5.4"]


def new_lines(n: int = LINES) -> list:  # noqa: ANN201
    return [act("", OUTPUTS[i % 5], {"TRAVEL": f"{100 + i}.00", "GOC": "0.01"}, jur=("ALB",))
            for i in range(n)]  # fmt: skip


def _child(url: str, plan_id: int, mode: str, stop_in_flush: bool, conn) -> None:  # noqa: ANN001
    """Save 1,000 lines (added, or +1.00 TRAVEL on each); say when ready and, if asked,
    wait inside the flush (rows written, not committed) to be killed there."""
    with UnitOfWork(url=url) as uow:
        ref = uow.reference.load()
    if mode == "add":
        edit = WorkplanEdit(added=new_lines())
    else:
        lines = workplans.activities(CRASHER, plan_id, url=url)[:LINES]
        edit = WorkplanEdit(changed=[replace(a, budget={**a.budget, "TRAVEL": a.budget[
            "TRAVEL"] + 1}) for a in lines])  # fmt: skip
    if stop_in_flush:

        @event.listens_for(Session, "after_flush")
        def _hold(_session, _ctx) -> None:  # noqa: ANN001
            conn.send("in flush")
            time.sleep(120)

    conn.send("ready")
    workplans.save(CRASHER, plan_id, edit, ref, url=url)
    conn.send("done")


def _state(url: str, plan_id: int) -> tuple[int, Decimal, dict[str, int]]:
    """Lines of the plan, their TRAVEL total, and the crasher's audit entries by kind."""
    with UnitOfWork(url=url) as uow:
        s = uow.session
        count = s.scalar(select(func.count()).where(ActivityRow.workplan_id == plan_id))
        travel_cents = func.coalesce(func.sum(ActivityBudgetRow.amount_cents), 0)
        travel = s.scalar(
            select(travel_cents)
            .join(ActivityRow)
            .where(ActivityRow.workplan_id == plan_id, ActivityBudgetRow.category_code == "TRAVEL")
        )
        kind = AuditEntryRow.entity + ":" + AuditEntryRow.action
        audit = dict(s.execute(select(kind, func.count()).where(
            AuditEntryRow.actor == "crasher").group_by(kind)).all())  # fmt: skip
    return int(count), Decimal(travel) / 100, audit


def _opens_cleanly(url: str) -> None:
    """SQLite: the journal is recovered and the file is intact. PostgreSQL: the killed
    connection's transaction is gone (no other session of this database holds a lock)."""
    dispose(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        if url.startswith("sqlite"):
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        else:
            held = None
            for _ in range(50):
                held = conn.execute(text(
                    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()"
                )).scalar()  # fmt: skip
                if held == 0:
                    break
                time.sleep(0.1)
            assert held == 0, "the killed save's transaction still holds locks"
    engine.dispose()


def _kill_during_save(url: str, plan_id: int, mode: str, delay: float | None) -> str:
    """Start a child saving 1,000 lines and SIGKILL it: inside the flush (`delay` None) or
    `delay` seconds after it began. Says whether it was killed or finished first."""
    ctx = mp.get_context("spawn")
    ours, theirs = ctx.Pipe()
    child = ctx.Process(target=_child, args=(url, plan_id, mode, delay is None, theirs))
    child.start()
    assert ours.poll(60) and ours.recv() == "ready"
    if delay is None:
        assert ours.poll(60) and ours.recv() == "in flush"
    else:
        time.sleep(delay)
    finished = ours.poll(0) and ours.recv() == "done"
    os.kill(child.pid, signal.SIGKILL)
    child.join(10)
    assert child.exitcode in (-signal.SIGKILL, 0)
    return "finished" if finished or child.exitcode == 0 else "killed"


def test_a_killed_save_leaves_all_or_nothing(db: str, capsys) -> None:  # noqa: ANN001
    with UnitOfWork(url=db) as uow:
        ref = uow.reference.load()
    plan = workplans.start_draft(SETUP, 2026, ref, url=db)
    began = time.monotonic()
    workplans.save(SETUP, plan.id, WorkplanEdit(added=new_lines()), ref, url=db)
    full_save = time.monotonic() - began
    rng = random.Random(8)
    # Inside the flush once per kind of save, then at random moments across the save's length.
    plan_of_kills = [("add", None), ("change", None)] + [
        (mode, rng.uniform(0.1, 1.1) * full_save) for mode in ("add", "change") * 2
    ]
    lines, travel, _audit = _state(db, plan.id)
    survived, landed = 0, {"add": 0, "change": 0}
    for mode, delay in plan_of_kills:
        outcome = _kill_during_save(db, plan.id, mode, delay)
        _opens_cleanly(db)
        now_lines, now_travel, now_audit = _state(db, plan.id)
        added = now_lines - lines
        if mode == "add":
            assert added in (0, LINES), f"{added} of {LINES} added lines kept"
            done = added == LINES
            assert now_travel - travel == (sum(Decimal(100 + i) for i in range(LINES))
                                           if done else 0)  # fmt: skip
        else:
            assert added == 0
            raised = now_travel - travel
            assert raised in (0, LINES), f"{raised} of {LINES} changed lines kept"
            done = raised == LINES
        assert not (delay is None and done), "a save killed inside its flush was committed"
        landed[mode] += done
        survived += outcome == "killed"
        expected = {"activity:workplan_save:insert": LINES * landed["add"],
                    "activity_budget:workplan_save:insert": 2 * LINES * landed["add"],
                    "activity:workplan_save:update": LINES * landed["change"],
                    "activity_budget:workplan_save:update": LINES * landed["change"]}  # fmt: skip
        assert now_audit == {k: v for k, v in expected.items() if v}
        lines, travel = now_lines, now_travel
    # The database takes a normal save afterwards.
    last = workplans.activities(SETUP, plan.id, url=db)[0]
    workplans.save(SETUP, plan.id, WorkplanEdit(changed=[replace(last, title="After the kills")]),
                   ref, url=db)  # fmt: skip
    assert workplans.activities(SETUP, plan.id, url=db)[0].title == "After the kills"
    with capsys.disabled():
        print(f"\n[crash {db.split(':')[0]}] kills {len(plan_of_kills)}: killed mid-save "
              f"{survived} (2 inside the flush), save committed before the kill "
              f"{sum(landed.values())}, partial 0; 1,000-line save {full_save:.2f} s")  # fmt: skip
    assert survived >= 2


def _restore_child(url: str, path: str, hold: bool, conn) -> None:  # noqa: ANN001
    """Restore `path` over the database; if asked, wait once the old rows are deleted and the
    file's rows are going in (inside the transaction) to be killed there."""
    if hold:

        @event.listens_for(Engine, "before_cursor_execute")
        def _hold(_conn, _cursor, statement: str, *_args) -> None:  # noqa: ANN002
            if statement.startswith("INSERT INTO activity_budget"):
                conn.send("inserting")
                time.sleep(120)

    conn.send("ready")
    backup_store.restore(url, Path(path), force=True)
    conn.send("done")


def _fingerprint(url: str, folder: Path) -> tuple[dict[str, str], int]:
    """Checksums of every table but the audit trail, and the audit trail's length."""
    path = folder / f"fp-{time.monotonic_ns()}.rpsee-backup"
    m = backup_store.write(url, path)
    path.unlink()
    return {t: h for t, h in m.sha256.items() if t != "audit_entry"}, m.rows["audit_entry"]


def test_a_killed_restore_leaves_the_old_or_the_new_database(
    db: str, tmp_path: Path, capsys  # noqa: ANN001
) -> None:
    with UnitOfWork(url=db) as uow:
        ref = uow.reference.load()
    plan = workplans.start_draft(SETUP, 2026, ref, url=db)
    workplans.save(SETUP, plan.id, WorkplanEdit(added=new_lines(300)), ref, url=db)
    file = tmp_path / "file.rpsee-backup"
    wanted = backup_store.write(db, file)
    new_tables = {t: h for t, h in wanted.sha256.items() if t != "audit_entry"}
    began = time.monotonic()
    backup_store.restore(db, file, force=True)
    full = time.monotonic() - began
    rng = random.Random(9)
    kills, outcomes = [None] + [rng.uniform(0.2, 3.0) * full for _ in range(3)], []
    for delay in kills:
        old = _fingerprint(db, tmp_path)
        if old[0] == new_tables:  # make the database differ from the file again
            workplans.start_draft(SETUP, 2027, ref, url=db)
            old = _fingerprint(db, tmp_path)
        ctx = mp.get_context("spawn")
        ours, theirs = ctx.Pipe()
        child = ctx.Process(target=_restore_child, args=(db, str(file), delay is None, theirs))
        child.start()
        assert ours.poll(60) and ours.recv() == "ready"
        if delay is None:
            assert ours.poll(60) and ours.recv() == "inserting"
        else:
            time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.join(10)
        _opens_cleanly(db)
        now = _fingerprint(db, tmp_path)
        if now == old:
            outcomes.append("old")
        else:
            assert now == (new_tables, wanted.rows["audit_entry"] + 1), "a half-restored database"
            outcomes.append("new")
        assert delay is not None or outcomes[-1] == "old"
    with capsys.disabled():
        print(f"\n[crash restore {db.split(':')[0]}] kills {len(kills)}: left the old database "
              f"{outcomes.count('old')}, the restored one {outcomes.count('new')}, half 0")
