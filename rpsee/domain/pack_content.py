"""What the approval pack says, section by section, from figures the services already read:
every table is one of the pages' own builders (`*_tables.py`), so the pack and the pages
print the same numbers. Pure: no database, no drawing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from rpsee.domain import (
    budget_tables,
    chart_specs,
    logframe,
    pack_charts,
    pipeline_tables,
    risk_matrix,
    scenario_tables,
    staffing_tables,
    workplan_tables,
)
from rpsee.domain.allocation_tables import cycle_table, year_lines, year_table
from rpsee.domain.funding_plan import SCENARIO_MODE
from rpsee.domain.markers.evidence import marker_findings
from rpsee.domain.markers.shares import (
    DAC_DISABILITY,
    DAC_GENDER,
    GEM,
    budget_shares,
    delivery_shares,
    sdg_table,
)
from rpsee.domain.money import format_usd
from rpsee.domain.pack import Block, Chart, Heading, Pack, Section, Text, version_id
from rpsee.domain.pipeline import Contribution, ExchangeRate, Tranche
from rpsee.domain.reference import FOOTNOTE_MARK, ProgrammeReference
from rpsee.domain.requirement import YearComparison
from rpsee.domain.review.expenditure import ExpenditureLine
from rpsee.domain.review.report import ProgressReport, ratings_table, report_table
from rpsee.domain.scenario_record import FrozenFigures, funding_of
from rpsee.domain.staffing import PositionPlan, Reconciliation, StaffCosting
from rpsee.domain.tables import Column, Kind, Row, Table
from rpsee.domain.workflow import AMENDMENT_TYPES, OUTCOMES, Decision, Meeting
from rpsee.domain.workplan import Activity, Workplan
from rpsee.domain.workplan_totals import grand_total

SECRETARIAT = ("UNODC Regional Office for South-Eastern Europe, Istanbul, as the Steering "
               "Committee's secretariat")


@dataclass(frozen=True)
class PipelineFigures:
    """The pipeline as the reader may see it (observers: already redacted)."""

    contributions: Sequence[Contribution]
    tranches: Sequence[Tranche]
    rates: Mapping[str, ExchangeRate]
    probability: Mapping[str, Decimal]
    programmes: Mapping[str, str]
    redacted: bool
    serves: Mapping[str, Sequence[str]] | None = None  # what each Global Programme may pay
    note: str = ""  # what is withheld and why (observers)


@dataclass(frozen=True)
class ReviewFigures:
    """The implementation review printed before the new workplan: the progress report given
    with this version (or, for a draft, the live figures, said so) and the delivery tables."""

    year: int
    report: ProgressReport | None
    report_note: str
    delivery: Sequence[Table]  # the Delivery page's tables of the year reviewed
    results: Table | None
    delivery_note: str
    burn: Sequence[tuple[int, Decimal, Decimal]] = ()  # month, cumulative spent, linear path


@dataclass(frozen=True)
class PackInputs:
    ref: ProgrammeReference
    plan: Workplan
    activities: Sequence[Activity]
    comparisons: Mapping[int, YearComparison]  # every cycle year; the plan's year from its lines
    costing: StaffCosting
    positions: Sequence[PositionPlan]
    reconciliation: Reconciliation
    pipeline: PipelineFigures
    edition: str
    made_at: datetime
    scenarios: Sequence[FrozenFigures] = ()
    decision: Decision | None = None
    meeting: Meeting | None = None
    budget_change: Decimal | None = None
    review: ReviewFigures | None = None
    sex_outputs: frozenset[str] = frozenset()  # outputs with an indicator disaggregated by sex
    marker_spent: tuple[ExpenditureLine, ...] = ()  # the plan's year's expenditure, if any


def _money_table(title: str, rows: Sequence[tuple[str, Decimal | None]],
                 notes: Sequence[str] = ()) -> Table:  # fmt: skip
    return Table(title, (Column("Figure", Kind.TEXT), Column("USD", summed=False)),
                 tuple(Row((label, value)) for label, value in rows), total=False,
                 notes=tuple(notes))  # fmt: skip


def summary(i: PackInputs) -> Section:
    """One page: the workplan, its year against the envelope, funding, staff costs."""
    year, c = i.plan.year, i.comparisons[i.plan.year]
    live = [a for a in i.activities if a.counts]
    counted = pipeline_tables.counted_three_ways(i.pipeline.tranches, [year], i.pipeline.rates,
                                                 {x.currency for x in i.pipeline.contributions})
    # the pipeline's money (every tranche): a scenario's "funded" is this minus what the
    # earmarks leave unused (its table "from money counted to funded")
    funding = [(f"Money counted {year}, {r.label.lower()}", r.cells[1]) for r in counted.rows]
    r = i.reconciliation
    return Section("Summary of figures", (
        _money_table(f"The {year} workplan", [
            (f"Activity budgets ({len(live)} lines)", grand_total(i.activities)),
            (f"Staff costs charged, {year}", c.area_total.staff),
            ("Programme support costs", c.area_total.support_costs),
            ("Planned (activities, staff" + (", support costs)" if
                                             c.area_total.counts_support_costs else ")"),
             c.area_total.planned),
            (f"Envelope {year} ({c.basis})", c.envelope),
            ("Headroom (envelope − planned; negative: over)", c.unallocated),
        ], notes=(f"Programme support cost rate {c.rate_percent}%.",)),
        _money_table(f"Funding of {year} (donor pipeline, every tranche)", funding,
                     notes=(*counted.notes, "Money counted: every tranche of the year, whatever "
                            "its earmark; the frozen scenarios' funded figures are what of it "
                            "may pay the year's needs (each scenario's table from money "
                            "counted to funded).")),  # fmt: skip
        _money_table("Staff costs: reconciliation with the programme document", [
            (f"Computed standard cost, {r.start} to {r.end}", r.computed),
            ("Programme document", r.document),
            ("Difference", r.difference),
        ]),
    ))


def workplan_sections(i: PackInputs) -> list[Section]:
    ref, lines, c = i.ref, list(i.activities), i.comparisons[i.plan.year]
    made = workplan_tables.totals_tables(lines, ref)
    areas = ref.area_labels()
    return [
        Section("The workplan by thematic area, output, jurisdiction and office", (
            Text(f"Activity budgets of the {i.plan.year} workplan, version "
                 f"{i.plan.version_no}: {format_usd(grand_total(lines))}."),
            made["area"], made["quarter"], made["office"], Text(ref.office_legend(), "note"),
            made["jurisdiction"], made["output"],
        )),
        Section("Budget tables", (
            budget_tables.area_by_category(lines, ref),
            budget_tables.area_by_office(c, ref),
            pack_charts.heat_chart(c, ref),
            year_table(f"{i.plan.year}: envelope, allocation and plan by thematic area",
                       "Thematic area", c.areas, c.envelope, areas, dimension="thematic area"),
            year_table(f"{i.plan.year}: envelope, allocation and plan by office", "Office",
                       c.offices, c.envelope, ref.office_names(), dimension="office"),
            cycle_table(year_lines(i.comparisons), support_counts=c.basis == "gross"),
            pack_charts.cycle_chart(i.comparisons),
            Text(f"Other years: the version in use of each year's workplan; {i.plan.year}: "
                 "this version.", "note"),
        ), landscape=True),
    ]


def review_section(i: PackInputs) -> Section | None:
    """Implementation review of the year before the plan's: results, then money."""
    r = i.review
    if r is None:
        return None
    blocks: list[Block] = [Text(r.report_note, "lead")]
    if r.report is not None:
        blocks += [report_table(r.report, i.ref), ratings_table(r.report, i.ref)]
    blocks += [Text(r.delivery_note, "lead"), *r.delivery]
    if r.burn:
        blocks.append(Chart(chart_specs.burn(r.burn), f"{r.year}: monthly burn, cumulative "
                            "expenditure against the linear path to the budget (USD million)"))
    if r.results is not None:
        blocks.append(r.results)
    return Section(f"Implementation review {r.year}: results and delivery", tuple(blocks),
                   landscape=True)


