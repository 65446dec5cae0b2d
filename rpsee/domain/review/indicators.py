"""The logframe's indicators as monitoring specs (`data/monitoring.yaml`): unit, measure,
direction, baseline, targets with their dates, reporting interval and disaggregation; and the
status rule the progress page states."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from rpsee.domain.reference import ProgrammeReference


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


class Measure(StrEnum):
    NUMBER = "number"
    PERCENT = "percent"
    MILESTONE = "milestone"


class Interval(StrEnum):
    ANNUAL = "annual"
    SEMIANNUAL = "semiannual"
    QUARTERLY = "quarterly"
    PER_EVENT = "per_event"


class Across(StrEnum):
    """How the figures of several jurisdictions combine into the indicator's value."""

    SUM = "sum"
    MEAN = "mean"


E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class InterimTarget:
    """A value the indicator should reach by a date (`250 by end 2026`)."""

    due: date
    value: Decimal


PROGRAMME_START = date(2024, 7, 1)
PROGRAMME_END = date(2029, 6, 30)


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator as monitoring reads it; the numbers exactly as the logframe gives them."""

    code: str
    output_code: str
    text: str
    unit: str
    measure: Measure
    direction: Direction
    baseline: Decimal | None
    target: Decimal | None
    interim_targets: tuple[InterimTarget, ...]
    interval: Interval
    cumulative: bool
    by_sex: bool
    by_jurisdiction: bool
    means_of_verification: str | None
    target_due: date = PROGRAMME_END  # the final target's date
    per_year: bool = False  # the target is a rate per year (sum of the last 12 months' periods)
    across: Across = Across.SUM  # how jurisdictions' figures combine (level indicators)

    @property
    def has_target(self) -> bool:
        return self.target is not None or bool(self.interim_targets)

    @property
    def start_value(self) -> Decimal | None:
        """Where the expected path starts on the programme's first day: zero for indicators that
        add up achievements, the baseline for a level (None when the baseline is unknown)."""
        return Decimal(0) if self.cumulative else self.baseline


@dataclass(frozen=True)
class StatusRule:
    """Thresholds in percent of the expected value (as shown, two decimals)."""

    on_track_from: Decimal
    ahead_above: Decimal
    at_risk_from: Decimal
    rule_text: str
    programme_start: date = PROGRAMME_START


_SPEC_FIELDS = {"unit", "measure", "direction", "baseline", "target", "target_due",
                "interim_targets", "interval", "cumulative", "per_year", "across", "by_sex",
                "by_jurisdiction"}  # fmt: skip


def _fail(code: str, field: str, problem: str) -> ValueError:
    return ValueError(f"Indicator {code}, {field}: {problem}")


def _number(code: str, field: str, value: object, *, optional: bool = True) -> Decimal | None:
    """An exact non-negative decimal given as a string (or an integer); None when null."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _fail(code, field, f"{value!r} must be a decimal number written as text, e.g. "
                                 '"250"')  # fmt: skip
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise _fail(code, field, f"{value!r} is not a number") from None
    if not number.is_finite() or number < 0:
        raise _fail(code, field, f"{value!r} must be a finite number, zero or more")
    return number


def _date(code: str, field: str, value: object) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise _fail(code, field, f"{value!r} is not a date (YYYY-MM-DD)") from None
    return value


def _choice(code: str, field: str, value: object, kind: type[E]) -> E:
    try:
        return kind(str(value))
    except ValueError:
        allowed = ", ".join(k.value for k in kind)
        raise _fail(code, field, f"{value!r} is not one of {allowed}") from None


def _flag(code: str, field: str, value: object, default: bool | None = None) -> bool:
    if value is None and default is not None:
        return default
    if not isinstance(value, bool):
        raise _fail(code, field, f"{value!r} must be true or false")
    return value


