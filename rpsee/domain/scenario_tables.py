"""The scenario pages' tables: requirement, funding three ways, gap and coverage by year; by
thematic area or office; what stays unfunded; cut lines; scenarios side by side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from rpsee.domain.cutline import CutLine
from rpsee.domain.funding import (
    PLANNED,
    PLANNED_HELP,
    REQUIREMENT,
    REQUIREMENT_HELP,
    SAVED,
    Coverage,
    YearFunding,
)
from rpsee.domain.funding_plan import MODE_LABELS, MODES, Shortfall
from rpsee.domain.money import format_usd, from_cents
from rpsee.domain.tables import Column, Kind, Row, Table, percent_of

PRIORITY_LABELS = {"essential": "Essential", "high": "High", "medium": "Medium", "low": "Low"}


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def years_table(funding: Mapping[str, Mapping[int, YearFunding]], mode: str,
                title: str = "By year") -> Table:  # fmt: skip
    """Per year: the requirement (at the rates of the money in `mode`), the funding counted
    three ways, and the gap and coverage in `mode`."""
    columns = (Column("Year", Kind.TEXT),
               Column(REQUIREMENT, help=REQUIREMENT_HELP),
               *(Column(MODE_LABELS[m]) for m in MODES),
               Column(f"Gap ({MODE_LABELS[mode].lower()})"),
               Column("Coverage %", Kind.PERCENT))  # fmt: skip
    rows = []
    for y, f in sorted(funding[mode].items()):
        t = f.total
        rows.append(Row((str(y), from_cents(t.requirement_cents),
                         *(from_cents(funding[m][y].total.funded_cents) for m in MODES),
                         from_cents(t.gap_cents), _pct(t.coverage_percent))))  # fmt: skip
    table = Table(title, columns, tuple(rows))
    total = table.total_row()
    req, covered = total.cells[1], total.cells[2 + MODES.index(mode)]  # type: ignore[union-attr]
    share = percent_of(Decimal(covered), Decimal(req)) if req else None  # type: ignore[arg-type]
    return Table(title, columns, tuple(rows), notes=(
        f"Cycle coverage ({MODE_LABELS[mode].lower()}): "
        f"{'–' if share is None else f'{share}%'}.",))  # fmt: skip


def breakdown_table(title: str, label: str, lines: Sequence[Coverage],
                    names: Mapping[str, str], footnotes: Sequence[str] = ()) -> Table:  # fmt: skip
    """One year by thematic area or office: requirement, funded, gap, coverage."""
    columns = (Column(label, Kind.TEXT), Column(REQUIREMENT, help=REQUIREMENT_HELP),
               Column("Funded"), Column("Gap"),
               Column("Coverage %", Kind.PERCENT))  # fmt: skip
    rows = tuple(Row((names.get(c.key, c.key), from_cents(c.requirement_cents),
                      from_cents(c.funded_cents), from_cents(c.gap_cents),
                      _pct(c.coverage_percent))) for c in lines
                 if c.requirement_cents or c.funded_cents)  # fmt: skip
    return Table(title, columns, rows, footnotes=tuple(footnotes))


def shortfall_table(title: str, shortfalls: Sequence[Shortfall], year: int,
                    area_names: Mapping[str, str]) -> Table:  # fmt: skip
    """What the gap means: each activity or position of the year not fully funded (direct
    costs), priorities first."""
    columns = (Column("Activity or position", Kind.TEXT), Column("Priority", Kind.TEXT),
               Column("Thematic area", Kind.TEXT), Column("Cost"), Column("Funded"),
               Column("Missing"), Column("Status", Kind.TEXT))  # fmt: skip
    rows = tuple(Row((f"{s.need.code} {s.need.title}" if s.need.kind == "activity"
                      else f"Position {s.need.code}: {s.need.title}",
                      PRIORITY_LABELS.get(s.need.priority, s.need.priority),
                      area_names.get(s.need.area, s.need.area), s.need.amount,
                      from_cents(s.funded_cents), from_cents(s.missing_cents), s.status))
                 for s in shortfalls if s.need.year == year)  # fmt: skip
    return Table(title, columns, rows)


def cut_table(cut: CutLine) -> Table:
    """A year's cut line tier by tier: what each tier costs, what is funded, what falls below."""
    columns = (Column("Priority", Kind.TEXT), Column("Cost"), Column("Funded"),
               Column("Below the line"), Column("Lines below", Kind.COUNT))  # fmt: skip
    rows = tuple(Row((PRIORITY_LABELS.get(t.priority, t.priority), from_cents(t.direct_cents),
                      from_cents(t.funded_cents), from_cents(t.direct_cents - t.funded_cents),
                      len(t.below))) for t in cut.tiers)  # fmt: skip
    return Table(f"{cut.year}: cut line at {cut.level_percent}% of the planned costs", columns,
                 rows, notes=("Direct costs. The level's money: "
                              f"{format_usd(from_cents(cut.budget_cents))} (direct + support "
                              "costs at the default rate).",))  # fmt: skip


