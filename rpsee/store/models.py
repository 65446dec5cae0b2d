"""SQLAlchemy 2 typed models. Money is stored as integer cents (BigInteger), never as floats."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Audited:
    """Marker: every insert, update and delete of these rows is written to the audit trail."""

    __audit_exclude__: tuple[str, ...] = ()


class WriteOnce:
    """Marker: a record written once and never changed or deleted (the store refuses the flush
    that would, see rpsee/store/scenarios.py); `record_label` names it in the refusal."""

    def record_label(self) -> str:
        return f"{type(self).__name__} {getattr(self, 'id', '')}"


class ThematicAreaRow(Audited, Base):
    __tablename__ = "thematic_area"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(60))
    strategic_goal: Mapped[str] = mapped_column(Text)
    sort: Mapped[int] = mapped_column(Integer)


class OutputRow(Audited, Base):
    __tablename__ = "output"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("thematic_area.code"))
    text: Mapped[str] = mapped_column(Text)
    sort: Mapped[int] = mapped_column(Integer)


class IndicatorRow(Audited, Base):
    __tablename__ = "indicator"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    output_code: Mapped[str] = mapped_column(ForeignKey("output.code"))
    text: Mapped[str] = mapped_column(Text)
    baseline: Mapped[str | None] = mapped_column(Text)
    target: Mapped[str | None] = mapped_column(Text)
    interim_target: Mapped[str | None] = mapped_column(Text)
    interval: Mapped[str | None] = mapped_column(Text)
    means_of_verification: Mapped[str | None] = mapped_column(Text)
    risks: Mapped[str | None] = mapped_column(Text)
    sort: Mapped[int] = mapped_column(Integer)


class JurisdictionRow(Audited, Base):
    __tablename__ = "jurisdiction"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    western_balkans: Mapped[bool] = mapped_column(Boolean)
    regional: Mapped[bool] = mapped_column(Boolean, default=False)
    footnote: Mapped[str | None] = mapped_column(Text)
    sort: Mapped[int] = mapped_column(Integer)


class OfficeRow(Audited, Base):
    __tablename__ = "office"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    jurisdiction_code: Mapped[str | None] = mapped_column(ForeignKey("jurisdiction.code"))
    headquarters: Mapped[bool] = mapped_column(Boolean, default=False)
    sort: Mapped[int] = mapped_column(Integer)


class PositionRow(Audited, Base):
    __tablename__ = "position"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    table_ref: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    grade: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(40))
    duty_station: Mapped[str] = mapped_column(ForeignKey("office.code"))
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    sort: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class DonorRow(Audited, Base):
    __tablename__ = "donor"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    sort: Mapped[int] = mapped_column(Integer)


class CostCategoryRow(Audited, Base):
    __tablename__ = "cost_category"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    sort: Mapped[int] = mapped_column(Integer)


class RiskRow(Audited, Base):
    __tablename__ = "risk"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    risk: Mapped[str] = mapped_column(Text)
    likelihood: Mapped[str] = mapped_column(String(8))
    impact: Mapped[str] = mapped_column(String(8))
    level: Mapped[str] = mapped_column(String(8))
    mitigation: Mapped[str | None] = mapped_column(Text)
    residual: Mapped[str | None] = mapped_column(Text)
    sort: Mapped[int] = mapped_column(Integer)


class ProgrammeTextRow(Audited, Base):
    """Named texts of the programme (objective, Kosovo footnote, staff requirement period)."""

    __tablename__ = "programme_text"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ProgrammeFigureRow(Audited, Base):
    """A money fact of the programme document, by kind and (where it has one) year."""

    __tablename__ = "programme_figure"
    __table_args__ = (UniqueConstraint("kind", "year", name="uq_programme_figure_kind_year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer, default=0)  # 0 for figures without a year
    amount_cents: Mapped[int] = mapped_column(BigInteger)


class UserRow(Audited, Base):
    __tablename__ = "app_user"
    __audit_exclude__ = ("password_hash",)
    __audit_key__ = "username"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(200), default="")
    # None: an account a first single sign-on created, awaiting an administrator's approval
    role: Mapped[str | None] = mapped_column(String(20), nullable=True)
    password_hash: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    sessions_revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    # last activity in any browser (idle time-out); written by a plain UPDATE, never audited
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    donor_code: Mapped[str | None] = mapped_column(String(16))  # an observer's donor
    # a Steering Committee member's jurisdictions (`;`-separated codes); empty for other roles
    jurisdictions: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # single sign-on: the identity provider's issuer and subject (None for a local account),
    # and the issue time of the last sign-in recorded (a token seen again is not a new one)
    sso_issuer: Mapped[str | None] = mapped_column(String(300))
    sso_subject: Mapped[str | None] = mapped_column(String(255))
    sso_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __table_args__ = (UniqueConstraint("sso_issuer", "sso_subject", name="uq_app_user_sso"),)
    __mapper_args__ = {"version_id_col": version}


class AuditEntryRow(Base):
    """Who changed what, when: written by the unit of work for every audited row, never edited."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_entity", "entity", "entity_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(120))
    old_values: Mapped[str | None] = mapped_column(Text)
    new_values: Mapped[str | None] = mapped_column(Text)


