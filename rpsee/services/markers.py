"""Markers: what the checks need from the monitoring settings, and the shares of budget and
delivery by marker code (see rpsee/domain/markers)."""

from __future__ import annotations

from dataclasses import dataclass

from rpsee.domain.markers.shares import MARKERS, budget_shares, delivery_shares
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.roles import CurrentUser, Permission, require
from rpsee.domain.tables import Table
from rpsee.services import expenditure, programme, progress, workplans


def sex_disaggregated_outputs(ref: ProgrammeReference) -> frozenset[str]:
    """The outputs with at least one indicator disaggregated by sex (data/monitoring.yaml):
    pure reading of settings, no user data."""
    return frozenset(s.output_code for s in progress.specs(ref).values() if s.by_sex)


@dataclass(frozen=True)
class MarkerShares:
    """A version's shares by marker code: of its budget, and of the year's spending when
    expenditure of that year was imported."""

    year: int
    budget: list[Table]
    delivery: list[Table]


def shares(user: CurrentUser, workplan_id: int, url: str | None = None) -> MarkerShares:
    """The shares of a version the user may read (GEM, DAC gender, DAC disability; by area and
    by lead office), with the year's spending shared out the same way."""
    require(user, Permission.VIEW_PROGRAMME)
    lines = workplans.activities(user, workplan_id, url=url)  # checks the version is readable
    plan = next(p for p in workplans.list_workplans(user, url=url) if p.id == workplan_id)
    ref = programme.reference(user, url=url)
    budget = [budget_shares(lines, plan.year, ref, m, by) for m in MARKERS
              for by in ("area", "office")]  # fmt: skip
    spent = expenditure.spent(user, plan.year, url=url)
    delivery = [delivery_shares(lines, spent, plan.year, ref, m, by)
                for m in MARKERS for by in ("area", "office")] if spent else []  # fmt: skip
    return MarkerShares(plan.year, budget, delivery)
