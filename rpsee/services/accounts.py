"""Users, login bookkeeping and session revocation, enforced here whatever the page shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from rpsee import config
from rpsee.config import LOGIN_POLICY
from rpsee.domain import accounts as rules
from rpsee.domain.roles import (
    SYSTEM,
    CurrentUser,
    Permission,
    PermissionDenied,
    parse_role,
    require,
    require_login,
)
from rpsee.domain.text_rules import text_problem
from rpsee.domain.workflow import WorkflowError, check_member_jurisdictions
from rpsee.services.demo_accounts import DEMO_PASSWORD, DEMO_USERNAMES
from rpsee.services.passwords import hash_password, unmatchable_hash, verify_password
from rpsee.store.audit import record_event, utcnow
from rpsee.store.models import UserRow
from rpsee.store.uow import UnitOfWork


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class UserSummary:
    username: str
    name: str
    email: str
    role: str
    active: bool
    locked_until: datetime | None
    created_at: datetime
    donor: str | None = None  # an observer's donor code
    jurisdictions: tuple[str, ...] = ()  # a Steering Committee member's
    sso: bool = False  # signs in by single sign-on (role None: awaiting approval)


@dataclass(frozen=True)
class FailedLogin:
    locked_until: datetime | None


@dataclass(frozen=True)
class SessionCheck:
    """The user behind a session, or why the session has ended."""

    user: CurrentUser | None
    ended_because: str | None = None  # "revoked", "idle" or "absolute"


SEEN_EVERY = timedelta(minutes=1)  # last activity is written at most this often
MAX_LOGGED_NAME = 80  # an unknown name typed at login is audited up to this many characters
NAME_LIMIT, EMAIL_LIMIT = 120, 200  # as the users table holds them


def _state(row: UserRow) -> rules.LoginState:
    return rules.LoginState(row.active, row.failed_logins, row.locked_until)


def login_credentials(now: datetime | None = None, url: str | None = None) -> dict:
    """The credentials dict streamlit-authenticator needs, built fresh for one session run.

    Only active accounts are listed (in production mode no demo account); a locked account gets
    a hash nobody can match, so the attempt fails and is counted without the real password
    ever being tried.
    """
    now = now or utcnow()
    users: dict[str, dict] = {}
    production = config.is_production()
    with UnitOfWork(url=url) as uow:
        for row in uow.users.list():
            if not row.active or (production and row.username in DEMO_USERNAMES):
                continue
            if row.sso_subject or row.role is None:  # single sign-on accounts: no password
                continue
            locked = rules.is_locked(_state(row), now)
            users[row.username] = {
                "name": row.name,
                "email": row.email or f"{row.username}@example.invalid",
                "password": unmatchable_hash() if locked else row.password_hash,
                "roles": [row.role],
            }
    return {"usernames": users}


def record_failed_login(
    username: str, now: datetime | None = None, url: str | None = None
) -> FailedLogin:
    """Count a failed password for `username`; lock the account after too many."""
    now = now or utcnow()
    with UnitOfWork(actor=username[:40] or "anonymous", action="login_failed", url=url) as uow:
        row = uow.users.get(username, for_update=True)
        if row is None:
            uow.session.info["action"] = "login_failed_unknown_user"
            shown = username[:MAX_LOGGED_NAME] + ("…" if len(username) > MAX_LOGGED_NAME else "")
            record_event(uow.session, "app_user", shown[:120], {"username_typed": shown})
            uow.commit()
            return FailedLogin(None)
        state = _state(row)
        if rules.is_locked(state, now):
            uow.session.info["action"] = "login_refused_locked"
            record_event(
                uow.session, "app_user", username, {"locked_until": row.locked_until.isoformat()}
            )
            uow.commit()
            return FailedLogin(row.locked_until)
        outcome = rules.register_failure(
            state, now, LOGIN_POLICY.max_failures, timedelta(minutes=LOGIN_POLICY.lockout_minutes)
        )
        if outcome.locked_now:
            uow.session.info["action"] = "account_locked"
        row.failed_logins = outcome.state.failed_logins
        row.locked_until = outcome.state.locked_until
        uow.commit()
        return FailedLogin(outcome.state.locked_until if outcome.locked_now else None)


def record_login(username: str, now: datetime | None = None, url: str | None = None) -> datetime:
    """Book a successful password login; returns the session's authentication time."""
    now = now or utcnow()
    with UnitOfWork(actor=username, action="login", url=url) as uow:
        row = uow.users.get(username, for_update=True)
        if row is None:
            raise AccountError(f"Unknown user {username!r}.")
        state = rules.register_success(_state(row))
        row.failed_logins, row.locked_until = state.failed_logins, state.locked_until
        record_event(uow.session, "app_user", username, {"event": "login"})
        uow.commit()
    _touch(username, now, url)
    return now


