"""Two processes race on the same workplan version through the services, on SQLite and
PostgreSQL, 50 rounds per case: decide vs decide, save vs submit, submit vs submit, decide vs
save. The test-only hook RPSEE_TEST_RACE_WINDOW_MS (rpsee/store/workplans.py `race_window`)
makes each service sleep between its checks and its writes, so both processes have read the
version before either writes. Every round ends with one consistent record: 0 double decisions,
0 edits in a version after it left draft, 0 raw exceptions, and the loser told why."""

from __future__ import annotations

import multiprocessing as mp
import random
import re
import time
import traceback
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy import func, select

from rpsee.domain.roles import SYSTEM, CurrentUser, Role
from rpsee.domain.workflow import WorkflowError
from rpsee.services import accounts, workflow, workplans
from rpsee.services.workplans import WorkplanEdit, WorkplanError
from rpsee.store.models import AuditEntryRow, DecisionRow, WorkplanRow
from rpsee.store.uow import UnitOfWork
from rpsee.store.workplans import RACE_WINDOW_ENV
from tests.committee import submit_read
from tests.unit.test_domain_workplan import act

ROUNDS = 50
WINDOW_MS = "10"  # each service sleeps this long between its checks and its writes
JITTER_S = 0.012  # and each process this long at most before it calls the service
SETUP = CurrentUser("demo.planner", "P", Role.PLANNER)
SECRETARIES = {1: CurrentUser("sec.one", "Secretary One", Role.PLANNER),
               2: CurrentUser("sec.two", "Secretary Two", Role.PLANNER)}  # fmt: skip
DECIDED_RE = (r"already decided(?: through version \d+)? \((approved|returned)\) by (.+) at "
              r"\d\d:\d\d UTC")


def _lines(url: str, plan_id: int) -> tuple:
    return tuple((a.code, a.version, tuple(sorted(a.budget.items())))
                 for a in workplans.activities(SETUP, plan_id, url=url))  # fmt: skip


def _worker(url: str, n: int, barrier, tasks, results) -> None:  # noqa: ANN001
    """Wait for a task, meet the other process at the barrier, do it; report what happened:
    done, refused (the rule and message shown to the user) or escaped (a raw exception)."""
    user, rng = SECRETARIES[n], random.Random(n)
    with UnitOfWork(url=url) as uow:
        ref = uow.reference.load()
    while (task := tasks.get(timeout=120)) is not None:
        kind, plan_id, arg = task
        # the open points are read before the race, as a planner reads them on the page
        read = workflow.open_points(SETUP, plan_id, url=url).key if kind == "submit" else None
        barrier.wait(timeout=60)
        time.sleep(rng.random() * JITTER_S)  # either may start first; both read before a write
        out: dict = {"kind": kind, "ok": False, "rule": None, "message": "", "escaped": None}
        try:
            if kind == "decide":
                workflow.record_decision(user, plan_id, arg, "Not yet." if arg == "returned"
                                         else "", url=url)  # fmt: skip
            elif kind == "submit":
                workflow.submit(user, plan_id, arg, url=url, open_points_read=read)
            else:
                workplans.save(user, plan_id, arg, ref, url=url)
            out["ok"] = True
            out["after"] = _lines(url, plan_id)  # what the version held once this committed
        except (WorkflowError, WorkplanError) as exc:
            out["rule"], out["message"] = getattr(exc, "rule", "workplan"), str(exc)
        except Exception:  # noqa: BLE001  counted and reported: the test fails on any
            out["escaped"] = traceback.format_exc(limit=8)
        results.put((n, out))


@dataclass
class Tally:
    rounds: int = 0
    double_decisions: int = 0
    edits_after_draft: int = 0
    two_submitted: int = 0
    already_decided: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    escaped: list[str] = field(default_factory=list)


def _audit_ids(url: str, plan_id: int, action: str) -> list[int]:
    """Ids of audit entries of `action` on the version (entity workplan) or on its lines."""
    with UnitOfWork(url=url) as uow:
        q = select(AuditEntryRow.id).where(AuditEntryRow.action.startswith(action + ":"))
        q = q.where(((AuditEntryRow.entity == "workplan")
                     & (AuditEntryRow.entity_id == str(plan_id)))
                    | ((AuditEntryRow.entity == "activity")
                       & AuditEntryRow.entity_id.startswith(f"{plan_id}/")))  # fmt: skip
        return list(uow.session.scalars(q))


def _decisions(url: str, plan_id: int) -> int:
    with UnitOfWork(url=url) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(DecisionRow).where(
            DecisionRow.workplan_id == plan_id)))  # fmt: skip


