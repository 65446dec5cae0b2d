"""A database that fails during a save: the user gets a message (`StoreError`), nothing is
saved, and no driver exception (`DBAPIError`, `OperationalError`, `IntegrityError`) escapes a
service. The boundary is the unit of work, so every write service has it: checked for each
one, found by the permissions table's introspection. Line codes past 999 never collide."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from sqlalchemy import MetaData, create_engine, event, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import StoreError, workplans
from rpsee.services.workplans import WorkplanEdit
from rpsee.store.db import engine_for
from rpsee.store.uow import UnitOfWork
from tests.conftest import PG_ADMIN_URL, _prepared
from tests.store.test_service_permissions import TABLE, Checked, ctx  # noqa: F401  (fixture)
from tests.unit.test_domain_workplan import act

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)
WRITES = ("INSERT", "UPDATE", "DELETE")


def _dump(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    try:
        with engine.connect() as conn:
            return {t.name: [tuple(r) for r in conn.execute(
                select(t).order_by(*(list(t.primary_key.columns) or list(t.columns))))]
                for t in meta.sorted_tables}  # fmt: skip
    finally:
        engine.dispose()


class _Failing:
    """While in the block, write statements (or `every` statement) on `url`'s engine fail as a
    driver error would."""

    def __init__(self, url: str, every: bool = False) -> None:
        self.engine = engine_for(url)
        self.every = every  # reads fail too (the connection is gone)
        self.attempted = 0

    def _hook(self, conn, cursor, statement, params, context, many) -> None:  # noqa: ANN001, ARG002
        if self.every or statement.lstrip().upper().startswith(WRITES):
            self.attempted += 1
            raise OperationalError(statement, params, sqlite3.OperationalError("disk I/O error"))

    def __enter__(self) -> _Failing:
        event.listen(self.engine, "before_cursor_execute", self._hook)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._hook)


def _lines(db: str, ref) -> tuple[int, list]:  # noqa: ANN001
    plan = workplans.start_draft(PLANNER, 2026, ref, url=db)
    workplans.save(PLANNER, plan.id, WorkplanEdit(added=[
        act("", "2.3", {"TRAVEL": "100.00"}), act("", "5.4", {"TRANSFERS": "45000.50"})]),
        ref, url=db)  # fmt: skip
    return plan.id, workplans.activities(PLANNER, plan.id, url=db)


@pytest.fixture
def ref(db: str):  # noqa: ANN201
    with UnitOfWork(url=db) as uow:
        return uow.reference.load()


def test_a_driver_error_during_a_save_is_a_message_and_nothing_is_saved(db: str, ref) -> None:  # noqa: ANN001
    plan_id, lines = _lines(db, ref)
    before = _dump(db)
    changed = [lines[0].__class__(**{**lines[0].__dict__, "title": "Renamed"})]
    with _Failing(db) as failing, pytest.raises(StoreError) as caught:
        workplans.save(PLANNER, plan_id, WorkplanEdit(changed=changed,
                                                      added=[act("", "1.1", {})]), ref, url=db)
    assert failing.attempted >= 1
    assert "nothing was saved" in str(caught.value) and "still on screen" in str(caught.value)
    assert "disk I/O" not in str(caught.value) and "INSERT" not in str(caught.value)
    assert _dump(db) == before
    workplans.save(PLANNER, plan_id, WorkplanEdit(changed=changed), ref, url=db)  # then it works
    assert workplans.activities(PLANNER, plan_id, url=db)[0].title == "Renamed"


def _backend_pid(session) -> int:  # noqa: ANN001
    return session.connection().connection.dbapi_connection.info.backend_pid


def test_a_postgres_connection_killed_during_a_save_is_a_message(pg_url: str) -> None:
    """The server ends the session's backend (`pg_terminate_backend`) between the save's reads
    and its writes: the flush meets a dead connection."""
    _prepared(pg_url)
    with UnitOfWork(url=pg_url) as uow:
        reference = uow.reference.load()
    plan_id, lines = _lines(pg_url, reference)
    before = _dump(pg_url)
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    killed: list[int] = []

    def kill(session, _context, _instances) -> None:  # noqa: ANN001
        if not killed:
            pid = _backend_pid(session)
            with admin.connect() as conn:
                assert conn.scalar(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            killed.append(pid)

    from sqlalchemy.orm import Session

    event.listen(Session, "before_flush", kill)
    try:
        changed = [lines[0].__class__(**{**lines[0].__dict__, "title": "Renamed"})]
        with pytest.raises(StoreError) as caught:
            workplans.save(PLANNER, plan_id, WorkplanEdit(changed=changed), reference, url=pg_url)
    finally:
        event.remove(Session, "before_flush", kill)
        admin.dispose()
    assert killed and "could not be reached" in str(caught.value)
    assert isinstance(caught.value.__cause__, DBAPIError)  # what it was, kept for the log
    assert _dump(pg_url) == before
    workplans.save(PLANNER, plan_id, WorkplanEdit(changed=changed), reference, url=pg_url)
    assert workplans.activities(PLANNER, plan_id, url=pg_url)[0].title == "Renamed"


def test_line_codes_past_999_never_collide(db: str, ref) -> None:  # noqa: ANN001
    plan = workplans.start_draft(PLANNER, 2026, ref, url=db)
    workplans.save(PLANNER, plan.id, WorkplanEdit(added=[act("2026-2.3-998", "2.3", {}),
                                                         act("2026-2.3-999", "2.3", {})]),
                   ref, url=db)  # fmt: skip
    first = workplans.save(PLANNER, plan.id, WorkplanEdit(added=[act("", "2.3", {}),
                                                                 act("", "2.3", {})]), ref, url=db)
    assert first.added == ["2026-2.3-1000", "2026-2.3-1001"]
    second = workplans.save(PLANNER, plan.id, WorkplanEdit(added=[act("", "2.3", {})]), ref,
                            url=db)  # fmt: skip
    assert second.added == ["2026-2.3-1002"]
    codes = [a.code for a in workplans.activities(PLANNER, plan.id, url=db)]
    assert codes == ["2026-2.3-998", "2026-2.3-999", "2026-2.3-1000", "2026-2.3-1001",
                     "2026-2.3-1002"]  # in number order, not text order


# ---------------------------------------------------------------- every service
# The operators' restore runs on a connection of its own (every table locked), not a unit of
# work; it turns any database error into BackupError (tests/store/test_backup.py).
OWN_CONNECTION = {"backup.restore"}
ROWS = [(key, sorted(row.allowed, key=lambda r: r.value)[0]) for key, row in TABLE.items()
        if isinstance(row, Checked) and row.allowed and key not in OWN_CONNECTION]  # fmt: skip
WROTE: set[str] = set()


@pytest.fixture
def failing_db(ctx) -> Iterator[tuple[object, _Failing]]:  # noqa: ANN001, F811
    with _Failing(ctx.url) as failing:
        yield ctx, failing


@pytest.mark.parametrize(("key", "role"), ROWS, ids=[k for k, _r in ROWS])
def test_every_service_turns_a_failing_write_into_a_message(key: str, role: Role,
                                                            failing_db) -> None:  # noqa: ANN001
    """Called by an allowed role while every write statement fails: a service that writes
    raises StoreError (never a driver error, never swallowed); one that only reads completes;
    either way the database is unchanged."""
    context, failing = failing_db
    before = _dump(context.url)
    user = CurrentUser(f"who.{role.value}", role.label, role,
                       "AUT" if role is Role.OBSERVER else None)  # fmt: skip
    try:
        TABLE[key].call(user, context)
    except StoreError as exc:
        assert failing.attempted, key
        assert "nothing was saved" in str(exc)
        WROTE.add(key)
    except DBAPIError as exc:  # pragma: no cover  (what must not happen)
        pytest.fail(f"{key}: a raw driver error reached the caller: {type(exc).__name__}")
    else:
        assert not failing.attempted, f"{key}: a failed write was swallowed"
    assert _dump(context.url) == before, key


def test_the_services_that_write_are_many() -> None:
    """The table reaches the writing services (the test above is not all reads): run after it,
    at least 25 services met the failing write and gave the message."""
    if len(WROTE) == 0:
        pytest.skip("run with the test above")  # alone, nothing was recorded
    assert len(WROTE) >= 25, sorted(WROTE)


def test_new_codes_a_colleague_took_a_moment_before_are_numbered_again(db: str, ref,
                                                                     monkeypatch) -> None:  # noqa: ANN001
    """The colleague's save commits just before this save locks the year (from then on a save
    chooses its codes and writes alone, see test_workflow_races.py): this save numbers its new
    line after the colleague's, never the same code."""
    from rpsee.store.workplans import WorkplanRepository

    other = CurrentUser("o.officer", "O", Role.PLANNER)
    plan = workplans.start_draft(PLANNER, 2026, ref, url=db)
    pending = [lambda: workplans.save(other, plan.id, WorkplanEdit(added=[act("", "2.3", {})]),
                                      ref, url=db)]  # fmt: skip
    lock_year = WorkplanRepository.lock_year

    def colleague_first(repo, year: int) -> None:  # noqa: ANN001
        if pending and repo.session.info.get("actor") == PLANNER.username:
            pending.pop()()
        lock_year(repo, year)

    monkeypatch.setattr(WorkplanRepository, "lock_year", colleague_first)
    saved = workplans.save(PLANNER, plan.id, WorkplanEdit(added=[act("", "2.3", {})]), ref,
                           url=db)  # fmt: skip
    assert not pending  # the colleague did save first, taking 2026-2.3-001
    assert saved.added == ["2026-2.3-002"]
    codes = [a.code for a in workplans.activities(PLANNER, plan.id, url=db)]
    assert codes == ["2026-2.3-001", "2026-2.3-002"]