class WorkplanRow(Audited, Base):
    """An annual workplan version (the Steering Committee adopts one per year)."""

    __tablename__ = "workplan"
    __table_args__ = (UniqueConstraint("year", "version_no", name="uq_workplan_year_version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("workplan.id"))
    # a new version of an approved plan: its type (rpsee/domain/workflow.py AMENDMENT_TYPES)
    amendment_type: Mapped[str | None] = mapped_column(String(40))
    # a draft a planner shares with Committee members for consultation (rpsee/domain/visibility.py)
    shared_for_consultation: Mapped[bool] = mapped_column(Boolean, default=False,
                                                          server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class ActivityRow(Audited, Base):
    """A workplan line. Jurisdictions and indicators are kept as `;`-separated codes (checked
    against the reference on every save); the budget is one row per cost category."""

    __tablename__ = "activity"
    __table_args__ = (UniqueConstraint("workplan_id", "code", name="uq_activity_workplan_code"),)
    __audit_key__ = "audit_ref"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workplan_id: Mapped[int] = mapped_column(ForeignKey("workplan.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    # The code the line had when first planned, shared by its copies in later years and versions
    line_id: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    output_code: Mapped[str] = mapped_column(ForeignKey("output.code"))
    jurisdictions: Mapped[str] = mapped_column(String(200))
    lead_office: Mapped[str] = mapped_column(ForeignKey("office.code"))
    position_id: Mapped[str | None] = mapped_column(ForeignKey("position.id"))
    start_month: Mapped[int] = mapped_column(Integer)
    end_month: Mapped[int] = mapped_column(Integer)
    funding_source: Mapped[str | None] = mapped_column(ForeignKey("donor.code"))
    priority: Mapped[str] = mapped_column(String(16))
    indicators: Mapped[str] = mapped_column(String(400), default="")
    gem: Mapped[int] = mapped_column(Integer, default=1)  # until 0014: gender_marker
    status: Mapped[str] = mapped_column(String(16), default="planned")
    notes: Mapped[str] = mapped_column(Text, default="")
    dac_gender: Mapped[int | None] = mapped_column(Integer)
    dac_disability: Mapped[int | None] = mapped_column(Integer)
    sdg_targets: Mapped[str] = mapped_column(String(400), default="")
    marker_note: Mapped[str] = mapped_column(Text, default="")
    inclusion: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    budget_lines: Mapped[list[ActivityBudgetRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ActivityBudgetRow.category_code"
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_ref(self) -> str:
        """`<workplan id>/<code>`: codes repeat across versions of a year's workplan."""
        return f"{self.workplan_id}/{self.code}"


class WorkplanInUseRow(Audited, Base):
    """The version of a year's workplan that every page uses by default (a planner's choice)."""

    __tablename__ = "workplan_in_use"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    workplan_id: Mapped[int] = mapped_column(ForeignKey("workplan.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(40))


class ActivityBudgetRow(Audited, Base):
    __tablename__ = "activity_budget"
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True
    )
    category_code: Mapped[str] = mapped_column(ForeignKey("cost_category.code"), primary_key=True)
    amount_cents: Mapped[int] = mapped_column(BigInteger)


class PlanningSettingRow(Audited, Base):
    """Named planning settings: envelope basis, support-cost rate, escalation, rates' base year."""

    __tablename__ = "planning_setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(40))


class EnvelopeYearRow(Audited, Base):
    __tablename__ = "envelope_year"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(40))


class AllocationTargetRow(Audited, Base):
    """A target of one year for a thematic area or an office, in USD cents or in percent."""

    __tablename__ = "allocation_target"
    __table_args__ = (
        UniqueConstraint("year", "dimension", "key", name="uq_allocation_target_cell"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer)
    dimension: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(10))
    mode: Mapped[str] = mapped_column(String(10))
    value: Mapped[str] = mapped_column(String(30))  # exact decimal text (USD or percent)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(40))


class StaffCostRateRow(Audited, Base):
    """Annual standard cost of a grade or band at a duty station (finance keeps these)."""

    __tablename__ = "staff_cost_rate"
    __table_args__ = (UniqueConstraint("grade", "duty_station", name="uq_staff_cost_rate_cell"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    grade: Mapped[str] = mapped_column(String(16))
    duty_station: Mapped[str] = mapped_column(ForeignKey("office.code"))
    annual_cents: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(40))


class VacancyFactorRow(Audited, Base):
    __tablename__ = "vacancy_factor"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    percent: Mapped[str] = mapped_column(String(12))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(40))


class PositionPlanRow(Audited, Base):
    """How the plan funds a position: months, grade and duty station used, time split."""

    __tablename__ = "position_plan"
    position_id: Mapped[str] = mapped_column(ForeignKey("position.id"), primary_key=True)
    grade: Mapped[str] = mapped_column(String(16))
    duty_station: Mapped[str] = mapped_column(ForeignKey("office.code"))
    start: Mapped[str] = mapped_column(String(7))
    end: Mapped[str] = mapped_column(String(7))
    split: Mapped[str] = mapped_column(String(100))  # "1:20;2:80" (area: percent)
    dropped: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class ClosedPeriodRow(Audited, Base):
    """The one row saying through which month finance has closed the staff costs as actuals
    (None: nothing closed), with the reason of the last reopening."""

    __tablename__ = "closed_period"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    closed_through: Mapped[str | None] = mapped_column(String(7), nullable=True)
    reason: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(40))


class ExchangeRateRow(Audited, Base):
    """USD for one unit of a currency as of a date (finance keeps them); exact decimal text."""

    __tablename__ = "exchange_rate"
    __table_args__ = (UniqueConstraint("currency", "as_of", name="uq_exchange_rate_day"),)
    __audit_key__ = "audit_ref"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    currency: Mapped[str] = mapped_column(String(3))
    as_of: Mapped[str] = mapped_column(String(10))  # ISO date (a backup stays plain text)
    usd_per_unit: Mapped[str] = mapped_column(String(30))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(40))

    @property
    def audit_ref(self) -> str:
        return f"{self.currency}/{self.as_of}"


class ContributionRow(Audited, Base):
    """A donor agreement or prospect; percentages as exact decimal text, tranches in cents of
    the donor's currency."""

    __tablename__ = "contribution"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    donor_code: Mapped[str] = mapped_column(ForeignKey("donor.code"), index=True)
    reference: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))
    earmark_kind: Mapped[str] = mapped_column(String(20), default="none")
    earmark_code: Mapped[str | None] = mapped_column(String(40))
    probability: Mapped[str | None] = mapped_column(String(12))  # None: the status default
    support_rate: Mapped[str] = mapped_column(String(12))
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    tranches: Mapped[list[ContributionTrancheRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ContributionTrancheRow.year"
    )
    __mapper_args__ = {"version_id_col": version}


class ContributionTrancheRow(Audited, Base):
    __tablename__ = "contribution_tranche"
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contribution.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    amount_cents: Mapped[int] = mapped_column(BigInteger)  # in the contribution's currency


class SubmissionRow(Audited, Base):
    """A version sent to the Steering Committee."""

    __tablename__ = "workplan_submission"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workplan_id: Mapped[int] = mapped_column(ForeignKey("workplan.id"), index=True)
    amendment_type: Mapped[str | None] = mapped_column(String(40))
    budget_change: Mapped[str | None] = mapped_column(String(12))  # percent, exact text
    submitted_at: Mapped[datetime] = mapped_column(DateTime)
    submitted_by: Mapped[str] = mapped_column(String(40))


class MeetingRow(Audited, Base):
    """The record of a Steering Committee meeting."""

    __tablename__ = "psc_meeting"
    __audit_key__ = "number"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    participants: Mapped[str] = mapped_column(Text)
    observers: Mapped[str] = mapped_column(Text, default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class DecisionRow(Audited, Base):
    """The secretariat's record of the Committee's decision on a version."""

    __tablename__ = "workplan_decision"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workplan_id: Mapped[int] = mapped_column(ForeignKey("workplan.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[str] = mapped_column(Text, default="")
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("psc_meeting.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime)
    decided_by: Mapped[str] = mapped_column(String(40))


class MemberPositionRow(Audited, Base):
    """A Committee member's position on a version (the latest one of a member counts)."""

    __tablename__ = "member_position"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workplan_id: Mapped[int] = mapped_column(ForeignKey("workplan.id"), index=True)
    member: Mapped[str] = mapped_column(String(40))
    member_name: Mapped[str] = mapped_column(String(120))
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdiction.code"))
    position: Mapped[str] = mapped_column(String(30))
    remarks: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    # the secretariat's account (and name) when it recorded the position on the member's behalf
    recorded_by: Mapped[str | None] = mapped_column(String(40))
    recorded_by_name: Mapped[str | None] = mapped_column(String(120))


class ReviewCommentRow(Audited, Base):
    """A comment on a version (the whole plan, a thematic area or an activity), or a reply."""

    __tablename__ = "review_comment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workplan_id: Mapped[int] = mapped_column(ForeignKey("workplan.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("review_comment.id"))
    target_kind: Mapped[str] = mapped_column(String(12))
    target_code: Mapped[str] = mapped_column(String(20), default="")
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(40))
    author_name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(40))


class ScenarioRow(Audited, Base):
    """A saved scenario: named assumptions on top of the baseline (Scenario.to_json)."""

    __tablename__ = "scenario"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    assumptions: Mapped[str] = mapped_column(Text)  # canonical JSON
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class FrozenScenarioRow(WriteOnce, Audited, Base):
    """A frozen scenario for the Steering Committee pack: written once, never changed (the
    store refuses an update or a delete); the body's SHA-256 shows it is intact."""

    __tablename__ = "frozen_scenario"
    __audit_exclude__ = ("body",)  # the trail keeps the hash; the body is here, unchanged
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120))
    scenario_id: Mapped[int | None] = mapped_column(Integer)  # the saved scenario, if any
    frozen_at: Mapped[datetime] = mapped_column(DateTime)
    frozen_by: Mapped[str] = mapped_column(String(40))
    data_version: Mapped[int] = mapped_column(BigInteger)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    body: Mapped[str] = mapped_column(Text)

    def record_label(self) -> str:
        return f"Frozen scenario {self.id} ({self.name})"


# The implementation review's tables live in their own module; importing it here puts them in
# `Base.metadata` wherever the models are read (migrations, backup, start-up).
from rpsee.store import review_models as _review_models  # noqa: E402, F401
