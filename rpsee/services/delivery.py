"""Delivery against budget for a year: expenditure (from the imported extracts) against the
year's approved workplan (or, until one is approved, the version in use, said so), by area,
output, office, cost category and donor grant, with the burn line, warnings, and results and
money side by side. Everyone who reads the programme reads it; observers with other donors'
confidential grants as one aggregate and the results of the reports given to the Committee."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rpsee.domain.disclosure import OTHER_CONFIDENTIAL
from rpsee.domain.pipeline import Contribution
from rpsee.domain.review import delivery as rules
from rpsee.domain.review.report import output_statuses
from rpsee.domain.roles import CurrentUser, Permission, Role, require
from rpsee.domain.tables import Table
from rpsee.domain.workplan import Activity, Workplan
from rpsee.services import expenditure, pipeline, programme, progress, workplans

SIGNED = "hard"


@dataclass(frozen=True)
class DeliveryView:
    year: int
    basis: Workplan | None  # the version whose lines are the budget
    basis_note: str
    spent_total: Decimal
    budget_total: Decimal
    tables: dict[str, Table]  # "year", "area", "output", "office", "category", "grant"
    results: Table
    burn: list[tuple[int, Decimal, Decimal]]  # month, cumulative spent, linear path
    first_month: int
    warnings: list[str]
    note: str  # what an observer reads as an aggregate, or ""
    imported: int = 0  # expenditure lines of the year imported so far


def _basis(versions: list[Workplan], year: int) -> tuple[Workplan | None, str]:
    of_year = [p for p in versions if p.year == year]
    approved = [p for p in of_year if p.status == "approved"]
    if approved:
        p = approved[-1]
        return p, f"Budget: the approved {year} workplan (version {p.version_no})."
    in_use = [p for p in of_year if p.in_use] or of_year[:1]
    if in_use:
        p = in_use[0]
        return p, (f"Budget: the {year} workplan version {p.version_no} ({p.status}): no "
                   f"version of {year} is approved yet, so rates are against a plan the "
                   "Committee has not approved.")  # fmt: skip
    return None, (f"No workplan for {year} is in the app: the budget is zero and delivery "
                  "rates cannot be computed; expenditure is shown as imported.")  # fmt: skip


def _grants(user: CurrentUser, view: pipeline.PipelineView,
            lines: list) -> list[Contribution]:  # noqa: ANN001  # fmt: skip
    grants = [c for c in view.contributions if c.status == SIGNED and c.id is not None]
    if user.role is Role.OBSERVER and any(ln.grant == OTHER_CONFIDENTIAL for ln in lines):
        grants.append(Contribution(None, OTHER_CONFIDENTIAL, OTHER_CONFIDENTIAL, "USD", {},
                                   SIGNED, confidential=True))  # fmt: skip
    return grants


def _statuses(user: CurrentUser, year: int, today: date, url: str | None) -> dict[str, str]:
    """Per output, its indicators' statuses: live for roles that read them; for an observer,
    those of the latest report of the year given to the Committee."""
    if user.can(Permission.VIEW_LIVE_PROGRESS):
        return output_statuses(progress.live_report(user, year, min(today, date(year, 12, 31)),
                                                    url=url))  # fmt: skip
    given = progress.reports(user, year, url=url)
    return output_statuses(given[-1].report) if given else {}


def delivery(user: CurrentUser, year: int, today: date | None = None,
             url: str | None = None, warnings: bool = True) -> DeliveryView:  # fmt: skip
    """The year's delivery as `user` may read it; without `warnings` (the pack, the annual
    report: they print none) only the year's expenditure is read."""
    require(user, Permission.VIEW_PROGRAMME)
    today = today or date.today()
    ref = programme.reference(user, url=url)
    basis, basis_note = _basis(workplans.list_workplans(user, url=url), year)
    lines: list[Activity] = workplans.activities(user, basis.id, url=url) if basis else []
    # read once: all of it for the warnings (grants span years), else the year's only
    every = expenditure.spent(user, None if warnings else year, url=url)
    spent = [ln for ln in every if ln.year == year]
    view = pipeline.load(user, url=url)
    funds = sum((t.usd for t in view.tranches if t.year == year and t.status == SIGNED),
                Decimal("0.00"))  # fmt: skip
    first_month = 7 if str(year) == ref.figures.cycle_start[:4] else 1
    budget = sum((a.total for a in lines if a.counts), Decimal("0.00"))
    tables = {
        "year": rules.year_delivery(lines, spent, year, funds),
        "area": rules.by_thematic_area(lines, spent, year, ref),
        "output": rules.by_programme_output(lines, spent, year, ref),
        "office": rules.by_lead_office(lines, spent, year, ref),
        "category": rules.by_cost_category(lines, spent, year, ref),
        "grant": rules.by_donor_grant(lines, spent, year, _grants(user, view, spent)),
    }
    budgets = rules.by_output(lines) if year == today.year else {}
    found = rules.delivery_warnings(every, view.contributions, budgets, today,
                                    rates=view.rates) if warnings else []  # fmt: skip
    results = rules.results_and_money(lines, spent, year, ref,
                                      _statuses(user, year, today, url))  # fmt: skip
    return DeliveryView(year, basis, basis_note,
                        sum((ln.amount_usd for ln in spent), Decimal("0.00")), budget, tables,
                        results, rules.monthly_burn(spent, year, budget, first_month=first_month),
                        first_month, found, view.note, len(spent))  # fmt: skip


def years(user: CurrentUser, url: str | None = None) -> list[int]:
    """The cycle's years that have expenditure or a workplan, for the year picker."""
    require(user, Permission.VIEW_PROGRAMME)
    ref = programme.reference(user, url=url)
    have = set(expenditure.spent_years(user, url=url))
    have |= {p.year for p in workplans.list_workplans(user, url=url)}
    return sorted(y for y in have if y in ref.figures.cycle_years)
