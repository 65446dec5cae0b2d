"""Contributions with their tranches, and exchange rates: rows to domain records and back."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from rpsee.domain.money import from_cents, to_cents
from rpsee.domain.pipeline import Contribution, Earmark, ExchangeRate
from rpsee.store.models import ContributionRow, ContributionTrancheRow, ExchangeRateRow


def to_contribution(row: ContributionRow) -> Contribution:
    return Contribution(
        id=row.id,
        donor=row.donor_code,
        reference=row.reference,
        currency=row.currency,
        tranches={t.year: from_cents(t.amount_cents) for t in row.tranches},
        status=row.status,
        earmark=Earmark(row.earmark_kind, row.earmark_code),
        probability=None if row.probability is None else Decimal(row.probability),
        support_rate=Decimal(row.support_rate),
        confidential=row.confidential,
        notes=row.notes,
        version=row.version,
    )


def write_contribution(row: ContributionRow, c: Contribution, actor: str, now: datetime) -> None:
    """Copy a checked contribution onto its row (tranches replaced year by year)."""
    row.donor_code, row.reference, row.currency, row.status = (
        c.donor, c.reference, c.currency, c.status)  # fmt: skip
    row.earmark_kind, row.earmark_code = c.earmark.kind, c.earmark.code
    row.probability = None if c.probability is None else str(c.probability)
    row.support_rate, row.confidential, row.notes = str(c.support_rate), c.confidential, c.notes
    row.updated_at, row.updated_by = now, actor
    have = {t.year: t for t in row.tranches}
    for year in sorted(set(have) - set(c.tranches)):
        row.tranches.remove(have[year])
    for year, amount in sorted(c.tranches.items()):
        cents = to_cents(amount)
        if year in have:
            if have[year].amount_cents != cents:
                have[year].amount_cents = cents
        else:
            row.tranches.append(ContributionTrancheRow(year=year, amount_cents=cents))


class PipelineRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def contributions(self) -> list[Contribution]:
        stmt = select(ContributionRow).order_by(ContributionRow.id)
        return [to_contribution(r) for r in self.session.scalars(stmt)]

    def row(self, contribution_id: int) -> ContributionRow | None:
        return self.session.get(ContributionRow, contribution_id)

    def add(self, c: Contribution, actor: str, now: datetime) -> ContributionRow:
        row = ContributionRow()
        write_contribution(row, c, actor, now)
        self.session.add(row)
        self.session.flush()
        return row

    def rates(self) -> list[ExchangeRate]:
        stmt = select(ExchangeRateRow).order_by(ExchangeRateRow.currency, ExchangeRateRow.as_of)
        return [ExchangeRate(r.currency, Decimal(r.usd_per_unit), date.fromisoformat(r.as_of))
                for r in self.session.scalars(stmt)]  # fmt: skip

    def set_rate(self, rate: ExchangeRate, actor: str, now: datetime) -> None:
        """Add the rate of that currency and date, or change it."""
        row = self.session.scalars(select(ExchangeRateRow).where(
            ExchangeRateRow.currency == rate.currency,
            ExchangeRateRow.as_of == rate.as_of.isoformat())).first()  # fmt: skip
        value = str(rate.usd_per_unit)
        if row is None:
            self.session.add(ExchangeRateRow(currency=rate.currency,
                                             as_of=rate.as_of.isoformat(), usd_per_unit=value,
                                             updated_at=now, updated_by=actor))  # fmt: skip
        elif Decimal(row.usd_per_unit) != rate.usd_per_unit:
            row.usd_per_unit, row.updated_at, row.updated_by = value, now, actor
