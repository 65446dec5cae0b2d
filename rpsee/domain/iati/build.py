"""The programme as IATI activities: the programme is the parent, each thematic area a child
(data/iati.yaml says why). Every figure comes from the app's own: the budget per year is the
Envelope & allocation page's planned total of the version in use (committed once approved;
the envelope, indicative, for a year without one), funding is the pipeline's hard money,
expenditure is the Delivery page's; percentages are shares of the planned lines' money,
rounded by largest remainders so that they add up to exactly 100."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from rpsee.domain.allocation import percent_shares, split_cents
from rpsee.domain.iati.model import (
    Budget,
    Disbursement,
    IatiActivity,
    IatiFile,
    Indicator,
    Org,
    Period,
    Result,
    ResultPeriod,
    Transaction,
)
from rpsee.domain.iati.settings import DEFAULT_KEYS, IatiSettings
from rpsee.domain.money import ZERO, from_cents, to_cents
from rpsee.domain.pipeline import Contribution, Tranche
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.requirement import YearComparison
from rpsee.domain.review.expenditure import ExpenditureLine
from rpsee.domain.review.indicators import Direction, IndicatorSpec, Measure
from rpsee.domain.workplan import Activity

APPROVED = "approved"
CONFIDENTIAL = "Other donors (confidential)"
CONFIDENTIAL_NOTE = ("Contributions of donors who asked for confidentiality are not named: "
                     "their money is published as one aggregate, \"Other donors "
                     "(confidential)\", under the publisher's exclusion policy (IATI Standard, "
                     "exclusions for sensitive information).")  # fmt: skip
GENDER_MARKER, DISABILITY_MARKER = "1", "11"  # IATI PolicyMarker (vocabulary 1)


@dataclass(frozen=True)
class YearPlan:
    """One cycle year: the status of its version in use (None: no version) and its lines, and
    the Envelope & allocation page's comparison of that year."""

    year: int
    status: str | None
    lines: tuple[Activity, ...]
    comparison: YearComparison


@dataclass(frozen=True)
class IndicatorFigures:
    spec: IndicatorSpec
    actual_at: Mapping[date, Decimal | None]  # the value reached by each target's date


@dataclass(frozen=True)
class IatiInputs:
    settings: IatiSettings
    ref: ProgrammeReference
    years: Sequence[YearPlan]
    contributions: Sequence[Contribution]  # their confidential flag decides the naming
    tranches: Sequence[Tranche]  # in USD
    spent: Sequence[ExpenditureLine]
    indicators: Sequence[IndicatorFigures]
    today: date
    made_at: datetime


def cycle(ref: ProgrammeReference) -> Period:
    start, end = ref.figures.cycle_days
    return Period(start, end)


def year_period(year: int, ref: ProgrammeReference) -> Period:
    """The year within the cycle (at most one year: the IATI rule for budget periods)."""
    c = cycle(ref)
    return Period(max(date(year, 1, 1), c.start), min(date(year, 12, 31), c.end))


def shares(weights: Mapping[str, int]) -> tuple[tuple[str, Decimal], ...]:
    """Each key's percentage of the weights (cents), two decimals adding to exactly 100."""
    kept = [(k, w) for k, w in weights.items() if w > 0]
    parts = percent_shares([w for _k, w in kept])
    return tuple((k, p) for (k, _w), p in zip(kept, parts, strict=True) if p is not None)


def country_weights(lines: Iterable[Activity], s: IatiSettings) -> dict[str, int]:
    """Cents by country: each line's money shared equally over its jurisdictions (a regional
    line over all seven)."""
    every = list(s.countries)
    found = dict.fromkeys(s.countries.values(), 0)
    for a in lines:
        if not a.counts or not a.total:
            continue
        places = [j for j in a.jurisdictions if j in s.countries] or every
        for place, cents in zip(places, split_cents(to_cents(a.total), [1] * len(places)),
                                strict=True):  # fmt: skip
            found[s.countries[place]] += cents
    return found


def sector_weights(lines: Iterable[Activity], s: IatiSettings) -> dict[str, int]:
    """Cents by DAC code: each line's money shared over its output's sectors."""
    found: dict[str, int] = {}
    for a in lines:
        if not a.counts or not a.total:
            continue
        mix = s.sectors[a.output_code]
        for code, cents in zip(mix, split_cents(to_cents(a.total), list(mix.values())),
                               strict=True):  # fmt: skip
            found[code] = found.get(code, 0) + cents
    return found


def _marker(lines: Sequence[Activity], level_of: Callable[[Activity], int | None]) -> str | None:
    """The level that holds most of the screened lines' money (ties: the lower level); None
    when no line is screened."""
    money: dict[int, int] = {}
    for a in lines:
        level = level_of(a)
        if a.counts and level is not None:
            money[level] = money.get(level, 0) + to_cents(a.total)
    if not money:
        return None
    return str(max(sorted(money), key=lambda lv: (money[lv], -lv)))


