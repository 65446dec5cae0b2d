"""The IATI activities as the file holds them (what `rpsee/reports/iati_xml.py` writes, in the
2.03 schema's order): plain records, amounts in USD to the cent, percentages adding to 100."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class Org:
    name: str
    type: str  # OrganisationType
    ref: str | None = None
    role: str | None = None  # OrganisationRole (participating-org only)


@dataclass(frozen=True)
class Period:
    start: date
    end: date


@dataclass(frozen=True)
class Budget:
    period: Period
    status: str  # BudgetStatus: 1 indicative, 2 committed
    value: Decimal


@dataclass(frozen=True)
class Disbursement:
    period: Period
    value: Decimal
    provider: Org


@dataclass(frozen=True)
class Transaction:
    type: str  # TransactionType: 1 incoming funds, 4 expenditure, 11 incoming commitment
    day: date
    value: Decimal
    description: str
    provider: Org | None = None
    receiver: Org | None = None


@dataclass(frozen=True)
class ResultPeriod:
    period: Period
    target: Decimal | None
    actual: Decimal | None


@dataclass(frozen=True)
class Indicator:
    title: str
    measure: str  # IndicatorMeasure: 1 unit, 2 percentage
    ascending: bool
    baseline_year: int | None
    baseline: Decimal | None
    periods: tuple[ResultPeriod, ...]


@dataclass(frozen=True)
class Result:
    title: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class IatiActivity:
    identifier: str
    hierarchy: int
    title: str
    descriptions: tuple[tuple[str, str], ...]  # (DescriptionType, text)
    participating: tuple[Org, ...]
    status: str  # ActivityStatus
    dates: tuple[tuple[str, date], ...]  # (ActivityDateType, day)
    countries: tuple[tuple[str, Decimal], ...]  # (ISO code, percentage)
    sectors: tuple[tuple[str, Decimal], ...]  # (DAC 5-digit code, percentage)
    sdg_targets: tuple[str, ...]
    policy_markers: tuple[tuple[str, str, str], ...]  # (code, significance, name)
    budgets: tuple[Budget, ...]
    disbursements: tuple[Disbursement, ...]
    transactions: tuple[Transaction, ...]
    related: tuple[tuple[str, str], ...]  # (RelatedActivityType, identifier)
    results: tuple[Result, ...]


@dataclass(frozen=True)
class IatiFile:
    generated: datetime
    reporting_org: Org
    defaults: tuple[tuple[str, str], ...]  # (element, code) of the defaults, in schema order
    activities: tuple[IatiActivity, ...]
