"""The donor pipeline: contributions in the donor's currency, their tranches by year, status,
probability, earmark and support-cost rate, and their value in USD at dated exchange rates."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from rpsee.domain.money import CENT

STATUSES = ("hard", "soft", "prospect")  # hard: signed; soft: pledged or in negotiation
STATUS_LABELS = {
    "hard": "Hard (signed)",
    "soft": "Soft (pledged or in negotiation)",
    "prospect": "Prospect (identified, not yet pledged)",
}
EARMARK_KINDS = ("none", "area", "output", "jurisdiction", "global_programme")
EARMARK_LABELS = {
    "none": "Not earmarked",
    "area": "Thematic area",
    "output": "Output",
    "jurisdiction": "Jurisdiction",
    "global_programme": "Global Programme",
}
HUNDRED = Decimal(100)


class PipelineError(ValueError):
    """A contribution or rate that cannot be used; the message names the field."""


@dataclass(frozen=True)
class Earmark:
    """What a contribution may pay for: anything (`none`), or one area, output, jurisdiction
    or Global Programme named by `code`."""

    kind: str = "none"
    code: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in EARMARK_KINDS:
            raise PipelineError(f"Earmark: unknown kind {self.kind!r}")
        if (self.kind == "none") != (self.code is None):
            raise PipelineError("Earmark: a code is needed for an earmark, and only then")

    @property
    def label(self) -> str:
        if self.kind == "none":
            return EARMARK_LABELS["none"]
        return f"{EARMARK_LABELS[self.kind]} {self.code}"


@dataclass(frozen=True)
class Contribution:
    """One donor agreement or prospect. `tranches` are amounts in `currency` by calendar year;
    `probability` None means the default of its status (see `data/pipeline.yaml`)."""

    id: int | None
    donor: str
    reference: str
    currency: str
    tranches: Mapping[int, Decimal]
    status: str
    earmark: Earmark = field(default_factory=Earmark)
    probability: Decimal | None = None  # percent, 0..100
    support_rate: Decimal = Decimal("13")  # percent of direct costs
    confidential: bool = False
    notes: str = ""
    version: int | None = None

    @property
    def total(self) -> Decimal:
        return sum(self.tranches.values(), Decimal("0.00"))

    def chance(self, defaults: Mapping[str, Decimal]) -> Decimal:
        """The probability (percent) this contribution is counted with."""
        return self.probability if self.probability is not None else defaults[self.status]


@dataclass(frozen=True)
class ExchangeRate:
    """USD for one unit of `currency`, as of a date (finance keeps them)."""

    currency: str
    usd_per_unit: Decimal
    as_of: date


def rate_table(rates: Iterable[ExchangeRate], on: date | None = None) -> dict[str, ExchangeRate]:
    """The rate of each currency in use: the latest one dated on or before `on` (default: the
    latest of all). USD is always 1."""
    table: dict[str, ExchangeRate] = {}
    for r in rates:
        if on is not None and r.as_of > on:
            continue
        if r.currency not in table or r.as_of > table[r.currency].as_of:
            table[r.currency] = r
    table.setdefault("USD", ExchangeRate("USD", Decimal(1), date(2024, 1, 1)))
    return table


def to_usd(amount: Decimal, currency: str, rates: Mapping[str, ExchangeRate]) -> Decimal:
    """An amount in USD, to the cent; an unknown currency is refused by name."""
    rate = rates.get(currency)
    if rate is None:
        raise PipelineError(f"Currency: no exchange rate for {currency!r}")
    return (amount * rate.usd_per_unit).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Tranche:
    """One year's money of one contribution, in USD: what the funding computations use."""

    contribution_id: int | None
    donor: str
    reference: str
    year: int
    usd: Decimal
    status: str
    probability: Decimal  # percent, resolved (default by status or the contribution's own)
    earmark: Earmark
    support_rate: Decimal
    confidential: bool = False


def tranches_usd(
    contributions: Iterable[Contribution],
    rates: Mapping[str, ExchangeRate],
    defaults: Mapping[str, Decimal],
) -> list[Tranche]:
    """Every contribution's tranches in USD, in order (contribution, then year)."""
    result: list[Tranche] = []
    for c in contributions:
        chance = c.chance(defaults)
        for year in sorted(c.tranches):
            result.append(Tranche(c.id, c.donor, c.reference, year,
                                  to_usd(c.tranches[year], c.currency, rates), c.status,
                                  chance, c.earmark, c.support_rate, c.confidential))  # fmt: skip
    return result


def check_contribution(c: Contribution, cycle_years: Iterable[int], currencies: Iterable[str],
                       row: str = "Contribution") -> list[str]:  # fmt: skip
    """Problems with a contribution, each naming the field (empty when it may be saved)."""
    years, known = set(cycle_years), set(currencies)
    problems: list[str] = []
    if not c.donor:
        problems.append(f"{row}, Donor: is missing")
    if c.status not in STATUSES:
        problems.append(f"{row}, Status: {c.status!r}: use one of {', '.join(STATUSES)}")
    if c.currency not in known:
        problems.append(f"{row}, Currency: unknown currency {c.currency!r}")
    if c.probability is not None and not (Decimal(0) <= c.probability <= HUNDRED):
        problems.append(f"{row}, Probability: {c.probability}% is outside 0–100%")
    if not (Decimal(0) <= c.support_rate <= HUNDRED):
        problems.append(f"{row}, Support-cost rate: {c.support_rate}% is outside 0–100%")
    if not c.tranches:
        problems.append(f"{row}, Tranches: at least one year's amount")
    for year, amount in sorted(c.tranches.items()):
        if year not in years:
            problems.append(f"{row}, Tranche {year}: outside the programme cycle "
                            f"({min(years)}–{max(years)})")  # fmt: skip
        if amount < 0:
            problems.append(f"{row}, Tranche {year}: a negative amount ({amount})")
    return problems


# -- exchange rates typed by finance -----------------------------------------------------------
RATE_PLACES = 6  # USD per unit to six decimals (TRY 0.030500, SEK 0.094400)
MAX_RATE = Decimal(10000)
_RATE_TEXT = re.compile(r"^(\d+)(?:\.(\d+))?$|^\.(\d+)$", re.ASCII)


def parse_rate(value: object, field: str = "Rate") -> Decimal:
    """An exchange rate as typed: digits with a point (at most six decimals), above zero; a
    comma, a sign, exponents or floats are refused naming `field`."""
    text = str(value).strip() if isinstance(value, (str, int, Decimal)) else None
    if isinstance(value, bool) or text is None or not text:
        raise PipelineError(f"{field}: type the USD value of one unit, e.g. 1.0705")
    if not _RATE_TEXT.match(text):
        raise PipelineError(f"{field}: {text[:40]!r} is not a rate: type digits with a point for "
                            "decimals, e.g. 0.0944")  # fmt: skip
    rate = Decimal(text)
    if rate <= 0 or rate > MAX_RATE:
        raise PipelineError(f"{field}: {text!r} must be above 0 and at most {MAX_RATE}")
    if -rate.normalize().as_tuple().exponent > RATE_PLACES:  # type: ignore[operator]
        raise PipelineError(f"{field}: {text!r} has more than {RATE_PLACES} decimals")
    return rate


# -- donor confidentiality -----------------------------------------------------------------------
OTHER_CONFIDENTIAL = "Other contributions (confidential)"  # an observer's aggregate line
# (what is grouped in it, and why: rpsee/domain/disclosure.py)
