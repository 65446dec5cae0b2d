"""Envelope, allocation targets, cost rates, vacancy factors and position plans."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from rpsee.domain.envelope import Target
from rpsee.domain.money import from_cents, to_cents
from rpsee.domain.requirement import EnvelopeSettings
from rpsee.domain.staffing import CostRates, PositionPlan
from rpsee.store.models import (
    AllocationTargetRow,
    ClosedPeriodRow,
    EnvelopeYearRow,
    PlanningSettingRow,
    PositionPlanRow,
    PositionRow,
    StaffCostRateRow,
    VacancyFactorRow,
)


def split_text(split: dict[str, Decimal]) -> str:
    return ";".join(f"{k}:{v}" for k, v in sorted(split.items()))


def parse_split(text: str) -> dict[str, Decimal]:
    pairs = (item.split(":", 1) for item in text.split(";") if item)
    return {k: Decimal(v) for k, v in pairs}

CLOSED_LOCK_CLASS = 0x52505343  # "RPSC": the first key of the advisory lock on closed periods


class PlanningRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # settings --------------------------------------------------------------------------------
    def settings(self) -> dict[str, str]:
        return {r.key: r.value for r in self.session.scalars(select(PlanningSettingRow))}

    def setting_row(self, key: str) -> PlanningSettingRow | None:
        return self.session.get(PlanningSettingRow, key)

    def set_setting(self, key: str, value: str, actor: str, now: datetime) -> None:
        row = self.session.get(PlanningSettingRow, key)
        if row is None:
            self.session.add(PlanningSettingRow(key=key, value=value, updated_at=now,
                                                updated_by=actor))  # fmt: skip
        elif row.value != value:
            row.value, row.updated_at, row.updated_by = value, now, actor

    # envelope and targets --------------------------------------------------------------------
    def envelopes(self) -> dict[int, Decimal]:
        rows = self.session.scalars(select(EnvelopeYearRow).order_by(EnvelopeYearRow.year))
        return {r.year: from_cents(r.amount_cents) for r in rows}

    def set_envelope(self, year: int, amount: Decimal, actor: str, now: datetime) -> None:
        row = self.session.get(EnvelopeYearRow, year)
        cents = to_cents(amount)
        if row is None:
            self.session.add(EnvelopeYearRow(year=year, amount_cents=cents, updated_at=now,
                                             updated_by=actor))  # fmt: skip
        elif row.amount_cents != cents:
            row.amount_cents, row.updated_at, row.updated_by = cents, now, actor

    def envelope_settings(self) -> EnvelopeSettings:
        """Envelopes, their basis, the support-cost rate and the allocation targets."""
        s = self.settings()
        return EnvelopeSettings(self.envelopes(), s.get("envelope_basis", "gross"),
                                Decimal(s.get("psc_rate_percent", "13")),
                                self.targets())  # fmt: skip

    def targets(self, year: int | None = None) -> list[Target]:
        stmt = select(AllocationTargetRow).order_by(AllocationTargetRow.year,
                                                    AllocationTargetRow.dimension,
                                                    AllocationTargetRow.key)  # fmt: skip
        if year is not None:
            stmt = stmt.where(AllocationTargetRow.year == year)
        return [Target(r.year, r.dimension, r.key, r.mode, Decimal(r.value))
                for r in self.session.scalars(stmt)]  # fmt: skip

    def replace_targets(self, year: int, dimension: str, targets: list[Target], actor: str,
                        now: datetime) -> None:  # fmt: skip
        rows = {
            r.key: r
            for r in self.session.scalars(
                select(AllocationTargetRow).where(
                    AllocationTargetRow.year == year, AllocationTargetRow.dimension == dimension
                )
            )
        }
        wanted = {t.key: t for t in targets}
        for key, row in rows.items():
            if key not in wanted:
                self.session.delete(row)
        for key, t in wanted.items():
            row = rows.get(key)
            value = str(t.value)
            if row is None:
                self.session.add(AllocationTargetRow(year=year, dimension=dimension, key=key,
                                                     mode=t.mode, value=value, updated_at=now,
                                                     updated_by=actor))  # fmt: skip
            elif (row.mode, Decimal(row.value)) != (t.mode, t.value):
                row.mode, row.value, row.updated_at, row.updated_by = t.mode, value, now, actor

    # cost rates, vacancy ---------------------------------------------------------------------
    def rate_rows(self) -> list[StaffCostRateRow]:
        return list(self.session.scalars(select(StaffCostRateRow).order_by(
            StaffCostRateRow.grade, StaffCostRateRow.duty_station)))  # fmt: skip

    def vacancy(self) -> dict[int, Decimal]:
        return {r.year: Decimal(r.percent) for r in self.session.scalars(
            select(VacancyFactorRow).order_by(VacancyFactorRow.year))}  # fmt: skip

    def set_vacancy(self, year: int, percent: Decimal, actor: str, now: datetime) -> None:
        row = self.session.get(VacancyFactorRow, year)
        if row is None:
            self.session.add(VacancyFactorRow(year=year, percent=str(percent), updated_at=now,
                                              updated_by=actor))  # fmt: skip
        elif Decimal(row.percent) != percent:
            row.percent, row.updated_at, row.updated_by = str(percent), now, actor

    def cost_rates(self) -> CostRates:
        s = self.settings()
        return CostRates(
            base_year=int(s.get("rates_base_year", "2024")),
            escalation_percent=Decimal(s.get("escalation_percent", "0")),
            annual={(r.grade, r.duty_station): from_cents(r.annual_cents)
                    for r in self.rate_rows()},
            vacancy_percent=self.vacancy(),
        )  # fmt: skip

    # position plans --------------------------------------------------------------------------
    def plans(self) -> list[PositionPlan]:
        rows = self.session.execute(
            select(PositionPlanRow, PositionRow).join(
                PositionRow, PositionRow.id == PositionPlanRow.position_id).order_by(
                PositionRow.sort)).all()  # fmt: skip
        return [
            PositionPlan(
                position_id=plan.position_id,
                title=pos.title,
                grade=plan.grade,
                category=pos.category,
                duty_station=plan.duty_station,
                is_new=pos.status == "new",
                start=plan.start,
                end=plan.end,
                split=parse_split(plan.split),
                dropped=plan.dropped,
                version=plan.version,
            )  # fmt: skip
            for plan, pos in rows
        ]

    def plan_rows(self) -> dict[str, PositionPlanRow]:
        return {r.position_id: r for r in self.session.scalars(select(PositionPlanRow))}

    # closed periods --------------------------------------------------------------------------
    def closed_period(self) -> ClosedPeriodRow | None:
        return self.session.get(ClosedPeriodRow, 1)

    def lock_closed_period(self) -> ClosedPeriodRow | None:
        """The closed-period row, read as stored once every other save of plans or rates and
        every close or reopen has ended, and locked until this transaction ends: none of them
        checks against a closed month another is changing. PostgreSQL: a transaction-level
        advisory lock (it also covers the row before the first close writes it). SQLite: a write
        statement on the table, which begins the write transaction (one writer at a time). None
        before the first close (nothing closed)."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("SELECT pg_advisory_xact_lock(:k, 1)"),
                                 {"k": CLOSED_LOCK_CLASS})  # fmt: skip
        else:
            table = ClosedPeriodRow.__table__
            self.session.execute(update(table).where(table.c.id == 1).values(id=table.c.id))
        self.session.expire_all()
        return self.session.get(ClosedPeriodRow, 1)
