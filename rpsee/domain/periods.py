"""Closed periods: the months through which finance has closed the staff costs as actuals.

Finance closes the months through a given month ("actuals through June 2025"); a change of a
position plan, a cost rate, the escalation or a vacancy factor that would change the cost of a
closed month is refused until finance reopens the period. What counts as the cost of a closed
month (CLOSED_RULE): each position's standard cost of the month; a year's vacancy deduction and
a position's split of the year's net cost over the thematic areas are figures of the whole
year, so they count as closed once every month of the year inside the costing period is.
"""

from __future__ import annotations

from dataclasses import dataclass

from rpsee.domain.money import from_cents
from rpsee.domain.staffing import StaffCosting, month_index, month_text

CLOSED_RULE = (
    "Months through the closed month are actuals: a change of a position's months, grade, duty "
    "station or time split, a cost rate, the escalation or a vacancy factor that would change "
    "a closed month's standard cost is refused until finance reopens the period. A year's "
    "vacancy deduction and a position's split over the thematic areas are figures of the "
    "whole year: they count as closed once every month of the year in the costing period is."
)

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip


def month_name(ym: str) -> str:
    """`2025-06` -> `June 2025`."""
    index = month_index(ym)
    return f"{MONTH_NAMES[index % 12]} {index // 12}"


@dataclass(frozen=True)
class ClosedChange:
    """A position whose cost in closed months would change: the months (YYYY-MM) and how."""

    position_id: str
    months: tuple[str, ...]
    what: tuple[str, ...]  # "standard cost", "vacancy deduction", "split over thematic areas"

    @property
    def first(self) -> str:
        return self.months[0]


def closed_changes(before: StaffCosting, after: StaffCosting, closed_through: str | None,
                   period: tuple[str, str]) -> list[ClosedChange]:  # fmt: skip
    """The positions whose cost of a closed month differs between the two costings (CLOSED_RULE),
    each with its closed months affected in order; empty if nothing closed changes."""
    if not closed_through:
        return []
    lo, hi = month_index(period[0]), month_index(period[1])
    last = min(month_index(closed_through), hi)
    if last < lo:
        return []
    months: dict[str, set[int]] = {}
    what: dict[str, set[str]] = {}

    def note(position: str, month_indexes: set[int], kind: str) -> None:
        months.setdefault(position, set()).update(month_indexes)
        what.setdefault(position, set()).add(kind)

    for key in set(before.months) | set(after.months):
        position, m = key
        if lo <= m <= last and before.months.get(key, 0) != after.months.get(key, 0):
            note(position, {m}, "standard cost")
    whole = {y for y in range(lo // 12, last // 12 + 1) if min(hi, y * 12 + 11) <= last}
    for year in sorted(whole):
        year_months = set(range(max(lo, year * 12), min(hi, year * 12 + 11) + 1))
        for key in set(before.vacancy) | set(after.vacancy):
            if key[1] == year and before.vacancy.get(key, 0) != after.vacancy.get(key, 0):
                note(key[0], _costed(before, after, key[0], year_months), "vacancy deduction")
        for pa in set(before.by_position_area) | set(after.by_position_area):
            same_net = _net(before, pa[0], year) == _net(after, pa[0], year)
            if pa[2] == year and same_net and (before.by_position_area.get(pa, 0)
                                               != after.by_position_area.get(pa, 0)):  # fmt: skip
                note(pa[0], _costed(before, after, pa[0], year_months),
                     "split over thematic areas")  # fmt: skip
    order = {"standard cost": 0, "vacancy deduction": 1, "split over thematic areas": 2}
    return sorted(
        (
            ClosedChange(
                p, tuple(month_text(m) for m in sorted(ms)), tuple(sorted(what[p], key=order.get))
            )  # fmt: skip
            for p, ms in months.items()
        ),
        key=lambda c: (month_index(c.first), c.position_id),
    )


def _net(costing: StaffCosting, position: str, year: int) -> int:
    key = (position, year)
    return costing.gross.get(key, 0) - costing.vacancy.get(key, 0)


def _costed(before: StaffCosting, after: StaffCosting, position: str,
            year_months: set[int]) -> set[int]:  # fmt: skip
    """The months of the year costed for the position in either costing (all of them if none)."""
    costed = {m for (p, m) in set(before.months) | set(after.months)
              if p == position and m in year_months}  # fmt: skip
    return costed or year_months


def closed_message(changes: list[ClosedChange], closed_through: str,
                   titles: dict[str, str] | None = None) -> str:  # fmt: skip
    """One sentence naming the positions, the first closed month affected and who reopens."""
    titles = titles or {}
    named = "; ".join(f"{c.position_id}" + (f" ({titles[c.position_id]})"
                                            if titles.get(c.position_id) else "")
                      + f" from {month_name(c.first)}: {', '.join(c.what)}"
                      for c in changes)  # fmt: skip
    first = min((c.first for c in changes), key=month_index)
    return (
        f"This change would rewrite the costs of closed months (actuals through "
        f"{month_name(closed_through)}), first {month_name(first)}: {named}. Finance must "
        f"reopen the period before it can be saved."
    )


def closed_difference(before: StaffCosting, after: StaffCosting, change: ClosedChange) -> str:
    """The standard cost of the change's closed months, before and after, as text."""
    keys = [(change.position_id, month_index(m)) for m in change.months]
    old = from_cents(sum(before.months.get(k, 0) for k in keys))
    new = from_cents(sum(after.months.get(k, 0) for k in keys))
    return f"{old:,.2f} -> {new:,.2f}"


@dataclass(frozen=True)
class ClosingProblem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def check_close(
    text: object, current_month: str, period: tuple[str, str], field: str = "Closed through"
) -> tuple[str | None, list[ClosingProblem]]:
    """A closed-through month as typed: `YYYY-MM`, inside the costing period and before the
    current month (a month closes once it has ended); (month, problems)."""
    raw = str(text if text is not None else "").strip()
    try:
        if len(raw) != 7 or raw[4] != "-" or not (raw[:4] + raw[5:]).isdigit():
            raise ValueError(raw)
        index = month_index(raw)
    except ValueError:
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        return None, [ClosingProblem(field, f"{shown!r} is not a month: use YYYY-MM, "
                                     "e.g. 2025-06")]  # fmt: skip
    problems = []
    if index < month_index(period[0]) or index > month_index(period[1]):
        problems.append(ClosingProblem(field, f"{raw} is outside the costing period "
                                       f"({period[0]} to {period[1]})"))  # fmt: skip
    elif index >= month_index(current_month):
        problems.append(ClosingProblem(field, f"{raw} has not ended yet (this month is "
                                       f"{current_month}): only past months close"))  # fmt: skip
    return (None, problems) if problems else (raw, [])
