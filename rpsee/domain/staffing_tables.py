"""Staff costs as tables: by year, thematic area, office (duty station) and position, each year
a column and the cycle the last; every Total row is the sum of the rows above it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.staffing import PositionPlan, StaffCosting
from rpsee.domain.tables import Column, Kind, Row, Table


def _columns(label: str, years: Sequence[int]) -> tuple[Column, ...]:
    return (Column(label, Kind.TEXT), *(Column(str(y)) for y in years),
            Column("Cycle", help="Sum of the years"))  # fmt: skip


def _row(label: str, by_year: Callable[[int], Decimal], years: Sequence[int],
         help: str | None = None) -> Row:  # noqa: A002  # fmt: skip
    values = [by_year(y) for y in years]
    return Row((label, *values, sum(values, Decimal("0.00"))), help=help)


def by_year(costing: StaffCosting, years: Sequence[int]) -> Table:
    """Standard cost less the vacancy deduction: the Total is the staff cost charged."""
    rows = (_row("Standard cost", costing.gross_total, years),
            _row("Vacancy deduction", lambda y: -costing.vacancy_total(y), years))  # fmt: skip
    return Table("By year", _columns("Staff cost", years), rows, total_label="Total: charged")


def by_area(costing: StaffCosting, years: Sequence[int], ref: ProgrammeReference) -> Table:
    rows = tuple(_row(ref.area_label(a.code), lambda y, c=a.code: costing.area_net(c, y), years,
                      help=a.name) for a in ref.areas)  # fmt: skip
    return Table("By thematic area (by each position's time split)",
                 _columns("Thematic area", years), rows)  # fmt: skip


def by_office(costing: StaffCosting, years: Sequence[int], ref: ProgrammeReference) -> Table:
    used = {o for (o, _y) in costing.by_office}
    rows = tuple(_row(o.name, lambda y, c=o.code: costing.office_net(c, y), years, help=o.label)
                 for o in ref.offices if o.code in used)  # fmt: skip
    return Table("By office (by duty station)", _columns("Office", years), rows,
                 notes=(ref.office_legend(),))  # fmt: skip


def by_position(costing: StaffCosting, years: Sequence[int],
                plans: Sequence[PositionPlan]) -> Table:  # fmt: skip
    rows = tuple(_row(f"{p.position_id} · {p.title}",
                      lambda y, i=p.position_id: costing.position_net(i, y), years, help=p.title)
                 for p in plans)  # fmt: skip
    return Table("By position", _columns("Position", years), rows)


def what_if(before: StaffCosting, after: StaffCosting, years: Sequence[int], *,
            now: str = "Now", changed: str = "With the change") -> Table:  # fmt: skip
    """Each year's staff cost charged now and with a change; the Total is the cycle."""
    columns = (Column("Year", Kind.TEXT), Column(now), Column(changed), Column("Effect"))
    rows = tuple(Row((str(y), before.net_total(y), after.net_total(y),
                      after.net_total(y) - before.net_total(y))) for y in years)  # fmt: skip
    return Table("Staff cost charged by year", columns, rows)


def positions_costed(costing: StaffCosting, years: Sequence[int], plans: Sequence[PositionPlan],
                     offices: dict[str, str]) -> Table:  # fmt: skip
    """The staffing table with costs: each position's grade, duty station and staff cost
    charged per year (the same figures as `by_position`); dropped positions cost nothing."""
    columns = (Column("Position", Kind.TEXT), Column("Grade", Kind.TEXT),
               Column("Duty station", Kind.TEXT), Column("Status", Kind.TEXT),
               *(Column(str(y)) for y in years), Column("Cycle", help="Sum of the years"))
    rows = []
    for p in plans:
        base = _row("", lambda y, i=p.position_id: costing.position_net(i, y), years)
        status = "dropped" if p.dropped else ("new" if p.is_new else "existing")
        rows.append(Row((f"{p.position_id} · {p.title}", p.grade,
                         offices.get(p.duty_station, p.duty_station), status,
                         *base.cells[1:]), help=p.title))  # fmt: skip
    return Table("Staffing table with costs (USD, staff cost charged)", columns, tuple(rows))