def policy_markers(lines: Sequence[Activity]) -> tuple[tuple[str, str, str], ...]:
    found = []
    for code, name, level_of in (
            (GENDER_MARKER, "Gender equality", lambda a: a.dac_gender),
            (DISABILITY_MARKER, "Disability", lambda a: a.dac_disability)):  # fmt: skip
        level = _marker(lines, level_of)
        if level is not None:
            found.append((code, level, name))
    return tuple(found)


def sdg_targets(lines: Iterable[Activity]) -> tuple[str, ...]:
    found = {t for a in lines if a.counts for t in a.sdg_targets}
    return tuple(sorted(found, key=lambda t: (int(t.split(".")[0]), t.split(".")[1].zfill(3))))


def _budget(plan: YearPlan, value: Decimal | None, ref: ProgrammeReference) -> Budget | None:
    if value is None or value <= 0:
        return None
    status = "2" if plan.status == APPROVED else "1"
    return Budget(year_period(plan.year, ref), status, value)


def budgets(i: IatiInputs, area: str | None) -> tuple[Budget, ...]:
    """Per cycle year: the planned total of the version in use (the area's, for a child);
    without a version, the envelope (the area's allocation), indicative."""
    found = []
    for plan in i.years:
        c = plan.comparison
        row = c.area_total if area is None else next(r for r in c.areas if r.key == area)
        if plan.status is not None:
            value: Decimal | None = row.planned
        else:
            value = c.envelope if area is None else row.allocated
        budget = _budget(plan, value, i.ref)
        if budget is not None:
            found.append(budget)
    return tuple(found)


def _donor(c: Contribution, i: IatiInputs, names: Mapping[str, str]) -> Org:
    if c.confidential:
        return Org(CONFIDENTIAL, "90")  # OrganisationType 90: other
    return Org(names.get(c.donor, c.donor), i.settings.donor_types.get(c.donor, "90"))


def _hard(i: IatiInputs) -> list[tuple[Contribution, Tranche]]:
    by_id = {c.id: c for c in i.contributions}
    return [(by_id[t.contribution_id], t) for t in i.tranches
            if t.status == "hard" and t.contribution_id in by_id]  # fmt: skip


def _receiver(s: IatiSettings) -> Org:
    return Org(s.org_name, s.org_type, s.org_ref)


def disbursements(i: IatiInputs) -> tuple[Disbursement, ...]:
    """The pipeline's hard tranches by year and donor (confidential ones as one)."""
    names = i.ref.donor_names()
    money: dict[tuple[int, Org], Decimal] = {}
    for c, t in _hard(i):
        key = (t.year, _donor(c, i, names))
        money[key] = money.get(key, ZERO) + t.usd
    return tuple(Disbursement(year_period(y, i.ref), v, org)
                 for (y, org), v in sorted(money.items(), key=lambda kv: (kv[0][0],
                                                                          kv[0][1].name)))


def _not_after(day: date, today: date) -> date:
    return min(day, today)


def incoming(i: IatiInputs) -> list[Transaction]:
    """Incoming commitments (each signed agreement's hard money, dated at its first year's
    start in the cycle) and incoming funds (each hard tranche whose year has begun)."""
    names, start = i.ref.donor_names(), cycle(i.ref).start
    commitments: dict[tuple[date, Org], Decimal] = {}
    funds: dict[tuple[date, Org], Decimal] = {}
    first: dict[int | None, int] = {}
    for c, t in _hard(i):
        first[c.id] = min(first.get(c.id, t.year), t.year)
    for c, t in _hard(i):
        org = _donor(c, i, names)
        day = _not_after(max(date(first[c.id], 1, 1), start), i.today)
        commitments[(day, org)] = commitments.get((day, org), ZERO) + t.usd
        begun = max(date(t.year, 1, 1), start)
        if begun <= i.today:
            funds[(begun, org)] = funds.get((begun, org), ZERO) + t.usd
    receiver = _receiver(i.settings)
    made = [Transaction("11", d, v, "Signed agreement: its hard money in the cycle", org,
                        receiver) for (d, org), v in commitments.items()]  # fmt: skip
    made += [Transaction("1", d, v, f"Hard tranche of {d.year}", org, receiver)
             for (d, org), v in funds.items()]  # fmt: skip
    return sorted(made, key=lambda t: (t.day, t.type, t.provider.name if t.provider else ""))


def expenditure(i: IatiInputs, area: str | None) -> list[Transaction]:
    """The Delivery page's expenditure per year (of the area, for a child), dated at the end of
    the last month posted (never after today)."""
    area_of = {o.code: o.area_code for o in i.ref.outputs}
    by_year: dict[int, tuple[int, int]] = {}  # year -> (cents, last month)
    for line in i.spent:
        if area is not None and area_of.get(line.output_code) != area:
            continue
        cents, month = by_year.get(line.year, (0, 1))
        by_year[line.year] = (cents + to_cents(line.amount_usd), max(month, line.month))
    found = []
    for year, (cents, month) in sorted(by_year.items()):
        last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))
        found.append(Transaction("4", _not_after(min(last, year_period(year, i.ref).end),
                                                 i.today),
                                 from_cents(cents), f"Expenditure {year} (ERP)"))  # fmt: skip
    return found