def _touch(username: str, now: datetime, url: str | None) -> None:
    """Record the account's last activity: a plain UPDATE, outside the audit trail."""
    with UnitOfWork(url=url) as uow:
        uow.users.touch(username, now)
        uow.commit()


def check_session(
    username: str | None,
    authenticated_at: datetime | None,
    now: datetime | None = None,
    url: str | None = None,
) -> SessionCheck:
    """Whether a session may go on: active account, not revoked, not idle or too old.

    A session that goes on counts as activity (written at most once a minute)."""
    if not username or authenticated_at is None:
        return SessionCheck(None, "revoked")
    now = now or utcnow()
    with UnitOfWork(url=url) as uow:
        row = uow.users.get(username)
        if row is None or row.role is None or not rules.session_is_valid(
            row.active, row.sessions_revoked_at, authenticated_at
        ):
            return SessionCheck(None, "revoked")
        reason = rules.session_end_reason(
            authenticated_at,
            row.last_seen_at,
            now,
            idle=timedelta(minutes=LOGIN_POLICY.idle_minutes),
            absolute=timedelta(hours=LOGIN_POLICY.max_session_hours),
        )
        if reason:
            return SessionCheck(None, reason)
        user = CurrentUser(row.username, row.name, parse_role(row.role), row.donor_code)
        stale = row.last_seen_at is None or now - row.last_seen_at >= SEEN_EVERY
    if stale:
        _touch(username, now, url)
    return SessionCheck(user)


def session_user(
    username: str | None, authenticated_at: datetime | None, url: str | None = None
) -> CurrentUser | None:
    """The user behind a session, or None if it has ended (see `check_session`)."""
    return check_session(username, authenticated_at, url=url).user


def end_sessions(user: CurrentUser, username: str | None = None, url: str | None = None) -> None:
    """End every session of `username` (default: the caller), in every browser (logout
    everywhere). Ending someone else's sessions needs the user-management permission."""
    require_login(user)
    username = username or user.username
    if username != user.username:
        require(user, Permission.MANAGE_USERS)
    with UnitOfWork(actor=user.username, action="sessions_ended", url=url) as uow:
        row = uow.users.get(username, for_update=True)
        if row is None:
            raise AccountError(f"Unknown user {username!r}.")
        row.sessions_revoked_at = utcnow()
        uow.commit()


def _check_password(password: str, username: str) -> None:
    """Refuse a weak password, and the published demo password for every account."""
    problem = rules.check_password(password, username)
    if problem is None and password == DEMO_PASSWORD:
        problem = "Password: this is the published demo password; choose another."
    if problem:
        raise AccountError(problem)


def _validated(username: str, name: str, role: str, password: str) -> tuple[str, str, str]:
    username = (username or "").strip().lower()
    problem = rules.check_username(username)
    if problem:
        raise AccountError(problem)
    if not (name or "").strip():
        raise AccountError("Name: must not be empty.")
    problem = text_problem(name.strip(), NAME_LIMIT)
    if problem:
        raise AccountError(f"Name: {problem}.")
    try:
        role = parse_role(role).value
    except ValueError as exc:
        raise AccountError(f"Role: {exc}") from None
    _check_password(password, username)
    return username, name.strip(), role


def add_user(
    actor: CurrentUser,
    username: str,
    name: str,
    role: str,
    password: str,
    email: str = "",
    url: str | None = None,
    donor: str | None = None,
    jurisdictions: Sequence[str] = (),
) -> UserSummary:
    """A new account; an observer names its donor, a Steering Committee member the
    jurisdictions it represents (at least one)."""
    require(actor, Permission.MANAGE_USERS)
    username, name, role = _validated(username, name, role, password)
    problem = text_problem(email.strip(), EMAIL_LIMIT)
    if problem:
        raise AccountError(f"E-mail: {problem}.")
    with UnitOfWork(actor=actor.username, action="user_add", url=url) as uow:
        if uow.users.get(username) is not None:
            raise AccountError(f"Username: {username!r} is already taken.")
        donor = checked_donor(uow, role, donor)
        codes = checked_jurisdictions(uow, role, jurisdictions)
        row = UserRow(
            username=username,
            name=name,
            email=email.strip(),
            role=role,
            password_hash=hash_password(password),
            active=True,
            failed_logins=0,
            created_at=utcnow(),
            donor_code=donor,
            jurisdictions=";".join(codes),
        )
        uow.users.add(row)
        uow.commit()
        return summary(row)


