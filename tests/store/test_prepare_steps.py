"""prepare() in its two steps on a real database: the accounts first, then the programme's data."""

from __future__ import annotations

from rpsee.services import bootstrap
from rpsee.store.migrate import is_current
from rpsee.store.uow import UnitOfWork


def test_the_accounts_step_is_enough_to_log_in_and_the_data_step_loads_the_rest(
    empty_db: str, monkeypatch  # noqa: ANN001
) -> None:
    monkeypatch.setenv("RPSEE_MODE", "demo")
    assert bootstrap.prepare_accounts(empty_db) == 5  # one demo account per role
    assert is_current(empty_db)
    with UnitOfWork(url=empty_db) as uow:
        assert {u.username for u in uow.users.list()} >= {"demo.planner", "demo.admin"}
        assert uow.workplans.list() == []  # no data yet
        assert not uow.planning.envelopes()
    assert bootstrap.prepare_data(empty_db) > 0  # the reference rows
    with UnitOfWork(url=empty_db) as uow:
        assert len(uow.workplans.list()) == 2  # the 2026 demo workplan and the 2027 draft
        assert uow.planning.envelopes()
    again = bootstrap.prepare(empty_db)  # a restart: nothing left to do
    assert (again.reference_changes, again.demo_users_created) == (0, 0)