def staffing_section(i: PackInputs) -> Section:
    years = i.costing.years() or list(i.ref.figures.cycle_years)
    r = i.reconciliation
    return Section("Staffing", (
        staffing_tables.positions_costed(i.costing, years, i.positions, i.ref.office_names()),
        staffing_tables.by_year(i.costing, years),
        Text(f"Reconciliation, {r.start} to {r.end}: computed standard cost "
             f"{format_usd(r.computed)} · programme document {format_usd(r.document)} · "
             f"difference {format_usd(r.difference)}.", "lead"),
        staffing_tables.by_area(i.costing, years, i.ref),
    ), landscape=True)


def funding_section(i: PackInputs) -> Section:
    p, years, donors = i.pipeline, list(i.ref.figures.cycle_years), i.ref.donor_names()
    currencies = {c.currency for c in p.contributions}
    blocks: list[Block] = []
    if p.redacted:
        blocks.append(Text(f"Observer edition. {p.note}", "lead"))
    blocks += [
        pipeline_tables.contributions_usd(p.contributions, p.tranches, years, p.rates,
                                          p.probability, i.ref, p.programmes, donors,
                                          p.serves),
        pipeline_tables.totals_by_status(p.tranches, years, p.rates, currencies),
        pipeline_tables.counted_three_ways(p.tranches, years, p.rates, currencies),
        pack_charts.donor_chart(p.tranches, years, donors, "The pipeline by donor"),
        pack_charts.funding_chart(i.ref, {y: c.envelope for y, c in i.comparisons.items()}),
    ]
    return Section("Funding situation: the donor pipeline", tuple(blocks), landscape=True)


