"""Migration 0014 on both engines: the former gender marker becomes the Gender Equality Marker
with the value each line held; the new markers start blank (not screened), nothing guessed; and
the lines read back through the repository."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from rpsee.services.bootstrap import seed_reference
from rpsee.store.db import engine_for
from rpsee.store.migrate import alembic_config, upgrade
from rpsee.store.uow import UnitOfWork


def test_the_gender_marker_becomes_the_gem_with_its_values(empty_db: str) -> None:
    engine = engine_for(empty_db)
    with engine.begin() as conn:
        cfg = alembic_config(empty_db)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0013")
    seed_reference(empty_db)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO workplan (id, year, version_no, status, created_at, "
                          "created_by, version) VALUES (1, 2026, 1, 'draft', CURRENT_TIMESTAMP, "
                          "'x', 1)"))  # fmt: skip
        for n, marker in enumerate((0, 1, 2, 3), start=1):
            conn.execute(text(
                "INSERT INTO activity (workplan_id, code, line_id, title, description, "
                "output_code, jurisdictions, lead_office, start_month, end_month, priority, "
                "indicators, gender_marker, status, notes, updated_at, updated_by, version) "
                "VALUES (1, :c, :c, 't', '', '1.1', 'ALB', 'BEG', 1, 1, 'high', '', :g, "
                "'planned', '', CURRENT_TIMESTAMP, 'x', 1)"),
                {"c": f"2026-1.1-00{n}", "g": marker})  # fmt: skip
    upgrade(empty_db)
    with UnitOfWork(url=empty_db) as uow:
        lines = uow.workplans.activities(1)
    assert [a.gem for a in lines] == [0, 1, 2, 3]
    assert {(a.dac_gender, a.dac_disability, a.sdg_targets, a.marker_note, a.inclusion)
            for a in lines} == {(None, None, (), "", "")}  # fmt: skip
