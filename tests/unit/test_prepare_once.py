"""`prepare_once`: the server's background preparation and the page runs share one preparation, in
two steps (the accounts for the login page, then the data for the pages after login)."""

from __future__ import annotations

import threading
import time

import pytest

from rpsee.services import bootstrap
from rpsee.ui import server

URL = "sqlite:////tmp/once.sqlite"


@pytest.fixture
def steps(monkeypatch):  # noqa: ANN201
    """Both steps replaced by slow fakes that record their calls (no database needed)."""
    calls: list[tuple[str, str]] = []

    def accounts(url: str | None = None) -> int:
        calls.append(("accounts", url or ""))
        time.sleep(0.2)
        return 5

    def data(url: str | None = None) -> int:
        calls.append(("data", url or ""))
        time.sleep(0.6)
        return 140

    monkeypatch.setattr(bootstrap, "prepare_accounts", accounts)
    monkeypatch.setattr(bootstrap, "prepare_data", data)
    monkeypatch.setattr(bootstrap, "_accounts", {})
    monkeypatch.setattr(bootstrap, "_prepared", {})
    monkeypatch.setenv("RPSEE_MODE", "demo")
    return calls


def test_the_login_page_waits_for_the_accounts_only_and_nothing_runs_twice(steps) -> None:  # noqa: ANN001
    reports: list[bootstrap.StartupReport] = []
    background = threading.Thread(target=lambda: reports.append(bootstrap.prepare_once(URL)))
    start = time.monotonic()
    background.start()
    time.sleep(0.05)  # the background preparation is under way
    assert bootstrap.accounts_once(URL) == 5  # the login page
    waited = time.monotonic() - start
    assert 0.15 <= waited < 0.6 and background.is_alive()  # the data still loading
    reports.append(bootstrap.prepare_once(URL))  # a page after login
    assert time.monotonic() - start >= 0.75  # it waited for the data
    background.join()
    assert steps == [("accounts", URL), ("data", URL)]
    assert reports[0] == reports[1] == bootstrap.StartupReport(URL, "demo", 140, 5)
    bootstrap.prepare_once("sqlite:////tmp/other.sqlite")  # another database: prepared too
    assert len(steps) == 4


def test_a_failed_step_is_tried_again(steps, monkeypatch) -> None:  # noqa: ANN001
    def failing_once(url: str | None = None) -> int:
        steps.append(("data", url or ""))
        if steps.count(("data", url or "")) == 1:
            raise RuntimeError("database unreachable")
        return 0

    monkeypatch.setattr(bootstrap, "prepare_data", failing_once)
    with pytest.raises(RuntimeError, match="unreachable"):
        bootstrap.prepare_once(URL)
    assert bootstrap.prepare_once(URL).reference_changes == 0
    assert steps == [("accounts", URL), ("data", URL), ("data", URL)]  # accounts kept


def test_the_terminal_is_told_once(steps, monkeypatch, capsys) -> None:  # noqa: ANN001
    monkeypatch.setenv("DATABASE_URL", "postgresql://rpsee:Secret-pw@db.example/rpsee")
    monkeypatch.setattr(server, "_reported", set())
    server.prepare_and_report()
    server.prepare_and_report()
    out = capsys.readouterr().out
    assert out.count("Database: ") == 1 and "Secret-pw" not in out
    assert "reference changes applied: 140; demo users created: 5" in out
    assert [name for name, _url in steps] == ["accounts", "data"]
