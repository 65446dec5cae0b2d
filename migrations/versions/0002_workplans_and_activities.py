"""workplans and activities

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 20:06:35.818288
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "workplan",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("based_on_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["based_on_id"], ["workplan.id"], name=op.f("fk_workplan_based_on_id_workplan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workplan")),
        sa.UniqueConstraint("year", "version_no", name="uq_workplan_year_version"),
    )
    with op.batch_alter_table("workplan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workplan_year"), ["year"], unique=False)

    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workplan_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("output_code", sa.String(length=8), nullable=False),
        sa.Column("jurisdictions", sa.String(length=200), nullable=False),
        sa.Column("lead_office", sa.String(length=8), nullable=False),
        sa.Column("position_id", sa.String(length=16), nullable=True),
        sa.Column("start_month", sa.Integer(), nullable=False),
        sa.Column("end_month", sa.Integer(), nullable=False),
        sa.Column("funding_source", sa.String(length=16), nullable=True),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("indicators", sa.String(length=400), nullable=False),
        sa.Column("gender_marker", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["funding_source"], ["donor.code"], name=op.f("fk_activity_funding_source_donor")
        ),
        sa.ForeignKeyConstraint(
            ["lead_office"], ["office.code"], name=op.f("fk_activity_lead_office_office")
        ),
        sa.ForeignKeyConstraint(
            ["output_code"], ["output.code"], name=op.f("fk_activity_output_code_output")
        ),
        sa.ForeignKeyConstraint(
            ["position_id"], ["position.id"], name=op.f("fk_activity_position_id_position")
        ),
        sa.ForeignKeyConstraint(
            ["workplan_id"], ["workplan.id"], name=op.f("fk_activity_workplan_id_workplan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
        sa.UniqueConstraint("workplan_id", "code", name="uq_activity_workplan_code"),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_workplan_id"), ["workplan_id"], unique=False)

    op.create_table(
        "activity_budget",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("category_code", sa.String(length=16), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_budget_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["category_code"],
            ["cost_category.code"],
            name=op.f("fk_activity_budget_category_code_cost_category"),
        ),
        sa.PrimaryKeyConstraint("activity_id", "category_code", name=op.f("pk_activity_budget")),
    )


def downgrade() -> None:

    op.drop_table("activity_budget")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_workplan_id"))

    op.drop_table("activity")
    with op.batch_alter_table("workplan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workplan_year"))

    op.drop_table("workplan")
