"""The allocation comparison as tables: a year by thematic area or office, and the cycle by year.

One rule makes every column add up: a row without a target has nothing allocated (shown blank,
counted as zero) and no headroom of its own ("no target set", never "over"): what it plans is
drawn from the part of the envelope no target claims, the "Unallocated" row, whose headroom is
that part minus the plans of the rows without a target. A row with a target has allocated minus
planned; the Total row's headroom is the envelope minus everything planned.
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
NO_TARGET = "no target set"
STATUS = "Status"
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
        headroom = None if r.allocated is None else r.allocated - r.planned
        items.append(Row((names.get(r.key, r.key), r.allocated, r.activities, r.staff,
                          r.support_costs, r.planned, headroom, _status(headroom)),
                         help=(helps or {}).get(r.key)))  # fmt: skip
    targets = sum((r.allocated for r in rows if r.allocated is not None), Decimal("0.00"))
    untargeted = sum((r.planned for r in rows if r.allocated is None), Decimal("0.00"))
    rest = envelope - targets
    unallocated = Row((UNALLOCATED, rest, None, None, None, None, rest - untargeted,
                       "pays rows without a target" if untargeted else ""),
                      RowKind.SPECIAL)  # fmt: skip
    columns = (Column(label, Kind.TEXT),
               Column("Allocated", help="The target (USD, or percent of the envelope); blank: "
                                        "no target, nothing allocated"),
               Column("Activities"), Column("Staff"), Column(SUPPORT, help=SUPPORT_HELP),
               Column("Planned"),
               Column(HEADROOM, help="Allocated minus planned; negative (−): over the "
                                     "allocation; blank: no target set"),
               Column(STATUS, Kind.TEXT))  # fmt: skip
    notes = [f"{UNALLOCATED}: the envelope minus the sum of the targets (negative: the targets "
             "exceed the envelope). A row without a target has nothing allocated and no "
             f"headroom ({NO_TARGET}): its plans are counted against the {UNALLOCATED} row, "
             "whose headroom is the unallocated envelope minus them. Elsewhere headroom is "
             "allocated minus planned."]  # fmt: skip
    if not any(r.allocated is not None for r in rows):
        notes.append(f"No {dimension} targets for this year: the whole envelope is unallocated "
                     "and no row is over a target (set targets on the Targets tab).")  # fmt: skip
    return Table(title, columns, tuple(items), (unallocated,), subtotal="targets",
                 notes=tuple(notes))  # fmt: skip


def _status(headroom: Decimal | None) -> str:
    """A row against its own target, in words."""
    if headroom is None:
        return NO_TARGET
    return "over" if headroom < 0 else "within"


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
