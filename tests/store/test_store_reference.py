"""Migrations, the idempotent seed and the audit trail, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import inspect, select

from rpsee.services.bootstrap import prepare, seed_reference
from rpsee.store.audit import MissingActor
from rpsee.store.db import engine_for
from rpsee.store.models import PositionRow, ProgrammeFigureRow
from rpsee.store.uow import UnitOfWork


def test_migrations_create_every_table(empty_db: str) -> None:
    prepare(empty_db)
    tables = set(inspect(engine_for(empty_db)).get_table_names())
    assert {
        "alembic_version",
        "thematic_area",
        "output",
        "indicator",
        "jurisdiction",
        "office",
        "position",
        "donor",
        "cost_category",
        "risk",
        "programme_figure",
        "app_user",
        "audit_entry",
    } <= tables


def test_reference_round_trip_is_exact(db: str) -> None:
    with UnitOfWork(url=db) as uow:
        ref = uow.reference.load()
        cents = uow.session.scalars(
            select(ProgrammeFigureRow.amount_cents).where(
                ProgrammeFigureRow.kind == "staff_requirement"
            )
        ).one()
    assert cents == 1_158_208_860  # integer cents, not a float
    assert ref.figures.staff_requirement == Decimal("11582088.60")
    assert len(ref.outputs) == 22 and len(ref.positions) == 20
    assert ref.output("2.6").text.startswith("SEE jurisdictions have enhanced policies")
    assert sum(len(o.indicators) for o in ref.outputs) >= 22
    assert ref.kosovo_footnote.endswith("resolution 1244 (1999).")


def test_seed_is_idempotent_and_audited(db: str) -> None:
    assert seed_reference(db) == 0
    assert seed_reference(db, force=True) == 0  # same files: nothing differs
    report = prepare(db)
    assert report.reference_changes == 0 and report.demo_users_created == 0
    with UnitOfWork(url=db) as uow:
        seeded = uow.audit.recent(limit=5000, entity="position")
    assert len(seeded) == 20
    assert all(e.actor == "system" and e.action == "seed_reference:insert" for e in seeded)


def test_every_write_is_audited_with_old_and_new_values(db: str) -> None:
    with UnitOfWork(actor="demo.planner", action="edit_position", url=db) as uow:
        row = uow.session.get(PositionRow, "P_015")
        row.duty_station = "IST"
        uow.commit()
    with UnitOfWork(url=db) as uow:
        entry = uow.audit.recent(limit=1)[0]
    assert (entry.actor, entry.action, entry.entity, entry.entity_id) == (
        "demo.planner",
        "edit_position:update",
        "position",
        "P_015",
    )
    assert entry.old_values == {"duty_station": "VIE"}
    assert entry.new_values == {"duty_station": "IST"}


def test_a_write_without_an_actor_is_refused_and_nothing_is_saved(db: str) -> None:
    with UnitOfWork(url=db) as uow:
        uow.session.get(PositionRow, "P_001").title = "changed"
        with pytest.raises(MissingActor):
            uow.commit()
    with UnitOfWork(url=db) as uow:
        assert uow.session.get(PositionRow, "P_001").title.startswith("Regional Representative")


def test_a_failed_unit_of_work_rolls_back_whole(db: str) -> None:
    with pytest.raises(RuntimeError), UnitOfWork(actor="demo.planner", url=db) as uow:
        uow.session.get(PositionRow, "P_001").title = "half"
        uow.session.flush()
        raise RuntimeError("boom")
    with UnitOfWork(url=db) as uow:
        assert uow.session.get(PositionRow, "P_001").title.startswith("Regional Representative")
        assert (
            uow.audit.recent(limit=1, entity="position", entity_id="P_001")[0].action
            == "seed_reference:insert"
        )


def test_a_changed_data_file_is_applied_on_next_start(db: str, tmp_path) -> None:
    import shutil

    from rpsee.config import DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "positions.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "title: Regional Representative for South-Eastern Europe",
            "title: Regional Representative for South-Eastern Europe (ROSEE)",
        ),
        encoding="utf-8",
    )
    assert seed_reference(db, data_dir=data) == 1
    with UnitOfWork(url=db) as uow:
        assert uow.session.get(PositionRow, "P_001").title.endswith("(ROSEE)")
        entry = uow.audit.recent(limit=1, entity="position")[0]
    assert entry.new_values["title"].endswith("(ROSEE)")
