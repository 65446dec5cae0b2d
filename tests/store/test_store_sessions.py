"""Login hardening in the services: unknown names, password changes, time-outs (SQLite and PG)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import accounts
from rpsee.services.passwords import hash_password, unmatchable_hash, verify_password
from rpsee.store.audit import utcnow
from rpsee.store.models import AuditEntryRow
from rpsee.store.uow import UnitOfWork

PSC = CurrentUser("demo.psc", "Demo PSC", Role.PSC_MEMBER)


def _actions(db: str, action: str) -> list[AuditEntryRow]:
    with UnitOfWork(url=db) as uow:
        return uow.session.query(AuditEntryRow).filter(AuditEntryRow.action == action).all()


def test_an_unknown_name_is_audited_without_an_account_appearing(db: str) -> None:
    name = "x" * 300
    assert accounts.record_failed_login(name, url=db).locked_until is None
    [entry] = _actions(db, "login_failed_unknown_user")
    assert entry.entity_id.startswith("x" * 80) and entry.entity_id.endswith("…")
    with UnitOfWork(url=db) as uow:
        assert uow.users.get(name) is None


def test_the_stand_in_hash_costs_what_a_real_one_costs() -> None:
    cost = lambda h: h.split("$")[2]  # noqa: E731
    assert cost(unmatchable_hash()) == cost(hash_password("Podgorica-2026"))


def test_wrong_current_passwords_count_like_failed_logins_and_lock(db: str) -> None:
    for _ in range(4):
        with pytest.raises(accounts.AccountError, match="does not match"):
            accounts.change_own_password(PSC, "wrong-wrong-1", "Belgrade-2027", url=db)
    with pytest.raises(accounts.AccountError, match="locked until"):
        accounts.change_own_password(PSC, "wrong-wrong-1", "Belgrade-2027", url=db)
    with pytest.raises(accounts.AccountError, match="locked"):  # even the right one now
        accounts.change_own_password(PSC, "rpsee-demo-2026", "Belgrade-2027", url=db)
    assert len(_actions(db, "password_change_failed")) == 5
    with UnitOfWork(url=db) as uow:
        assert verify_password("rpsee-demo-2026", uow.users.get("demo.psc").password_hash)


def test_a_new_password_over_72_bytes_is_refused_with_a_message(db: str) -> None:
    with pytest.raises(accounts.AccountError, match="at most 72 bytes"):
        accounts.change_own_password(PSC, "rpsee-demo-2026", "Long-1" * 20, url=db)
    assert not verify_password("Long-1" * 20, hash_password("Long-1" * 12))


def test_sessions_end_when_idle_and_when_too_old(db: str) -> None:
    login = accounts.record_login("demo.psc", url=db)
    assert accounts.check_session("demo.psc", login, now=login, url=db).user is not None
    later = login + timedelta(minutes=61)
    assert accounts.check_session("demo.psc", login, now=later, url=db).ended_because == "idle"
    # activity every 50 minutes keeps it going, up to the absolute limit
    now = login
    for _ in range(16):
        now += timedelta(minutes=50)
        check = accounts.check_session("demo.psc", login, now=now, url=db)
        if check.user is None:
            break
    assert check.ended_because == "absolute" and now - login > timedelta(hours=12)


def test_activity_is_not_written_to_the_audit_trail(db: str) -> None:
    with UnitOfWork(url=db) as uow:
        before = uow.session.query(AuditEntryRow).count()
    now = utcnow()
    accounts.check_session("demo.psc", now, now=now + timedelta(minutes=2), url=db)
    with UnitOfWork(url=db) as uow:
        assert uow.session.query(AuditEntryRow).count() == before
        assert uow.users.get("demo.psc").last_seen_at == now + timedelta(minutes=2)