def scenarios_section(i: PackInputs) -> Section | None:
    if not i.scenarios:
        return None
    years = list(i.ref.figures.cycle_years)
    fundings = [funding_of(s.body) for s in i.scenarios]
    chances = [s.body["results"].get("monte_carlo", {}).get("cover_all") for s in i.scenarios]
    blocks: list[Block] = [
        Text("Frozen scenarios: the results stored when each was frozen (SHA-256 of the "
             "record), not recomputed.", "note"),
        scenario_tables.comparison_table("Frozen scenarios side by side, cycle 2024–2029",
                                         [s.name for s in i.scenarios], fundings, chances,
                                         years, SCENARIO_MODE),
        pack_charts.gaps_chart([s.name for s in i.scenarios], fundings, years),
    ]
    for s, funding in zip(i.scenarios, fundings, strict=True):
        state = "intact" if s.intact else "CHANGED since it was frozen"
        blocks += [Heading(s.name),
                   Text(f"Frozen {s.frozen_at:%Y-%m-%d %H:%M} UTC by {s.frozen_by} · SHA-256 "
                        f"{s.content_hash[:16]}… · {state}.", "note")]  # fmt: skip
        description = str(s.body.get("scenario", {}).get("description") or "").strip()
        if description:
            blocks.append(Text(description))
        blocks.append(scenario_tables.years_table(funding, SCENARIO_MODE, f"{s.name}: by year"))
        blocks.append(scenario_tables.reconciliation_table(
            funding, SCENARIO_MODE, f"{s.name}: from planned costs to the requirement at "
            "funders' rates", i.comparisons[i.plan.year].rate_percent))  # fmt: skip
        blocks.append(scenario_tables.counted_to_funded_table(
            funding, SCENARIO_MODE, f"{s.name}: from money counted to funded"))
        blocks += pack_charts.scenario_charts(s.name, s.body, funding, i.plan.year,
                                              i.ref.donor_names())
    return Section("Funding scenarios", tuple(blocks), landscape=True)


def decisions_requested(i: PackInputs) -> Section:
    plan, c = i.plan, i.comparisons[i.plan.year]
    what = (f"the {plan.year} workplan, version {plan.version_no}, with activity budgets of "
            f"{format_usd(grand_total(i.activities))} and a planned total of "
            f"{format_usd(c.area_total.planned)} (activities, staff and programme support "
            f"costs) against an envelope of {format_usd(c.envelope)}")  # fmt: skip
    asks = [f"1. To approve {what}."]
    if plan.amendment_type:
        change = "" if i.budget_change is None else (
            f", a budget change of {i.budget_change}% against the approved version")
        asks.append(f"{len(asks) + 1}. To note that this version is an amendment "
                    f"({AMENDMENT_TYPES.get(plan.amendment_type, plan.amendment_type)}"
                    f"{change}).")  # fmt: skip
    asks.append(f"{len(asks) + 1}. To take note of the funding situation and of the staffing "
                "table and its reconciliation with the programme document.")
    if i.scenarios:
        names = "; ".join(s.name for s in i.scenarios)
        asks.append(f"{len(asks) + 1}. To take note of the frozen funding scenarios: {names}.")
    lead = {"draft": "This version is a draft, not yet submitted. Once submitted, the Steering "
                     "Committee (PSC) will be requested:",
            "submitted": "The Steering Committee (PSC) is requested:"}.get(
        plan.status, "The Steering Committee (PSC) was requested:")  # fmt: skip
    blocks: list[Block] = [Text(lead, "lead"), *(Text(a) for a in asks)]
    if i.decision is not None:
        d = i.decision
        at = f" at meeting {i.meeting.number}" if i.meeting else ""
        why = f" Reasons: {d.reasons}" if d.reasons else ""
        blocks.append(Text(f"Decision recorded{at}: {OUTCOMES.get(d.outcome, d.outcome)} on "
                           f"{d.decided_at:%Y-%m-%d} by {d.decided_by_label}.{why}", "lead"))
    return Section("Decisions requested", tuple(blocks))


