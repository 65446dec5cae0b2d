"""The overview's tables: funding by year, the staffing table by grade, positions by office."""

from __future__ import annotations

from collections.abc import Sequence

from rpsee.domain.overview import YearFunding, staffing_by_grade, staffing_by_station
from rpsee.domain.reference import CATEGORY_LABELS, ProgrammeReference
from rpsee.domain.tables import Column, Kind, Row, Table

GRADE_NAMES = {"SC": "Service contracts (SB, NPSA)"}


def funding_table(rows: Sequence[YearFunding]) -> Table:
    """Delivery (previous cycle), envelope, hard pipeline and the gap, by year; blanks where the
    document gives no figure."""
    columns = (Column("Year", Kind.TEXT), Column("Delivery", help="Previous cycle"),
               Column("Envelope"), Column("Hard pipeline", help="As of mid-2024"),
               Column("Envelope not yet in hard pipeline", summed=False,
                      help="Only the years with both figures: no total (it would compare "
                           "two years' gap with the cycle's envelope and pipeline)"))  # fmt: skip
    body = tuple(Row((str(r.year), r.delivery, r.envelope, r.hard_pipeline, r.pipeline_gap))
                 for r in rows)  # fmt: skip
    return Table("Figures by year", columns, body)


def grades_table(ref: ProgrammeReference) -> Table:
    columns = (Column("Grade", Kind.TEXT), Column("Existing", Kind.COUNT),
               Column("New", Kind.COUNT, help="New positions, subject to funding"),
               Column("Positions", Kind.COUNT))  # fmt: skip
    body = tuple(Row((GRADE_NAMES.get(g.grade, g.grade), g.existing, g.new, g.total))
                 for g in staffing_by_grade(ref.positions))  # fmt: skip
    return Table("Staffing table", columns, body)


def offices_table(ref: ProgrammeReference) -> Table:
    stations = staffing_by_station(ref.positions)
    columns = (Column("Office", Kind.TEXT), Column("Positions", Kind.COUNT),
               Column("of which new", Kind.COUNT))  # fmt: skip
    body = tuple(Row((o.name, stations[o.code].total if o.code in stations else 0,
                      stations[o.code].new if o.code in stations else 0), help=o.label)
                 for o in ref.offices)  # fmt: skip
    return Table("Offices and duty stations", columns, body, notes=(ref.office_legend(),))


def positions_table(ref: ProgrammeReference) -> Table:
    """The document's staffing table, one row per position (a list: no Total)."""
    names = ref.office_names()
    columns = tuple(Column(n, Kind.TEXT) for n in ("ID", "Table row", "Title", "Grade / band",
                                                   "Category", "Duty station", "Status"))
    body = tuple(Row((p.id, p.table_ref, p.title, p.grade,
                      CATEGORY_LABELS.get(p.category, p.category),
                      names.get(p.duty_station, p.duty_station),
                      "New" if p.is_new else "Existing")) for p in ref.positions)  # fmt: skip
    return Table("Positions", columns, body, total=False)


def risks_table(ref: ProgrammeReference) -> Table:
    columns = tuple(Column(n, Kind.TEXT) for n in ("Risk", "Likelihood", "Impact", "Level",
                                                   "Mitigation", "Residual"))
    body = tuple(Row((r.risk, r.likelihood, r.impact, r.level, r.mitigation, r.residual))
                 for r in ref.risks)  # fmt: skip
    return Table("Risk matrix", columns, body, total=False)


def indicators_table(ref: ProgrammeReference) -> Table:
    """The logframe's output indicators with baseline, target, interim target and interval,
    as the programme document gives them (a list: no Total)."""
    columns = tuple(Column(n, Kind.TEXT) for n in ("Output", "Indicator", "Baseline", "Target",
                                                   "Interim target", "Interval"))
    body = tuple(Row((o.code, i.text, i.baseline, i.target, i.interim_target, i.interval),
                     help=ref.output_label(o.code)) for o in ref.outputs for i in o.indicators)
    return Table("Logframe: output indicators and targets", columns, body, total=False)