def _submitted_in(url: str, year: int) -> int:
    with UnitOfWork(url=url) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(WorkplanRow).where(
            WorkplanRow.year == year, WorkplanRow.status == "submitted")))  # fmt: skip


def _plus_one(url: str, plan_id: int) -> WorkplanEdit:
    line = workplans.activities(SETUP, plan_id, url=url)[0]
    return WorkplanEdit(changed=[replace(line, budget={
        **line.budget, "TRAVEL": line.budget["TRAVEL"] + Decimal("1.00")})])  # fmt: skip


def _first_version(url: str, year: int, ref) -> int:  # noqa: ANN001
    plan = workplans.start_draft(SETUP, year, ref, url=url)
    line = act("", "2.3", {"TRAVEL": "1000.00"}, jur=("ALB",), months=(6, 6))
    workplans.save(SETUP, plan.id, WorkplanEdit(added=[line]), ref, url=url)
    return plan.id


def _submitted_next(url: str, plan_id: int, ref) -> int:  # noqa: ANN001
    """A new submitted version after a decided one: an amendment of an approved version, a
    revision of a returned one."""
    status = next(p for p in workplans.list_workplans(SETUP, url=url) if p.id == plan_id).status
    if status == "approved":
        new = workflow.start_amendment(SETUP, plan_id, "other", ref, url=url)
    else:
        new = workflow.start_revision(SETUP, plan_id, ref, url=url)
    return submit_read(SETUP, new.id, url=url).id


def _check(t: Tally, results: list[dict]) -> None:
    t.rounds += 1
    for r in results:
        if r["escaped"]:
            t.escaped.append(r["escaped"].strip().splitlines()[-1])
        elif not r["ok"]:
            t.refused[r["rule"]] = t.refused.get(r["rule"], 0) + 1


def _decide_vs_decide(url: str, ref, run) -> Tally:  # noqa: ANN001
    t, target = Tally(), submit_read(SETUP, _first_version(url, 2025, ref), url=url).id
    for i in range(ROUNDS):
        outcomes = ("approved", "returned") if i % 2 else ("returned", "approved")
        results = run(("decide", target, outcomes[0]), ("decide", target, outcomes[1]))
        _check(t, [r for _n, r in results])
        t.double_decisions += _decisions(url, target) > 1
        winners = [n for n, r in results if r["ok"]]
        losers = [r for _n, r in results if not r["ok"] and not r["escaped"]]
        if len(winners) == 1 and len(losers) == 1:
            found = re.search(DECIDED_RE, losers[0]["message"])
            won = outcomes[winners[0] - 1]
            if found and found.groups() == (won, SECRETARIES[winners[0]].name):
                t.already_decided += 1
        target = _submitted_next(url, target, ref)
    return t


def _edit_landed_late(url: str, plan_id: int, saved: dict, other: dict, action: str) -> bool:
    """An edit landed after the version left draft: the lines changed after the other process
    committed its submit or decision, or the save's writes came after them."""
    if not other["ok"]:
        return False
    if _lines(url, plan_id) != other["after"]:
        return True
    later = _audit_ids(url, plan_id, action)
    return bool(saved["ok"]) and max(_audit_ids(url, plan_id, "workplan_save")) > min(later)


def _save_vs_submit(url: str, ref, run) -> Tally:  # noqa: ANN001
    t, target = Tally(), _first_version(url, 2026, ref)
    for i in range(ROUNDS):
        edit = _plus_one(url, target)
        tasks = [("save", target, edit), ("submit", target, None)]
        results = dict(run(*(tasks if i % 2 else tasks[::-1])))
        saved, submitted = (results[1], results[2]) if i % 2 else (results[2], results[1])
        _check(t, [saved, submitted])
        t.edits_after_draft += _edit_landed_late(url, target, saved, submitted,
                                                 "workplan_submit")  # fmt: skip
        if submitted["ok"]:
            workflow.record_decision(SETUP, target, "returned", "Again.", url=url)
            target = workflow.start_revision(SETUP, target, ref, url=url).id
    return t


