"""Start-up: migrate the schema, load reference data when the files changed, demo accounts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from rpsee import config
from rpsee.domain.reference import check_reference
from rpsee.services.passwords import hash_password
from rpsee.services.planning_seed import seed_demo_targets, seed_planning
from rpsee.store import migrate
from rpsee.store.audit import utcnow
from rpsee.store.data_files import REFERENCE_FILES, DataFileError, load_reference
from rpsee.store.models import ProgrammeTextRow, UserRow
from rpsee.store.uow import UnitOfWork

DEMO_PASSWORD = "rpsee-demo-2026"
DEMO_USERS = (
    ("demo.planner", "Demo Planner (Regional Representative)", "planner"),
    ("demo.psc", "Demo Steering Committee member", "psc_member"),
    ("demo.finance", "Demo Finance Officer", "finance"),
    ("demo.admin", "Demo Administrator", "admin"),
)
REFERENCE_HASH_KEY = "meta:reference_data_sha256"


@dataclass(frozen=True)
class StartupReport:
    url: str
    mode: str
    reference_changes: int
    demo_users_created: int


def reference_fingerprint(data_dir: Path = config.DATA_DIR) -> str:
    digest = hashlib.sha256()
    for stem in REFERENCE_FILES:
        digest.update(stem.encode())
        digest.update((data_dir / f"{stem}.yaml").read_bytes())
    return digest.hexdigest()


def seed_reference(url: str, data_dir: Path = config.DATA_DIR, force: bool = False) -> int:
    """Load `data/` into the database if the files changed since the last load (idempotent)."""
    fingerprint = reference_fingerprint(data_dir)
    with UnitOfWork(actor="system", action="seed_reference", url=url) as uow:
        stored = uow.session.get(ProgrammeTextRow, REFERENCE_HASH_KEY)
        if stored is not None and stored.value == fingerprint and not force:
            return 0
        ref = load_reference(data_dir)
        problems = check_reference(ref)
        if problems:
            raise DataFileError("Reference data is inconsistent:\n- " + "\n- ".join(problems))
        counts = uow.reference.sync(ref)
        if stored is None:
            uow.session.add(ProgrammeTextRow(key=REFERENCE_HASH_KEY, value=fingerprint))
        else:
            stored.value = fingerprint
        try:
            uow.commit()
        except IntegrityError:  # another process loaded the same files at the same moment
            return 0
        return counts.total


def ensure_demo_users(url: str) -> int:
    """One demo account per role (demo mode only); existing accounts are left as they are."""
    created = 0
    with UnitOfWork(actor="system", action="seed_demo_users", url=url) as uow:
        for username, name, role in DEMO_USERS:
            if uow.users.get(username) is None:
                uow.users.add(
                    UserRow(
                        username=username,
                        name=name,
                        email="",
                        role=role,
                        password_hash=hash_password(DEMO_PASSWORD),
                        active=True,
                        failed_logins=0,
                        created_at=utcnow(),
                    )
                )
                created += 1
        if created:
            try:
                uow.commit()
            except IntegrityError:
                return 0
    return created


def production_problems(url: str) -> list[str]:
    """What stops production mode from starting (empty when it may start)."""
    problems: list[str] = []
    try:
        config.cookie_key(None)
    except config.ConfigError as exc:
        problems.append(str(exc))
    with UnitOfWork(url=url) as uow:
        if uow.users.count_active("admin") == 0:
            problems.append(
                "No active administrator: create one with "
                '`python -m rpsee users add <username> --role admin --name "..."`.'
            )
    return problems


def prepare(url: str | None = None) -> StartupReport:
    """Everything the app needs before serving a page; safe to call on every start."""
    url = url or config.database_url()
    mode = config.mode()
    migrate.upgrade(url)
    changes = seed_reference(url)
    seed_planning(url)
    created = 0
    if mode == "demo":
        from rpsee.services.demo import seed_demo_workplans

        created = ensure_demo_users(url)
        seed_demo_workplans(url)
        seed_demo_targets(url)
    return StartupReport(url=url, mode=mode, reference_changes=changes, demo_users_created=created)
