"""Apply Alembic migrations (on every start; a no-op when the schema is current)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from rpsee.config import ROOT
from rpsee.store.db import engine_for

MIGRATIONS = ROOT / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str) -> None:
    """Bring the database at `url` to the newest schema, in one transaction per step."""
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
    engine = engine_for(url)
    with engine.begin() as connection:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = connection
        command.revision(cfg, message=message, autogenerate=True)


def current_tables(url: str) -> list[str]:
    return sorted(inspect(engine_for(url)).get_table_names())
