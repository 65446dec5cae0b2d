"""Single sign-on (OpenID Connect): the account behind an identity provider's sign-in, its
approval by an administrator, and the audit of every sign-in and refusal.

The identity provider proves who signed in; the app's own user table decides the role (or, when
configured, a role claim of the ID token does). A first sign-in creates an account without a
role: it waits for an administrator's approval on the Users page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from rpsee import config
from rpsee.domain import sso as rules
from rpsee.domain.roles import CurrentUser, Permission, parse_role, require
from rpsee.services.accounts import (
    NAME_LIMIT,
    AccountError,
    UserSummary,
    checked_donor,
    checked_jurisdictions,
    summary,
)
from rpsee.services.demo_accounts import DEMO_USERNAMES
from rpsee.services.passwords import unmatchable_hash
from rpsee.store.audit import record_event, utcnow
from rpsee.store.models import UserRow
from rpsee.store.uow import UnitOfWork

MAX_REASON = 300  # characters of a refusal's technical reason kept in the audit trail


@dataclass(frozen=True)
class SignIn:
    """What a single sign-on led to: signed in (with the session's start), awaiting approval,
    or refused (deactivated account, or claims the app cannot use)."""

    outcome: rules.Outcome
    username: str = ""
    name: str = ""
    signed_in_at: datetime | None = None
    message: str = ""


def _audit(uow: UnitOfWork, username: str, action: str, detail: dict) -> None:
    uow.session.info["actor"], uow.session.info["action"] = username, action
    record_event(uow.session, "app_user", username, detail)


def _new_account(uow: UnitOfWork, identity: rules.Identity) -> UserRow:
    taken = [r.username for r in uow.users.list()] + list(DEMO_USERNAMES)  # never a demo name
    row = UserRow(
        username=rules.username_for(identity, taken),
        name=identity.name[:NAME_LIMIT],
        email=identity.email[:200],
        role=None,  # awaiting approval
        password_hash=unmatchable_hash(),  # never a password login
        active=True,
        failed_logins=0,
        created_at=utcnow(),
        jurisdictions="",
        sso_issuer=identity.issuer,
        sso_subject=identity.subject,
    )
    uow.users.add(row)
    return row


def sign_in(
    claims: Mapping[str, object],
    setting: rules.RoleClaim | None = None,
    *,
    client_id: str | None = None,
    first_in_session: bool = True,
    now: datetime | None = None,
    url: str | None = None,
) -> SignIn:
    """The account behind the identity provider's claims (created on a first sign-in), with the
    role claim applied when one is configured. A new sign-in is audited (`sso_login`); while
    awaiting approval or refused, the first run of each browser session is audited
    (`sso_login_pending`, `sso_login_refused`). With `client_id`, an ID token issued for another
    application is refused."""
    setting = setting if setting is not None else config.sso_role_claim()
    now = now or utcnow()
    try:
        identity = rules.identity_from_claims(claims)
    except rules.IdentityError as exc:
        if first_in_session:
            record_refusal("claims", str(exc), url=url)
        return SignIn(rules.Outcome.REFUSED, message=str(exc))
    if client_id is not None and not rules.audience_matches(claims, client_id):
        message = "The sign-in was issued for another application."
        if first_in_session:
            record_refusal("audience", f"aud={claims.get('aud')!r}", url=url)
        return SignIn(rules.Outcome.REFUSED, message=message)
    claimed = rules.role_from_claims(claims, setting)
    with UnitOfWork(actor="sso", action="sso_account_created", url=url) as uow:
        row = uow.users.get_by_identity(identity.issuer, identity.subject, for_update=True)
        if row is None:
            row = _new_account(uow, identity)
            uow.session.flush()
        if claimed and row.active and row.role != claimed.value:
            last_admin = row.role == "admin" and uow.users.count_active("admin") <= 1
            if not last_admin:
                uow.session.info["actor"] = row.username
                uow.session.info["action"] = "user_role_from_claim"
                row.role, row.donor_code, row.jurisdictions = claimed.value, None, ""
                uow.session.flush()
        outcome = rules.sign_in_outcome(row.active, row.role)
        if config.is_production() and row.username in DEMO_USERNAMES:
            outcome = rules.Outcome.REFUSED
        detail = {"issuer": identity.issuer, "subject": identity.subject}
        new = rules.is_new_sign_in(identity.signed_in_at, row.sso_signed_in_at)
        if outcome is rules.Outcome.SIGNED_IN and new:
            _audit(uow, row.username, "sso_login", {"event": "login", **detail})
            uow.users.record_sso_sign_in(row.username, identity.signed_in_at)
            uow.users.touch(row.username, now)
        elif outcome is rules.Outcome.PENDING and first_in_session:
            _audit(uow, row.username, "sso_login_pending", detail)
        elif outcome is rules.Outcome.REFUSED and first_in_session:
            _audit(uow, row.username, "sso_login_refused", {"reason": "inactive", **detail})
        username, name = row.username, row.name
        uow.commit()
    return SignIn(outcome, username, name, identity.signed_in_at)


def record_refusal(reason: str, detail: str = "", url: str | None = None) -> None:
    """Audit a single sign-on the app refused before any account was known: the identity
    provider's answer failed validation (signature, expiry, audience ...) or carried an error."""
    with UnitOfWork(actor="sso", action="sso_login_refused", url=url) as uow:
        record_event(uow.session, "app_user", "(single sign-on)",
                     {"reason": reason[:60], "detail": detail[:MAX_REASON]})  # fmt: skip
        uow.commit()


def approve(
    actor: CurrentUser,
    username: str,
    role: str,
    url: str | None = None,
    donor: str | None = None,
    jurisdictions: Sequence[str] = (),
) -> UserSummary:
    """An administrator gives an account awaiting approval its role (audited as
    `user_approve`); it is signed in with that role at its next page run."""
    require(actor, Permission.MANAGE_USERS)
    try:
        role = parse_role(role).value
    except ValueError as exc:
        raise AccountError(f"Role: {exc}") from None
    with UnitOfWork(actor=actor.username, action="user_approve", url=url) as uow:
        row = uow.users.get(username, for_update=True)
        if row is None:
            raise AccountError(f"Unknown user {username!r}.")
        if row.role is not None:
            raise AccountError(f"{username} is not awaiting approval (role: {row.role}).")
        row.donor_code = checked_donor(uow, role, donor)
        row.jurisdictions = ";".join(checked_jurisdictions(uow, role, jurisdictions))
        row.role = role
        uow.commit()
        return summary(row)


@dataclass(frozen=True)
class LocalAccounts:
    """The active accounts that log in with a password (not by single sign-on)."""

    administrators: tuple[str, ...]
    others: tuple[str, ...]


def local_accounts(url: str | None = None) -> LocalAccounts:
    """Active password accounts (demo accounts left out in production mode): with single sign-on
    only a break-glass administrator should remain."""
    production = config.is_production()
    admins, others = [], []
    with UnitOfWork(url=url) as uow:
        for row in uow.users.list():
            if not row.active or row.sso_subject or (production and row.username in DEMO_USERNAMES):
                continue
            (admins if row.role == "admin" else others).append(row.username)
    return LocalAccounts(tuple(admins), tuple(others))
