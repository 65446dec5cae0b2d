"""Indicator progress: actual values entered per period (and jurisdiction, and sex), corrections
that keep history, the value expected by a date, and each indicator's status by the rule of
`data/monitoring.yaml` (a symbol and a word, never colour alone)."""

from __future__ import annotations

import numbers
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from itertools import pairwise

from rpsee.domain.money import MAX_TYPED, AmountError, is_blank, parse_percent, quoted
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.review.indicators import (
    PROGRAMME_START,
    Across,
    Direction,
    IndicatorSpec,
    Interval,
    Measure,
    StatusRule,
)
from rpsee.domain.tables import BLANK, Column, Kind, Row, Table
from rpsee.domain.text_rules import shown

SEXES = ("female", "male")
MET = Decimal(1)
NOT_MET = Decimal(0)  # only as a correction withdrawing a jurisdiction recorded as met
MAX_COUNT = Decimal(10_000_000)  # one period's count above this is a typing error
HUNDREDTH = Decimal("0.01")
_COUNT = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$", re.ASCII)
_MONTHS = {Interval.ANNUAL: 12, Interval.SEMIANNUAL: 6, Interval.QUARTERLY: 3,
           Interval.PER_EVENT: 12}  # fmt: skip


class ActualError(ValueError):
    """An actual value refused: `field` names the field (as in `Actual`), `message` says why."""

    def __init__(self, field: str, message: str) -> None:  # noqa: A002
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class Actual:
    """One value entered for one period (and jurisdiction, and sex); never a running total."""

    indicator_code: str
    period_start: date
    period_end: date
    jurisdiction: str | None  # None = regional / not by jurisdiction
    sex: str | None
    value: Decimal
    source: str
    entered_by: str
    entered_at: datetime
    id: int | None = None
    replaces: int | None = None  # a correction names the entry it replaces


def _count(value: object) -> Decimal:
    """A whole count, exactly: digits, optionally grouped by commas (`1,250`); never guessed."""
    hint = "type a whole number, e.g. 25 or 1,250"
    if is_blank(value):
        raise ActualError("value", f"is empty: {hint}")
    if isinstance(value, bool):
        raise ActualError("value", f"{quoted(value)} is a yes/no value, not a count: {hint}")
    if isinstance(value, numbers.Integral):
        number = Decimal(int(value))
    elif isinstance(value, (float, Decimal)):
        number = Decimal(repr(value)) if isinstance(value, float) else value
        if not number.is_finite():
            raise ActualError("value", f"{quoted(value)} is not a finite number: {hint}")
    elif isinstance(value, str):
        text = value.strip(" \u00a0\t\r\n")
        if len(text) > MAX_TYPED:
            raise ActualError("value", f"{quoted(value)} is too long to be a count: {hint}")
        if text[:1] in "-\u2212" and _COUNT.match(text[1:].strip()):
            raise ActualError("value", f"{quoted(value)} is negative: a count is zero or more")
        if re.search(r"\d[eE][-+]?\d", text):
            raise ActualError("value", f"{quoted(value)} is in scientific notation: {hint}")
        if not _COUNT.match(text):
            raise ActualError("value", f"{quoted(value)} is not a whole number: {hint} (commas "
                                       "only between groups of three digits)")  # fmt: skip
        number = Decimal(text.replace(",", ""))
    else:
        raise ActualError("value", f"{quoted(value)} is not a number: {hint}")
    if number < 0:
        raise ActualError("value", f"{quoted(value)} is negative: a count is zero or more")
    if number != number.to_integral_value():
        raise ActualError("value", f"{quoted(value)} is not a whole number: {hint}")
    if number > MAX_COUNT:
        raise ActualError("value", f"{quoted(value)} is above {MAX_COUNT:,} for one period: "
                                   "check the figure")  # fmt: skip
    return Decimal(int(number))


def _milestone(value: object, correction: bool) -> Decimal:
    text = None
    if isinstance(value, str):
        text = value.strip().lower()
    elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        text = str(value)
    if text in ("1", "met"):
        return MET
    if text in ("0", "not met") and correction:
        return NOT_MET
    allowed = "1 (met)" + (" or 0 (not met, withdrawing the entry)" if correction else "")
    raise ActualError("value", f"{quoted(value)}: a milestone is recorded per jurisdiction as "
                               f"{allowed}")  # fmt: skip