def checked_donor(uow: UnitOfWork, role: str, donor: str | None) -> str | None:
    """An observer's donor code (required, and a known donor); other roles have none."""
    donor = (donor or "").strip().upper() or None
    if role != "observer":
        if donor:
            raise AccountError("Donor: only a donor observer is linked to a donor.")
        return None
    known = {d.code for d in uow.reference.load().donors}
    if donor not in known:
        raise AccountError(f"Donor: a donor observer needs a known donor code "
                           f"({', '.join(sorted(known))}); got {donor!r}.")  # fmt: skip
    return donor


def checked_jurisdictions(uow: UnitOfWork, role: str, codes: Sequence[str]) -> list[str]:
    """A Steering Committee member's jurisdictions (at least one known one, not the regional
    tag); other roles have none."""
    codes = [c for c in codes if c.strip()]
    if role != "psc_member":
        if codes:
            raise AccountError("Jurisdiction: only a Steering Committee member represents "
                               "jurisdictions.")  # fmt: skip
        return []
    known = [j.code for j in uow.reference.load().jurisdictions if not j.regional]
    try:
        return check_member_jurisdictions(codes, known)
    except WorkflowError as exc:
        raise AccountError(str(exc)) from None


def set_jurisdictions(actor: CurrentUser, username: str, jurisdictions: Sequence[str],
                      url: str | None = None) -> UserSummary:  # fmt: skip
    """The jurisdictions a Steering Committee member represents (audited as `user_jurisdictions`;
    positions already recorded stay as they were)."""
    require(actor, Permission.MANAGE_USERS)
    with UnitOfWork(actor=actor.username, action="user_jurisdictions", url=url) as uow:
        row = uow.users.get(username, for_update=True)
        if row is None:
            raise AccountError(f"Unknown user {username!r}.")
        if row.role != "psc_member":
            raise AccountError(f"Jurisdiction: {username} is not a Steering Committee member.")
        row.jurisdictions = ";".join(checked_jurisdictions(uow, row.role, jurisdictions))
        uow.commit()
        return summary(row)


def summary(row: UserRow) -> UserSummary:
    return UserSummary(
        row.username, row.name, row.email, row.role, row.active, row.locked_until, row.created_at,
        row.donor_code, tuple(c for c in (row.jurisdictions or "").split(";") if c),
        bool(row.sso_subject),
    )


def list_users(actor: CurrentUser, url: str | None = None) -> list[UserSummary]:
    require(actor, Permission.MANAGE_USERS)
    with UnitOfWork(url=url) as uow:
        return [summary(r) for r in uow.users.list()]


def set_active(actor: CurrentUser, username: str, active: bool, url: str | None = None) -> None:
    """Activate or deactivate an account; deactivation ends its sessions at once."""
    require(actor, Permission.MANAGE_USERS)
    with UnitOfWork(
        actor=actor.username, action="user_activate" if active else "user_deactivate", url=url
    ) as uow:
        row = uow.users.get(username, for_update=True)
        if row is None:
            raise AccountError(f"Unknown user {username!r}.")
        if (
            not active
            and row.role == "admin"
            and row.active
            and uow.users.count_active("admin") <= 1
        ):
            raise AccountError("The last active administrator cannot be deactivated.")
        row.active = active
        if not active:
            row.sessions_revoked_at = utcnow()
        uow.commit()


def set_role(actor: CurrentUser, username: str, role: str, url: str | None = None,
             donor: str | None = None, jurisdictions: Sequence[str] = ()) -> None:  # fmt: skip
    """A new role (an observer's with its donor code, a Steering Committee member's with its
    jurisdictions; other roles lose any donor and jurisdiction)."""
    require(actor, Permission.MANAGE_USERS)
    role = parse_role(role).value
    with UnitOfWork(actor=actor.username, action="user_role", url=url) as uow:
        row = uow.users.get(username, for_update=True)
        if row is None:
            raise AccountError(f"Unknown user {username!r}.")
        if row.role is None:
            raise AccountError(f"{username} awaits approval: approve the account with a role.")
        if row.role == "admin" and role != "admin" and uow.users.count_active("admin") <= 1:
            raise AccountError("The last active administrator must keep the admin role.")
        row.donor_code = checked_donor(uow, role, donor)
        if role == "psc_member" and not jurisdictions and row.role == role:
            jurisdictions = [c for c in (row.jurisdictions or "").split(";") if c]
        row.jurisdictions = ";".join(checked_jurisdictions(uow, role, jurisdictions))
        row.role = role
        uow.commit()


