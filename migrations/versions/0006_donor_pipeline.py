"""donor pipeline: contributions, their tranches, exchange rates; an observer's donor

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 14:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_rate",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("as_of", sa.String(length=10), nullable=False),
        sa.Column("usd_per_unit", sa.String(length=30), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rate")),
        sa.UniqueConstraint("currency", "as_of", name="uq_exchange_rate_day"),
    )
    op.create_table(
        "contribution",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("donor_code", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("earmark_kind", sa.String(length=20), nullable=False),
        sa.Column("earmark_code", sa.String(length=40), nullable=True),
        sa.Column("probability", sa.String(length=12), nullable=True),
        sa.Column("support_rate", sa.String(length=12), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["donor_code"], ["donor.code"], name=op.f("fk_contribution_donor_code_donor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contribution")),
    )
    op.create_index(op.f("ix_contribution_donor_code"), "contribution", ["donor_code"])
    op.create_table(
        "contribution_tranche",
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contribution_id"], ["contribution.id"],
            name=op.f("fk_contribution_tranche_contribution_id_contribution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contribution_id", "year", name=op.f("pk_contribution_tranche")),
    )
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("donor_code", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("donor_code")
    op.drop_table("contribution_tranche")
    op.drop_index(op.f("ix_contribution_donor_code"), table_name="contribution")
    op.drop_table("contribution")
    op.drop_table("exchange_rate")