def markers_section(i: PackInputs) -> Section:
    """Budget by marker code against the office's target shares, and the SDG targets served."""
    year, markers = i.plan.year, (GEM, DAC_GENDER, DAC_DISABILITY)
    tables = [budget_shares(i.activities, year, i.ref, m, by) for by in ("area", "office")
              for m in markers]  # fmt: skip
    lead = ("How much of the budget serves gender equality and disability inclusion, by the "
            "UN Gender Equality Marker and the OECD DAC markers on each line; whether the plan "
            "backs each marker is in the annex (Marker checks).")  # fmt: skip
    spent: list[Block] = [Text(f"No expenditure of {year} imported yet: spending by marker "
                               "code follows once finance imports it.")]  # fmt: skip
    if i.marker_spent:
        spent = [Text("Expenditure is booked to an output, not to a line: each amount is "
                      "shared over the codes of its output's planned lines in proportion to "
                      "their budgets."),
                 *(delivery_shares(i.activities, i.marker_spent, year, i.ref, m, "area")
                   for m in markers)]  # fmt: skip
    return Section("Gender, disability and the SDGs", (
        Text(lead, "lead"), *tables, Heading(f"Spending {year} by marker code"), *spent,
        sdg_table(i.activities, i.ref)), landscape=True)  # fmt: skip


def marker_checks_section(i: PackInputs) -> Section:
    """The annex: every finding of the marker checks (or that there is none)."""
    found = marker_findings(i.activities, i.ref.markers, i.sex_outputs)
    table = Table("Marker checks", (Column("Check", Kind.TEXT), Column("Finding", Kind.TEXT)),
                  tuple(Row((f.check, f.what)) for f in found), total=False)  # fmt: skip
    blocks: tuple[Block, ...] = (table,) if found else (
        Text("Every line's markers are backed by the plan."),)  # fmt: skip
    return Section("Annex: marker checks", blocks)


def cover(i: PackInputs) -> tuple[tuple[str, str], ...]:
    plan = i.plan
    held = i.meeting.held_on if i.meeting else None
    meeting = (f"{i.meeting.number}, {held.day} {held:%B %Y}, {i.meeting.place}"
               if i.meeting and held else "no meeting recorded yet")  # fmt: skip
    lines = [("Workplan", f"{plan.year}, version {plan.version_no}"),
             ("Status", plan.status.capitalize()),
             ("Meeting", meeting), ("Prepared by", SECRETARIAT),
             ("Made", f"{i.made_at:%Y-%m-%d %H:%M} UTC")]
    if plan.amendment_type:
        lines.insert(2, ("Amendment", AMENDMENT_TYPES.get(plan.amendment_type, "")))
    if i.edition == "observer":
        lines.append(("Edition", "observer edition (donor confidentiality applied)"))
    return tuple(lines)


def assemble(i: PackInputs) -> Pack:
    """The whole pack (see the module)."""
    sections = [summary(i), decisions_requested(i), review_section(i), *workplan_sections(i),
                staffing_section(i), funding_section(i), scenarios_section(i),
                Section("Risk matrix", (risk_matrix.grid(i.ref.risks),
                                        risk_matrix.risks_table(i.ref.risks)), landscape=True),
                Section("Logframe targets", (logframe.indicators_table(i.ref),),
                        landscape=True),
                markers_section(i),
                Section("Annex: every activity",
                        (workplan_tables.activity_list(i.activities, i.ref),), landscape=True),
                marker_checks_section(i)]
    # a page naming Kosovo (as Kosovo* or in a title) prints the footnote at its foot
    notes = {j.name: f"{FOOTNOTE_MARK} {j.footnote}" for j in i.ref.jurisdictions if j.footnote}
    return Pack(version_id(i.plan.year, i.plan.version_no, i.plan.status), i.plan.status,
                cover(i), tuple(s for s in sections if s is not None),
                f"{i.made_at:%Y-%m-%d %H:%M} UTC", i.edition, notes, created=i.made_at)
