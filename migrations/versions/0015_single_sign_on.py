"""Single sign-on: an account's identity at the identity provider (issuer and subject), the last
sign-in recorded, and accounts without a role (a first sign-in, awaiting an administrator)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 05:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("sso_issuer", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("sso_subject", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("sso_signed_in_at", sa.DateTime(), nullable=True))
        batch.alter_column("role", existing_type=sa.String(length=20), nullable=True)
        batch.create_unique_constraint("uq_app_user_sso", ["sso_issuer", "sso_subject"])


def downgrade() -> None:
    op.execute("DELETE FROM app_user WHERE role IS NULL")  # awaiting approval: never had access
    with op.batch_alter_table("app_user") as batch:
        batch.drop_constraint("uq_app_user_sso", type_="unique")
        batch.alter_column("role", existing_type=sa.String(length=20), nullable=False)
        for name in ("sso_signed_in_at", "sso_subject", "sso_issuer"):
            batch.drop_column(name)
