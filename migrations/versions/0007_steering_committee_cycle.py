"""Steering Committee cycle: submissions, meetings, decisions, members' positions, comments,
and the amendment type of a workplan version

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    ref = target.split(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{ref}"))


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("workplan") as batch:
        batch.add_column(sa.Column("amendment_type", sa.String(length=40), nullable=True))
    op.create_table(
        "workplan_submission",
        _id(),
        sa.Column("workplan_id", sa.Integer(), nullable=False),
        sa.Column("amendment_type", sa.String(length=40), nullable=True),
        sa.Column("budget_change", sa.String(length=12), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_by", sa.String(length=40), nullable=False),
        _fk("workplan_submission", "workplan_id", "workplan.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workplan_submission")),
    )
    op.create_table(
        "psc_meeting",
        _id(),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("participants", sa.Text(), nullable=False),
        sa.Column("observers", sa.Text(), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=False),
        sa.Column("decisions", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_psc_meeting")),
        sa.UniqueConstraint("number", name=op.f("uq_psc_meeting_number")),
    )
    op.create_table(
        "workplan_decision",
        _id(),
        sa.Column("workplan_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=40), nullable=False),
        _fk("workplan_decision", "workplan_id", "workplan.id"),
        _fk("workplan_decision", "meeting_id", "psc_meeting.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workplan_decision")),
    )
    op.create_table(
        "member_position",
        _id(),
        sa.Column("workplan_id", sa.Integer(), nullable=False),
        sa.Column("member", sa.String(length=40), nullable=False),
        sa.Column("member_name", sa.String(length=120), nullable=False),
        sa.Column("jurisdiction_code", sa.String(length=8), nullable=False),
        sa.Column("position", sa.String(length=30), nullable=False),
        sa.Column("remarks", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        _fk("member_position", "workplan_id", "workplan.id"),
        _fk("member_position", "jurisdiction_code", "jurisdiction.code"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_position")),
    )
    op.create_table(
        "review_comment",
        _id(),
        sa.Column("workplan_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("target_kind", sa.String(length=12), nullable=False),
        sa.Column("target_code", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=40), nullable=False),
        sa.Column("author_name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=40), nullable=True),
        _fk("review_comment", "workplan_id", "workplan.id"),
        _fk("review_comment", "parent_id", "review_comment.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_comment")),
    )
    for table in ("workplan_submission", "workplan_decision", "member_position", "review_comment"):
        op.create_index(op.f(f"ix_{table}_workplan_id"), table, ["workplan_id"], unique=False)


def downgrade() -> None:
    for table in ("review_comment", "member_position", "workplan_decision", "psc_meeting",
                  "workplan_submission"):  # fmt: skip
        op.drop_table(table)
    with op.batch_alter_table("workplan") as batch:
        batch.drop_column("amendment_type")
