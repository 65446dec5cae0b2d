"""`prepare_once`: the background preparation and the first page run share one prepare()."""

from __future__ import annotations

import threading
import time

import pytest

from rpsee.services import bootstrap
from rpsee.ui import server


@pytest.fixture
def counted(monkeypatch):  # noqa: ANN201
    """prepare() replaced by a slow fake that counts its calls (no database needed)."""
    calls: list[str] = []

    def fake(url: str | None = None) -> bootstrap.StartupReport:
        calls.append(url or "")
        time.sleep(0.3)
        return bootstrap.StartupReport(url or "", "demo", 140, 5)

    monkeypatch.setattr(bootstrap, "prepare", fake)
    monkeypatch.setattr(bootstrap, "_prepared", {})
    monkeypatch.setenv("RPSEE_MODE", "demo")
    return calls


def test_a_second_caller_waits_for_the_first_and_nothing_is_prepared_twice(counted) -> None:  # noqa: ANN001
    url = "sqlite:////tmp/once.sqlite"
    reports: list[bootstrap.StartupReport] = []
    background = threading.Thread(target=lambda: reports.append(bootstrap.prepare_once(url)))
    background.start()
    time.sleep(0.05)  # the background preparation is under way
    start = time.monotonic()
    reports.append(bootstrap.prepare_once(url))  # the first page run
    assert time.monotonic() - start >= 0.2  # it waited for the database
    background.join()
    assert counted == [url]
    assert reports[0] == reports[1] == bootstrap.StartupReport(url, "demo", 140, 5)
    bootstrap.prepare_once("sqlite:////tmp/other.sqlite")  # another database: prepared too
    assert counted == [url, "sqlite:////tmp/other.sqlite"]


def test_a_failed_preparation_is_tried_again(monkeypatch) -> None:  # noqa: ANN001
    attempts: list[int] = []

    def failing_once(url: str | None = None) -> bootstrap.StartupReport:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("database unreachable")
        return bootstrap.StartupReport(url or "", "demo", 0, 0)

    monkeypatch.setattr(bootstrap, "prepare", failing_once)
    monkeypatch.setattr(bootstrap, "_prepared", {})
    monkeypatch.setenv("RPSEE_MODE", "demo")
    with pytest.raises(RuntimeError, match="unreachable"):
        bootstrap.prepare_once("sqlite:////tmp/x.sqlite")
    assert bootstrap.prepare_once("sqlite:////tmp/x.sqlite").reference_changes == 0
    assert len(attempts) == 2


def test_the_terminal_is_told_once(counted, monkeypatch, capsys) -> None:  # noqa: ANN001
    monkeypatch.setenv("DATABASE_URL", "postgresql://rpsee:Secret-pw@db.example/rpsee")
    monkeypatch.setattr(server, "_reported", set())
    server.prepare_and_report()
    server.prepare_and_report()
    out = capsys.readouterr().out
    assert out.count("Database: ") == 1 and "Secret-pw" not in out
    assert "reference changes applied: 140; demo users created: 5" in out
    assert len(counted) == 1
