"""Markers on every activity: the former gender marker becomes the UN Gender Equality Marker
(the same 0-3 scale, values kept as they are); the DAC gender and disability markers (blank:
not yet screened, nothing guessed), SDG targets, the justification and the inclusion element

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("activity") as batch:
        batch.alter_column("gender_marker", new_column_name="gem",
                           existing_type=sa.Integer(), existing_nullable=False)  # fmt: skip
        batch.add_column(sa.Column("dac_gender", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("dac_disability", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("sdg_targets", sa.String(length=400), nullable=False,
                                   server_default=""))  # fmt: skip
        batch.add_column(sa.Column("marker_note", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("inclusion", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("activity") as batch:
        for name in ("inclusion", "marker_note", "sdg_targets", "dac_disability", "dac_gender"):
            batch.drop_column(name)
        batch.alter_column("gem", new_column_name="gender_marker",
                           existing_type=sa.Integer(), existing_nullable=False)  # fmt: skip
