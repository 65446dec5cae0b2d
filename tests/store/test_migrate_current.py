"""The start-up's check that a database is already at the newest migration, without Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory

from rpsee.store import migrate


def _write(versions: Path, name: str, revision: str, down: str) -> None:
    (versions / f"{name}.py").write_text(
        f'"""m"""\nrevision = "{revision}"\ndown_revision: str | None = {down}\n'
        "branch_labels = None\n",
        encoding="utf-8",
    )


def test_the_files_head_is_alembics_head() -> None:
    alembic_head = ScriptDirectory.from_config(migrate.alembic_config("sqlite://")).get_current_head()
    assert alembic_head is not None
    assert migrate.script_head() == alembic_head


def test_a_plain_chain_gives_its_last_revision(tmp_path: Path) -> None:
    _write(tmp_path, "a", "0001", "None")
    _write(tmp_path, "b", "0002", '"0001"')
    _write(tmp_path, "c", "0003", '"0002"')
    assert migrate.script_head(tmp_path) == "0003"


def test_branches_merges_and_unreadable_files_leave_it_to_alembic(tmp_path: Path) -> None:
    branches = tmp_path / "branches"
    branches.mkdir()
    _write(branches, "a", "0001", "None")
    _write(branches, "b", "0002", '"0001"')
    _write(branches, "c", "0003", '"0001"')
    assert migrate.script_head(branches) is None
    merge = tmp_path / "merge"
    merge.mkdir()
    _write(merge, "a", "0001", "None")
    _write(merge, "b", "0002", '("0001", "0001")')
    assert migrate.script_head(merge) is None
    unreadable = tmp_path / "unreadable"
    unreadable.mkdir()
    _write(unreadable, "a", "0001", "None")
    (unreadable / "b.py").write_text("revision = make_revision()\n", encoding="utf-8")
    assert migrate.script_head(unreadable) is None
    missing_parent = tmp_path / "missing"
    missing_parent.mkdir()
    _write(missing_parent, "a", "0001", "None")
    _write(missing_parent, "b", "0003", '"0002"')
    assert migrate.script_head(missing_parent) is None


def test_only_a_database_at_the_head_counts_as_current(empty_db: str) -> None:
    from alembic import command

    from rpsee.store.db import engine_for

    assert not migrate.is_current(empty_db)  # fresh: no alembic_version table
    with engine_for(empty_db).begin() as conn:
        cfg = migrate.alembic_config(empty_db)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    assert not migrate.is_current(empty_db)
    migrate.upgrade(empty_db)  # the rest goes through Alembic
    assert migrate.is_current(empty_db)
    assert "scenario" in migrate.current_tables(empty_db)  # 0008's table
    migrate.upgrade(empty_db)  # at the head: nothing to do, nothing fails
    assert migrate.is_current(empty_db)
