"""Closed periods: the month through which finance has closed the staff costs as actuals

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 20:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table (nothing references it) and no row: nothing is closed until finance closes
    # (the first close writes the row; a freshly migrated database stays empty for a restore).
    op.create_table(
        "closed_period",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("closed_through", sa.String(length=7), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closed_period")),
    )


def downgrade() -> None:
    op.drop_table("closed_period")