def comparison_table(title: str, names: Sequence[str],
                     funding: Sequence[Mapping[str, Mapping[int, YearFunding]]],
                     cover: Sequence[float | None], years: Sequence[int], mode: str) -> Table:
    """Scenarios side by side over `years`: requirement, funding three ways, gap and coverage
    in `mode`, and the Monte Carlo chance of covering the whole requirement."""
    short = {"hard": "Hard", "hard_soft": "Hard + soft", "weighted": "Weighted"}  # 1280 px
    columns = (Column("Scenario", Kind.TEXT), Column(REQUIREMENT, help=REQUIREMENT_HELP),
               *(Column(short[m], help=MODE_LABELS[m]) for m in MODES),
               Column("Gap", help=f"{REQUIREMENT} minus {MODE_LABELS[mode].lower()} funding"),
               Column("Cover %", Kind.PERCENT, help=f"Funded ({MODE_LABELS[mode].lower()}) "
                                                    f"as a share of the {REQUIREMENT.lower()}"),
               # short, so that the table fits at 1280 px; the help names it as Results does
               Column("All years %", Kind.PERCENT,
                      help="Chance every year covered (Monte Carlo): the share of draws "
                           "covering every year's requirement"))
    rows = []
    for name, f, chance in zip(names, funding, cover, strict=True):
        req = sum(f[mode][y].total.requirement_cents for y in years)
        funded = {m: sum(f[m][y].total.funded_cents for y in years) for m in MODES}
        rows.append(Row((name, from_cents(req), *(from_cents(funded[m]) for m in MODES),
                         from_cents(req - funded[mode]),
                         percent_of(Decimal(funded[mode]), Decimal(req)) if req else None,
                         None if chance is None else
                         Decimal(str(round(chance * 100, 1))))))  # fmt: skip
    return Table(title, columns, tuple(rows), total=False)


def position_effect_table(title: str, without: Mapping[int, YearFunding],
                          with_them: Mapping[int, YearFunding]) -> Table:  # fmt: skip
    """Per year: the staff and activity costs (direct) and the requirement at the default
    support-cost rate, without and with positions deferred or dropped, and the change."""
    columns = (Column("Year", Kind.TEXT),
               Column(f"{PLANNED} without", help=f"{PLANNED_HELP}; no position deferred or "
                      "dropped"),
               Column(f"{PLANNED} with"), Column("Change"),
               Column("Direct costs change", help="Activities + staff, before support costs"))
    rows = []
    for y in sorted(without):
        a, b = without[y], with_them[y]
        before, after = a.requirement_at_default_cents, b.requirement_at_default_cents
        rows.append(Row((str(y), from_cents(before), from_cents(after),
                         from_cents(after - before),
                         from_cents(b.total.direct_cents - a.total.direct_cents))))
    return Table(title, columns, tuple(rows))


