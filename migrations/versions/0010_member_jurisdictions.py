"""Steering Committee members' jurisdictions, and positions recorded on a member's behalf

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 06:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        # a psc_member's jurisdictions: `;`-separated codes of data/jurisdictions.yaml
        batch.add_column(sa.Column("jurisdictions", sa.String(length=200), nullable=False,
                                   server_default=""))  # fmt: skip
    with op.batch_alter_table("member_position") as batch:
        # the secretariat's account when it recorded the position on the member's behalf
        batch.add_column(sa.Column("recorded_by", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("recorded_by_name", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("member_position") as batch:
        batch.drop_column("recorded_by_name")
        batch.drop_column("recorded_by")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("jurisdictions")
