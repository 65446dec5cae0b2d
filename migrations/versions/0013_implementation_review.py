"""Implementation review: indicator actuals, output ratings, frozen progress reports, evidence
files, the WBS mapping and the expenditure imported from the ERP

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 23:02:23.174996
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_file",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=40), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_file")),
    )
    op.create_table(
        "expenditure_import",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("periods", sa.Text(), nullable=False),
        sa.Column("total_usd_cents", sa.BigInteger(), nullable=False),
        sa.Column("imported_by", sa.String(length=40), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expenditure_import")),
    )
    op.create_table(
        "expenditure_ledger",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("imports", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expenditure_ledger")),
    )
    op.create_table(
        "expenditure_line",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("grant", sa.String(length=200), nullable=False),
        sa.Column("wbs", sa.String(length=40), nullable=False),
        sa.Column("fund", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("amount_usd_cents", sa.BigInteger(), nullable=False),
        sa.Column("output_code", sa.String(length=8), nullable=False),
        sa.Column("office_code", sa.String(length=8), nullable=False),
        sa.Column("jurisdiction_code", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["expenditure_import.id"],
            name=op.f("fk_expenditure_line_import_id_expenditure_import"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expenditure_line")),
    )
    op.create_index(
        op.f("ix_expenditure_line_import_id"), "expenditure_line", ["import_id"], unique=False
    )
    op.create_index(
        "ix_expenditure_line_period", "expenditure_line", ["year", "month"], unique=False
    )

    op.create_table(
        "progress_report",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("workplan_id", sa.Integer(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("frozen_at", sa.DateTime(), nullable=False),
        sa.Column("frozen_by", sa.String(length=40), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workplan_id"], ["workplan.id"], name=op.f("fk_progress_report_workplan_id_workplan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_report")),
        sa.UniqueConstraint("year", "number", name="uq_progress_report_number"),
    )
    op.create_index(
        op.f("ix_progress_report_workplan_id"), "progress_report", ["workplan_id"], unique=False
    )

    op.create_table(
        "output_rating",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("output_code", sa.String(length=8), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(length=30), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["output_code"], ["output.code"], name=op.f("fk_output_rating_output_code_output")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_output_rating")),
        sa.UniqueConstraint("output_code", "year", name="uq_output_rating_year"),
    )
    op.create_table(
        "wbs_mapping",
        sa.Column("wbs", sa.String(length=40), nullable=False),
        sa.Column("output_code", sa.String(length=8), nullable=False),
        sa.Column("office_code", sa.String(length=8), nullable=False),
        sa.Column("jurisdiction_code", sa.String(length=8), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_code"], ["office.code"], name=op.f("fk_wbs_mapping_office_code_office")
        ),
        sa.ForeignKeyConstraint(
            ["output_code"], ["output.code"], name=op.f("fk_wbs_mapping_output_code_output")
        ),
        sa.PrimaryKeyConstraint("wbs", name=op.f("pk_wbs_mapping")),
    )
    op.create_table(
        "indicator_actual",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("indicator_code", sa.String(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("jurisdiction_code", sa.String(length=8), nullable=True),
        sa.Column("sex", sa.String(length=8), nullable=True),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("current_key", sa.String(length=120), nullable=True),
        sa.Column("entered_by", sa.String(length=40), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence_file.id"],
            name=op.f("fk_indicator_actual_evidence_id_evidence_file"),
        ),
        sa.ForeignKeyConstraint(
            ["indicator_code"],
            ["indicator.code"],
            name=op.f("fk_indicator_actual_indicator_code_indicator"),
        ),
        sa.ForeignKeyConstraint(
            ["jurisdiction_code"],
            ["jurisdiction.code"],
            name=op.f("fk_indicator_actual_jurisdiction_code_jurisdiction"),
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["indicator_actual.id"],
            name=op.f("fk_indicator_actual_replaces_id_indicator_actual"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_actual")),
        sa.UniqueConstraint("current_key", name=op.f("uq_indicator_actual_current_key")),
        sa.UniqueConstraint("replaces_id", name=op.f("uq_indicator_actual_replaces_id")),
    )
    op.create_index(
        op.f("ix_indicator_actual_indicator_code"),
        "indicator_actual",
        ["indicator_code"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_indicator_actual_indicator_code"), "indicator_actual")

    op.drop_table("indicator_actual")
    op.drop_table("wbs_mapping")
    op.drop_table("output_rating")
    op.drop_index(op.f("ix_progress_report_workplan_id"), "progress_report")

    op.drop_table("progress_report")
    op.drop_index("ix_expenditure_line_period", "expenditure_line")
    op.drop_index(op.f("ix_expenditure_line_import_id"), "expenditure_line")

    op.drop_table("expenditure_line")
    op.drop_table("expenditure_ledger")
    op.drop_table("expenditure_import")
    op.drop_table("evidence_file")
