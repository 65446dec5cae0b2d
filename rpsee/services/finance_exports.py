"""Finance exports (planners and finance only): the workbook of budget tables for one workplan
version (and optionally a frozen scenario), and the activity list as CSV for other systems.

The workbook prints the tables the pages draw, built by the same domain functions from the same
figures: allocation comparison, staffing, pipeline, workplan totals, the frozen record's funding.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from rpsee.domain import pipeline_tables as pt
from rpsee.domain import staffing_tables
from rpsee.domain.activity_csv import to_csv
from rpsee.domain.allocation_tables import cycle_table, year_lines, year_table
from rpsee.domain.budget_tables import activity_tables, area_by_category, area_by_office
from rpsee.domain.funding_plan import MODE_LABELS, SCENARIO_MODE
from rpsee.domain.markers.shares import MARKERS, budget_shares, delivery_shares, sdg_table
from rpsee.domain.money import format_usd
from rpsee.domain.roles import CurrentUser, Permission, require
from rpsee.domain.scenario_record import funding_of
from rpsee.domain.scenario_tables import (
    breakdown_table,
    counted_to_funded_table,
    reconciliation_table,
    years_table,
)
from rpsee.domain.tables import Table
from rpsee.domain.workplan_tables import totals_tables
from rpsee.reports.finance_workbook import Cover, Rate, Sheet, build
from rpsee.services import delivery, expenditure, export_inputs, pipeline
from rpsee.services.export_inputs import ExportError, ExportInputs
from rpsee.services.scenarios import Frozen, frozen_scenario
from rpsee.store.audit import utcnow
from rpsee.store.uow import UnitOfWork

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
CSV_ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark: Excel reads č ć š ž đ right


def _sheets(r: ExportInputs, frozen: Frozen | None) -> list[Sheet]:
    ref, year, view = r.ref, r.plan.year, r.pipeline
    years = list(ref.figures.cycle_years)
    c = r.comparisons[year]
    areas = ref.area_labels()
    made = totals_tables(r.activities, ref)
    staff_years = r.costing.years() or years
    rec = r.reconciliation
    staff_note = (f"Reconciliation: standard cost {rec.start} to {rec.end} "
                  f"{format_usd(rec.computed)} against the document's "
                  f"{format_usd(rec.document)}: difference {format_usd(rec.difference)}.")
    donors = ref.donor_names()
    currencies = {x.currency for x in view.contributions}
    cycle = cycle_table(year_lines(r.comparisons), support_counts=c.basis == "gross")
    listed, cancelled = activity_tables(r.activities, ref, year)
    sheets = [
        Sheet("Area x category", (area_by_category(r.activities, ref),)),
        Sheet("Area x office", (area_by_office(c, ref),)),
        Sheet("Allocation by area", (year_table(
            f"{year}: allocation by thematic area (USD)", "Thematic area", c.areas, c.envelope,
            areas, dimension="thematic area", helps={a.code: a.name for a in ref.areas}),)),
        Sheet("Allocation by office", (year_table(
            f"{year}: allocation by office (USD)", "Office", c.offices, c.envelope,
            ref.office_names(), dimension="office", helps=ref.office_labels()),)),
        Sheet("By year", (replace(cycle, notes=(*cycle.notes, r.versions_note())),)),
        Sheet("Staff by year", (_titled(staffing_tables.by_year(r.costing, staff_years),
                                        "Staff costs", notes=(staff_note,)),)),
        Sheet("Staff by area", (_titled(staffing_tables.by_area(r.costing, staff_years, ref),
                                        "Staff costs"),)),
        Sheet("Staff by office", (_titled(staffing_tables.by_office(r.costing, staff_years,
                                                                    ref), "Staff costs"),)),
        Sheet("Staff by position", (_titled(staffing_tables.by_position(
            r.costing, staff_years, r.positions), "Staff costs"),)),
        Sheet("Pipeline (USD)", (pt.contributions_usd(
            view.contributions, view.tranches, years, view.rates, view.defaults.probability,
            ref, pipeline.global_programmes(), donors, pipeline.global_programme_serves()),)),
        Sheet("Pipeline (currency)", (pt.contributions_currency(view.contributions, years,
                                                                donors),),
              currency_column="Currency"),
        Sheet("Pipeline by status", (pt.totals_by_status(view.tranches, years, view.rates,
                                                         currencies),)),
        Sheet("Funding three ways", (pt.counted_three_ways(view.tranches, years, view.rates,
                                                           currencies),)),
        *(Sheet(f"Workplan by {k}", (_titled(made[k], f"{year} workplan activities"),))
          for k in ("output", "jurisdiction", "office", "quarter")),
    ]  # fmt: skip
    if frozen is not None:
        funding = funding_of(frozen.body)
        label = MODE_LABELS[SCENARIO_MODE].lower()
        sheets.append(Sheet("Scenario by year", (years_table(
            funding, SCENARIO_MODE, f"Scenario {frozen.name}: by year (USD)"),
            reconciliation_table(funding, SCENARIO_MODE, f"Scenario {frozen.name}: from "
                                 "planned costs to the requirement at funders' rates (USD)",
                                 r.comparisons[year].rate_percent),
            counted_to_funded_table(funding, SCENARIO_MODE, f"Scenario {frozen.name}: from "
                                    "money counted to funded (USD)"))))  # fmt: skip
        if year in funding[SCENARIO_MODE]:
            sheets.append(Sheet("Scenario by area", (breakdown_table(
                f"Scenario {frozen.name}: {year} by thematic area ({label}, USD)",
                "Thematic area", funding[SCENARIO_MODE][year].areas, areas),)))  # fmt: skip
    sheets.append(Sheet("Activities", (listed, cancelled), fit_width=False))
    return sheets


def _titled(table: Table, prefix: str, notes: tuple[str, ...] = ()) -> Table:
    """The same table under a title that says what it is outside its page (`Staff costs: By
    year (USD)`), with `notes` added."""
    title = table.title if "USD" in table.title else f"{table.title} (USD)"
    return replace(table, title=f"{prefix}: {title[0].lower()}{title[1:]}",
                   notes=(*table.notes, *notes))


def _cover(user: CurrentUser, r: ExportInputs, frozen: Frozen | None, at: datetime) -> Cover:
    plan, view = r.plan, r.pipeline
    c = r.comparisons[plan.year]
    lines = [
        ("Programme", "UNODC Regional Programme for South-Eastern Europe 2024–2029"),
        ("Workplan", f"{plan.year}, version {plan.version_no}"),
        ("Status", plan.status + (" (in use)" if plan.in_use else "")),
        ("Other years", r.versions_note()),
        ("Envelope", f"{format_usd(c.envelope)} for {plan.year}, {c.basis} basis; programme "
                     f"support cost rate {c.rate_percent}%"),
        ("Scenario", "none: the baseline (pipeline as recorded)" if frozen is None else
         f"{frozen.name}, frozen {frozen.frozen_at:%Y-%m-%d %H:%M} UTC by {frozen.frozen_by}; "
         f"SHA-256 {frozen.content_hash}"
         + ("" if frozen.intact else " — CHANGED since it was frozen")),
        ("Made by", f"{user.name} ({user.username}, {user.role.value})"),
        ("Made at", f"{at:%Y-%m-%d %H:%M:%S} UTC"),
        ("Amounts", "USD unless a column says otherwise; figures as the app computes them "
                    "(totals are the exact sums of their rows)."),
    ]  # fmt: skip
    used = {x.currency for x in view.contributions}
    rates = [Rate(x.currency, x.usd_per_unit, x.as_of)
             for k, x in sorted(view.rates.items()) if k in used and k != "USD"]
    if frozen is not None:
        rates += [Rate(k, v["usd_per_unit"], datetime.fromisoformat(v["as_of"]).date(),
                       f"scenario {frozen.name}")
                  for k, v in frozen.body["exchange_rates"].items() if k != "USD"]
    rates = [replace(x, usd_per_unit=Decimal(str(x.usd_per_unit))) for x in rates]
    return Cover("RPSEE Planner – finance workbook", tuple(lines), tuple(rates),
                 tuple(r.ref.jurisdiction_footnotes().values()), user.name, at)


def build_workbook(user: CurrentUser, workplan_id: int, scenario_id: int | None = None,
                   url: str | None = None) -> bytes:  # fmt: skip
    """The finance workbook (.xlsx) of a workplan version, with a frozen scenario's figures
    when `scenario_id` (a frozen record) is given. Planners and finance only."""
    require(user, Permission.EXPORT_WORKPLANS)
    r = export_inputs.read(user, workplan_id, url=url)
    frozen = frozen_scenario(user, scenario_id, url=url) if scenario_id is not None else None
    at = utcnow()
    return build(_cover(user, r, frozen, at), sheets(user, r, frozen, url))


def sheets(user: CurrentUser, r: ExportInputs, frozen: Frozen | None,
           url: str | None = None) -> list[Sheet]:  # fmt: skip
    """Every sheet of the workbook after the cover, in order (read as `user` may)."""
    require(user, Permission.EXPORT_WORKPLANS)
    return _sheets(r, frozen) + _marker_sheets(user, r, url) + _delivery_sheets(user, r, url)


def _marker_sheets(user: CurrentUser, r: ExportInputs, url: str | None) -> list[Sheet]:
    """The version's budget by marker code (and the SDG targets served), and the year's
    spending by marker code when expenditure of that year was imported."""
    year = r.plan.year
    budget = [budget_shares(r.activities, year, r.ref, m, by) for m in MARKERS
              for by in ("area", "office")]  # fmt: skip
    found = [Sheet("Markers", (*budget, sdg_table(r.activities, r.ref)))]
    spent = expenditure.spent(user, year, url=url)
    if spent:
        found.append(Sheet(f"Markers spending {year}", tuple(
            delivery_shares(r.activities, spent, year, r.ref, m, by) for m in MARKERS
            for by in ("area", "office"))))  # fmt: skip
    return found


DELIVERY_SHEETS = (("year", "Delivery"), ("area", "Delivery by area"),
                   ("output", "Delivery by output"), ("office", "Delivery by office"),
                   ("category", "Delivery by category"), ("grant", "Delivery by grant"))


def _delivery_sheets(user: CurrentUser, r: ExportInputs, url: str | None) -> list[Sheet]:
    """The Delivery page's tables of the year the Committee reviews with this version (the
    year before the plan's), and its results and money."""
    year = r.plan.year - 1
    if year not in r.ref.figures.cycle_years:
        return []
    view = delivery.delivery(user, year, url=url, warnings=False)
    return [*(Sheet(f"{name} {year}", (replace(view.tables[key], notes=(
        *view.tables[key].notes, view.basis_note)),)) for key, name in DELIVERY_SHEETS),
            Sheet(f"Results and money {year}", (view.results,))]  # fmt: skip


def activities_csv(user: CurrentUser, workplan_id: int, url: str | None = None) -> bytes:
    """Every activity of a workplan version as CSV (UTF-8 with BOM, one row per activity,
    amounts as plain decimals). Planners and finance only."""
    require(user, Permission.EXPORT_WORKPLANS)
    with UnitOfWork(url=url) as uow:
        plan = next((p for p in uow.workplans.list() if p.id == workplan_id), None)
        if plan is None:
            raise ExportError(f"Workplan {workplan_id} does not exist.")
        ref = uow.reference.load()
        lines = uow.workplans.activities(workplan_id)
    return to_csv(lines, ref, plan.year).encode(CSV_ENCODING)

