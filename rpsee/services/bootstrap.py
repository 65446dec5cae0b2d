"""Start-up: migrate the schema, load reference data when the files changed, demo accounts."""

from __future__ import annotations

import hashlib
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from rpsee import config
from rpsee.domain.reference import check_reference
from rpsee.services import prepare_process
from rpsee.services.demo_accounts import (  # noqa: F401  (DEMO_*: where pages import them)
    DEMO_PASSWORD,
    DEMO_USERS,
    demo_account_problems,
    ensure_demo_users,
)
from rpsee.services.pipeline_seed import seed_demo_pipeline, seed_pipeline_defaults
from rpsee.services.planning_seed import seed_demo_targets, seed_planning
from rpsee.store import migrate
from rpsee.store.data_files import REFERENCE_FILES, DataFileError, load_reference
from rpsee.store.models import ProgrammeTextRow
from rpsee.store.uow import UnitOfWork

REFERENCE_HASH_KEY = "meta:reference_data_sha256"
PREPARE_LOCK_KEY = 794222  # PostgreSQL advisory lock: one process prepares at a time (794221:
# the migrations' own, rpsee.store.migrate)


@dataclass(frozen=True)
class StartupReport:
    url: str
    mode: str
    reference_changes: int
    demo_users_created: int

    def summary(self) -> str:
        """One line for the terminal (the database's password masked)."""
        return (
            f"Database: {config.display_url(self.url)} ({self.mode} mode); reference changes "
            f"applied: {self.reference_changes}; demo users created: {self.demo_users_created}"
        )


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


def production_problems(url: str) -> list[str]:
    """What stops production mode from starting (empty when it may start)."""
    problems: list[str] = []
    try:
        config.cookie_key(None)
    except config.ConfigError as exc:
        problems.append(str(exc))
    problems += config.sso_problems()
    with UnitOfWork(url=url) as uow:
        rows = uow.users.list()
    demo_problems, not_real = demo_account_problems(rows)
    problems += demo_problems
    if not any(r.active and r.role == "admin" and r.username not in not_real for r in rows):
        problems.append(
            "No active administrator (demo accounts do not count): create one with "
            '`python -m rpsee users add <username> --role admin --name "..."`.'
        )
    return problems


@contextmanager
def _one_preparer(url: str) -> Iterator[None]:
    """On PostgreSQL, hold a transaction-level advisory lock, on a connection of its own, while
    the body prepares the database: app processes started at the same moment (two replicas)
    prepare one after the other, and the later ones find the work done (every step is a no-op on
    a prepared database). Each step's own checks then never race another process's writes.
    SQLite: nothing (its writers queue on the file)."""
    if not url.startswith("postgresql"):
        yield
        return
    from rpsee.store.db import engine_for

    with engine_for(url).connect() as connection, connection.begin():
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PREPARE_LOCK_KEY})")
        yield


def prepare_accounts(url: str | None = None) -> int:
    """What the login page needs: the schema at the newest migration and, in demo mode, the demo
    accounts. Returns how many accounts were created."""
    url = url or config.database_url()
    config.secure_database_file(url)
    migrate.upgrade(url)
    if config.mode() != "demo":
        return 0
    with _one_preparer(url):
        return ensure_demo_users(url)


def prepare_data(url: str | None = None) -> int:
    """What the pages after login read (on a migrated database): the reference data when the files
    changed, the planning and pipeline defaults, in demo mode the demo workplans, targets and
    pipeline, then the implementation review's demo data (it books expenditure to the pipeline's
    grants at its exchange rates), then the demo Steering Committee meeting that approves the
    2026 workplan (its submission freezes the 2025 progress report). Returns the reference rows
    changed."""
    url = url or config.database_url()
    with _one_preparer(url):
        changes = seed_reference(url)
        seed_planning(url)
        seed_pipeline_defaults(url)
        if config.mode() == "demo":
            from rpsee.services.demo import seed_demo_workplans
            from rpsee.services.meeting_seed import seed_demo_meeting
            from rpsee.services.review_seed import seed_demo_review

            seed_demo_workplans(url)
            seed_demo_targets(url)
            seed_demo_pipeline(url)
            seed_demo_review(url)
            seed_demo_meeting(url)
    return changes


def prepare(url: str | None = None) -> StartupReport:
    """Everything the app needs before serving a page; safe to call on every start."""
    url = url or config.database_url()
    created = prepare_accounts(url)
    changes = prepare_data(url)
    return StartupReport(url, config.mode(), reference_changes=changes, demo_users_created=created)


_accounts: dict[tuple[str, str], int] = {}
_prepared: dict[tuple[str, str], StartupReport] = {}
_accounts_lock = threading.Lock()
_data_lock = threading.Lock()


def _step(step: str, url: str) -> int:
    """One step of the preparation (`accounts` or `data`): the report of the child process
    preparing this database (`prepare_process`, started by the server) if there is one, else run
    here. A child that failed is dropped and the step is run here."""
    child = prepare_process.running(url, config.mode())
    if child is not None:
        try:
            return child.result(step)
        except prepare_process.PreparationFailed as exc:
            prepare_process.drop(child)
            print(f"{exc} Preparing it in the server's process instead.", file=sys.stderr)
    return prepare_accounts(url) if step == "accounts" else prepare_data(url)


def accounts_once(url: str | None = None) -> int:
    """`prepare_accounts()` once per process, database and mode (or the child process's report
    of it); a caller arriving while it runs waits for it (the login page, while the server
    prepares in the background). A failure is not kept: the next caller tries again."""
    url = url or config.database_url()
    key = (url, config.mode())
    with _accounts_lock:
        if key not in _accounts:
            _accounts[key] = _step("accounts", url)
        return _accounts[key]


def prepare_once(url: str | None = None) -> StartupReport:
    """`prepare()` once per process, database and mode, in the same two steps: the accounts
    (`accounts_once`), then the data (or the child process's reports of them). A caller waits for
    a step in progress: the server prepares in the background while it starts listening, the
    login page waits for the accounts only, the pages after login for the data as well. A failure
    is not kept: the next caller tries again."""
    url = url or config.database_url()
    key = (url, config.mode())
    created = accounts_once(url)
    with _data_lock:
        report = _prepared.get(key)
        if report is None:
            report = _prepared[key] = StartupReport(url, key[1], _step("data", url), created)
        return report