def _interims(code: str, value: object) -> tuple[InterimTarget, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail(code, "interim_targets", "must be a list of {due, value}")
    interims = []
    for item in value:
        if not isinstance(item, Mapping) or set(item) != {"due", "value"}:
            raise _fail(code, "interim_targets", f"{item!r} must have exactly due and value")
        amount = _number(code, "interim_targets", item["value"], optional=False)
        assert amount is not None
        interims.append(InterimTarget(_date(code, "interim_targets", item["due"]), amount))
    dues = [i.due for i in interims]
    if dues != sorted(dues) or len(set(dues)) != len(dues):
        raise _fail(code, "interim_targets", "dates must be distinct and in order")
    return tuple(interims)


def _spec(code: str, raw: object, ref: ProgrammeReference, default_due: date,
          start: date) -> IndicatorSpec:  # fmt: skip
    if not isinstance(raw, Mapping):
        raise _fail(code, "spec", "must be a mapping of fields")
    unknown = sorted(set(raw) - _SPEC_FIELDS)
    if unknown:
        raise _fail(code, unknown[0], "unknown field")
    indicator = next(i for o in ref.outputs for i in o.indicators if i.code == code)
    unit = raw.get("unit")
    if not isinstance(unit, str) or not unit.strip():
        raise _fail(code, "unit", "must be a non-empty text")
    measure = _choice(code, "measure", raw.get("measure"), Measure)
    direction = _choice(code, "direction", raw.get("direction"), Direction)
    baseline = _number(code, "baseline", raw.get("baseline"))
    target = _number(code, "target", raw.get("target"))
    due = _date(code, "target_due", raw["target_due"]) if "target_due" in raw else default_due
    interims = _interims(code, raw.get("interim_targets"))
    cumulative = _flag(code, "cumulative", raw.get("cumulative"))
    by_jurisdiction = _flag(code, "by_jurisdiction", raw.get("by_jurisdiction"))
    across = _choice(code, "across", raw.get("across", "sum"), Across)
    named = [("baseline", baseline), ("target", target)]
    for field, value in [*named, *(("interim_targets", i.value) for i in interims)]:
        if measure is Measure.PERCENT and value is not None and value > 100:
            raise _fail(code, field, f"{value} is above 100 for a percentage")
    if measure is not Measure.NUMBER and cumulative:
        raise _fail(code, "cumulative", f"a {measure} indicator is a level, not cumulative")
    if direction is Direction.DECREASE and cumulative:
        raise _fail(code, "cumulative", "a decreasing indicator is a level, not cumulative")
    if measure is Measure.MILESTONE and not by_jurisdiction:
        raise _fail(code, "by_jurisdiction", "a milestone records the jurisdictions that met it")
    if due <= start or any(i.due <= start or i.due > due for i in interims):
        raise _fail(
            code,
            "interim_targets" if interims else "target_due",
            f"dates must fall after {start} and not after the final target's {due}",
        )
    return IndicatorSpec(
        code=code,
        output_code=indicator.output_code,
        text=indicator.text,
        unit=unit.strip(),
        measure=measure,
        direction=direction,
        baseline=baseline,
        target=target,
        interim_targets=interims,
        interval=_choice(code, "interval", raw.get("interval"), Interval),
        cumulative=cumulative,
        by_sex=_flag(code, "by_sex", raw.get("by_sex")),
        by_jurisdiction=by_jurisdiction,
        means_of_verification=indicator.means_of_verification,
        target_due=due,
        per_year=_flag(code, "per_year", raw.get("per_year"), default=False),
        across=across,
    )


def _defaults(raw: Mapping[str, Any]) -> tuple[date, date]:
    defaults = raw.get("defaults") or {}
    start = _date("defaults", "programme_start", defaults.get("programme_start", PROGRAMME_START))
    end = _date("defaults", "target_due", defaults.get("target_due", PROGRAMME_END))
    return start, end


def load_specs(raw: Mapping[str, Any], ref: ProgrammeReference) -> dict[str, IndicatorSpec]:
    """Every indicator's spec from the parsed `monitoring.yaml`, in the logframe's order. Raises
    ValueError naming the indicator and the field for a bad value, a missing spec or an unknown
    indicator code."""
    specs_raw = raw.get("indicators")
    if not isinstance(specs_raw, Mapping):
        raise ValueError("monitoring.yaml: `indicators` must map indicator codes to specs")
    start, default_due = _defaults(raw)
    codes = [i.code for o in ref.outputs for i in o.indicators]
    unknown = sorted(str(c) for c in specs_raw if str(c) not in codes)
    if unknown:
        raise _fail(unknown[0], "code", "not an indicator of the logframe (thematic_areas.yaml)")
    missing = [c for c in codes if c not in {str(k) for k in specs_raw}]
    if missing:
        raise _fail(missing[0], "spec", "missing from monitoring.yaml")
    by_code = {str(k): v for k, v in specs_raw.items()}
    return {c: _spec(c, by_code[c], ref, default_due, start) for c in codes}


def load_rule(raw: Mapping[str, Any]) -> StatusRule:
    """The status rule from the parsed `monitoring.yaml`; ValueError naming the field."""
    rule = raw.get("status_rule")
    if not isinstance(rule, Mapping):
        raise ValueError("monitoring.yaml: `status_rule` must be a mapping")
    values = {f: _number("status rule", f, rule.get(f), optional=False)
              for f in ("on_track_from", "ahead_above", "at_risk_from")}  # fmt: skip
    text = rule.get("rule_text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("Indicator status rule, rule_text: must be a non-empty text")
    on_track, ahead, at_risk = (values[f] for f in ("on_track_from", "ahead_above",
                                                     "at_risk_from"))  # fmt: skip
    assert on_track is not None and ahead is not None and at_risk is not None
    if not at_risk < on_track <= 100 <= ahead:
        raise ValueError("Indicator status rule, on_track_from: the thresholds must read "
                         "at_risk_from < on_track_from <= 100 <= ahead_above")  # fmt: skip
    return StatusRule(on_track, ahead, at_risk, " ".join(text.split()), _defaults(raw)[0])
