"""Tables of the implementation review: indicator actuals (corrections kept as history), output
ratings, frozen progress reports, evidence files, and the expenditure imported from the ERP
with the WBS mapping. Amounts are integer cents; indicator values exact decimal text."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from rpsee.store.models import Audited, Base, WriteOnce


class EvidenceFileRow(Audited, Base):
    """A file a planner uploaded as the source of an actual value (kept whole, with its hash)."""

    __tablename__ = "evidence_file"
    __audit_exclude__ = ("data",)  # the trail keeps the name, size and hash
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(40))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)


class IndicatorActualRow(Audited, Base):
    """One actual value of an indicator for a period (and jurisdiction, sex). A correction is a
    new row naming the row it replaces; `current_key` is set on the current row of each
    (indicator, period, jurisdiction, sex) only, and unique: two people entering the same
    period at once cannot both make a current row."""

    __tablename__ = "indicator_actual"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    jurisdiction_code: Mapped[str | None] = mapped_column(ForeignKey("jurisdiction.code"))
    sex: Mapped[str | None] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(40))  # exact decimal text
    source: Mapped[str] = mapped_column(Text)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_file.id"))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("indicator_actual.id"),
                                                    unique=True)  # fmt: skip
    current_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    entered_by: Mapped[str] = mapped_column(String(40))
    entered_at: Mapped[datetime] = mapped_column(DateTime)


class OutputRatingRow(Audited, Base):
    """A planner's rating of an output for a year, with a short narrative."""

    __tablename__ = "output_rating"
    __table_args__ = (UniqueConstraint("output_code", "year", name="uq_output_rating_year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    output_code: Mapped[str] = mapped_column(ForeignKey("output.code"))
    year: Mapped[int] = mapped_column(Integer)
    rating: Mapped[str] = mapped_column(String(30))
    narrative: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class ProgressReportRow(WriteOnce, Audited, Base):
    """The progress figures of a year as given to the Steering Committee with a workplan
    version: written once, never changed (a correction makes the next number)."""

    __tablename__ = "progress_report"
    __table_args__ = (UniqueConstraint("year", "number", name="uq_progress_report_number"),)
    __audit_exclude__ = ("body",)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    workplan_id: Mapped[int | None] = mapped_column(ForeignKey("workplan.id"), index=True)
    as_of: Mapped[date] = mapped_column(Date)
    frozen_at: Mapped[datetime] = mapped_column(DateTime)
    frozen_by: Mapped[str] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)  # canonical JSON

    def record_label(self) -> str:
        return f"Progress report {self.year} no. {self.number}"


class WbsMappingRow(Audited, Base):
    """Where the spending on one WBS element of the ERP belongs in the programme."""

    __tablename__ = "wbs_mapping"
    wbs: Mapped[str] = mapped_column(String(40), primary_key=True)
    output_code: Mapped[str] = mapped_column(ForeignKey("output.code"))
    office_code: Mapped[str] = mapped_column(ForeignKey("office.code"))
    jurisdiction_code: Mapped[str] = mapped_column(String(8))  # a jurisdiction or REG
    updated_by: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ExpenditureImportRow(Audited, Base):
    """One applied ERP extract: its file's hash, who and when, and the months it replaced."""

    __tablename__ = "expenditure_import"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    periods: Mapped[str] = mapped_column(Text)  # "2025-01,2025-02"
    total_usd_cents: Mapped[int] = mapped_column(BigInteger)
    imported_by: Mapped[str] = mapped_column(String(40))
    imported_at: Mapped[datetime] = mapped_column(DateTime)


class ExpenditureLineRow(Base):
    """One line of an applied extract (not in the audit trail one by one: the import row is,
    with the file's hash; a period imported again replaces its lines)."""

    __tablename__ = "expenditure_line"
    __table_args__ = (Index("ix_expenditure_line_period", "year", "month"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("expenditure_import.id"), index=True)
    row: Mapped[int] = mapped_column(Integer)
    grant: Mapped[str] = mapped_column(String(200))
    wbs: Mapped[str] = mapped_column(String(40))
    fund: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(BigInteger)  # in `currency`
    amount_usd_cents: Mapped[int] = mapped_column(BigInteger)
    output_code: Mapped[str] = mapped_column(String(8))
    office_code: Mapped[str] = mapped_column(String(8))
    jurisdiction_code: Mapped[str] = mapped_column(String(8))


class ExpenditureLedgerRow(Base):
    """One row every import locks and bumps, so two imports of the same months at once run
    one after the other (never both deleting, then both inserting)."""

    __tablename__ = "expenditure_ledger"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    imports: Mapped[int] = mapped_column(Integer, default=0)
