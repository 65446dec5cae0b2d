"""Single sign-on rules: which role an identity provider's claim names, the account a first
sign-in creates, and what a sign-in leads to (signed in, awaiting approval, refused).

Plain Python: the identity provider's claims arrive as a dict (Streamlit's `st.user`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from rpsee.domain.accounts import USERNAME_RE
from rpsee.domain.roles import Role

# Roles a claim may name: an observer needs its donor and a Steering Committee member its
# jurisdictions, which only an administrator can give (on the Users page).
CLAIMABLE_ROLES = frozenset({Role.PLANNER, Role.FINANCE, Role.ADMIN})
USERNAME_MAX = 40


class SsoSettingError(ValueError):
    """The role-claim setting cannot be read; the message says why."""


@dataclass(frozen=True)
class RoleClaim:
    """Which claim of the ID token names the role, and how its values map to the app's roles.
    An empty `claim` means the app's own user table alone decides."""

    claim: str = ""
    mapping: Mapping[str, Role] = field(default_factory=dict)


def parse_role_claim(claim: str, mapping_text: str) -> RoleClaim:
    """`claim` (e.g. "roles") and a mapping such as "RPSEE.Planner=planner, RPSEE.Admin=admin"."""
    claim = (claim or "").strip()
    mapping: dict[str, Role] = {}
    for part in (mapping_text or "").split(","):
        if not part.strip():
            continue
        value, sep, role = part.partition("=")
        if not sep or not value.strip() or not role.strip():
            raise SsoSettingError(f"Role mapping: {part.strip()!r} is not 'claim value=role'.")
        try:
            parsed = Role(role.strip().lower())
        except ValueError:
            raise SsoSettingError(f"Role mapping: unknown role {role.strip()!r}.") from None
        if parsed not in CLAIMABLE_ROLES:
            raise SsoSettingError(
                f"Role mapping: {parsed.value} cannot come from a claim (an administrator gives "
                "it on the Users page, with its donor or jurisdictions)."
            )
        mapping[value.strip()] = parsed
    if claim and not mapping:
        raise SsoSettingError(f"Role claim {claim!r} is set but no claim value maps to a role.")
    if mapping and not claim:
        raise SsoSettingError("A role mapping is set but no role claim names where to read it.")
    return RoleClaim(claim, mapping)


def role_from_claims(claims: Mapping[str, object], setting: RoleClaim) -> Role | None:
    """The role the claim names; None when no claim is configured, the claim is missing, none
    of its values is mapped, or its values name different roles (an administrator decides)."""
    if not setting.claim:
        return None
    raw = claims.get(setting.claim)
    values: Iterable[object] = raw if isinstance(raw, list | tuple) else [raw]
    roles = {setting.mapping[v] for v in values if isinstance(v, str) and v in setting.mapping}
    return roles.pop() if len(roles) == 1 else None


@dataclass(frozen=True)
class Identity:
    """Who the identity provider says signed in: issuer and subject identify the person."""

    issuer: str
    subject: str
    name: str
    email: str
    signed_in_at: datetime  # the ID token's issue time (naive UTC)
    login_hint: str  # preferred_username, else e-mail


class IdentityError(ValueError):
    """The claims lack what a sign-in needs."""


def _text(claims: Mapping[str, object], key: str) -> str:
    value = claims.get(key)
    return value.strip() if isinstance(value, str) else ""


def identity_from_claims(claims: Mapping[str, object]) -> Identity:
    """The identity in an ID token's claims (as Streamlit hands them over in `st.user`)."""
    issuer, subject = _text(claims, "iss"), _text(claims, "sub")
    if not issuer or not subject:
        raise IdentityError("The identity provider's answer names no issuer or subject.")
    iat = claims.get("iat")
    if not isinstance(iat, int | float) or isinstance(iat, bool):
        raise IdentityError("The identity provider's answer has no issue time.")
    email = _text(claims, "email")
    hint = _text(claims, "preferred_username") or email
    name = _text(claims, "name") or hint or subject
    when = datetime.fromtimestamp(float(iat), UTC).replace(tzinfo=None)
    return Identity(issuer, subject, name, email, when, hint)


def username_for(identity: Identity, taken: Iterable[str]) -> str:
    """A username for a first sign-in: the login name's part before '@', made to fit the
    username rule, numbered when taken ("jane.doe", "jane.doe-2")."""
    base = identity.login_hint.split("@", 1)[0].lower()
    base = re.sub(r"[^a-z0-9._-]+", "-", base).strip("._-") or "user"
    base = base[: USERNAME_MAX - 4]
    if len(base) < 2:
        base = f"{base}-sso"
    used = set(taken)
    candidate, n = base, 1
    while candidate in used or not USERNAME_RE.match(candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def audience_matches(claims: Mapping[str, object], client_id: str) -> bool:
    """Whether the ID token was issued for this app: its `aud` is, or contains, the app's client
    id (OpenID Connect Core 3.1.3.7). Authlib, inside Streamlit, checks only `azp` when `aud`
    names another client, so an answer with `azp` set to this app but `aud` another one would
    pass it."""
    aud = claims.get("aud")
    values = aud if isinstance(aud, list | tuple) else [aud]
    return bool(client_id) and client_id in values


class Outcome(StrEnum):
    SIGNED_IN = "signed_in"
    PENDING = "pending"  # the account has no role yet: an administrator approves it
    REFUSED = "refused"  # the account is deactivated


def sign_in_outcome(active: bool, role: str | None) -> Outcome:
    """What a sign-in leads to for an account in this state."""
    if not active:
        return Outcome.REFUSED
    return Outcome.SIGNED_IN if role else Outcome.PENDING


def is_new_sign_in(signed_in_at: datetime, last_recorded: datetime | None) -> bool:
    """Whether this ID token is a sign-in not yet recorded: Streamlit keeps the identity in a
    cookie, so every new browser tab brings the same token again (that is not a new sign-in,
    and the idle time-out still applies to it)."""
    return last_recorded is None or signed_in_at > last_recorded
