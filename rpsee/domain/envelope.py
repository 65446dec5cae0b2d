"""The envelope and its allocation: targets by thematic area and office, and the comparison
envelope -> allocated -> planned (activities + staff + programme support costs) -> headroom."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from rpsee.domain.allocation import split_cents
from rpsee.domain.money import CENT, format_usd, from_cents, to_cents

HUNDRED = Decimal(100)
ZERO = Decimal("0.00")
BASES = ("gross", "net")  # gross: the envelope includes programme support costs


@dataclass(frozen=True)
class Target:
    """An allocation target of one year: `dimension` is `area` or `office`."""

    year: int
    dimension: str
    key: str
    mode: str  # "usd" or "percent"
    value: Decimal


def target_amounts(targets: Iterable[Target], envelope: Decimal) -> dict[str, Decimal]:
    """The amounts of one year's targets of one dimension (area or office), by key.

    USD targets count as set. Percent targets are shares of the envelope, turned into amounts
    together by the exact splitter: their percents and the part no target covers (100% minus
    their sum, when positive: it stays unallocated) share the envelope by largest remainder. So
    shares adding up to 100% give amounts adding up to the envelope to the cent, and no share
    loses a cent to rounding. Shares adding up to more than 100% share the envelope times their
    sum (rounded to the cent once), which the checks then report as over-allocation."""
    targets = list(targets)
    if len({(t.year, t.dimension) for t in targets}) > 1:
        raise ValueError("targets of one year and one dimension only")
    amounts = {t.key: t.value.quantize(CENT) for t in targets if t.mode != "percent"}
    percents = [t for t in targets if t.mode == "percent"]
    if percents:
        share = sum((t.value for t in percents), Decimal(0))
        whole = envelope if share <= HUNDRED else envelope * share / HUNDRED
        weights = [t.value for t in percents] + [max(HUNDRED - share, Decimal(0))]
        parts = split_cents(to_cents(whole.quantize(CENT, ROUND_HALF_UP)), weights)
        amounts.update({t.key: from_cents(c) for t, c in zip(percents, parts[:-1], strict=True)})
    return amounts


def unallocated(targets: Iterable[Target], envelope: Decimal) -> Decimal:
    """The envelope minus the targets' amounts (negative: the targets exceed the envelope)."""
    return envelope - sum(target_amounts(targets, envelope).values(), ZERO)


def psc(direct: Decimal, rate_percent: Decimal) -> Decimal:
    """Programme support costs charged on direct costs."""
    return (direct * rate_percent / HUNDRED).quantize(CENT, ROUND_HALF_UP)


def direct_share(envelope: Decimal, basis: str, rate_percent: Decimal) -> Decimal:
    """What an amount of the envelope leaves for direct costs once support costs are charged."""
    if basis == "gross":
        return (envelope * HUNDRED / (HUNDRED + rate_percent)).quantize(CENT, ROUND_HALF_UP)
    return envelope


@dataclass(frozen=True)
class Row:
    """One line of the comparison (a thematic area, an office, or the year's total)."""

    key: str
    allocated: Decimal | None
    activities: Decimal
    staff: Decimal
    support_costs: Decimal
    counts_support_costs: bool

    @property
    def planned(self) -> Decimal:
        total = self.activities + self.staff
        return total + self.support_costs if self.counts_support_costs else total

    @property
    def headroom(self) -> Decimal | None:
        """Allocated minus planned: negative means over-allocated."""
        return None if self.allocated is None else self.allocated - self.planned


def compare(
    keys: Iterable[str],
    allocated: Mapping[str, Decimal],
    activities: Mapping[str, Decimal],
    staff: Mapping[str, Decimal],
    basis: str,
    rate_percent: Decimal,
) -> list[Row]:
    """One row per key, in order. Support costs are computed once on the total direct costs and
    shared among the rows in proportion to their direct costs (to the cent), so every column
    adds up and two breakdowns of the same year (by area, by office) show the same totals."""
    keys = list(keys)
    direct = [activities.get(k, ZERO) + staff.get(k, ZERO) for k in keys]
    total_psc = psc(sum(direct, ZERO), rate_percent)
    weights = [to_cents(d) for d in direct]
    shares = (split_cents(to_cents(total_psc), weights) if sum(weights) > 0
              else [0] * len(keys))  # fmt: skip
    return [
        Row(k, allocated.get(k), activities.get(k, ZERO), staff.get(k, ZERO), from_cents(c),
            basis == "gross")
        for k, c in zip(keys, shares, strict=True)
    ]  # fmt: skip


def total_row(rows: list[Row], envelope: Decimal, basis: str) -> Row:
    return Row(
        "Total", envelope, sum((r.activities for r in rows), ZERO),
        sum((r.staff for r in rows), ZERO), sum((r.support_costs for r in rows), ZERO),
        basis == "gross",
    )  # fmt: skip


@dataclass(frozen=True)
class Warning:
    cell: str
    message: str

    def __str__(self) -> str:
        return f"{self.cell}: {self.message}"


def check_targets(
    year: int, dimension_label: str, envelope: Decimal, targets: list[Target],
    names: Mapping[str, str],
) -> list[Warning]:  # fmt: skip
    """Soft problems to show (never refused): shares that do not add up, over-allocation."""
    warnings: list[Warning] = []
    if not targets:
        return warnings
    percents = [t for t in targets if t.mode == "percent"]
    if len(percents) == len(targets):
        share = sum((t.value for t in percents), Decimal(0))
        if share != HUNDRED:
            warnings.append(Warning(f"{year} · {dimension_label} shares",
                                    f"add up to {share}%, not 100%"))  # fmt: skip
    total = sum(target_amounts(targets, envelope).values(), ZERO)
    if total > envelope:
        warnings.append(Warning(f"{year} · {dimension_label} targets",
                                f"{format_usd(total)} is {format_usd(total - envelope)} more "
                                f"than the envelope of {format_usd(envelope)}"))  # fmt: skip
    elif len(percents) != len(targets) and total < envelope:
        warnings.append(Warning(f"{year} · {dimension_label} targets",
                                f"{format_usd(envelope - total)} of the envelope is not "
                                "allocated"))  # fmt: skip
    return warnings


def over_allocations(year: int, rows: list[Row], names: Mapping[str, str]) -> list[Warning]:
    return [
        Warning(f"{year} · {names.get(r.key, r.key)}",
                f"planned {format_usd(r.planned)} exceeds the allocation of "
                f"{format_usd(r.allocated)} by {format_usd(-r.headroom)}")
        for r in rows if r.headroom is not None and r.headroom < 0
    ]  # fmt: skip
