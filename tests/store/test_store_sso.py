"""Single sign-on accounts: first sign-in awaiting approval, approval, role claim, refusals,
the same session rules as a password login. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from rpsee.domain.roles import CurrentUser, PermissionDenied, Role
from rpsee.domain.sso import Outcome, parse_role_claim
from rpsee.services import accounts, sso
from rpsee.store.audit import utcnow
from rpsee.store.uow import UnitOfWork

ADMIN = CurrentUser("demo.admin", "Admin", Role.ADMIN)
PLANNER = CurrentUser("demo.planner", "Planner", Role.PLANNER)
ISSUER = "https://login.microsoftonline.com/tenant-id/v2.0"
NONE = parse_role_claim("", "")
ROLES = parse_role_claim("roles", "RPSEE.Planner=planner,RPSEE.Finance=finance")


def claims(sub: str = "sub-1", minutes_ago: int = 0, **extra: object) -> dict:
    iat = int((utcnow() - timedelta(minutes=minutes_ago)).replace(tzinfo=UTC).timestamp())
    return {"iss": ISSUER, "sub": sub, "iat": iat, "name": "Jane <b>Doe</b>",
            "email": "jane.doe@unodc.org", "preferred_username": "jane.doe@unodc.org",
            **extra}  # fmt: skip


def audit(db: str, username: str) -> list[str]:
    with UnitOfWork(url=db) as uow:
        return [e.action for e in reversed(uow.audit.recent(entity="app_user",
                                                              entity_id=username))]  # fmt: skip


def test_a_first_sign_in_awaits_approval_then_is_signed_in_with_the_role(db: str) -> None:
    first = sso.sign_in(claims(), NONE, url=db)
    assert first.outcome is Outcome.PENDING and first.username == "jane.doe"
    row = next(u for u in accounts.list_users(ADMIN, url=db) if u.username == "jane.doe")
    assert row.role is None and row.sso and row.active and row.name == "Jane <b>Doe</b>"
    assert "jane.doe" not in accounts.login_credentials(url=db)["usernames"]  # no password login
    # a session cannot be opened for it, whatever the browser claims
    assert accounts.session_user("jane.doe", utcnow(), url=db) is None
    again = sso.sign_in(claims(), NONE, first_in_session=False, url=db)
    assert again.outcome is Outcome.PENDING
    assert audit(db, "jane.doe") == ["sso_account_created:insert", "sso_login_pending"]
    with pytest.raises(PermissionDenied):
        sso.approve(PLANNER, "jane.doe", "planner", url=db)
    with pytest.raises(accounts.AccountError, match="awaits approval"):
        accounts.set_role(ADMIN, "jane.doe", "planner", url=db)
    sso.approve(ADMIN, "jane.doe", "finance", url=db)
    with pytest.raises(accounts.AccountError, match="not awaiting approval"):
        sso.approve(ADMIN, "jane.doe", "planner", url=db)
    token = claims()
    signed = sso.sign_in(token, NONE, first_in_session=False, url=db)
    assert signed.outcome is Outcome.SIGNED_IN and signed.username == "jane.doe"
    user = accounts.session_user("jane.doe", signed.signed_in_at, url=db)
    assert user is not None and user.role is Role.FINANCE
    # the same token in a new browser tab: not a new sign-in (not audited again)
    assert sso.sign_in(token, NONE, url=db).outcome is Outcome.SIGNED_IN
    log = audit(db, "jane.doe")
    assert log[-2:] == ["user_approve:update", "sso_login"] and log.count("sso_login") == 1
    with pytest.raises(accounts.AccountError, match="single sign-on"):
        accounts.reset_password(ADMIN, "jane.doe", "Another-password-1", url=db)
    with pytest.raises(accounts.AccountError, match="organisation account"):
        accounts.change_own_password(user, "anything-at-all", "Another-password-1", url=db)
    with UnitOfWork(url=db) as uow:  # not counted as a failed password either
        assert uow.users.get("jane.doe").failed_logins == 0


def test_the_role_claim_names_the_role_and_follows_its_changes(db: str) -> None:
    signed = sso.sign_in(claims("sub-2", roles=["RPSEE.Planner"]), ROLES, url=db)
    assert signed.outcome is Outcome.SIGNED_IN
    assert accounts.session_user(signed.username, signed.signed_in_at, url=db).role is Role.PLANNER
    later = sso.sign_in(claims("sub-2", roles=["RPSEE.Finance"]), ROLES, url=db)
    assert accounts.session_user(later.username, later.signed_in_at, url=db).role is Role.FINANCE
    assert "user_role_from_claim:update" in audit(db, signed.username)
    # no mapped value: the app's table decides (the role given before stays)
    kept = sso.sign_in(claims("sub-2", roles=["Other"]), ROLES, url=db)
    assert accounts.session_user(kept.username, kept.signed_in_at, url=db).role is Role.FINANCE
    # a new person whose claim maps to nothing waits for approval
    assert sso.sign_in(claims("sub-3", roles=["Other"]), ROLES, url=db).outcome is Outcome.PENDING


def test_a_deactivated_account_is_refused_and_its_sessions_end(db: str) -> None:
    sso.sign_in(claims("sub-4"), NONE, url=db)
    sso.approve(ADMIN, "jane.doe", "planner", url=db)
    signed = sso.sign_in(claims("sub-4"), NONE, url=db)
    assert accounts.session_user("jane.doe", signed.signed_in_at, url=db) is not None
    accounts.set_active(ADMIN, "jane.doe", False, url=db)
    assert accounts.session_user("jane.doe", signed.signed_in_at, url=db) is None  # next run
    refused = sso.sign_in(claims("sub-4"), NONE, url=db)
    assert refused.outcome is Outcome.REFUSED
    assert audit(db, "jane.doe")[-1] == "sso_login_refused"


def test_time_outs_and_logout_everywhere_apply_to_sso_sessions(db: str) -> None:
    sso.sign_in(claims("sub-5"), NONE, url=db)
    sso.approve(ADMIN, "jane.doe", "planner", url=db)
    old = sso.sign_in(claims("sub-5", minutes_ago=13 * 60), NONE, url=db)
    assert accounts.check_session("jane.doe", old.signed_in_at, url=db).ended_because == "absolute"
    fresh = sso.sign_in(claims("sub-5"), NONE, url=db)
    user = accounts.session_user("jane.doe", fresh.signed_in_at, url=db)
    accounts.end_sessions(user, url=db)
    assert accounts.check_session("jane.doe", fresh.signed_in_at, url=db).ended_because == "revoked"


def test_refusals_without_an_account_and_unusable_claims_are_audited(db: str) -> None:
    sso.record_refusal("audience", 'InvalidClaimError: invalid_claim: Invalid claim "aud"', url=db)
    bad = sso.sign_in({"iss": ISSUER, "iat": 1}, NONE, url=db)
    assert bad.outcome is Outcome.REFUSED and "subject" in bad.message
    with UnitOfWork(url=db) as uow:
        entries = uow.audit.recent(entity="app_user", entity_id="(single sign-on)")
    assert [e.action for e in entries] == ["sso_login_refused", "sso_login_refused"]
    assert entries[1].new_values["reason"] == "audience" and entries[1].actor == "sso"


def test_local_accounts_are_counted_for_the_check(db: str) -> None:
    sso.sign_in(claims("sub-6"), NONE, url=db)
    local = sso.local_accounts(url=db)
    assert "demo.admin" in local.administrators and "jane.doe" not in local.others


def test_an_id_token_for_another_application_is_refused(db: str) -> None:
    refused = sso.sign_in(claims("sub-7", aud="other-app", azp="rpsee"), NONE, client_id="rpsee",
                          url=db)  # fmt: skip
    assert refused.outcome is Outcome.REFUSED and "another application" in refused.message
    assert "jane.doe" not in [u.username for u in accounts.list_users(ADMIN, url=db)]
    ok = sso.sign_in(claims("sub-7", aud=["rpsee"]), NONE, client_id="rpsee", url=db)
    assert ok.outcome is Outcome.PENDING


def test_a_new_account_never_gets_a_demo_accounts_name(empty_db: str) -> None:
    from rpsee.store.migrate import upgrade

    upgrade(empty_db)  # no demo accounts in this database
    made = sso.sign_in({**claims("sub-8"), "preferred_username": "demo.admin@unodc.org"}, NONE,
                       url=empty_db)  # fmt: skip
    assert made.username == "demo.admin-2" and made.outcome is Outcome.PENDING
