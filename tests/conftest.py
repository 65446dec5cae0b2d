"""Shared fixtures. Each test database is fresh: a SQLite file, or a throwaway PostgreSQL database.

Environment:
- RPSEE_TEST_PG_ADMIN_URL: where to create throwaway databases
  (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres).
- RPSEE_REQUIRE_POSTGRES=1 / RPSEE_REQUIRE_BROWSER=1 / RPSEE_REQUIRE_LIBREOFFICE=1 (set by CI):
  a missing PostgreSQL, Chromium or LibreOffice fails the tests instead of skipping them.
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from collections.abc import Iterator

# Before any rpsee import: cheap password hashes, and a state folder that is not the user's.
os.environ.setdefault("RPSEE_BCRYPT_ROUNDS", "4")
os.environ["RPSEE_STATE_DIR"] = tempfile.mkdtemp(prefix="rpsee-test-state-")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("RPSEE_MODE", None)

import pytest

_MAIN = sys.modules.get("__main__")


@pytest.fixture(autouse=True)
def _keep_main_module() -> Iterator[None]:
    """AppTest leaves the app's script registered as `__main__`; a process started later with
    multiprocessing's spawn would then run app.py. Put pytest's own back after every test."""
    yield
    if _MAIN is not None and sys.modules.get("__main__") is not _MAIN:
        sys.modules["__main__"] = _MAIN

PG_ADMIN_URL = os.environ.get(
    "RPSEE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def missing(what: str, variable: str) -> None:
    """Skip with a message saying what is missing, or fail where CI requires it."""
    if os.environ.get(variable) == "1":
        pytest.fail(f"{what} ({variable}=1 requires it)")
    pytest.skip(what)


def _pg_admin_engine():
    from sqlalchemy import create_engine

    return create_engine(
        PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )


def _pg_reachable() -> str | None:
    try:
        engine = _pg_admin_engine()
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001  any failure means: not reachable
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"


@pytest.fixture(scope="session")
def pg_server() -> str:
    problem = _pg_reachable()
    if problem:
        missing(
            f"PostgreSQL is not reachable at {PG_ADMIN_URL} ({problem})", "RPSEE_REQUIRE_POSTGRES"
        )
    return PG_ADMIN_URL


def _create_pg_database() -> tuple[str, str]:
    name = f"rpsee_test_{uuid.uuid4().hex[:12]}"
    engine = _pg_admin_engine()
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return name, f"{base}/{name}"


def _drop_pg_database(name: str, url: str) -> None:
    from rpsee.store.db import dispose

    dispose(url)
    engine = _pg_admin_engine()
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


def _prepared(url: str) -> str:
    from rpsee.services.bootstrap import ensure_demo_users, seed_reference
    from rpsee.store.migrate import upgrade

    upgrade(url)
    seed_reference(url)
    ensure_demo_users(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path) -> Iterator[str]:
    from rpsee.store.db import dispose

    url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    yield url
    dispose(url)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    name, url = _create_pg_database()
    try:
        yield url
    finally:
        _drop_pg_database(name, url)


@pytest.fixture(params=["sqlite", "postgres"])
def empty_db(request) -> str:
    """A fresh, empty database on each engine (PostgreSQL skipped when unreachable)."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def db(empty_db: str) -> str:
    """A fresh database on each engine, migrated and loaded with reference data and demo users."""
    return _prepared(empty_db)
