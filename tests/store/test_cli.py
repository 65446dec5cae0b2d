"""`python -m rpsee users ...`, `check`, `serve` and `demo purge` against a real database."""

from __future__ import annotations

from rpsee import config
from rpsee.__main__ import main
from rpsee.services import accounts
from rpsee.services.demo_accounts import DEMO_PASSWORD
from rpsee.services.passwords import hash_password, verify_password
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
    assert main(["seed"]) == 0  # the donors
    assert main(["users", "add", "donor.swe", "--role", "observer", "--donor", "SWE"]) == 0
    assert main(["users", "add", "donor.x", "--role", "observer"]) == 1
    assert "Donor: a donor observer needs a known donor code" in capsys.readouterr().err
    with UnitOfWork(url=empty_db) as uow:
        assert (uow.users.get("donor.swe").role, uow.users.get("donor.swe").donor_code) == (
            "observer", "SWE")  # fmt: skip


def _with_password(url: str) -> str:
    """The test URL with a password in it (the test server trusts local connections)."""
    return url.replace("postgres@", "postgres:Sup3r-Secret-pw@", 1)


def test_a_demo_database_cannot_serve_production_until_purged(
    empty_db: str, monkeypatch, capsys  # noqa: ANN001
) -> None:
    url = _with_password(empty_db)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("RPSEE_MODE", raising=False)
    assert main(["seed"]) == 0  # demo mode: the demo accounts, workplans and pipeline
    with UnitOfWork(url=url) as uow:
        assert {2026, 2027} <= {p.year for p in uow.workplans.list()}  # `export` has a version
    monkeypatch.setenv("RPSEE_MODE", "production")
    monkeypatch.setenv("RPSEE_COOKIE_KEY", "x" * 40)
    capsys.readouterr()
    assert main(["serve", "--port", "1"]) == 1  # refuses before starting Streamlit
    out = capsys.readouterr()
    assert "Demo accounts are active: demo.admin (admin), demo.finance (finance)" in out.err
    assert "demo.psc (psc_member)" in out.err and "python -m rpsee demo purge" in out.err
    assert "No active administrator (demo accounts do not count)" in out.err
    assert "Sup3r-Secret-pw" not in out.out + out.err
    if "postgresql" in url:
        assert "postgres:***@127.0.0.1" in out.out

    monkeypatch.setenv("RPSEE_NEW_PASSWORD", "Tirana-2026!")
    assert main(["users", "add", "chief", "--role", "admin", "--name", "Chief"]) == 0
    assert main(["check"]) == 1  # a real admin now, but the demo accounts are still active
    out = capsys.readouterr().out
    assert "Demo accounts are active" in out and "No active administrator" not in out
    assert "Sup3r-Secret-pw" not in out
    assert main(["demo", "purge"]) == 0
    purged = "demo.admin, demo.finance, demo.observer, demo.planner, demo.psc"
    assert purged in capsys.readouterr().out
    assert main(["check"]) == 0
    assert main(["demo", "purge"]) == 0
    assert "No demo account to remove." in capsys.readouterr().out
    with UnitOfWork(url=url) as uow:
        demo = uow.users.get("demo.admin")
        assert not demo.active and demo.sessions_revoked_at is not None
        assert not verify_password(DEMO_PASSWORD, demo.password_hash)
        actions = {e.action for e in uow.audit.recent(limit=20, entity="app_user")}
    assert "demo_purge:update" in actions
    monkeypatch.setenv("RPSEE_MODE", "demo")
    assert main(["seed"]) == 0  # demo mode does not bring them back
    assert "Demo users created: 0" in capsys.readouterr().out


def test_the_demo_password_on_any_account_blocks_production(
    empty_db: str, monkeypatch, capsys  # noqa: ANN001
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_db)
    monkeypatch.setenv("RPSEE_MODE", "production")
    monkeypatch.setenv("RPSEE_COOKIE_KEY", "x" * 40)
    monkeypatch.setenv("RPSEE_NEW_PASSWORD", DEMO_PASSWORD)
    assert main(["users", "add", "chief", "--role", "admin"]) == 1  # refused when set
    assert "published demo password" in capsys.readouterr().err
    monkeypatch.setenv("RPSEE_NEW_PASSWORD", "Tirana-2026!")
    assert main(["users", "add", "chief", "--role", "admin"]) == 0
    assert main(["users", "add", "officer", "--role", "planner"]) == 0
    with UnitOfWork(actor="legacy", action="legacy", url=empty_db) as uow:  # set before the check
        uow.users.get("officer").password_hash = hash_password(DEMO_PASSWORD)
        uow.commit()
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "Accounts with the published demo password: officer." in out
    assert "users reset-password <username>" in out
    assert main(["users", "reset-password", "officer"]) == 0
    assert main(["check"]) == 0
    cleared = (config.state_dir() / "demo_password_cleared").read_text().split()
    assert len(cleared) == 2  # both hashes checked once, remembered, owner-only
    assert (config.state_dir() / "demo_password_cleared").stat().st_mode & 0o077 == 0


def test_a_demo_admin_is_not_the_active_admin(db: str, monkeypatch) -> None:  # noqa: ANN001
    from rpsee.services.bootstrap import production_problems

    monkeypatch.setenv("RPSEE_MODE", "production")
    monkeypatch.setenv("RPSEE_COOKIE_KEY", "x" * 40)
    problems = production_problems(db)
    assert any(p.startswith("No active administrator") for p in problems)
    assert "demo.admin" not in accounts.login_credentials(url=db)["usernames"]
    monkeypatch.setenv("RPSEE_MODE", "demo")
    assert "demo.admin" in accounts.login_credentials(url=db)["usernames"]
