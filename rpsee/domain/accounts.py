"""Account rules: lockout after repeated failed logins, session revocation, password strength."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further: a longer password is refused, never cut


@dataclass(frozen=True)
class LoginState:
    """The part of an account that login rules read and change."""

    active: bool
    failed_logins: int
    locked_until: datetime | None


@dataclass(frozen=True)
class FailureOutcome:
    state: LoginState
    locked_now: bool


def is_locked(state: LoginState, now: datetime) -> bool:
    return state.locked_until is not None and state.locked_until > now


def register_failure(
    state: LoginState, now: datetime, max_failures: int, lockout: timedelta
) -> FailureOutcome:
    """Count a failed password; at `max_failures` in a row lock the account for `lockout`.

    A lock that has expired starts a fresh count, so the account is released by time alone.
    """
    failures = state.failed_logins
    if state.locked_until is not None and state.locked_until <= now:
        failures = 0
    failures += 1
    if failures >= max_failures:
        return FailureOutcome(replace(state, failed_logins=0, locked_until=now + lockout), True)
    return FailureOutcome(replace(state, failed_logins=failures, locked_until=None), False)


def register_success(state: LoginState) -> LoginState:
    return replace(state, failed_logins=0, locked_until=None)


def session_is_valid(
    active: bool, sessions_revoked_at: datetime | None, authenticated_at: datetime
) -> bool:
    """A session stands while the account is active and was opened after the last revocation."""
    if not active:
        return False
    return sessions_revoked_at is None or authenticated_at > sessions_revoked_at


def session_end_reason(
    authenticated_at: datetime,
    last_seen_at: datetime | None,
    now: datetime,
    idle: timedelta,
    absolute: timedelta,
) -> str | None:
    """Why a session has timed out (`"absolute"` or `"idle"`), or None while it may go on.

    `absolute` counts from the login (a cookie login counts from the cookie's issue time);
    `idle` from the account's last activity in any browser.
    """
    if now - authenticated_at > absolute:
        return "absolute"
    if last_seen_at is not None and now - last_seen_at > idle:
        return "idle"
    return None


def check_username(username: str) -> str | None:
    if not USERNAME_RE.match(username or ""):
        return (
            "Username: 2 to 40 characters, lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit."
        )
    return None


def check_password(password: str, username: str = "") -> str | None:
    """A message naming what is wrong with the password, or None if it is acceptable."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return f"Password: at least {MIN_PASSWORD_LENGTH} characters."
    size = len(password.encode("utf-8"))
    if size > MAX_PASSWORD_BYTES:
        return (
            f"Password: at most {MAX_PASSWORD_BYTES} bytes (this one is {size}; letters such as "
            "č or ž take two bytes each). Choose a shorter one."
        )
    if username and username.lower() in password.lower():
        return "Password: must not contain the username."
    if password.isdigit() or password.isalpha():
        return "Password: mix letters with digits or symbols."
    return None
