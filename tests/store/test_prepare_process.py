"""The database prepared by a child process (`rpsee serve`): the page runs' `accounts_once` and
`prepare_once` wait for its reports and never prepare (nor read) the database before it has."""

from __future__ import annotations

import sys
import time

import pytest

from rpsee.services import bootstrap, prepare_process
from rpsee.store.migrate import is_current
from rpsee.store.uow import UnitOfWork


@pytest.fixture
def fresh_once(monkeypatch):  # noqa: ANN201
    """Nothing prepared in this process yet; preparing here is recorded (and done)."""
    here: list[str] = []
    real_accounts, real_data = bootstrap.prepare_accounts, bootstrap.prepare_data

    def accounts(url: str | None = None) -> int:
        here.append("accounts")
        return real_accounts(url)

    def data(url: str | None = None) -> int:
        here.append("data")
        return real_data(url)

    monkeypatch.setattr(bootstrap, "prepare_accounts", accounts)
    monkeypatch.setattr(bootstrap, "prepare_data", data)
    monkeypatch.setattr(bootstrap, "_accounts", {})
    monkeypatch.setattr(bootstrap, "_prepared", {})
    monkeypatch.setattr(prepare_process, "_children", {})
    monkeypatch.setenv("RPSEE_MODE", "demo")
    monkeypatch.setenv("RPSEE_BCRYPT_ROUNDS", "4")
    return here


def _fake_child(script: str) -> list[str]:
    return [sys.executable, "-c", script]


def test_the_child_prepares_both_steps_and_the_pages_wait_for_its_reports(
    empty_db: str, fresh_once  # noqa: ANN001
) -> None:
    child = prepare_process.start(empty_db, "demo")
    assert bootstrap.accounts_once(empty_db) == 5  # the login page: the child's report
    assert is_current(empty_db)
    with UnitOfWork(url=empty_db) as uow:
        assert uow.users.get("demo.planner") is not None
    report = bootstrap.prepare_once(empty_db)  # a page after login
    assert report.demo_users_created == 5 and report.reference_changes > 0
    with UnitOfWork(url=empty_db) as uow:
        assert len(uow.workplans.list()) == 2
    assert fresh_once == []  # nothing was prepared in this process
    assert child._proc.returncode == 0  # reaped once both steps were reported


def test_a_page_run_waits_for_the_childs_report_before_reading(fresh_once, tmp_path) -> None:  # noqa: ANN001
    url = f"sqlite:///{tmp_path / 'never.sqlite'}"
    prepare_process.start(url, "demo", _fake_child(
        "import time; print('a library talking', flush=True); time.sleep(0.5); "
        "print('rpsee-prepared accounts 5', flush=True); time.sleep(0.3); "
        "print('rpsee-prepared data 7', flush=True)"))  # fmt: skip
    start = time.monotonic()
    assert bootstrap.accounts_once(url) == 5
    assert time.monotonic() - start >= 0.45  # it waited for the report
    report = bootstrap.prepare_once(url)
    assert (report.demo_users_created, report.reference_changes) == (5, 7)
    assert time.monotonic() - start >= 0.75
    assert fresh_once == []


def test_a_child_that_fails_is_dropped_and_the_step_is_prepared_here(
    sqlite_url: str, fresh_once, capsys  # noqa: ANN001
) -> None:
    child = prepare_process.start(sqlite_url, "demo", _fake_child("raise SystemExit(3)"))
    assert bootstrap.accounts_once(sqlite_url) == 5
    assert fresh_once == ["accounts"]
    assert prepare_process.running(sqlite_url, "demo") is None
    assert "exit code 3" in capsys.readouterr().err
    assert bootstrap.prepare_once(sqlite_url).reference_changes > 0
    assert fresh_once == ["accounts", "data"]
    assert child._proc.returncode == 3


def test_another_database_or_mode_is_not_the_childs(fresh_once, sqlite_url: str) -> None:  # noqa: ANN001
    prepare_process.start("sqlite:////nowhere/else.sqlite", "demo", _fake_child("pass"))
    assert prepare_process.running(sqlite_url, "demo") is None
    assert prepare_process.running("sqlite:////nowhere/else.sqlite", "production") is None
    assert bootstrap.accounts_once(sqlite_url) == 5
    assert fresh_once == ["accounts"]
