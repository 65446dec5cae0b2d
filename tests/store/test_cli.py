"""`python -m rpsee users add ...` and `check` against a real database."""

from __future__ import annotations

from rpsee.__main__ import main
from rpsee.store.uow import UnitOfWork


def test_users_add_from_the_terminal(empty_db: str, monkeypatch, capsys) -> None:  # noqa: ANN001
    monkeypatch.setenv("DATABASE_URL", empty_db)
    monkeypatch.setenv("RPSEE_MODE", "production")
    monkeypatch.setenv("RPSEE_COOKIE_KEY", "x" * 40)
    assert main(["check"]) == 1
    assert "No active administrator" in capsys.readouterr().out
    monkeypatch.setenv("RPSEE_NEW_PASSWORD", "Tirana-2026!")
    assert main(["users", "add", "chief", "--role", "admin", "--name", "Chief"]) == 0
    assert main(["users", "add", "chief", "--role", "admin"]) == 1  # taken: refused, named
    assert "already taken" in capsys.readouterr().err
    assert main(["check"]) == 0
    with UnitOfWork(url=empty_db) as uow:
        row = uow.users.get("chief")
        assert row.role == "admin" and row.password_hash.startswith("$2b$")
        assert uow.audit.recent(limit=1, entity="app_user")[0].actor == "system"