def _submit_vs_submit(url: str, ref, run) -> Tally:  # noqa: ANN001
    t, first = Tally(), _first_version(url, 2027, ref)
    targets = (first, first)
    for i in range(ROUNDS):
        results = run(("submit", targets[0], None), ("submit", targets[1], None))
        _check(t, [r for _n, r in results])
        t.two_submitted += _submitted_in(url, 2027) > 1
        done = [p for p, (_n, r) in zip(targets, results, strict=True) if r["ok"]]
        for p in dict.fromkeys(done):
            workflow.record_decision(SETUP, p, "returned", "Again.", url=url)
        revised = workflow.start_revision(SETUP, done[0], ref, url=url).id if done else targets[0]
        if i % 2:  # the next round: both submit the same draft
            targets = (revised, revised)
        else:  # two drafts of the year (the second with lines: an empty one is refused)
            targets = (revised, workplans.start_draft(SETUP, 2027, ref, copy_from=revised,
                                                      confirmed=True, url=url).id)  # fmt: skip
    return t


def _decide_vs_save(url: str, ref, run) -> Tally:  # noqa: ANN001
    t = Tally()
    base = submit_read(SETUP, _first_version(url, 2028, ref), url=url).id
    for i in range(ROUNDS):
        revision = workflow.start_revision(SETUP, base, ref, url=url).id  # in the meeting
        tasks = [("decide", revision, "approved"), ("save", revision, _plus_one(url, revision))]
        results = dict(run(*(tasks if i % 2 else tasks[::-1])))
        decided, saved = (results[1], results[2]) if i % 2 else (results[2], results[1])
        _check(t, [decided, saved])
        t.double_decisions += _decisions(url, revision) > 1
        t.edits_after_draft += _edit_landed_late(url, revision, saved, decided,
                                                 "workplan_decision")  # fmt: skip
        base = _submitted_next(url, revision, ref)
    return t


def test_two_processes_keep_one_consistent_committee_record(db: str, monkeypatch,
                                                            capsys) -> None:  # noqa: ANN001
    for user in SECRETARIES.values():
        accounts.add_user(SYSTEM, user.username, user.name, "planner", "Race-secretary-2026",
                          url=db)  # fmt: skip
    with UnitOfWork(url=db) as uow:
        ref = uow.reference.load()
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    tasks = {1: ctx.Queue(), 2: ctx.Queue()}
    monkeypatch.setenv(RACE_WINDOW_ENV, WINDOW_MS)  # the workers' services only
    procs = [ctx.Process(target=_worker, args=(db, n, barrier, tasks[n], results))
             for n in (1, 2)]  # fmt: skip
    for p in procs:
        p.start()
    monkeypatch.delenv(RACE_WINDOW_ENV)

    racing = [0.0]

    def run(task_1: tuple, task_2: tuple) -> list[tuple[int, dict]]:
        t0 = time.monotonic()
        tasks[1].put(task_1)
        tasks[2].put(task_2)
        out = sorted((results.get(timeout=120) for _ in (1, 2)), key=lambda r: r[0])
        racing[0] += time.monotonic() - t0
        return out

    began = time.monotonic()
    try:
        tallies = {"decide vs decide": _decide_vs_decide(db, ref, run),
                   "save vs submit": _save_vs_submit(db, ref, run),
                   "submit vs submit": _submit_vs_submit(db, ref, run),
                   "decide vs save": _decide_vs_save(db, ref, run)}  # fmt: skip
    finally:
        for q in tasks.values():
            q.put(None)
        for p in procs:
            p.join(timeout=30)
    seconds = time.monotonic() - began
    with capsys.disabled():
        for name, t in tallies.items():
            print(f"\n[races {db.split(':')[0]}] {name}: {t.rounds} rounds, double decisions "
                  f"{t.double_decisions}, edits after draft {t.edits_after_draft}, two "
                  f"submitted {t.two_submitted}, 'already decided' {t.already_decided}, "
                  f"refused {t.refused}, raw exceptions {len(t.escaped)}")  # fmt: skip
        print(f"[races {db.split(':')[0]}] {seconds:.1f} s, racing {racing[0]:.1f} s")

    for name, t in tallies.items():
        assert t.escaped == [], f"{name}: raw exceptions {set(t.escaped)}"
        assert t.rounds == ROUNDS
        assert (t.double_decisions, t.edits_after_draft, t.two_submitted) == (0, 0, 0), name
    dd, ss, su, ds = tallies.values()
    # every decide/decide round: one decision, the other secretary told who decided and when
    assert dd.already_decided == ROUNDS and dd.refused == {"already_decided": ROUNDS}
    # every submit/submit round: one submission, the other told (same or another version)
    assert sum(su.refused.values()) == ROUNDS
    assert set(su.refused) == {"already_submitted", "one_submitted"}
    # the races really overlapped: some saves lost to a submit, some decisions came after a save
    assert ss.refused.get("workplan", 0) > 0 and sum(ds.refused.values()) > 0
    assert all(p.exitcode == 0 for p in procs)
