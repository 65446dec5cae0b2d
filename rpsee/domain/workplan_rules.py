"""Reading and checking workplan lines typed in the grid or an Excel sheet.

`parse_row` returns `(activity, errors)`: every problem names the row and the field, and a line
with any error is not turned into an activity.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from rpsee.domain.markers.book import MarkerBook
from rpsee.domain.markers.rules import read_markers
from rpsee.domain.money import CENT, AmountError, is_blank, parse_amount
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.text_rules import shown, text_problem
from rpsee.domain.workplan import (
    ACTIVITY_STATUSES,
    FIELD_LABELS,
    MONTH_NAMES,
    PRIORITIES,
    Activity,
)

MAX_TEXT = {"title": 300, "description": 4000, "notes": 4000}


@dataclass(frozen=True)
class RowError:
    row: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.row}, {self.field}: {self.message}"


@dataclass(frozen=True)
class Codebook:
    """The codes a workplan line may use, from the programme's reference data."""

    year: int
    months: tuple[int, ...]
    outputs: frozenset[str]
    indicators: Mapping[str, str]  # indicator code -> output code
    jurisdictions: frozenset[str]
    offices: frozenset[str]
    positions: frozenset[str]
    donors: frozenset[str]
    categories: tuple[str, ...]
    category_names: Mapping[str, str]
    markers: MarkerBook = field(default_factory=MarkerBook)

    @classmethod
    def for_year(cls, ref: ProgrammeReference, year: int) -> Codebook:
        return cls(
            year=year,
            months=ref.figures.months_of(year),
            outputs=frozenset(o.code for o in ref.outputs),
            indicators={i.code: o.code for o in ref.outputs for i in o.indicators},
            jurisdictions=frozenset(j.code for j in ref.jurisdictions),
            offices=frozenset(o.code for o in ref.offices),
            positions=frozenset(p.id for p in ref.positions),
            donors=frozenset(d.code for d in ref.donors),
            categories=tuple(c.code for c in ref.cost_categories),
            category_names={c.code: c.name for c in ref.cost_categories},
            markers=ref.markers,
        )


def _blank(value: Any) -> bool:
    return is_blank(value)


def _text(value: Any) -> str:
    return "" if _blank(value) else str(value).strip()


def _code_list(value: Any) -> list[str]:
    """`["ALB", "SRB"]`, `"ALB; SRB"` or `"ALB, SRB"` -> `["ALB", "SRB"]` (ordered, no repeats)."""
    if _blank(value):
        return []
    if isinstance(value, str):
        items = value.replace(",", ";").split(";")
    else:
        try:
            items = list(value)
        except TypeError:
            items = [value]
    seen: list[str] = []
    for item in items:
        text = _text(item)
        if text and text not in seen:
            seen.append(text)
    return seen


NIL = ("-", "–", "—")  # a lone dash: how a table shows nothing


def read_amount(value: Any, *, field: str = "Budget", row: str | None = None) -> Decimal:
    """An amount from a grid cell or an Excel cell: blank or a lone dash is zero; everything else
    by the one parser (`parse_amount`: the grid's `46,500.00`, plain `46500`, numeric cells
    exactly)."""
    if isinstance(value, str) and value.strip() in NIL:
        return Decimal("0.00")
    return parse_amount(value, field=field, row=row, blank=Decimal("0.00"))


MONTH_FULL = ("january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december")
_MONTH_TEXT = re.compile(r"^([a-z]+)\.?(?:[\s\-/,]+(\d{4}))?$")
_NUMBER_YEAR = re.compile(r"^(?:(\d{4})[-/.](\d{1,2})|(\d{1,2})[-/.](\d{4}))$")
NOT_A_MONTH = "is not a month: choose one from the list, e.g. Mar (or type 3, March, Mar {year})"


def _month_name(word: str) -> int | None:
    """`mar`, `march`, `sept` -> 3, 3, 9; anything else (`junk`, `decade`) -> None."""
    for i, full in enumerate(MONTH_FULL, start=1):
        if word in (full, full[:3]) or (i == 9 and word == "sept"):
            return i
    return None


def read_month(value: Any, year: int) -> int:
    """The month a cell or grid value names, for the workplan of `year`: 1 to 12, `Mar`,
    `March`, `Mar 2026`, `2026-03` or a date; a year other than `year` is refused, never
    dropped. Raises ValueError whose text says why (to follow the quoted value)."""
    if isinstance(value, bool):
        raise ValueError(NOT_A_MONTH.format(year=year))
    if isinstance(value, (datetime, date)):
        if value.year != year:
            raise ValueError(f"is a date in {value.year}, not a month of {year} (this "
                             f"workplan's year): choose a month from the list, e.g. Mar")
        return value.month
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError("is not a whole month number: type 1 to 12, or choose a month "
                             "from the list, e.g. Mar")  # fmt: skip
        return int(number)
    text = _text(value).lower()
    if text.isascii() and text.isdigit() and len(text) <= 2:
        return int(text)
    found = _MONTH_TEXT.match(text)
    month, typed_year = (_month_name(found[1]), found[2]) if found else (None, None)
    numbers = _NUMBER_YEAR.match(text)
    if month is None and numbers:
        typed_year = numbers[1] or numbers[4]
        month = int(numbers[2] or numbers[3])
    if month is None:
        raise ValueError(NOT_A_MONTH.format(year=year))
    if typed_year is not None and int(typed_year) != year:
        raise ValueError(f"is not a month of {year} (this workplan's year): choose a month "
                         f"from the list, e.g. Mar, or type Mar {year}")  # fmt: skip
    return month