def reconciliation_table(funding: Mapping[str, Mapping[int, YearFunding]], mode: str,
                         title: str, rate: Decimal | None = None) -> Table:  # fmt: skip
    """Per year, from the planned costs (support costs at the standard rate `rate`) to the
    requirement at funders' rates in `mode`: planned - support costs saved = requirement."""
    columns = (Column("Year", Kind.TEXT), Column(PLANNED, help=PLANNED_HELP),
               Column(SAVED, help="Where money of a lower rate pays (e.g. the EU's 7%)"),
               Column(REQUIREMENT, help=REQUIREMENT_HELP))  # fmt: skip
    rows = []
    for y, f in sorted(funding[mode].items()):
        planned, required = f.requirement_at_default_cents, f.total.requirement_cents
        rows.append(Row((str(y), from_cents(planned), from_cents(planned - required),
                         from_cents(required))))  # fmt: skip
    standard = "the standard rate" if rate is None else f"the standard rate ({rate}%)"
    return Table(title, columns, tuple(rows), notes=(
        f"{PLANNED}: activities, staff and programme support costs at {standard}, the figure "
        f"of the allocation comparison and the summary. {REQUIREMENT} "
        f"({MODE_LABELS[mode].lower()}): the same costs with support costs at the rate of the "
        f"money that pays each line, unfunded lines at {standard}. {PLANNED} minus "
        f"{SAVED.lower()} is the {REQUIREMENT.lower()}; the gap and coverage are measured "
        f"against it.",))  # fmt: skip


PIPELINE_MONEY = "Money counted"
NOT_USABLE = "Not usable that year"


def counted_to_funded_table(funding: Mapping[str, Mapping[int, YearFunding]], mode: str,
                            title: str) -> Table:  # fmt: skip
    """Per year, from the money counted in `mode` (the pipeline's figure, by donor: every
    tranche of the year whatever its earmark) to the funding in `mode` (what pays the year's
    requirement): counted - not usable = funded. The two share the words "hard + soft"; this
    is the bridge between them."""
    label = MODE_LABELS[mode].lower()
    columns = (Column("Year", Kind.TEXT),
               Column(f"{PIPELINE_MONEY} ({label})",
                      help="Every tranche of the year in this counting mode, as the pipeline "
                           "and the money-by-donor chart show it"),
               Column(NOT_USABLE, help="Earmarked to needs this year does not have, or more "
                                       "than the needs it may pay"),
               Column(f"Funded ({label})", help="What pays the requirement at funders' "
                                                "rates: gap and coverage use it"))  # fmt: skip
    rows = tuple(Row((str(y), from_cents(f.counted_cents), from_cents(f.unused_cents),
                      from_cents(f.total.funded_cents)))
                 for y, f in sorted(funding[mode].items()))  # fmt: skip
    return Table(title, columns, rows, notes=(
        f"{PIPELINE_MONEY} minus what is {NOT_USABLE.lower()} is what is funded. The pipeline "
        f"page and the money by donor count every tranche; the scenario's {label} column "
        "counts only what its earmarks let pay the year's needs.",))  # fmt: skip


def delta_table(title: str, side_by_side: Table, baseline: Row) -> Table:
    """Each scenario's row of `side_by_side` (see `comparison_table`) minus the baseline's
    row: money in USD, percentages in percentage points (a figure missing on either side
    gives none). Zero everywhere: the scenario changes nothing the table shows."""
    columns = (side_by_side.columns[0], *(
        Column(f"Δ {c.name}" + (" (pp)" if c.kind == Kind.PERCENT else ""), c.kind,
               help=f"{c.help or c.name}: the scenario minus the baseline", summed=False)
        for c in side_by_side.columns[1:]))  # fmt: skip
    rows = tuple(
        Row((r.cells[0], *(None if a is None or b is None else a - b
                           for a, b in zip(r.cells[1:], baseline.cells[1:], strict=True))))
        for r in side_by_side.rows)  # fmt: skip
    return Table(title, columns, rows, total=False)
