"""Funding against the requirement, per year, thematic area and office, in one counting mode:
the requirement, what the funding plan funds (honouring earmarks), the gap and the coverage.

Support costs follow the money: the direct costs a tranche funds carry its own rate (EU 7%,
default 13%), and what stays unfunded carries the default rate. So the requirement of a mode is
direct costs + support costs at those rates; `rates` lists, per rate, the direct costs it was
charged on and the support costs (each rounded once per year and rate), and a breakdown (area,
office) shares each rate's support costs in proportion to its direct costs there, to the cent,
so every column adds up to the year. The gap is what is not funded: unfunded direct costs plus
their support costs at the default rate. Money the earmarks leave unused is reported apart
(`unused_cents`): it covers nothing and so does not reduce the gap."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from rpsee.domain.allocation import split_cents
from rpsee.domain.funding_plan import FundingPlan, counted_cents
from rpsee.domain.pipeline import Tranche
from rpsee.domain.requirement import Need

HUNDRED = Decimal(100)

# The two requirements, named apart wherever they are shown (pages, pack, workbook):
PLANNED = "Planned"
PLANNED_HELP = ("Activities + staff + programme support costs at the standard rate: the "
                "allocation comparison's planned figure")
REQUIREMENT = "Requirement at funders' rates"
REQUIREMENT_HELP = ("Activities + staff + programme support costs at the rate of the money "
                    "that pays each line (e.g. the EU's 7%), unfunded lines at the standard "
                    "rate: planned minus the support costs saved")
SAVED = "Support costs saved"


def support_cents(direct_cents: int, rate: Decimal) -> int:
    """Support costs (cents) at `rate` percent of direct costs, rounded half up once."""
    return int((Decimal(direct_cents) * rate / HUNDRED).to_integral_value(ROUND_HALF_UP))


@dataclass(frozen=True)
class Coverage:
    """One line: a year's total, a thematic area or an office (all in cents)."""

    key: str
    direct_cents: int
    support_cents: int
    funded_cents: int  # funded direct costs + their support costs

    @property
    def requirement_cents(self) -> int:
        return self.direct_cents + self.support_cents

    @property
    def gap_cents(self) -> int:
        return self.requirement_cents - self.funded_cents

    @property
    def coverage_percent(self) -> Decimal | None:
        """Funded over requirement, in percent to one decimal (None: nothing required)."""
        if self.requirement_cents == 0:
            return None
        share = Decimal(self.funded_cents) * HUNDRED / Decimal(self.requirement_cents)
        return share.quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class RateLine:
    """Direct costs charged at one support-cost rate in a year, and the support costs."""

    rate: Decimal
    funded: bool  # False: the unfunded part, at the default rate
    direct_cents: int
    support_cents: int


@dataclass(frozen=True)
class YearFunding:
    year: int
    mode: str
    total: Coverage
    areas: tuple[Coverage, ...]
    offices: tuple[Coverage, ...]
    rates: tuple[RateLine, ...]
    counted_cents: int  # all money counted in the mode this year, whatever its earmark
    default_support_cents: int  # support costs if all were charged at the default rate

    @property
    def unused_cents(self) -> int:
        """Money counted but not usable for this year's needs (earmarks, or more than needed)."""
        return self.counted_cents - self.total.funded_cents

    @property
    def requirement_at_default_cents(self) -> int:
        """The allocation comparison's figure: direct + support costs at the default rate."""
        return self.total.direct_cents + self.default_support_cents


def _buckets(needs: Sequence[Need], plan: FundingPlan, default_rate: Decimal
             ) -> dict[tuple[bool, Decimal], dict[str, int]]:  # fmt: skip
    """(funded?, rate) -> need key -> direct cents charged at that rate."""
    keys = {n.key for n in needs}
    out: dict[tuple[bool, Decimal], dict[str, int]] = {}
    for a in plan.allocations:
        if a.need in keys:
            b = out.setdefault((True, plan.supplies[a.supply].rate), {})
            b[a.need] = b.get(a.need, 0) + a.cents
    for n in needs:
        left = n.cents - plan.funded.get(n.key, 0)
        if left:
            out.setdefault((False, default_rate), {})[n.key] = left
    return out


