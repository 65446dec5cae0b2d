"""activity lineage (line_id) and the workplan version in use per year

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 14:00:00

Existing lines get a lineage from what is known: a line in a new version of the same year keeps
the lineage of the line with its code in the version it was based on; a line copied from another
year (notes "Copied from <code>") takes the lineage of that code in the workplan it was copied
from; any other line starts its own (its code). Each year with workplans gets the version in use
that the default rule gives (the approved one, else the first).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_COPIED = re.compile(r"^(?:Copied from|Continues) (\d{4}-\d\.\d-\d{3})")


def _lineages(conn: sa.Connection) -> None:
    plans = conn.execute(sa.text(
        "SELECT id, year, based_on_id FROM workplan ORDER BY id")).all()  # fmt: skip
    year_of = {p.id: p.year for p in plans}
    lineage: dict[int, dict[str, str]] = {}  # workplan id -> code -> line id
    for plan in plans:
        base = lineage.get(plan.based_on_id, {}) if plan.based_on_id else {}
        same_year = year_of.get(plan.based_on_id) == plan.year
        mine: dict[str, str] = {}
        rows = conn.execute(sa.text("SELECT id, code, notes FROM activity WHERE workplan_id = :w"),
                            {"w": plan.id}).all()  # fmt: skip
        for row in rows:
            m = _COPIED.match(row.notes or "")
            if same_year and row.code in base:
                line_id = base[row.code]
            elif m and m[1] in base:
                line_id = base[m[1]]
            else:
                line_id = row.code
            mine[row.code] = line_id
            conn.execute(sa.text("UPDATE activity SET line_id = :l WHERE id = :i"),
                         {"l": line_id, "i": row.id})  # fmt: skip
        lineage[plan.id] = mine


def _in_use(conn: sa.Connection) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    chosen: dict[int, int] = {}  # year -> workplan id: the approved version, else the first
    rows = conn.execute(sa.text(
        "SELECT id, year, status FROM workplan ORDER BY version_no")).all()  # fmt: skip
    for row in rows:
        if row.year not in chosen or row.status == "approved":
            chosen[row.year] = row.id
    for year, plan_id in chosen.items():
        conn.execute(sa.text("INSERT INTO workplan_in_use (year, workplan_id, updated_at, "
                             "updated_by) VALUES (:y, :w, :t, 'migration 0004')"),
                     {"y": year, "w": plan_id, "t": now})  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "workplan_in_use",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("workplan_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["workplan_id"], ["workplan.id"], name=op.f("fk_workplan_in_use_workplan_id_workplan")
        ),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_workplan_in_use")),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("line_id", sa.String(length=20), nullable=True))
    conn = op.get_bind()
    _lineages(conn)
    _in_use(conn)
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.alter_column("line_id", existing_type=sa.String(length=20), nullable=False)
        batch_op.create_index(batch_op.f("ix_activity_line_id"), ["line_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_line_id"))
        batch_op.drop_column("line_id")
    op.drop_table("workplan_in_use")
