"""Apply Alembic migrations (on every start; a no-op when the schema is current).

Starting on a database already at the newest revision is the usual case: it is recognised from
the migration files' text and the `alembic_version` row, without importing Alembic (a quarter of a
second) or loading every migration module. Anything else goes through Alembic.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from rpsee.config import ROOT
from rpsee.store.db import engine_for

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = ROOT / "migrations"
VERSIONS = MIGRATIONS / "versions"
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def script_head(versions: Path = VERSIONS) -> str | None:
    """The newest revision of the migration files, read from their `revision = "..."` and
    `down_revision = ...` lines; None unless they form one plain chain (then Alembic decides)."""
    parents: dict[str, str | None] = {}
    for path in sorted(versions.glob("*.py")):
        found = dict(_ASSIGNMENT.findall(path.read_text(encoding="utf-8")))
        try:
            revision = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found["down_revision"])
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str) or not (down is None or isinstance(down, str)):
            return None
        if revision in parents:
            return None
        parents[revision] = down
    heads = set(parents) - set(parents.values())
    bases = [r for r, down in parents.items() if down is None]
    unknown = {d for d in parents.values() if d is not None} - set(parents)
    if len(heads) != 1 or len(bases) != 1 or unknown:
        return None
    return heads.pop()


def stored_revisions(connection: Connection) -> set[str]:
    """The revisions in the database's `alembic_version` table (none on a fresh database)."""
    if not inspect(connection).has_table("alembic_version"):
        return set()
    return {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}


def is_current(url: str) -> bool:
    """Whether the database is at the newest revision of the migration files."""
    head = script_head()
    if head is None:
        return False
    with engine_for(url).connect() as connection:
        return stored_revisions(connection) == {head}


def upgrade(url: str) -> None:
    """Bring the database at `url` to the newest schema, in one transaction per step."""
    if is_current(url):
        return
    from alembic import command

    engine = engine_for(url)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Two processes starting at once must not both migrate.
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(794221)")
        cfg = alembic_config(url)
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def revision(url: str, message: str) -> None:
    """Autogenerate a migration from the models (developers: review it before committing)."""
    from alembic import command

    engine = engine_for(url)
    with engine.begin() as connection:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = connection
        command.revision(cfg, message=message, autogenerate=True)


def current_tables(url: str) -> list[str]:
    return sorted(inspect(engine_for(url)).get_table_names())
