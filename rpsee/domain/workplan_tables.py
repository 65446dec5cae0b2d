"""A workplan's totals as tables: by thematic area, output, office, jurisdiction, cost category
and quarter, each with a Total row equal to the workplan's total (the splits are exact)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.tables import BLANK, Column, Kind, Row, Table, breakdown, footnotes_for
from rpsee.domain.workplan import Activity, code_key, month_label
from rpsee.domain.workplan_labels import category_labels, category_note
from rpsee.domain.workplan_totals import (
    by_area,
    by_category,
    by_jurisdiction,
    by_office,
    by_output,
    by_quarter,
)


def _ordered(totals: Mapping[str, Decimal], names: Mapping[str, str]) -> list[tuple[str, Decimal]]:
    """In the reference order (unknown codes last, as they are)."""
    known = [(names[k], totals[k]) for k in names if k in totals]
    return known + [(k, v) for k, v in totals.items() if k not in names]


def totals_tables(
    activities: Iterable[Activity], ref: ProgrammeReference,
    category_names: Mapping[str, str] | None = None,
) -> dict[str, Table]:  # fmt: skip
    """Keyed by dimension: area, office, jurisdiction, category, quarter, output. Categories
    go by their short names (`category_labels`) unless `category_names` says otherwise."""
    lines = list(activities)
    areas = ref.area_labels()
    outputs = {o.code: ref.output_label(o.code) for o in ref.outputs}
    offices = ref.office_names()
    places = ref.jurisdiction_names()
    cats = {**category_labels(ref), **(category_names or {})}
    by_place = _ordered(by_jurisdiction(lines), places)
    return {
        "area": breakdown("By thematic area", "Thematic area", _ordered(by_area(lines), areas),
                          helps={ref.area_label(a.code): a.name for a in ref.areas},
                          share=True),
        "office": breakdown("By lead office", "Office", _ordered(by_office(lines), offices),
                            helps={o.name: o.label for o in ref.offices}, share=True),
        "jurisdiction": breakdown(
            "By jurisdiction", "Jurisdiction", by_place, share=True,
            footnotes=("An activity in several jurisdictions is shared equally among them.",
                       *footnotes_for((k for k, _v in by_place), ref.jurisdiction_footnotes()))),
        "category": breakdown("By cost category", "Cost category",
                              _ordered(by_category(lines), cats),
                              helps={cats[c.code]: c.name for c in ref.cost_categories},
                              share=True, footnotes=(category_note(ref),)),
        "quarter": breakdown("By quarter", "Quarter", by_quarter(lines).items(), share=True,
                             footnotes=("An activity's budget is spread evenly over its "
                                        "months.",)),
        "output": breakdown("By output", "Output", _ordered(by_output(lines), outputs),
                            helps={outputs[o.code]: o.text for o in ref.outputs}, share=True),
    }


def activity_list(activities: Iterable[Activity], ref: ProgrammeReference) -> Table:
    """Every line of a workplan (the approval pack's annex): its code, title, output,
    jurisdictions, lead office, months, priority, status and budget. Cancelled lines are
    listed with a blank budget: they count in no total, so the Total is the workplan's."""
    places = ref.jurisdiction_names()
    offices = ref.office_names()
    columns = (Column("Code", Kind.TEXT), Column("Activity", Kind.TEXT),
               Column("Jurisdictions", Kind.TEXT), Column("Office", Kind.TEXT),
               Column("Months", Kind.TEXT), Column("Priority", Kind.TEXT),
               Column("Status", Kind.TEXT), Column("USD"))  # fmt: skip
    rows = []
    shown: set[str] = set()
    for a in sorted(activities, key=lambda a: (a.output_code, code_key(a.code))):
        names = [places.get(j, j) for j in a.jurisdictions]
        shown.update(names)
        months = (month_label(a.start_month) if a.start_month == a.end_month else
                  f"{month_label(a.start_month)}–{month_label(a.end_month)}")  # fmt: skip
        rows.append(Row((a.code, a.title, ", ".join(names) or BLANK,
                         offices.get(a.lead_office, a.lead_office), months,
                         a.priority.capitalize(), a.status.capitalize(),  # words, not stored values
                         a.total if a.counts else None), help=a.description or None))
    notes = ("Cancelled lines are listed with a blank budget: they count in no total.",)
    return Table("Activities", columns, tuple(rows), notes=notes,
                 footnotes=footnotes_for(shown, ref.jurisdiction_footnotes()))