def _plain(value: Any) -> Any:
    """A numpy scalar (from a pandas table) as the plain Python value it holds."""
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "shape", None) == ():
        return item()
    return value


def parse_row(
    raw: Mapping[str, Any], row: str, book: Codebook
) -> tuple[Activity | None, list[RowError]]:
    """One raw line (keys as in FIELD_LABELS, budget as `budget_<CATEGORY>`) as an Activity."""
    raw = {k: _plain(v) for k, v in raw.items()}
    errors: list[RowError] = []

    def err(field: str, message: str) -> None:
        errors.append(RowError(row, FIELD_LABELS.get(field, field), message))

    title = _text(raw.get("title"))
    if not title:
        err("title", "is missing")
    for name, limit in MAX_TEXT.items():
        problem = text_problem(_text(raw.get(name)), limit, lines=name != "title")
        if problem:
            err(name, problem)

    output = _text(raw.get("output_code"))
    if not output:
        err("output_code", "is missing")
    elif output not in book.outputs:
        err("output_code", f"unknown output code {shown(output)} (use 1.1 to 5.5)")

    jurisdictions = _code_list(raw.get("jurisdictions"))
    if not jurisdictions:
        err("jurisdictions", "at least one jurisdiction, or REG for a regional activity")
    unknown = [j for j in jurisdictions if j not in book.jurisdictions]
    if unknown:
        err("jurisdictions", f"unknown code(s) {', '.join(unknown)}")

    office = _text(raw.get("lead_office"))
    if not office:
        err("lead_office", "is missing")
    elif office not in book.offices:
        err("lead_office", f"unknown office {shown(office)}")

    position = _text(raw.get("position_id")) or None
    if position and position not in book.positions:
        err("position_id", f"unknown position {shown(position)}")

    months: list[int] = []
    for name in ("start_month", "end_month"):
        value = raw.get(name)
        if _blank(value):
            err(name, "is missing")
            continue
        try:
            month = read_month(value, book.year)
        except (ValueError, TypeError, InvalidOperation) as exc:
            err(name, f"{shown(value)} {exc}")
            continue
        if month not in book.months:
            first, last = MONTH_NAMES[book.months[0] - 1], MONTH_NAMES[book.months[-1] - 1]
            err(name, f"{shown(value)} is month {month}, outside the {book.year} workplan "
                      f"({first}–{last})")
            continue
        months.append(month)
    if len(months) == 2 and months[0] > months[1]:
        err("end_month", "is before the start month")

    budget: dict[str, Decimal] = {}
    for cat in book.categories:
        label = f"Budget – {book.category_names.get(cat, cat)}"
        try:
            amount = read_amount(raw.get(f"budget_{cat}"), field=label, row=row)
        except AmountError as exc:
            errors.append(RowError(row, label, exc.reason))
            continue
        if amount:
            budget[cat] = amount.quantize(CENT)

    donor = _text(raw.get("funding_source")) or None
    if donor and donor not in book.donors:
        err("funding_source", f"unknown donor {shown(donor)}")

    priority = _text(raw.get("priority")).lower() or "medium"
    if priority not in PRIORITIES:
        err("priority", f"{shown(priority)}: use one of {', '.join(PRIORITIES)}")

    indicators = _code_list(raw.get("indicators"))
    for code in indicators:
        owner = book.indicators.get(code)
        if owner is None:
            err("indicators", f"unknown indicator {shown(code)}")
        elif output and owner != output:
            err("indicators", f"indicator {code} belongs to output {owner}, not {output}")

    markers = read_markers(raw, book.markers, output, err)

    status = _text(raw.get("status")).lower() or "planned"
    if status not in ACTIVITY_STATUSES:
        err("status", f"{shown(status)}: use one of {', '.join(ACTIVITY_STATUSES)}")

    if errors:
        return None, errors
    return (
        Activity(
            code=_text(raw.get("code")),
            title=title,
            output_code=output,
            jurisdictions=tuple(jurisdictions),
            lead_office=office,
            position_id=position,
            start_month=months[0],
            end_month=months[1],
            budget=budget,
            description=_text(raw.get("description")),
            funding_source=donor,
            priority=priority,
            indicators=tuple(indicators),
            gem=markers.gem,
            status=status,
            notes=_text(raw.get("notes")),
            dac_gender=markers.dac_gender,
            dac_disability=markers.dac_disability,
            sdg_targets=markers.sdg_targets,
            marker_note=markers.marker_note,
            inclusion=markers.inclusion,
        ),
        [],
    )


def parse_rows(
    rows: list[tuple[str, Mapping[str, Any]]], book: Codebook
) -> tuple[list[Activity], list[RowError]]:
    """Parse every line; duplicate codes among the lines are errors too."""
    activities: list[Activity] = []
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    for label, raw in rows:
        activity, row_errors = parse_row(raw, label, book)
        errors.extend(row_errors)
        if activity is None:
            continue
        if activity.code:
            if activity.code in seen:
                errors.append(
                    RowError(label, "Code", f"{activity.code} also on {seen[activity.code]}")
                )
                continue
            seen[activity.code] = label
        activities.append(activity)
    return activities, errors
