"""envelope allocation staffing

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 20:22:30.668356
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "allocation_target",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=10), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("value", sa.String(length=30), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation_target")),
        sa.UniqueConstraint("year", "dimension", "key", name="uq_allocation_target_cell"),
    )
    op.create_table(
        "envelope_year",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_envelope_year")),
    )
    op.create_table(
        "planning_setting",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_planning_setting")),
    )
    op.create_table(
        "vacancy_factor",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("percent", sa.String(length=12), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_vacancy_factor")),
    )
    op.create_table(
        "staff_cost_rate",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("grade", sa.String(length=16), nullable=False),
        sa.Column("duty_station", sa.String(length=8), nullable=False),
        sa.Column("annual_cents", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["duty_station"], ["office.code"], name=op.f("fk_staff_cost_rate_duty_station_office")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_cost_rate")),
        sa.UniqueConstraint("grade", "duty_station", name="uq_staff_cost_rate_cell"),
    )
    op.create_table(
        "position_plan",
        sa.Column("position_id", sa.String(length=16), nullable=False),
        sa.Column("grade", sa.String(length=16), nullable=False),
        sa.Column("duty_station", sa.String(length=8), nullable=False),
        sa.Column("start", sa.String(length=7), nullable=False),
        sa.Column("end", sa.String(length=7), nullable=False),
        sa.Column("split", sa.String(length=100), nullable=False),
        sa.Column("dropped", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["duty_station"], ["office.code"], name=op.f("fk_position_plan_duty_station_office")
        ),
        sa.ForeignKeyConstraint(
            ["position_id"], ["position.id"], name=op.f("fk_position_plan_position_id_position")
        ),
        sa.PrimaryKeyConstraint("position_id", name=op.f("pk_position_plan")),
    )


def downgrade() -> None:

    op.drop_table("position_plan")
    op.drop_table("staff_cost_rate")
    op.drop_table("vacancy_factor")
    op.drop_table("planning_setting")
    op.drop_table("envelope_year")
    op.drop_table("allocation_target")
