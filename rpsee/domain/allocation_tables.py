"""The allocation comparison as tables: a year by thematic area or office, and the cycle by year.

One rule makes every column add up: a row without a target has nothing allocated (shown blank,
counted as zero), the part of the envelope no target claims is the "Unallocated" row, and the
headroom is allocated minus planned on every row, the Total row included.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rpsee.domain.envelope import Row as Comparison
from rpsee.domain.requirement import YearComparison
from rpsee.domain.tables import Column, Kind, Row, RowKind, Table

UNALLOCATED = "Unallocated"
HEADROOM = "Headroom"
SUPPORT = "Support costs"
SUPPORT_HELP = "Programme support costs, charged on the direct costs"


def year_table(
    title: str, label: str, rows: Sequence[Comparison], envelope: Decimal,
    names: Mapping[str, str], *, dimension: str, helps: Mapping[str, str] | None = None,
) -> Table:  # fmt: skip
    """One row per area (or office), the sum of their targets, the unallocated rest of the
    envelope and the Total (= the envelope)."""
    items = []
    for r in rows:
        allocated = r.allocated or Decimal("0.00")
        items.append(Row((names.get(r.key, r.key), r.allocated, r.activities, r.staff,
                          r.support_costs, r.planned, allocated - r.planned),
                         help=(helps or {}).get(r.key)))  # fmt: skip
    targets = sum((r.allocated for r in rows if r.allocated is not None), Decimal("0.00"))
    rest = envelope - targets
    unallocated = Row((UNALLOCATED, rest, None, None, None, None, rest), RowKind.SPECIAL)
    columns = (Column(label, Kind.TEXT),
               Column("Allocated", help="The target (USD, or percent of the envelope); blank: "
                                        "no target, nothing allocated"),
               Column("Activities"), Column("Staff"), Column(SUPPORT, help=SUPPORT_HELP),
               Column("Planned"),
               Column(HEADROOM, help="Allocated minus planned; negative (−): over the "
                                     "allocation"))
    notes = [f"{UNALLOCATED}: the envelope minus the sum of the targets (negative: the targets "
             "exceed the envelope). A row without a target has nothing allocated. Headroom is "
             "allocated minus planned on every row."]  # fmt: skip
    if not any(r.allocated is not None for r in rows):
        notes.append(f"No {dimension} targets for this year: the whole envelope is unallocated "
                     "(set targets on the Targets tab).")  # fmt: skip
    return Table(title, columns, tuple(items), (unallocated,), subtotal="targets",
                 notes=tuple(notes))  # fmt: skip


@dataclass(frozen=True)
class YearLine:
    """One year of the cycle: the envelope and what the year's plan charges."""

    year: int
    envelope: Decimal
    staff: Decimal
    activities: Decimal
    support_costs: Decimal
    planned: Decimal

    @property
    def headroom(self) -> Decimal:
        """What the year's plan leaves of the envelope (negative: over the envelope)."""
        return self.envelope - self.planned


def cycle_table(lines: Sequence[YearLine], *, support_counts: bool = True) -> Table:
    """The cycle by year; its Total is the cycle's envelope and plan."""
    columns = (Column("Year", Kind.TEXT), Column("Envelope"), Column("Staff"),
               Column("Activities"),
               Column(SUPPORT, help=SUPPORT_HELP + ("" if support_counts else
                                                    "; net basis: on top of the envelope")),
               Column("Planned"),
               Column("Headroom (− over)", help="Envelope minus planned"))  # fmt: skip
    rows = tuple(Row((str(x.year), x.envelope, x.staff, x.activities, x.support_costs, x.planned,
                      x.headroom)) for x in lines)  # fmt: skip
    return Table("Envelope and plan by year", columns, rows)


def year_lines(comparisons: Mapping[int, YearComparison]) -> list[YearLine]:
    """Each year's line of the cycle table from the year's allocation comparison."""
    return [YearLine(y, c.envelope, c.area_total.staff, c.area_total.activities,
                     c.area_total.support_costs, c.area_total.planned)
            for y, c in sorted(comparisons.items())]  # fmt: skip