def _periods(spec: IndicatorSpec, actual_at: Mapping[date, Decimal | None], start: date,
             today: date) -> tuple[ResultPeriod, ...]:  # fmt: skip
    due = [(t.due, t.value) for t in spec.interim_targets]
    if spec.target is not None and spec.target_due not in {d for d, _v in due}:
        due.append((spec.target_due, spec.target))
    found, begin = [], start
    for end, value in sorted(due):
        if end < begin:
            continue
        found.append(ResultPeriod(Period(begin, end), value,
                                  actual_at.get(end) if end <= today else None))  # fmt: skip
        begin = end + timedelta(days=1)
    return tuple(found)


def results(i: IatiInputs, area: str) -> tuple[Result, ...]:
    """Each output of the area with its indicators: baseline, targets, actuals reached."""
    start = cycle(i.ref).start
    found = []
    for output in (o for o in i.ref.outputs if o.area_code == area):
        figures = [f for f in i.indicators if f.spec.output_code == output.code]
        indicators = tuple(Indicator(
            f"{f.spec.code}: {f.spec.text}", "2" if f.spec.measure is Measure.PERCENT else "1",
            f.spec.direction is Direction.INCREASE,
            start.year if f.spec.baseline is not None else None, f.spec.baseline,
            _periods(f.spec, f.actual_at, start, i.today)) for f in figures)  # fmt: skip
        if indicators:  # a result needs an indicator (3.1's row is lost in the document)
            found.append(Result(f"Output {output.code}: {output.text}", indicators))
    return tuple(found)


def _dates(i: IatiInputs) -> tuple[tuple[str, date], ...]:
    c = cycle(i.ref)
    found = [("1", c.start)]
    if c.start <= i.today:
        found.append(("2", c.start))  # started: an actual date is never in the future
    found.append(("3", c.end))
    return tuple(found)


def _participating(i: IatiInputs, lines: Sequence[Activity]) -> tuple[Org, ...]:
    names = i.ref.donor_names()
    funders = {(_donor(c, i, names)) for c, _t in _hard(i)}
    del lines
    own = Org(i.settings.org_name, i.settings.org_type, i.settings.org_ref)
    return (*(Org(o.name, o.type, o.ref, "1") for o in sorted(funders, key=lambda o: o.name)),
            Org(own.name, own.type, own.ref, "2"), Org(own.name, own.type, own.ref, "4"))


def _kosovo(ref: ProgrammeReference) -> str:
    return " ".join(f"* {j.footnote}" for j in ref.jurisdictions if j.footnote)


def build(i: IatiInputs) -> IatiFile:
    """The file: the parent, then one child per thematic area."""
    s, ref = i.settings, i.ref
    lines = [a for plan in i.years for a in plan.lines]
    has_confidential = any(c.confidential for c, _t in _hard(i))
    description = (f"{ref.objective} Jurisdictions: Albania, Bosnia and Herzegovina, "
                   f"Montenegro, North Macedonia, Serbia, Kosovo* and Türkiye. {_kosovo(ref)}")
    parent = IatiActivity(
        s.parent_id, 1, s.title,
        (("1", description),) + ((("4", CONFIDENTIAL_NOTE),) if has_confidential else ()),
        _participating(i, lines), "2", _dates(i), shares(country_weights(lines, s)),
        shares(sector_weights(lines, s)), sdg_targets(lines), policy_markers(lines),
        budgets(i, None), disbursements(i), tuple(incoming(i) + expenditure(i, None)),
        tuple(("2", s.area_id(a.code)) for a in ref.areas), ())  # fmt: skip
    children = []
    for area in ref.areas:
        mine = [a for a in lines if a.area_code == area.code]
        goal = area.strategic_goal or area.name
        children.append(IatiActivity(
            s.area_id(area.code), 2, f"{s.title}: {area.code}. {area.name}",
            (("1", f"{goal} {_kosovo(ref)}".strip()),),
            (Org(s.org_name, s.org_type, s.org_ref, "2"),
             Org(s.org_name, s.org_type, s.org_ref, "4")), "2", _dates(i),
            shares(country_weights(mine, s)), shares(sector_weights(mine, s)),
            sdg_targets(mine), policy_markers(mine), budgets(i, area.code), (),
            tuple(expenditure(i, area.code)), (("1", s.parent_id),),
            results(i, area.code)))  # fmt: skip
    defaults = tuple((k, s.defaults[k]) for k in DEFAULT_KEYS)
    return IatiFile(i.made_at, _receiver(s), defaults, (parent, *children))