def _breakdown(keys: Sequence[str], key_of: Mapping[str, str], needs: Sequence[Need],
               buckets: Mapping[tuple[bool, Decimal], Mapping[str, int]],
               psc: Mapping[tuple[bool, Decimal], int]) -> tuple[Coverage, ...]:  # fmt: skip
    idx = {k: i for i, k in enumerate(keys)}
    direct = [0] * len(keys)
    support = [0] * len(keys)
    funded = [0] * len(keys)
    for n in needs:
        direct[idx[key_of[n.key]]] += n.cents
    for bucket, lines in buckets.items():
        weights = [0] * len(keys)
        for need_key, cents in lines.items():
            weights[idx[key_of[need_key]]] += cents
        shares = split_cents(psc[bucket], weights) if sum(weights) else [0] * len(keys)
        for i, share in enumerate(shares):
            support[i] += share
            if bucket[0]:
                funded[i] += share + weights[i]
    return tuple(Coverage(k, direct[i], support[i], funded[i]) for i, k in enumerate(keys))


def year_funding(year: int, plan: FundingPlan, default_rate: Decimal,
                 area_keys: Iterable[str] = (), office_keys: Iterable[str] = ()
                 ) -> YearFunding:  # fmt: skip
    """The year's requirement, funding, gap and coverage in the plan's mode (see module)."""
    needs = [n for n in plan.needs if n.year == year]
    buckets = _buckets(needs, plan, default_rate)
    psc = {b: support_cents(sum(lines.values()), b[1]) for b, lines in buckets.items()}
    order = sorted(buckets, key=lambda b: (not b[0], b[1]))
    rates = tuple(RateLine(b[1], b[0], sum(buckets[b].values()), psc[b]) for b in order)
    direct = sum(n.cents for n in needs)
    funded = sum(r.direct_cents + r.support_cents for r in rates if r.funded)
    total = Coverage(str(year), direct, sum(psc.values()), funded)
    areas = list(area_keys) + sorted({n.area for n in needs} - set(area_keys))
    offices = list(office_keys) + sorted({n.office for n in needs} - set(office_keys))
    counted = sum(s.gross_cents for s in plan.supplies if s.tranche.year == year)
    return YearFunding(
        year, plan.mode, total,
        _breakdown(areas, {n.key: n.area for n in needs}, needs, buckets, psc),
        _breakdown(offices, {n.key: n.office for n in needs}, needs, buckets, psc),
        rates, counted, support_cents(direct, default_rate),
    )  # fmt: skip


OTHER_CONTRIBUTIONS = "Other contributions"


def donor_label(t: Tranche, show_confidential_of: str | None = None, show_all: bool = True
                ) -> str:  # fmt: skip
    """The donor as a reader may see it: OTHER_CONTRIBUTIONS for another donor's confidential
    money when not `show_all` (an observer seeing only `show_confidential_of`'s own)."""
    hidden = not show_all and t.confidential and t.donor != show_confidential_of
    return OTHER_CONTRIBUTIONS if hidden else t.donor


def by_donor_year(tranches: Iterable[Tranche], mode: str, show_confidential_of: str | None = None,
                  show_all: bool = True) -> dict[tuple[str, int], int]:  # fmt: skip
    """Money counted in `mode` by (donor, year), in cents, whatever its earmark. With
    `show_all` False (an observer), confidential contributions of donors other than
    `show_confidential_of` are added up as OTHER_CONTRIBUTIONS."""
    out: dict[tuple[str, int], int] = {}
    for t in tranches:
        key = (donor_label(t, show_confidential_of, show_all), t.year)
        out[key] = out.get(key, 0) + counted_cents(t, mode)
    return out


@dataclass(frozen=True)
class Step:
    label: str
    cents: int  # positive: the requirement and the gap; negative: what covers it


def waterfall(hard: YearFunding, hard_soft: YearFunding) -> list[Step]:
    """From the planned costs (support costs at the default rate) to the gap: support costs
    saved where money of a lower rate pays (planned - saved = the requirement at funders'
    rates), hard funding, the soft funding it adds, the gap left (hard + soft). The steps add
    up: planned - saved - hard - soft = gap."""
    if (hard.year, hard.mode, hard_soft.mode) != (hard_soft.year, "hard", "hard_soft"):
        raise ValueError("waterfall: the hard and the hard + soft figures of one year")
    requirement = hard_soft.requirement_at_default_cents
    saved = requirement - hard_soft.total.requirement_cents
    soft = hard_soft.total.funded_cents - hard.total.funded_cents
    return [Step(PLANNED, requirement), Step(SAVED, -saved),
            Step("Hard", -hard.total.funded_cents), Step("Soft", -soft),
            Step("Gap", hard_soft.total.gap_cents)]  # fmt: skip
