"""Budget tables for the Steering Committee pack and the finance workbook: thematic area × cost
category (a workplan's activity budgets), thematic area × office (a year's planned direct costs,
the allocation page's heat map), and the list of every activity. Each cross table has a Total
column (the row's sum) and a Total row (the columns' sums), so both add up to the same figure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.requirement import YearComparison
from rpsee.domain.tables import Cell, Column, Kind, Row, Table, footnotes_for
from rpsee.domain.workplan import Activity, code_key
from rpsee.domain.workplan_labels import category_labels, category_note
from rpsee.domain.workplan_totals import by_area_category

ZERO = Decimal("0.00")
TOTAL_COLUMN = "Total"


def cross_table(
    title: str, label: str, rows: Sequence[tuple[str, str, str | None]],
    columns: Sequence[tuple[str, str]], cells: Mapping[tuple[str, str], Decimal], *,
    notes: Sequence[str] = (),
) -> Table:  # fmt: skip
    """Rows (key, label, help) × columns (key, name), each cell the amount of (row, column)
    (zero when absent), a Total column per row and the Total row; keys the reference does not
    know (in `cells`) come last, as they are."""
    row_keys = [k for k, _l, _h in rows]
    col_keys = [k for k, _n in columns]
    extra_rows = sorted({r for r, _c in cells} - set(row_keys))
    extra_cols = sorted({c for _r, c in cells} - set(col_keys))
    all_rows = [*rows, *((k, k, None) for k in extra_rows)]
    all_cols = [*columns, *((k, k) for k in extra_cols)]
    body = []
    for key, name, help_text in all_rows:
        values = [cells.get((key, c), ZERO) for c, _n in all_cols]
        body.append(Row((name, *values, sum(values, ZERO)), help=help_text))
    cols = (Column(label, Kind.TEXT), *(Column(n) for _k, n in all_cols),
            Column(TOTAL_COLUMN, help="The row's sum"))  # fmt: skip
    return Table(title, cols, tuple(body), notes=tuple(notes))


def _area_rows(ref: ProgrammeReference) -> list[tuple[str, str, str | None]]:
    return [(a.code, ref.area_label(a.code), a.name) for a in ref.areas]


def area_by_category(activities: Sequence[Activity], ref: ProgrammeReference) -> Table:
    """A workplan's activity budgets by thematic area and cost category (short names, the full
    ones in a note; cancelled lines count for nothing); the Total is the workplan's total."""
    labels = category_labels(ref)
    cats = [(c.code, labels[c.code]) for c in ref.cost_categories]
    return cross_table("Activities by thematic area and cost category (USD)", "Thematic area",
                       _area_rows(ref), cats, by_area_category(activities),
                       notes=("Workplan activity budgets; cancelled lines are not counted. "
                              "Staff costs of the 20 positions are costed apart (Staffing).",
                              category_note(ref)))


def area_by_office(c: YearComparison, ref: ProgrammeReference) -> Table:
    """A year's planned direct costs (activities by lead office, staff by duty station) by
    thematic area and office: the allocation page's heat map; the Total is the year's
    activities + staff of the comparison."""
    offices = list(ref.office_names().items())
    return cross_table(f"{c.year}: planned direct costs by thematic area and office (USD)",
                       "Thematic area", _area_rows(ref), offices, c.heat,
                       notes=("Direct costs: workplan activities by lead office and staff "
                              "costs by duty station, without programme support costs.",
                              ref.office_legend()))  # fmt: skip


