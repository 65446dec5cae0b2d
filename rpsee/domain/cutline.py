"""Cut lines by priority: at a funding level (a percent of a year's requirement), which needs
fall below the line, tier by tier.

The level's money is taken as unearmarked and charged at the default support-cost rate; it
funds the essential needs first, then high, medium and low, each tier in key order (activities
by code, then positions), by the funding plan's own solver, so a cut line and a funding plan
never disagree on the order. The need straddling the line is partly funded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from rpsee.domain.funding import support_cents
from rpsee.domain.funding_plan import Shortfall, solve
from rpsee.domain.money import from_cents
from rpsee.domain.pipeline import Earmark, Tranche
from rpsee.domain.requirement import Need
from rpsee.domain.workplan import PRIORITIES

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class TierLine:
    """One priority tier at the level: its cost, what is funded, and what falls below."""

    priority: str
    direct_cents: int
    funded_cents: int
    below: tuple[Shortfall, ...]

    @property
    def fully_funded(self) -> bool:
        return self.funded_cents == self.direct_cents


@dataclass(frozen=True)
class CutLine:
    year: int
    level_percent: Decimal
    budget_cents: int  # the level's money (direct + support costs)
    tiers: tuple[TierLine, ...]

    @property
    def below(self) -> list[Shortfall]:
        """Every need below the line, priorities first."""
        return [s for t in self.tiers for s in t.below]


def cut_line(year: int, needs: Sequence[Need], level_percent: Decimal, default_rate: Decimal
             ) -> CutLine:  # fmt: skip
    """The year's cut line at `level_percent` of its requirement (direct + default support)."""
    if not Decimal(0) <= level_percent:
        raise ValueError(f"Funding level: {level_percent}% is negative")
    mine = [n for n in needs if n.year == year]
    direct = sum(n.cents for n in mine)
    requirement = direct + support_cents(direct, default_rate)
    budget = int((Decimal(requirement) * level_percent / HUNDRED).to_integral_value(ROUND_HALF_UP))
    money = Tranche(None, "Funding level", f"{level_percent}%", year, from_cents(budget), "hard",
                    HUNDRED, Earmark(), default_rate)  # fmt: skip
    plan = solve(mine, [money], "hard")
    short = plan.shortfalls()
    tiers = tuple(
        TierLine(p, sum(n.cents for n in mine if n.priority == p),
                 plan.funded_by_tier(year)[p],
                 tuple(s for s in short if s.need.priority == p))
        for p in PRIORITIES
    )  # fmt: skip
    return CutLine(year, level_percent, budget, tiers)
