"""The Annual Programme Progress Report the programme document requires (results at outcome and
output level, challenges, unexpected results, delivery) and, per donor grant, a one-page
statement of budget, expenditure and results: the same report and delivery tables the pages
and the approval pack print, laid out as their own documents. Pure: content in, `Pack` out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from rpsee.domain.pack import Block, Pack, Section, Text
from rpsee.domain.reference import FOOTNOTE_MARK, ProgrammeReference
from rpsee.domain.review.expenditure import ExpenditureLine
from rpsee.domain.review.progress import Status, status_label
from rpsee.domain.review.report import ProgressReport, ratings_table, report_table
from rpsee.domain.tables import Column, Kind, Row, Table, percent_of

ZERO = Decimal("0.00")
APPR_TITLE = "Annual Programme Progress Report"
STATEMENTS_TITLE = "Donor grant statements"
NEEDS_ATTENTION = ("Off track", "Partly on track")


@dataclass(frozen=True)
class GrantFigures:
    """One grant as its statement prints it: the agreement's money in USD by year, what was
    spent on it (all years, and in the year), the outputs its spending went to."""

    reference: str
    donor: str
    usd_by_year: Mapping[int, Decimal]
    spent: Sequence[ExpenditureLine]


def _status_counts(report: ProgressReport) -> Table:
    counts = {s: 0 for s in Status}
    for r in report.rows:
        counts[Status(r.status)] += 1
    rows = tuple(Row((status_label(s), n)) for s, n in counts.items())
    return Table(f"Indicators by status as of {report.as_of:%d %b %Y}",
                 (Column("Status", Kind.TEXT), Column("Indicators", Kind.COUNT)), rows)


def _challenges(report: ProgressReport, ref: ProgrammeReference) -> list[Block]:
    """Outputs the planner rated off track or partly on track, with their narratives: the
    challenges; and narratives of outputs whose indicators are ahead or achieved."""
    out: list[Block] = []
    for r in report.ratings:
        if r.rating in NEEDS_ATTENTION:
            out.append(Text(f"{ref.output_label(r.output_code, 80)} ({r.rating}): "
                            f"{r.narrative or 'no narrative given.'}"))  # fmt: skip
    return out or [Text("No output was rated off track or partly on track.")]


def annual_report(report: ProgressReport, report_note: str, delivery: Sequence[Table],
                  results: Table, delivery_note: str, ref: ProgrammeReference,
                  made_at: datetime, edition: str, final: bool) -> Pack:  # fmt: skip
    """The report of `report.year`: summary, results (objective, areas' goals, indicators,
    output ratings), challenges, delivery. `final`: built from a report given to the
    Committee (no DRAFT mark); otherwise from live figures, marked DRAFT."""
    year = report.year
    goals = [Text(f"Thematic area {a.code}, {a.name}: {a.strategic_goal}")
             for a in ref.areas if a.strategic_goal]  # fmt: skip
    sections = (
        Section("Summary", (Text(report_note, "lead"), _status_counts(report),
                            Text(f"Status rule: {report.rule_text}", "note"))),
        Section("Results at outcome and output level", (
            Text(f"Objective: {ref.objective}", "lead"), *goals,
            report_table(report, ref), ratings_table(report, ref)), landscape=True),
        Section("Challenges and unexpected results", tuple(_challenges(report, ref))),
        Section("Delivery", (Text(delivery_note, "lead"), *delivery, results), landscape=True),
    )  # fmt: skip
    return Pack(f"{year} · figures as of {report.as_of:%d %b %Y}",
                "final" if final else "draft", _cover(year, report, report_note, made_at),
                sections, f"{made_at:%Y-%m-%d %H:%M} UTC", edition, _notes(ref),
                title=f"{APPR_TITLE} {year}", created=made_at,
                short_title="progress report", final=final)  # fmt: skip


def _cover(year: int, report: ProgressReport, note: str,
           made_at: datetime) -> tuple[tuple[str, str], ...]:  # fmt: skip
    return (("Year reported", str(year)), ("Figures as of", f"{report.as_of:%d %B %Y}"),
            ("Source", note), ("Made", f"{made_at:%Y-%m-%d %H:%M} UTC"))


def _notes(ref: ProgrammeReference) -> dict[str, str]:
    return {j.name: f"{FOOTNOTE_MARK} {j.footnote}" for j in ref.jurisdictions if j.footnote}


def grant_statement(g: GrantFigures, year: int, report: ProgressReport | None,
                    ref: ProgrammeReference) -> Section:  # fmt: skip
    """One page: the agreement in USD by year against expenditure booked to it, the year's
    expenditure by cost category, and the outputs it paid for with their indicators' status."""
    spent_by_year: dict[int, Decimal] = {}
    for line in g.spent:
        spent_by_year[line.year] = spent_by_year.get(line.year, ZERO) + line.amount_usd
    years = sorted(set(g.usd_by_year) | set(spent_by_year))
    money = Table(f"{g.reference}: agreement and expenditure by year (USD)", (
        Column("Year", Kind.TEXT), Column("Agreement (USD)"), Column("Expenditure"),
        Column("Spent of the agreement", Kind.PERCENT)), tuple(
        Row((str(y), g.usd_by_year.get(y, ZERO), spent_by_year.get(y, ZERO),
             percent_of(spent_by_year.get(y, ZERO), g.usd_by_year.get(y, ZERO))))
        for y in years))  # fmt: skip
    names = {c.code: c.name for c in ref.cost_categories}
    by_cat: dict[str, Decimal] = {}
    by_output: dict[str, Decimal] = {}
    for line in g.spent:
        if line.year == year:
            by_cat[line.category] = by_cat.get(line.category, ZERO) + line.amount_usd
            by_output[line.output_code] = by_output.get(line.output_code, ZERO) + line.amount_usd
    cats = Table(f"{year}: expenditure by cost category (USD)",
                 (Column("Cost category", Kind.TEXT), Column("Expenditure")),
                 tuple(Row((names.get(c, c), v)) for c, v in sorted(by_cat.items())))
    statuses = report.statuses_by_output() if report else {}
    outputs = Table(f"{year}: outputs paid for, and their indicators", (
        Column("Output", Kind.TEXT), Column("Expenditure"), Column("Indicators", Kind.TEXT)),
        tuple(Row((ref.output_label(o, 60), v, ", ".join(
            sorted({status_label(s) for s in statuses.get(o, [])})) or "–"))
            for o, v in sorted(by_output.items())))  # fmt: skip
    return Section(f"{g.reference} ({g.donor})", (money, cats, outputs))


def grant_statements(grants: Sequence[GrantFigures], year: int, report: ProgressReport | None,
                     ref: ProgrammeReference, made_at: datetime, edition: str,
                     note: str) -> Pack:  # fmt: skip
    """A statement per grant, one section (page) each."""
    sections = tuple(grant_statement(g, year, report, ref) for g in grants) or (
        Section("No grant", (Text("No signed grant has money or expenditure to state."),)),)
    return Pack(f"Year {year}", "final",
                (("Year", str(year)), ("Grants", str(len(grants))), ("Note", note)),
                sections, f"{made_at:%Y-%m-%d %H:%M} UTC", edition, _notes(ref),
                title=f"{STATEMENTS_TITLE} {year}", created=made_at,
                short_title="grant statements", final=True)  # fmt: skip