def _value(spec: IndicatorSpec, value: object, correction: bool) -> Decimal:
    if spec.measure is Measure.MILESTONE:
        return _milestone(value, correction)
    if spec.measure is Measure.PERCENT:
        try:
            return parse_percent(value, field="value")
        except AmountError as refusal:
            raise ActualError("value", refusal.reason) from None
    return _count(value)


def _period(start: object, end: object, cycle: tuple[date, date], today: date) -> None:
    for name, day in (("period_start", start), ("period_end", end)):
        if isinstance(day, datetime) or not isinstance(day, date):
            raise ActualError(name, f"{quoted(day)} is not a date")
    assert isinstance(start, date) and isinstance(end, date)
    if end < start:
        raise ActualError("period_end", f"{shown(end)} is before the period's start "
                                        f"{shown(start)}")  # fmt: skip
    if start < cycle[0]:
        raise ActualError("period_start", f"{shown(start)} is before the programme cycle "
                                          f"({shown(cycle[0])} to {shown(cycle[1])})")  # fmt: skip
    if end > cycle[1]:
        raise ActualError("period_end", f"{shown(end)} is after the programme cycle "
                                        f"({shown(cycle[0])} to {shown(cycle[1])})")  # fmt: skip
    if end > today:
        raise ActualError("period_end", f"{shown(end)} is in the future: enter a value once "
                                        "its period has ended")  # fmt: skip


def read_actual(
    spec: IndicatorSpec, *, period_start: object, period_end: object, jurisdiction: str | None,
    sex: str | None, value: object, source: str, entered_by: str, entered_at: datetime,
    jurisdictions: Collection[str], cycle: tuple[date, date], today: date,
    replaces: int | None = None,
) -> Actual:  # fmt: skip
    """An actual value checked against its indicator's spec, or ActualError naming the field.
    `jurisdictions`: the codes an entry may name (the jurisdictions, not the `REG` tag: a
    regional entry has jurisdiction None); `cycle`: the programme's
    first and last day; `replaces`: the id of the entry this one corrects."""
    _period(period_start, period_end, cycle, today)
    assert isinstance(period_start, date) and isinstance(period_end, date)
    if jurisdiction is not None and jurisdiction not in jurisdictions:
        raise ActualError("jurisdiction", f"{quoted(jurisdiction)} is not a jurisdiction of "
                                          "the programme")  # fmt: skip
    if jurisdiction is not None and not spec.by_jurisdiction:
        raise ActualError("jurisdiction", f"indicator {spec.code} is not reported by "
                                          "jurisdiction: leave it empty")  # fmt: skip
    if jurisdiction is None and spec.measure is Measure.MILESTONE:
        raise ActualError("jurisdiction", f"indicator {spec.code} is a milestone: name the "
                                          "jurisdiction that met it")  # fmt: skip
    if jurisdiction is None and spec.measure is Measure.NUMBER and spec.across is Across.MEAN:
        raise ActualError("jurisdiction", f"indicator {spec.code} is a figure per "
                                          "jurisdiction: name the jurisdiction")  # fmt: skip
    if spec.by_sex and sex not in SEXES:
        raise ActualError("sex", f"indicator {spec.code} is disaggregated by sex: give "
                                 f"{' or '.join(SEXES)}, not {quoted(sex)}")  # fmt: skip
    if not spec.by_sex and sex is not None:
        raise ActualError("sex", f"indicator {spec.code} is not disaggregated by sex: leave it "
                                 "empty")  # fmt: skip
    number = _value(spec, value, replaces is not None)
    if not isinstance(source, str) or not source.strip():
        raise ActualError("source", "is empty: name the evidence (a note, a link or a file)")
    if not isinstance(entered_by, str) or not entered_by.strip():
        raise ActualError("entered_by", "is empty: the entry names who made it")
    return Actual(spec.code, period_start, period_end, jurisdiction, sex, number, source.strip(),
                  entered_by.strip(), entered_at, replaces=replaces)  # fmt: skip


def _order(a: Actual) -> tuple[object, ...]:
    return (a.indicator_code, a.period_end, a.period_start, a.jurisdiction or "", a.sex or "",
            a.entered_at, -1 if a.id is None else a.id, -1 if a.replaces is None else a.replaces,
            a.value, a.source, a.entered_by)  # fmt: skip


def current(actuals: Iterable[Actual]) -> list[Actual]:
    """The entries that count: every entry a correction replaces is left out (the caller keeps
    the history). Sorted by indicator, period, jurisdiction and sex, whatever the input order."""
    items = list(actuals)
    replaced = {a.replaces for a in items if a.replaces is not None}
    return sorted((a for a in items if a.id is None or a.id not in replaced), key=_order)


