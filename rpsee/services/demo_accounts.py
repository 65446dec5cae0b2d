"""Demo accounts: created in demo mode, found and purged before production mode may start."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from rpsee import config
from rpsee.domain.roles import CurrentUser, Permission, require
from rpsee.services.passwords import hash_password, unmatchable_hash, verify_password
from rpsee.store.audit import utcnow
from rpsee.store.models import UserRow
from rpsee.store.uow import UnitOfWork

DEMO_PASSWORD = "rpsee-demo-2026"
DEMO_USERS = (
    ("demo.planner", "Demo Planner (Regional Representative)", "planner"),
    ("demo.psc", "Demo Steering Committee member", "psc_member"),
    ("demo.finance", "Demo Finance Officer", "finance"),
    ("demo.admin", "Demo Administrator", "admin"),
    ("demo.observer", "Demo donor observer (Austria)", "observer"),
)
DEMO_DONORS = {"demo.observer": "AUT"}  # the demo observer's donor (one with confidential money)
DEMO_JURISDICTIONS = {"demo.psc": "ALB"}  # the demo Steering Committee member represents Albania
DEMO_USERNAMES = frozenset(u for u, _name, _role in DEMO_USERS)
CLEARED_FILE = "demo_password_cleared"
_cleared_lock = threading.Lock()


def ensure_demo_users(url: str) -> int:
    """One demo account per role (demo mode only); existing accounts are left as they are,
    except that a demo member without a jurisdiction gets the demo one.

    The published password is hashed once for all of them (bcrypt at cost 12 takes ~0.25 s,
    and a fresh start would otherwise wait for one hash per account)."""
    created, completed = 0, False
    hashed: str | None = None
    with UnitOfWork(actor="system", action="seed_demo_users", url=url) as uow:
        for username, name, role in DEMO_USERS:
            found = uow.users.get(username)
            if found is not None and found.role == "psc_member" and not found.jurisdictions:
                # a demo member made before members had a jurisdiction
                found.jurisdictions = DEMO_JURISDICTIONS.get(username, "ALB")
                completed = True
            if found is None:
                hashed = hashed or hash_password(DEMO_PASSWORD)
                uow.users.add(
                    UserRow(
                        username=username,
                        name=name,
                        email="",
                        role=role,
                        password_hash=hashed,
                        active=True,
                        failed_logins=0,
                        created_at=utcnow(),
                        donor_code=DEMO_DONORS.get(username),
                        jurisdictions=DEMO_JURISDICTIONS.get(username, ""),
                    )
                )
                created += 1
        if created or completed:
            try:
                uow.commit()
            except IntegrityError:
                return 0
    return created


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()


def _cleared_path() -> Path:
    return config.state_dir() / CLEARED_FILE


def _read_cleared() -> set[str]:
    try:
        return set(_cleared_path().read_text().split())
    except OSError:
        return set()


def _write_cleared(fingerprints: set[str]) -> None:
    path = _cleared_path()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write("\n".join(sorted(fingerprints)))
        os.replace(tmp, path)
    except OSError:  # a read-only state folder: the next start checks the hashes again
        tmp.unlink(missing_ok=True)


def with_demo_password(accounts: Iterable[tuple[str, str]]) -> list[str]:
    """The usernames, of (username, bcrypt hash) pairs, whose password is the demo password.

    bcrypt at cost 12 takes ~0.25 s a hash, so a hash found not to match is remembered (its
    SHA-256, owner-only file in the state folder) and not checked again: only hashes set since
    the last check cost time. Services refuse the demo password for any new password anyway.
    """
    with _cleared_lock:
        cleared = _read_cleared()
        found: list[str] = []
        still_cleared: set[str] = set()
        for username, password_hash in accounts:
            fp = _fingerprint(password_hash)
            if fp in cleared:
                still_cleared.add(fp)
            elif verify_password(DEMO_PASSWORD, password_hash):
                found.append(username)
            else:
                still_cleared.add(fp)
        if still_cleared != cleared:
            _write_cleared(still_cleared)
        return found


def demo_account_problems(rows: list[UserRow]) -> tuple[list[str], set[str]]:
    """Problems with the active accounts `rows` for production mode, and the usernames that
    must not count as real accounts (demo accounts and any with the demo password)."""
    active = [r for r in rows if r.active]
    demo = [r for r in active if r.username in DEMO_USERNAMES]
    others = [(r.username, r.password_hash) for r in active if r.username not in DEMO_USERNAMES]
    weak = with_demo_password(others)
    problems = []
    if demo:
        names = ", ".join(f"{r.username} ({r.role})" for r in demo)
        problems.append(
            f"Demo accounts are active: {names}. Remove them with `python -m rpsee demo purge` "
            "(or one by one: `python -m rpsee users deactivate <username>`)."
        )
    if weak:
        problems.append(
            f"Accounts with the published demo password: {', '.join(weak)}. Set a new password "
            "(`python -m rpsee users reset-password <username>`) or deactivate them "
            "(`python -m rpsee users deactivate <username>`)."
        )
    return problems, {r.username for r in demo} | set(weak)


def purge(actor: CurrentUser, url: str | None = None) -> list[str]:
    """Deactivate every demo account, replace its password by one nobody knows and end its
    sessions (audited as `demo_purge`); returns the usernames changed."""
    require(actor, Permission.MANAGE_USERS)
    changed: list[str] = []
    with UnitOfWork(actor=actor.username, action="demo_purge", url=url) as uow:
        for username in sorted(DEMO_USERNAMES):
            row = uow.users.get(username, for_update=True)
            if row is None or not (row.active or verify_password(DEMO_PASSWORD, row.password_hash)):
                continue
            row.active = False
            row.password_hash = unmatchable_hash()
            row.sessions_revoked_at = utcnow()
            changed.append(username)
        uow.commit()
    return changed