# -- the activity list ------------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    """One column of the activity list: `key` is its stable name in the CSV, `header` its
    heading in the workbook; `shown` gives the cell as the workbook shows it (names), `coded`
    as the CSV gives it (codes), by default the same."""

    key: str
    header: str
    kind: Kind
    shown: Callable[[Activity], Cell]
    coded: Callable[[Activity], Cell] | None = None

    def csv_value(self, a: Activity) -> Cell:
        return (self.coded or self.shown)(a)



def _level(level: int | None) -> str:
    """A DAC marker as a table shows it: its level, or blank when not yet screened."""
    return "" if level is None else str(level)

def activity_fields(ref: ProgrammeReference, year: int) -> list[Field]:
    """The activity list's columns, in order (the CSV's column names are the keys)."""
    places = ref.jurisdiction_names()
    offices = ref.office_names()
    donors = ref.donor_names()

    def month(m: int) -> str:
        return f"{year}-{m:02d}"

    head = [
        Field("code", "Code", Kind.TEXT, lambda a: a.code),
        Field("line_id", "Line identity", Kind.TEXT, lambda a: a.lineage),
        Field("title", "Title", Kind.TEXT, lambda a: a.title),
        Field("area", "Thematic area", Kind.TEXT, lambda a: ref.area_label(a.area_code),
              lambda a: a.area_code),
        Field("output", "Output", Kind.TEXT, lambda a: a.output_code),
        Field("jurisdictions", "Jurisdictions", Kind.TEXT,
              lambda a: "; ".join(places.get(j, j) for j in a.jurisdictions),
              lambda a: ";".join(a.jurisdictions)),
        Field("lead_office", "Lead office", Kind.TEXT,
              lambda a: offices.get(a.lead_office, a.lead_office), lambda a: a.lead_office),
        Field("position", "Responsible position", Kind.TEXT, lambda a: a.position_id or ""),
        Field("start_month", "Start", Kind.TEXT, lambda a: month(a.start_month)),
        Field("end_month", "End", Kind.TEXT, lambda a: month(a.end_month)),
        Field("funding_source", "Funding source", Kind.TEXT,
              lambda a: donors.get(a.funding_source or "", a.funding_source or ""),
              lambda a: a.funding_source or ""),
        Field("priority", "Priority", Kind.TEXT, lambda a: a.priority),
        Field("gem", "GEM", Kind.COUNT, lambda a: a.gem),
        Field("dac_gender", "DAC gender", Kind.TEXT, lambda a: _level(a.dac_gender)),
        Field("dac_disability", "DAC disability", Kind.TEXT, lambda a: _level(a.dac_disability)),
        Field("sdg_targets", "SDG targets", Kind.TEXT, lambda a: ";".join(a.sdg_targets)),
        Field("marker_note", "Marker justification", Kind.TEXT, lambda a: a.marker_note),
        Field("inclusion", "Disability inclusion", Kind.TEXT, lambda a: a.inclusion),
        Field("status", "Status", Kind.TEXT, lambda a: a.status),
    ]  # fmt: skip
    # a category the line does not use is blank in the workbook (as in the grid), 0.00 in the CSV
    budget = [Field(f"budget_{c.code}", f"{c.name} (USD)", Kind.MONEY,
                    lambda a, k=c.code: a.budget.get(k) or None,
                    lambda a, k=c.code: a.budget.get(k, ZERO))
              for c in ref.cost_categories]  # fmt: skip
    tail = [Field("total", "Total (USD)", Kind.MONEY, lambda a: a.total),
            Field("description", "Description", Kind.TEXT, lambda a: a.description),
            Field("notes", "Notes", Kind.TEXT, lambda a: a.notes)]  # fmt: skip
    return head + budget + tail


def activity_tables(activities: Sequence[Activity], ref: ProgrammeReference,
                    year: int) -> tuple[Table, Table]:  # fmt: skip
    """Every activity, by code: the lines that count (with the Total, the workplan's total)
    and the cancelled lines (listed, not totalled)."""
    fields = activity_fields(ref, year)
    columns = tuple(Column(f.header, f.kind, summed=f.kind is Kind.MONEY) for f in fields)
    ordered = sorted(activities, key=lambda a: code_key(a.code))

    def rows(lines: Sequence[Activity]) -> tuple[Row, ...]:
        return tuple(Row(tuple(f.shown(a) for f in fields)) for a in lines)

    counted = rows([a for a in ordered if a.counts])
    names = ref.jurisdiction_names()
    places = [names.get(j, j) for a in ordered for j in a.jurisdictions]
    footnotes = footnotes_for(places, ref.jurisdiction_footnotes())
    return (
        Table("Activities (USD)", columns, counted, footnotes=footnotes,
              notes=(f"{len(counted)} lines that count; the Total is the workplan's total.",)),
        Table("Cancelled lines (not counted in any total)", columns,
              rows([a for a in ordered if not a.counts]), total=False),
    )  # fmt: skip