def overlapping(new: Actual, actuals: Iterable[Actual]) -> Actual | None:
    """The current entry `new` would count twice with: same indicator, jurisdiction and sex, a
    period overlapping its own, and not the entry `new` replaces (None if there is none). Events
    (`per_event`) may share dates: the caller asks only for periodic indicators."""
    key = (new.indicator_code, new.jurisdiction, new.sex)
    for a in current(actuals):
        if (a.indicator_code, a.jurisdiction, a.sex) != key:
            continue
        if new.replaces is not None and a.id == new.replaces:
            continue
        if a.period_start <= new.period_end and new.period_start <= a.period_end:
            return a
    return None


def _reported(spec: IndicatorSpec, actuals: Iterable[Actual], as_of: date) -> list[Actual]:
    return [a for a in current(actuals) if a.indicator_code == spec.code and a.period_end <= as_of]


def _mean(values: Sequence[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(HUNDREDTH, ROUND_HALF_UP)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _latest(spec: IndicatorSpec, rows: Sequence[Actual]) -> list[Actual]:
    """A level's entries that count: those of the latest period reported (all periods ending in
    the 12 months to it when the target is a rate per year)."""
    last = max(a.period_end for a in rows)
    if spec.per_year:
        return [a for a in rows if a.period_end > _year_before(last)]
    return [a for a in rows if a.period_end == last]


def _met(rows: Sequence[Actual]) -> tuple[str, ...]:
    """Jurisdictions whose latest entry records the milestone as met, by code."""
    latest: dict[str, Actual] = {}
    for a in rows:  # `current` order: by period end, then entry time
        if a.jurisdiction is not None:
            latest[a.jurisdiction] = a
    return tuple(sorted(j for j, a in latest.items() if a.value >= MET))


def _figure(spec: IndicatorSpec, rows: Sequence[Actual]) -> Decimal | None:
    if spec.measure is Measure.MILESTONE:
        return Decimal(len(_met(rows)))
    if not rows:
        return None
    if spec.cumulative:
        return sum((a.value for a in rows), Decimal(0))
    window = _latest(spec, rows)
    if spec.measure is Measure.PERCENT:
        return _mean([a.value for a in window])
    by_place: dict[str | None, Decimal] = {}
    for a in window:
        by_place[a.jurisdiction] = by_place.get(a.jurisdiction, Decimal(0)) + a.value
    if spec.across is Across.MEAN:
        return _mean(list(by_place.values()))
    return sum(by_place.values(), Decimal(0))


def actual_as_of(spec: IndicatorSpec, actuals: Iterable[Actual], as_of: date) -> Decimal | None:
    """The indicator's actual value from the entries of periods ended by `as_of` (corrections
    applied). Cumulative: the sum of all periods (over jurisdictions and sexes). A level: the
    latest period's entries (the 12 months to it for a rate per year), summed over sexes and
    jurisdictions, or, with `across: mean`, the mean of the jurisdictions' sums; a percentage:
    the unweighted mean of the latest period's values (jurisdictions and sexes). A milestone:
    the number of distinct jurisdictions that met it (zero when none). None: nothing reported."""
    return _figure(spec, _reported(spec, actuals, as_of))


def met_jurisdictions(spec: IndicatorSpec, actuals: Iterable[Actual],
                      as_of: date) -> tuple[str, ...]:  # fmt: skip
    """The jurisdictions (codes, sorted) that met a milestone by `as_of`; () for others."""
    if spec.measure is not Measure.MILESTONE:
        return ()
    return _met(_reported(spec, actuals, as_of))


def _q(value: Decimal) -> Decimal:
    return value.quantize(HUNDREDTH, ROUND_HALF_UP)


def expected_as_of(spec: IndicatorSpec, as_of: date,
                   start: date = PROGRAMME_START) -> Decimal | None:  # fmt: skip
    """The value expected by `as_of`: a straight line from the start value on `start` (zero for
    a cumulative indicator, else the baseline) to each interim target on its date, then to the
    final target on `spec.target_due`; held after the last date. Two decimals, half up. None
    when the logframe gives no target or a level has no baseline."""
    first = spec.start_value
    if first is None or not spec.has_target:
        return None
    points = [(start, first), *((i.due, i.value) for i in spec.interim_targets)]
    if spec.target is not None:
        points.append((spec.target_due, spec.target))
    if as_of <= start:
        return _q(first)
    for (d0, v0), (d1, v1) in pairwise(points):
        if as_of <= d1:
            share = Decimal((as_of - d0).days) / Decimal((d1 - d0).days)
            return _q(v0 + (v1 - v0) * share)
    return _q(points[-1][1])


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NOT_REPORTED = "not_reported"
    NO_TARGET = "no_target"


STATUS_SYMBOL = {
    Status.ACHIEVED: "✔",
    Status.ON_TRACK: "▲",
    Status.AT_RISK: "!",
    Status.OFF_TRACK: "✖",
    Status.NOT_REPORTED: "?",
    Status.NO_TARGET: "–",
}
STATUS_WORD = {
    Status.ACHIEVED: "achieved",
    Status.ON_TRACK: "on track",
    Status.AT_RISK: "at risk",
    Status.OFF_TRACK: "off track",
    Status.NOT_REPORTED: "not reported",
    Status.NO_TARGET: "no target set",
}


def status_label(status: Status) -> str:
    """`✔ achieved`: the symbol and the word, as every table and chart shows a status."""
    return f"{STATUS_SYMBOL[status]} {STATUS_WORD[status]}"


@dataclass(frozen=True)
class IndicatorProgress:
    spec: IndicatorSpec
    actual: Decimal | None
    expected: Decimal | None
    ratio: Decimal | None  # percent of the expected value (expected over actual if decreasing)
    status: Status
    met: tuple[str, ...]
    by_sex: Mapping[str, Decimal]
    as_of: date | None = None
    ahead: bool = False  # on track above the rule's `ahead_above`
    reported: tuple[Actual, ...] = field(default=(), compare=False, repr=False)


def _period_end(day: date, months: int) -> date:
    """The last day of the reporting period (calendar months, `months` long) holding `day`."""
    month = ((day.month - 1) // months + 1) * months
    first_next = date(day.year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def last_period_ended(interval: Interval, as_of: date,
                      start: date = PROGRAMME_START) -> tuple[date, date] | None:  # fmt: skip
    """The latest calendar reporting period (year, half year or quarter; a year for per-event
    reporting) ended by `as_of`, cut to start on `start`; None if none has ended yet."""
    months = _MONTHS[interval]
    end = _period_end(as_of, months)
    if end > as_of:  # the period holding `as_of` is running: the one before it
        end = date(end.year, end.month - months + 1, 1) - timedelta(days=1)
    if end < start:
        return None
    return max(date(end.year, end.month - months + 1, 1), start), end


def _missing(spec: IndicatorSpec, rows: Sequence[Actual], as_of: date, start: date) -> bool:
    if spec.measure is Measure.MILESTONE:
        return False
    if not rows:
        return True
    period = last_period_ended(spec.interval, as_of, start)
    if period is None or spec.interval is Interval.PER_EVENT:
        return False
    return not any(a.period_end >= period[0] for a in rows)


def _reached(spec: IndicatorSpec, actual: Decimal, goal: Decimal) -> bool:
    return actual >= goal if spec.direction is Direction.INCREASE else actual <= goal


def _ratio(spec: IndicatorSpec, actual: Decimal | None,
           expected: Decimal | None) -> Decimal | None:  # fmt: skip
    if actual is None or expected is None:
        return None
    top, bottom = (actual, expected) if spec.direction is Direction.INCREASE else (
        expected, actual)  # fmt: skip
    return _q(top * 100 / bottom) if bottom else None


def assess(spec: IndicatorSpec, actuals: Iterable[Actual], as_of: date,
           rule: StatusRule) -> IndicatorProgress:  # fmt: skip
    """The indicator's progress by `as_of` and its status by `rule` (see `rule.rule_text`)."""
    rows = _reported(spec, actuals, as_of)
    actual = _figure(spec, rows)
    expected = expected_as_of(spec, as_of, rule.programme_start)
    ratio = _ratio(spec, actual, expected)
    by_sex: dict[str, Decimal] = {}
    if spec.by_sex:
        for sex in SEXES:
            figure = _figure(spec, [a for a in rows if a.sex == sex])
            if figure is not None:
                by_sex[sex] = figure
    if not spec.has_target:
        status = Status.NO_TARGET
    elif spec.target is not None and actual is not None and _reached(spec, actual, spec.target):
        status = Status.ACHIEVED
    elif _missing(spec, rows, as_of, rule.programme_start):
        status = Status.NOT_REPORTED
    elif expected is None or actual is None:
        status = Status.NO_TARGET
    elif ratio is None or ratio >= rule.on_track_from:  # None: nothing expected yet, or zero
        status = Status.ON_TRACK
    elif ratio >= rule.at_risk_from:
        status = Status.AT_RISK
    else:
        status = Status.OFF_TRACK
    ahead = status is Status.ON_TRACK and ratio is not None and ratio > rule.ahead_above
    return IndicatorProgress(spec, actual, expected, ratio, status, _met(rows) if
                             spec.measure is Measure.MILESTONE else (), by_sex, as_of, ahead,
                             tuple(rows))  # fmt: skip


def assess_all(specs: Iterable[IndicatorSpec], actuals: Iterable[Actual], as_of: date,
               rule: StatusRule) -> list[IndicatorProgress]:  # fmt: skip
    """`assess` for every spec, in the specs' order, reading the entries once."""
    by_code: dict[str, list[Actual]] = {}
    for a in current(actuals):
        by_code.setdefault(a.indicator_code, []).append(a)
    return [assess(s, by_code.get(s.code, ()), as_of, rule) for s in specs]


def format_value(spec: IndicatorSpec, value: Decimal | None) -> str:
    """`1,000`, `42.5%`, `150.05`: a figure as the tables show it; `–` when there is none."""
    if value is None:
        return BLANK
    text = f"{value.normalize():,f}"
    return f"{text}%" if spec.measure is Measure.PERCENT else text


def day_text(day: date) -> str:
    """`31 Dec 2026`: a date as the tables print it."""
    return f"{day.day} {day:%b %Y}"


def target_shown(spec: IndicatorSpec, as_of: date | None) -> str:
    """The interim target that applies on `as_of` with its date (`250 by 31 Dec 2026`); after the
    last one, the final target (`1,000 by 30 Jun 2029 (final)`); `–` when none is set."""
    pending = [i for i in spec.interim_targets if as_of is None or i.due >= as_of]
    if pending:
        return f"{format_value(spec, pending[0].value)} by {day_text(pending[0].due)}"
    if spec.target is not None:
        return f"{format_value(spec, spec.target)} by {day_text(spec.target_due)} (final)"
    return BLANK


def met_names(met: Iterable[str], ref: ProgrammeReference) -> str:
    """`Albania, Kosovo*`: jurisdictions by their shown names, in the reference's order."""
    names = ref.jurisdiction_names()
    order = {code: i for i, code in enumerate(names)}
    ordered = sorted(met, key=lambda j: (order.get(j, len(order)), j))
    return ", ".join(names.get(j, j) for j in ordered)


def progress_table(progress: Sequence[IndicatorProgress], ref: ProgrammeReference) -> Table:
    """Indicator progress by output: baseline, interim target with its date, actual and status
    (symbol and word). No Total row: the indicators' units differ."""
    columns = (
        Column("Output", Kind.TEXT),
        Column("Indicator", Kind.TEXT),
        Column("Baseline", Kind.TEXT),
        Column(
            "Interim target",
            Kind.TEXT,
            help="The next interim target and its date; after the last, the final target",
        ),  # fmt: skip
        Column(
            "Actual",
            Kind.TEXT,
            help="Corrections applied; cumulative indicators add up the periods ended",
        ),  # fmt: skip
        Column("Status", Kind.TEXT),
    )
    rows = []
    for p in progress:
        s = p.spec
        actual = format_value(s, p.actual)
        if p.met:
            actual += f" ({met_names(p.met, ref)})"
        rows.append(Row((s.output_code, f"{s.code} · {s.unit}", format_value(s, s.baseline),
                         target_shown(s, p.as_of), actual, status_label(p.status)),
                        help=f"{ref.output_label(s.output_code)}\n{s.code}: {s.text}"))  # fmt: skip
    return Table("Indicator progress", columns, tuple(rows), total=False)


def milestone_table(progress: Sequence[IndicatorProgress], ref: ProgrammeReference) -> Table:
    """The milestone indicators and the jurisdictions that met them (in the reference's order)."""
    columns = (
        Column("Indicator", Kind.TEXT),
        Column("Target", Kind.TEXT),
        Column("Met", Kind.COUNT, summed=False),
        Column("Jurisdictions that met it", Kind.TEXT),
    )
    rows = tuple(
        Row((f"{p.spec.code} · {p.spec.unit}", target_shown(p.spec, p.as_of), len(p.met),
             met_names(p.met, ref) or BLANK), help=p.spec.text)
        for p in progress if p.spec.measure is Measure.MILESTONE
    )  # fmt: skip
    return Table("Milestones: jurisdictions that met them", columns, rows, total=False)
