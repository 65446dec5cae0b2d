"""Committee members read the versions submitted to them and the drafts a planner shares with
them for consultation: a flag on the workplan version

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 16:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite has it): a batch copy of the table would drop and recreate
    # `workplan`, which the activities' foreign keys refuse.
    op.add_column("workplan", sa.Column("shared_for_consultation", sa.Boolean(), nullable=False,
                                        server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("workplan") as batch:
        batch.drop_column("shared_for_consultation")