def unlock(actor: CurrentUser, username: str, url: str | None = None) -> None:
    require(actor, Permission.MANAGE_USERS)
    with UnitOfWork(actor=actor.username, action="user_unlock", url=url) as uow:
        row = uow.users.get(username, for_update=True)
        if row is None:
            raise AccountError(f"Unknown user {username!r}.")
        row.failed_logins, row.locked_until = 0, None
        uow.commit()


def _locked_message(until: datetime | None) -> str:
    when = f" until {until:%H:%M} UTC" if until else ""
    return f"Too many failed attempts: password changes are locked{when}."


def _count_failure(username: str, now: datetime, action: str, url: str | None) -> FailedLogin:
    """A failed password check other than at login (same counter, same lockout), audited."""
    with UnitOfWork(actor=username, action=action, url=url) as uow:
        row = uow.users.get(username, for_update=True)
        if row is None:
            return FailedLogin(None)
        outcome = rules.register_failure(
            _state(row), now, LOGIN_POLICY.max_failures,
            timedelta(minutes=LOGIN_POLICY.lockout_minutes),
        )  # fmt: skip
        row.failed_logins = outcome.state.failed_logins
        row.locked_until = outcome.state.locked_until
        record_event(uow.session, "app_user", username, {"event": action})
        uow.commit()
        return FailedLogin(outcome.state.locked_until if outcome.locked_now else None)


def reset_password(
    actor: CurrentUser, username: str, new_password: str, url: str | None = None
) -> None:
    """An administrator sets a new password; the user's sessions end everywhere."""
    require(actor, Permission.MANAGE_USERS)
    _store_password(actor.username, username, new_password, "password_reset", url)


def change_own_password(
    user: CurrentUser, current: str, new_password: str, url: str | None = None
) -> None:
    """The user changes their own password; every session of theirs ends, this one included.

    Wrong current passwords count like failed logins (same lockout) and are audited."""
    require_login(user)
    now = utcnow()
    with UnitOfWork(url=url) as uow:
        row = uow.users.get(user.username)
        if row is None or not row.active:
            raise PermissionDenied("Your account is not active.")
        if row.sso_subject:
            raise AccountError("You sign in with your organisation account: change its password "
                               "there, not here.")  # fmt: skip
        locked_until = row.locked_until
        locked = rules.is_locked(_state(row), now)
        matches = not locked and verify_password(current, row.password_hash)
    if locked:
        raise AccountError(_locked_message(locked_until))
    if not matches:
        outcome = _count_failure(user.username, now, "password_change_failed", url)
        if outcome.locked_until:
            raise AccountError(_locked_message(outcome.locked_until))
        raise AccountError("Current password: it does not match.")
    if current == new_password:
        raise AccountError("New password: it must differ from the current one.")
    _store_password(user.username, user.username, new_password, "password_change", url)


def _store_password(
    actor: str, username: str, new_password: str, action: str, url: str | None
) -> None:
    _check_password(new_password, username)
    with UnitOfWork(actor=actor, action=action, url=url) as uow:
        row = uow.users.get(username, for_update=True)
        if row is None:
            raise AccountError(f"Unknown user {username!r}.")
        if row.sso_subject:
            raise AccountError(f"{username} signs in by single sign-on: no password here.")
        row.password_hash = hash_password(new_password)
        row.sessions_revoked_at = utcnow()
        row.failed_logins, row.locked_until = 0, None
        uow.commit()


def add_user_from_terminal(
    username: str, name: str, role: str, password: str, email: str = "", url: str | None = None,
    donor: str | None = None, jurisdictions: Sequence[str] = (),
) -> UserSummary:
    """`python -m rpsee users add`: whoever runs the terminal acts as the system."""
    return add_user(SYSTEM, username, name, role, password, email, url=url, donor=donor,
                    jurisdictions=jurisdictions)

