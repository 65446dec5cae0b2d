"""Accounts: roles enforced in the services, lockout, ending sessions. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rpsee.domain.roles import SYSTEM, CurrentUser, PermissionDenied, Role
from rpsee.services import accounts
from rpsee.services.bootstrap import DEMO_PASSWORD, production_problems
from rpsee.services.passwords import verify_password
from rpsee.store.audit import utcnow
from rpsee.store.uow import UnitOfWork

PSC = CurrentUser("demo.psc", "PSC", Role.PSC_MEMBER)
ADMIN = CurrentUser("demo.admin", "Admin", Role.ADMIN)


def test_demo_users_one_per_role_with_bcrypt_hashes(db: str) -> None:
    with UnitOfWork(url=db) as uow:
        users = {u.username: u for u in uow.users.list()}
    assert {u.role for u in users.values()} == {"planner", "psc_member", "finance", "admin",
                                                "observer"}  # fmt: skip
    assert users["demo.observer"].donor_code == "AUT" and users["demo.psc"].donor_code is None
    for u in users.values():
        assert u.password_hash.startswith("$2b$") and DEMO_PASSWORD not in u.password_hash
        assert verify_password(DEMO_PASSWORD, u.password_hash)


def test_a_psc_member_cannot_call_write_services(db: str) -> None:
    with pytest.raises(PermissionDenied):
        accounts.add_user(PSC, "newbie", "New Person", "planner", "long-enough-1", url=db)
    with pytest.raises(PermissionDenied):
        accounts.set_active(PSC, "demo.planner", False, url=db)
    with pytest.raises(PermissionDenied):
        accounts.list_users(PSC, url=db)
    with UnitOfWork(url=db) as uow:
        assert uow.users.get("newbie") is None


def test_admin_adds_a_user_and_bad_input_is_named(db: str) -> None:
    added = accounts.add_user(ADMIN, "j.doe", "Jane Doe", "finance", "Sarajevo-2026", url=db)
    assert added.role == "finance"
    with pytest.raises(accounts.AccountError, match="Username"):
        accounts.add_user(ADMIN, "j.doe", "Again", "finance", "Sarajevo-2026", url=db)
    with pytest.raises(accounts.AccountError, match="Password"):
        accounts.add_user(ADMIN, "k.doe", "K", "finance", "short", url=db)
    with pytest.raises(accounts.AccountError, match="Role"):
        accounts.add_user(ADMIN, "k.doe", "K", "donor", "Sarajevo-2026", url=db)
    with UnitOfWork(url=db) as uow:
        assert uow.users.get("k.doe") is None
        entry = uow.audit.recent(limit=1, entity="app_user", entity_id="j.doe")[0]
    assert entry.actor == "demo.admin" and entry.action == "user_add:insert"
    assert entry.new_values["password_hash"] == "(set)"  # never the hash itself


def test_lockout_after_five_failures_is_audited_and_released_by_time(db: str) -> None:
    now = utcnow()
    for i in range(4):
        assert (
            accounts.record_failed_login(
                "demo.finance", now + timedelta(seconds=i), url=db
            ).locked_until
            is None
        )
    locked = accounts.record_failed_login("demo.finance", now + timedelta(seconds=5), url=db)
    assert locked.locked_until is not None
    creds = accounts.login_credentials(now + timedelta(minutes=1), url=db)
    assert not verify_password(DEMO_PASSWORD, creds["usernames"]["demo.finance"]["password"])
    refused = accounts.record_failed_login("demo.finance", now + timedelta(minutes=2), url=db)
    assert refused.locked_until == locked.locked_until
    later = accounts.login_credentials(now + timedelta(minutes=16), url=db)
    assert verify_password(DEMO_PASSWORD, later["usernames"]["demo.finance"]["password"])
    with UnitOfWork(url=db) as uow:
        actions = [
            e.action
            for e in uow.audit.recent(limit=20, entity="app_user", entity_id="demo.finance")
        ]
    assert "account_locked:update" in actions and "login_refused_locked" in actions


def test_logout_password_change_and_deactivation_end_sessions(db: str) -> None:
    opened = accounts.record_login("demo.planner", url=db)
    assert accounts.session_user("demo.planner", opened, url=db).role is Role.PLANNER
    planner = CurrentUser("demo.planner", "P", Role.PLANNER)
    accounts.end_sessions(planner, url=db)  # logout: every browser
    assert accounts.session_user("demo.planner", opened, url=db) is None
    reopened = accounts.record_login("demo.planner", url=db)
    assert accounts.session_user("demo.planner", reopened, url=db) is not None

    me = CurrentUser("demo.planner", "P", Role.PLANNER)
    with pytest.raises(accounts.AccountError, match="Current password"):
        accounts.change_own_password(me, "wrong-one-1", "New-password-2027", url=db)
    accounts.change_own_password(me, DEMO_PASSWORD, "New-password-2027", url=db)
    assert accounts.session_user("demo.planner", reopened, url=db) is None

    third = accounts.record_login("demo.planner", url=db)
    accounts.set_active(ADMIN, "demo.planner", False, url=db)
    assert accounts.session_user("demo.planner", third, url=db) is None
    assert "demo.planner" not in accounts.login_credentials(url=db)["usernames"]


def test_the_last_admin_stays(db: str) -> None:
    with pytest.raises(accounts.AccountError, match="last active administrator"):
        accounts.set_active(ADMIN, "demo.admin", False, url=db)
    with pytest.raises(accounts.AccountError, match="last active administrator"):
        accounts.set_role(ADMIN, "demo.admin", "planner", url=db)


def test_production_refuses_without_admin_or_cookie_key(empty_db: str, monkeypatch) -> None:
    from rpsee.services.bootstrap import prepare

    monkeypatch.setenv("RPSEE_MODE", "production")
    monkeypatch.delenv("RPSEE_COOKIE_KEY", raising=False)
    prepare(empty_db)  # production: no demo users
    problems = production_problems(empty_db)
    assert any("cookie" in p for p in problems)
    assert any("administrator" in p for p in problems)
    monkeypatch.setenv("RPSEE_COOKIE_KEY", "too-short")
    assert any("at least 32 bytes" in p for p in production_problems(empty_db))
    monkeypatch.setenv("RPSEE_COOKIE_KEY", "k" * 48)
    accounts.add_user_from_terminal("chief", "Chief Admin", "admin", "Istanbul-2026!", url=empty_db)
    assert production_problems(empty_db) == []
    with UnitOfWork(url=empty_db) as uow:
        assert [u.username for u in uow.users.list()] == ["chief"]
    assert SYSTEM.role is Role.ADMIN


def test_an_observer_is_linked_to_a_known_donor_and_only_an_observer(db: str) -> None:
    from rpsee.domain.roles import SYSTEM

    pw = "long-enough-pw-1"
    with pytest.raises(accounts.AccountError, match="Donor: a donor observer needs"):
        accounts.add_user(SYSTEM, "obs.none", "Observer", "observer", pw, url=db)
    with pytest.raises(accounts.AccountError, match="Donor: a donor observer needs"):
        accounts.add_user(SYSTEM, "obs.bad", "Observer", "observer", pw, url=db, donor="XX")
    with pytest.raises(accounts.AccountError, match="Donor: only a donor observer"):
        accounts.add_user(SYSTEM, "plan.swe", "Planner", "planner", pw, url=db, donor="SWE")
    made = accounts.add_user(SYSTEM, "obs.swe", "Observer", "observer", pw, url=db, donor="swe")
    assert made.donor == "SWE"
    accounts.set_role(SYSTEM, "obs.swe", "psc_member", url=db, jurisdictions=["SRB"])
    assert {u.username: u.donor for u in accounts.list_users(SYSTEM, url=db)}["obs.swe"] is None
