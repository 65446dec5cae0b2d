"""Delivery: money spent (expenditure lines of the year, in USD) against the year's approved
budget (the approved workplan's counted activity lines, direct costs), by thematic area, output,
office, cost category and donor grant; the monthly burn against a linear path; warnings; results
and money side by side per output.

Rules (what the pages and the pack state):

- Delivery rate = expenditure x 100 / budget, two decimals (`tables.percent_of`); blank where
  the budget is zero. The Total row's rate is in the table's notes (a rate is not summed).
- Budget by office: the activity's lead office; expenditure by office: the WBS element's office.
- Budget by grant: an activity's `funding_source` names a grant when it equals a grant's
  reference; when it is a donor code (as in the demo workplans: `EU`, `LCIF`) and that donor has
  exactly one of the grants given, that grant; otherwise (no source, a donor with several
  grants or none) the budget goes to the `Unassigned` row. Expenditure is by the line's grant.
- Rows: the reference's order (areas, outputs, offices, categories; grants as given); keys the
  reference does not know come last, as they are; rows with neither budget nor spending are left
  out except the reference's areas and categories (always shown).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from rpsee.domain.money import CENT, format_usd
from rpsee.domain.pipeline import Contribution, ExchangeRate, to_usd
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.review.expenditure import ExpenditureLine
from rpsee.domain.tables import Cell, Column, Kind, Row, RowKind, Table, percent_of
from rpsee.domain.workplan import Activity
from rpsee.domain.workplan_labels import category_labels
from rpsee.domain.workplan_totals import by_area, by_category, by_office, by_output, grand_total

ZERO = Decimal("0.00")
UNASSIGNED = "Unassigned"
BUDGET, EXPENDITURE, RATE = "Budget", "Expenditure", "Delivery rate"
GRANT_END_MONTHS = 6  # a grant ending within this many months with money unspent is warned of
AHEAD_PERCENT = Decimal(10)  # spending more than this % above the linear path is warned of
RATE_HELP = "Expenditure as a percentage of the approved budget"
NOTE = ("Budget: the approved workplan's activity lines (direct costs; cancelled lines not "
        "counted). Expenditure: the imported Umoja extract, in USD.")  # fmt: skip

Key = Callable[[ExpenditureLine], str]


def spent_in(lines: Iterable[ExpenditureLine], year: int) -> list[ExpenditureLine]:
    """The lines posted in `year`."""
    return [line for line in lines if line.year == year]


def spent_by(lines: Iterable[ExpenditureLine], key: Key) -> dict[str, Decimal]:
    """USD spent by `key` of the line (reversals included, so a total may go down)."""
    totals: dict[str, Decimal] = {}
    for line in lines:
        k = key(line)
        totals[k] = totals.get(k, ZERO) + line.amount_usd
    return totals


def delivery_rows(budget: Mapping[str, Decimal], spent: Mapping[str, Decimal],
                  order: Sequence[tuple[str, str, str | None]], *, always: bool = False
                  ) -> list[Row]:  # fmt: skip
    """One row per key (key, label, help) of `order`, then keys of `budget` or `spent` that
    `order` does not know; a row with neither budget nor spending only when `always`."""
    known = [k for k, _l, _h in order]
    extra = sorted((set(budget) | set(spent)) - set(known))
    rows = []
    for key, label, help_text in [*order, *((k, k, None) for k in extra)]:
        b, s = budget.get(key, ZERO), spent.get(key, ZERO)
        if key in budget or key in spent or (always and key in known):
            rows.append(Row((label, b, s, percent_of(s, b)), help=help_text))
    return rows


def delivery_table(title: str, label: str, rows: Sequence[Row], special: Sequence[Row] = (),
                   notes: Sequence[str] = ()) -> Table:  # fmt: skip
    """Budget, expenditure and delivery rate by `label`, with a Total row (the rows' sums) and
    the total's delivery rate in the notes."""
    columns = (Column(label, Kind.TEXT), Column(BUDGET), Column(EXPENDITURE),
               Column(RATE, Kind.PERCENT, help=RATE_HELP))  # fmt: skip
    every = [*rows, *special]
    budget = sum((Decimal(r.cells[1] or 0) for r in every), ZERO)
    rate = percent_of(sum((Decimal(r.cells[2] or 0) for r in every), ZERO), budget)
    said = f"{rate}%" if rate is not None else "none (no budget)"
    return Table(title, columns, tuple(rows), special_rows=tuple(special),
                 notes=(NOTE, f"Delivery rate of the total: {said}.", *notes))  # fmt: skip


def _area_of(line: ExpenditureLine) -> str:
    return line.output_code.split(".", 1)[0]


def by_thematic_area(activities: Sequence[Activity], lines: Sequence[ExpenditureLine],
                     year: int, ref: ProgrammeReference) -> Table:  # fmt: skip
    order = [(a.code, ref.area_label(a.code), a.name) for a in ref.areas]
    rows = delivery_rows(by_area(activities), spent_by(spent_in(lines, year), _area_of), order,
                         always=True)  # fmt: skip
    return delivery_table(f"{year}: delivery by thematic area (USD)", "Thematic area", rows)


def by_programme_output(activities: Sequence[Activity], lines: Sequence[ExpenditureLine],
                        year: int, ref: ProgrammeReference) -> Table:  # fmt: skip
    order = [(o.code, ref.output_label(o.code, 60), o.text) for o in ref.outputs]
    spent = spent_by(spent_in(lines, year), lambda line: line.output_code)
    rows = delivery_rows(by_output(activities), spent, order)
    return delivery_table(f"{year}: delivery by output (USD)", "Output", rows)


def by_lead_office(activities: Sequence[Activity], lines: Sequence[ExpenditureLine],
                   year: int, ref: ProgrammeReference) -> Table:  # fmt: skip
    labels = ref.office_labels()
    order = [(code, name, labels.get(code)) for code, name in ref.office_names().items()]
    spent = spent_by(spent_in(lines, year), lambda line: line.office_code)
    note = "Budget by the activity's lead office; expenditure by the WBS element's office."
    rows = delivery_rows(by_office(activities), spent, order)
    return delivery_table(f"{year}: delivery by office (USD)", "Office", rows, notes=(note,))


def by_cost_category(activities: Sequence[Activity], lines: Sequence[ExpenditureLine],
                     year: int, ref: ProgrammeReference) -> Table:  # fmt: skip
    labels = category_labels(ref)
    order = [(c.code, labels[c.code], c.name) for c in ref.cost_categories]
    spent = spent_by(spent_in(lines, year), lambda line: line.category)
    rows = delivery_rows(by_category(activities), spent, order, always=True)
    return delivery_table(f"{year}: delivery by cost category (USD)", "Cost category", rows)


def grant_of(activity: Activity, grants: Sequence[Contribution]) -> str | None:
    """The grant (a contribution's reference) an activity's budget is counted under: its
    funding source when that is a grant's reference, or the one grant of the donor it names;
    None when neither (no source, or a donor with several or no grants)."""
    source = activity.funding_source
    if not source:
        return None
    if any(c.reference == source for c in grants):
        return source
    of_donor = [c.reference for c in grants if c.donor == source]
    return of_donor[0] if len(of_donor) == 1 else None


def by_donor_grant(activities: Sequence[Activity], lines: Sequence[ExpenditureLine],
                   year: int, grants: Sequence[Contribution]) -> Table:  # fmt: skip
    """Delivery by donor grant (`grants`: the contributions to show, e.g. the hard ones); the
    budget of lines with no grant (see `grant_of`) in an `Unassigned` row, set apart."""
    budget: dict[str, Decimal] = {}
    for a in activities:
        if a.counts:
            key = grant_of(a, grants) or UNASSIGNED
            budget[key] = budget.get(key, ZERO) + a.total
    spent = spent_by(spent_in(lines, year), lambda line: line.grant)
    order = [(c.reference, c.reference, c.donor) for c in grants]
    unassigned = budget.pop(UNASSIGNED, None)
    special = [Row((UNASSIGNED, unassigned, ZERO, None), RowKind.SPECIAL,
                   help="Budget of lines whose funding source names no single grant")
               ] if unassigned is not None else []  # fmt: skip
    rows = delivery_rows(budget, spent, order)
    note = ("Budget by grant: the line's funding source when it names a grant, or the only "
            "grant of the donor it names; otherwise Unassigned. Grants with neither budget nor "
            f"expenditure in {year} are not listed.")  # fmt: skip
    return delivery_table(f"{year}: delivery by donor grant (USD)", "Grant", rows, special,
                          notes=(note,))  # fmt: skip


def year_delivery(activities: Sequence[Activity], lines: Sequence[ExpenditureLine], year: int,
                  funds_available: Decimal) -> Table:  # fmt: skip
    """The year's expenditure against the approved budget and against the funds available (the
    pipeline's hard money of the year, given): one row each, no Total (both rows are the same
    expenditure against two bases)."""
    budget = grand_total(activities)
    spent = sum((line.amount_usd for line in spent_in(lines, year)), ZERO)
    rate_help = "Expenditure as a percentage of the base"
    columns = (Column("Against", Kind.TEXT), Column("Base"), Column(EXPENDITURE),
               Column(RATE, Kind.PERCENT, help=rate_help))  # fmt: skip
    rows = (Row(("Workplan budget", budget, spent, percent_of(spent, budget)),
                help="The year's workplan activity lines, direct costs (which version: said "
                     "with the table)"),
            Row(("Funds available", funds_available, spent, percent_of(spent, funds_available)),
                help="Hard (signed) contributions of the year, in USD"))  # fmt: skip
    return Table(f"{year}: delivery (USD)", columns, rows, total=False)


def by_year(lines: Sequence[ExpenditureLine], budgets: Mapping[int, Decimal],
            funds: Mapping[int, Decimal]) -> Table:  # fmt: skip
    """Delivery year by year: each year's approved budget (`budgets`), funds available
    (`funds`: the hard money of the year), expenditure and the rate against each; a year with
    none of the three is not shown. Total row: the sums; its rates are in the notes."""
    spent = spent_by(lines, lambda line: str(line.year))
    years = sorted({*budgets, *funds, *(int(y) for y in spent)})
    columns = (Column("Year", Kind.TEXT), Column(BUDGET), Column("Funds available"),
               Column(EXPENDITURE), Column(RATE, Kind.PERCENT, help=RATE_HELP),
               Column("Rate against funds", Kind.PERCENT,
                      help="Expenditure as a percentage of the funds available"))  # fmt: skip
    rows = []
    for year in years:
        b, f, s = budgets.get(year, ZERO), funds.get(year, ZERO), spent.get(str(year), ZERO)
        rows.append(Row((str(year), b, f, s, percent_of(s, b), percent_of(s, f))))
    b, f, s = (sum((Decimal(r.cells[i] or 0) for r in rows), ZERO) for i in (1, 2, 3))
    said = [f"{x}%" if x is not None else "none" for x in (percent_of(s, b), percent_of(s, f))]
    return Table("Delivery by year (USD)", columns, tuple(rows),
                 notes=(NOTE, f"Delivery rate of the total: {said[0]} of the budget, "
                              f"{said[1]} of the funds available."))  # fmt: skip


def monthly_burn(lines: Iterable[ExpenditureLine], year: int, budget: Decimal, *,
                 first_month: int = 1) -> list[tuple[int, Decimal, Decimal]]:  # fmt: skip
    """(month, cumulative USD spent through that month, the linear path to `budget`) for each
    month from `first_month` (7 for July 2024, the cycle's first) to December. The path reaches
    `budget` in December: budget x months elapsed / months in the year's span, to the cent."""
    spent = spent_by(spent_in(lines, year), lambda line: str(line.month))
    span = 13 - first_month
    result, running = [], ZERO
    for month in range(first_month, 13):
        running += spent.get(str(month), ZERO)
        path = (budget * (month - first_month + 1) / span).quantize(CENT, ROUND_HALF_UP)
        result.append((month, running, path))
    return result


def _months_between(today: date, end: date) -> int:
    return (end.year - today.year) * 12 + end.month - today.month


def delivery_warnings(
    lines: Sequence[ExpenditureLine], contributions: Sequence[Contribution],
    budgets: Mapping[str, Decimal], today: date, *, rates: Mapping[str, ExchangeRate],
    grant_months: int = GRANT_END_MONTHS, ahead_percent: Decimal = AHEAD_PERCENT,
) -> list[str]:  # fmt: skip
    """What a programme officer should look at, in plain sentences:

    - each hard grant ending (31 December of its last tranche year) within `grant_months` of
      `today`, not yet ended, with money unspent (its tranches in USD less all its expenditure);
    - each output (`budgets`: output code -> the year's approved budget, for `today`'s year)
      whose spending through `today`'s month is above the linear path (budget x months / 12) by
      more than `ahead_percent`, or that spends with no budget at all.
    """
    found = [*_grant_warnings(lines, contributions, today, rates, grant_months)]
    this_year = [line for line in lines if line.year == today.year and line.month <= today.month]
    spent = spent_by(this_year, lambda line: line.output_code)
    for output in sorted(set(budgets) | set(spent)):
        budget, used = budgets.get(output, ZERO), spent.get(output, ZERO)
        if used > 0 and not budget:
            found.append(f"Output {output}: {format_usd(used)} spent in {today.year} with no "
                         "approved budget.")  # fmt: skip
            continue
        path = budget * today.month / 12
        if budget and used > path * (100 + ahead_percent) / 100:
            found.append(f"Output {output}: {format_usd(used)} spent by {today:%B %Y}, ahead "
                         f"of the linear path ({format_usd(path)}, {today.month}/12 of "
                         f"{format_usd(budget)}) by more than {ahead_percent}%.")  # fmt: skip
    return found


def _grant_warnings(lines: Sequence[ExpenditureLine], contributions: Sequence[Contribution],
                    today: date, rates: Mapping[str, ExchangeRate], months: int
                    ) -> list[str]:  # fmt: skip
    spent = spent_by(lines, lambda line: line.grant)
    found = []
    for c in contributions:
        if c.status != "hard" or not c.tranches:
            continue
        end = date(max(c.tranches), 12, 31)
        left = _months_between(today, end)
        if end < today or left > months:
            continue
        total = sum((to_usd(v, c.currency, rates) for v in c.tranches.values()), ZERO)
        unspent = total - spent.get(c.reference, ZERO)
        if unspent > 0:
            found.append(f"{c.reference} ends on {end:%d %B %Y} ({left} month(s) from now) "
                         f"with {format_usd(unspent)} unspent of {format_usd(total)}.")  # fmt: skip
    return found


def results_and_money(activities: Sequence[Activity], lines: Sequence[ExpenditureLine],
                      year: int, ref: ProgrammeReference, status: Mapping[str, str]
                      ) -> Table:  # fmt: skip
    """Per output: planned (approved budget), spent, delivery rate, and the indicator status
    the caller gives (`status`: output code -> its text, e.g. `▲ On track`; blank when absent),
    with a flag where money went without a reported result or a result came without money."""
    planned = by_output(activities)
    spent = spent_by(spent_in(lines, year), lambda line: line.output_code)
    columns = (Column("Output", Kind.TEXT), Column("Budget"), Column("Spent"),
               Column(RATE, Kind.PERCENT, help=RATE_HELP),
               Column("Indicator status", Kind.TEXT), Column("Look at", Kind.TEXT))  # fmt: skip
    rows = []
    for o in ref.outputs:
        p, s, said = planned.get(o.code, ZERO), spent.get(o.code, ZERO), status.get(o.code)
        flag: Cell = None
        if s > 0 and not said:
            flag = "Money spent, no result reported"
        elif said and s <= 0:
            flag = "Result reported, no money spent"
        rows.append(Row((ref.output_label(o.code, 60), p, s, percent_of(s, p), said, flag),
                        help=o.text))  # fmt: skip
    return Table(f"{year}: results and money by output (USD)", columns, tuple(rows),
                 notes=(NOTE,))  # fmt: skip
