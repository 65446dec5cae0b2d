"""The approval pack's charts: the pages' own chart specs (rpsee/domain/chart_specs.py) from the
figures the pack prints, so a chart and the table beside it show the same numbers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from rpsee.domain import chart_specs
from rpsee.domain.funding import YearFunding, by_donor_year, waterfall
from rpsee.domain.funding_plan import MODE_LABELS
from rpsee.domain.overview import funding_by_year
from rpsee.domain.pack import Chart
from rpsee.domain.pipeline import Tranche
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.requirement import YearComparison
from rpsee.domain.scenario_record import money_by_donor, monte_carlo_of

DONOR_MODE = "hard_soft"


def cycle_chart(comparisons: Mapping[int, YearComparison]) -> Chart:
    """Each year's staff, activities, support costs and headroom against the envelope (the
    allocation page's chart)."""
    rows = [{"year": y, "staff": c.area_total.staff, "activities": c.area_total.activities,
             "support": c.area_total.support_costs, "unallocated": c.unallocated,
             "envelope": c.envelope} for y, c in sorted(comparisons.items())]  # fmt: skip
    return Chart(chart_specs.stacked_years(rows), "Envelope and plan by year (USD million)")


def heat_chart(c: YearComparison, ref: ProgrammeReference) -> Chart:
    areas = [(a.code, ref.area_label(a.code)) for a in ref.areas]
    return Chart(chart_specs.heat_map(c.heat, areas, list(ref.office_names().items())),
                 f"{c.year}: planned direct costs, thematic area × office "
                 f"({chart_specs.THOUSAND}, {chart_specs.THOUSAND_ROUNDING})", 210)


def funding_chart(ref: ProgrammeReference, envelopes: Mapping[int, Decimal]) -> Chart:
    """The overview's chart: delivery, the document's hard pipeline and the envelope by year."""
    rows = funding_by_year(ref.figures, dict(envelopes))
    return Chart(chart_specs.funding_by_year(rows),
                 "Envelope, hard pipeline (mid-2024) and past delivery by year (USD million)")


def donor_chart(tranches: Sequence[Tranche], years: Sequence[int], donors: Mapping[str, str],
                title: str) -> Chart:  # fmt: skip
    return _donor_chart(by_donor_year(tranches, DONOR_MODE), years, donors, title)


def _donor_chart(money: Mapping[tuple[str, int], int], years: Sequence[int],
                 donors: Mapping[str, str], title: str) -> Chart:  # fmt: skip
    return Chart(chart_specs.by_donor(money, years, None, donors),
                 f"{title} ({MODE_LABELS[DONOR_MODE].lower()}, USD million)", 210)


Funding = Mapping[str, Mapping[int, YearFunding]]  # counting mode -> year -> figures


def gaps_chart(names: Sequence[str], fundings: Sequence[Funding], years: Sequence[int]) -> Chart:
    """The scenarios' gap per year side by side (hard + soft, as the comparison table)."""
    gaps = [{y: f[DONOR_MODE][y].total.gap_cents for y in years} for f in fundings]
    return Chart(chart_specs.gaps(names, gaps, years),
                 f"Gap by year ({MODE_LABELS[DONOR_MODE].lower()}, USD million)", 180)


def scenario_charts(name: str, body: Mapping[str, Any], funding: Funding, year: int,
                    donors: Mapping[str, str]) -> list[Chart]:  # fmt: skip
    """A frozen scenario's waterfall for the pack's year, money by donor, and the fan of its
    Monte Carlo, all from the stored record."""
    years = sorted(funding[DONOR_MODE])
    out = []
    if year in funding["hard"] and year in funding["hard_soft"]:
        steps = waterfall(funding["hard"][year], funding["hard_soft"][year])
        out.append(Chart(chart_specs.waterfall(steps),
                         f"{name}: {year}, from planned costs to the gap (USD million)"))
    money = money_by_donor(body, DONOR_MODE)  # observers: other donors' confidential as one
    if money is not None:
        out.append(_donor_chart(money, years, donors, f"{name}: money by donor"))
    mc = monte_carlo_of(body)
    if mc is not None:
        requirement = {y: f.total.requirement_cents for y, f in funding[DONOR_MODE].items()}
        out.append(Chart(chart_specs.fan(mc, requirement),
                         f"{name}: Monte Carlo funding, P10–P90 (USD million)"))
    return out
