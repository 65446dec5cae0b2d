"""Figures for the programme overview: funding by year and the staffing table summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from rpsee.domain.money import format_millions, format_usd
from rpsee.domain.reference import GRADE_ORDER, Position, ProgrammeFigures


@dataclass(frozen=True)
class YearFunding:
    year: int
    delivery: Decimal | None
    envelope: Decimal | None
    hard_pipeline: Decimal | None

    @property
    def pipeline_gap(self) -> Decimal | None:
        """Envelope not yet covered by the hard pipeline (negative if the pipeline exceeds it)."""
        if self.envelope is None or self.hard_pipeline is None:
            return None
        return self.envelope - self.hard_pipeline


def funding_by_year(
    figures: ProgrammeFigures, envelopes: dict[int, Decimal] | None = None
) -> list[YearFunding]:
    """One row per year from the first delivery year to the last envelope year. `envelopes`
    are the planners' current envelopes (default: the data file's starting values)."""
    envelopes = figures.envelope_by_year if envelopes is None else envelopes
    years = set(figures.delivery) | set(envelopes) | set(figures.hard_pipeline)
    if not years:
        return []
    return [
        YearFunding(
            year=y,
            delivery=figures.delivery.get(y),
            envelope=envelopes.get(y),
            hard_pipeline=figures.hard_pipeline.get(y),
        )
        for y in range(min(years), max(years) + 1)
    ]


def envelope_total(envelopes: dict[int, Decimal]) -> Decimal:
    return sum(envelopes.values(), Decimal(0))


def cycle_check(figures: ProgrammeFigures, envelopes: dict[int, Decimal],
                short: bool = False) -> str:  # fmt: skip
    """The yearly envelopes' sum against the document's cycle total, in words; `short` for a
    headline (`USD 55M by year, agrees` or `USD 60.5M by year, +USD 5.5M`)."""
    total = envelope_total(envelopes)
    diff = total - figures.cycle_envelope
    if short:
        gap = f"{'+' if diff > 0 else '-'}{format_millions(abs(diff))}" if diff else "agrees"
        return f"{format_millions(total)} by year, {gap}"
    if diff == 0:
        return f"The yearly envelopes add up to {format_usd(total)}: the document's total."
    side = "more" if diff > 0 else "less"
    return (f"The yearly envelopes add up to {format_usd(total)}, {format_usd(abs(diff))} {side} "
            f"than the document's {format_usd(figures.cycle_envelope)}.")


@dataclass(frozen=True)
class GradeCount:
    grade: str
    existing: int
    new: int

    @property
    def total(self) -> int:
        return self.existing + self.new


def _grade_key(grade: str) -> tuple[int, str]:
    return (GRADE_ORDER.index(grade), grade) if grade in GRADE_ORDER else (len(GRADE_ORDER), grade)


def staffing_by_grade(positions: tuple[Position, ...] | list[Position]) -> list[GradeCount]:
    """Counts by grade (service contracts grouped as `SC`), existing and new."""
    existing = Counter(p.grade_group for p in positions if not p.is_new)
    new = Counter(p.grade_group for p in positions if p.is_new)
    grades = sorted(set(existing) | set(new), key=_grade_key)
    return [GradeCount(g, existing.get(g, 0), new.get(g, 0)) for g in grades]


def staffing_by_station(positions: tuple[Position, ...] | list[Position]) -> dict[str, GradeCount]:
    """Counts by duty station code, existing and new (grade field holds the station code)."""
    existing = Counter(p.duty_station for p in positions if not p.is_new)
    new = Counter(p.duty_station for p in positions if p.is_new)
    return {s: GradeCount(s, existing.get(s, 0), new.get(s, 0)) for s in set(existing) | set(new)}
