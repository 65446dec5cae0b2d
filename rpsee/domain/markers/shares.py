"""Shares of budget (planned lines) and of delivery (spent) by marker code, per thematic area
and per office, against the office's target shares (data/markers.yaml): money columns that add
up to the row's total to the cent, and a Total row that adds up to the plan's (or the year's
spending)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rpsee.domain.allocation import split_cents
from rpsee.domain.markers.book import DISABILITY_SHARE, GENDER_SHARE, MarkerBook, goal_of
from rpsee.domain.money import ZERO, format_usd, from_cents, to_cents
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.review.expenditure import ExpenditureLine
from rpsee.domain.tables import Column, Kind, Row, Table, percent_of
from rpsee.domain.text_rules import clip
from rpsee.domain.workplan import Activity

NOT_SCREENED = "Not screened"
UNATTRIBUTED = "No planned line"


@dataclass(frozen=True)
class Marker:
    """One marker as the tables show it: its codes (columns) and the codes its share counts."""

    name: str
    codes: tuple[str, ...]
    code_of: Callable[[Activity], str]
    counted: frozenset[str]  # the codes whose money counts towards the target share
    target_key: str | None


def _dac(level: int | None) -> str:
    return NOT_SCREENED if level is None else str(level)


GEM = Marker("GEM", ("0", "1", "2", "3"), lambda a: str(a.gem), frozenset({"2", "3"}),
             GENDER_SHARE)  # fmt: skip
DAC_GENDER = Marker("DAC gender", (NOT_SCREENED, "0", "1", "2"), lambda a: _dac(a.dac_gender),
                    frozenset({"1", "2"}), None)  # fmt: skip
DAC_DISABILITY = Marker("DAC disability", (NOT_SCREENED, "0", "1", "2"),
                        lambda a: _dac(a.dac_disability), frozenset({"1", "2"}),
                        DISABILITY_SHARE)  # fmt: skip
MARKERS = (GEM, DAC_GENDER, DAC_DISABILITY)


def _money(by_code: dict[str, Decimal], marker: Marker, extra: Sequence[str]) -> list[Decimal]:
    return [by_code.get(c, ZERO) for c in (*marker.codes, *extra)]


def _table(title: str, label: str, groups: Sequence[tuple[str, dict[str, Decimal]]],
           marker: Marker, book: MarkerBook, extra: Sequence[str] = ()) -> Table:  # fmt: skip
    """One row per group: the money by code, the total, the share counted and the target."""
    counted = " and ".join(c for c in marker.codes if c in marker.counted)
    target = book.target_shares.get(marker.target_key) if marker.target_key else None
    columns = [Column(label, Kind.TEXT),
               *(Column(f"{marker.name} {c}" if c[0].isdigit() else c) for c in marker.codes),
               *(Column(c) for c in extra), Column("Total"),
               Column(f"Share {marker.name} {counted}", Kind.PERCENT),
               Column("Target share", Kind.PERCENT)]  # fmt: skip
    rows, totals = [], {}
    for name, by_code in groups:
        money = _money(by_code, marker, extra)
        whole = sum(money, ZERO)
        part = sum((by_code.get(c, ZERO) for c in marker.counted), ZERO)
        for c, v in by_code.items():
            totals[c] = totals.get(c, ZERO) + v
        rows.append(Row((name, *money, whole, percent_of(part, whole) if whole else None,
                         target)))  # fmt: skip
    whole = sum(totals.values(), ZERO)
    part = sum((totals.get(c, ZERO) for c in marker.counted), ZERO)
    overall = percent_of(part, whole) if whole else None
    against = f" (target {target}%)" if target is not None else ""
    notes = [f"Whole: {overall if overall is not None else '–'}% coded {marker.name} {counted}"
             f"{against}." if whole else "Nothing to share out.",
             f"Share: the money coded {marker.name} {counted} over the row's total."]
    if target is not None:
        notes.append(f"Target share {target}%: the office's own target (a setting kept by the "
                     "administrator), not a standard.")  # fmt: skip
    return Table(title, tuple(columns), tuple(rows), notes=tuple(notes))


ByCode = dict[str, dict[str, Decimal]]  # group -> marker code -> USD


def planned_by_code(lines: Sequence[Activity], marker: Marker,
                    group_of: Callable[[Activity], str]) -> ByCode:  # fmt: skip
    """Group -> code -> the budget of the lines that count."""
    found: dict[str, dict[str, Decimal]] = {}
    for a in lines:
        if a.counts and a.total:
            codes = found.setdefault(group_of(a), {})
            code = marker.code_of(a)
            codes[code] = codes.get(code, ZERO) + a.total
    return found


def spent_by_code(lines: Sequence[Activity], spent: Sequence[ExpenditureLine], marker: Marker,
                  group_of: Callable[[ExpenditureLine], str]) -> ByCode:  # fmt: skip
    """Group -> code -> the year's spending. Expenditure is booked to an output (its WBS
    element), not to a line: each amount is shared over the codes of its output's planned
    lines in proportion to their budgets (largest remainders, to the cent); spending of an
    output without a planned line is shown as such."""
    mix: dict[str, tuple[list[str], list[int]]] = {}
    for output in {s.output_code for s in spent}:
        by_code: dict[str, int] = {}
        for a in lines:
            if a.counts and a.output_code == output and a.total:
                code = marker.code_of(a)
                by_code[code] = by_code.get(code, 0) + to_cents(a.total)
        mix[output] = (list(by_code), list(by_code.values()))
    found: dict[str, dict[str, Decimal]] = {}
    for s in spent:
        codes, weights = mix[s.output_code]
        group = found.setdefault(group_of(s), {})
        parts = split_cents(to_cents(s.amount_usd), weights) if codes else [to_cents(
            s.amount_usd)]  # fmt: skip
        for code, cents in zip(codes or [UNATTRIBUTED], parts, strict=True):
            group[code] = group.get(code, ZERO) + from_cents(cents)
    return found


def _ordered(found: dict[str, dict[str, Decimal]], order: Sequence[tuple[str, str]]
             ) -> list[tuple[str, dict[str, Decimal]]]:  # fmt: skip
    return [(label, found[key]) for key, label in order if key in found]


def budget_shares(lines: Sequence[Activity], year: int, ref: ProgrammeReference,
                  marker: Marker, by: str) -> Table:  # fmt: skip
    """The year's planned budget by `marker` code, per thematic area (`by="area"`) or lead
    office (`by="office"`)."""
    order, group_of, label = _grouping(ref, by)
    found = planned_by_code(lines, marker, group_of)
    return _table(f"{year}: budget by {marker.name} code, by {label.lower()} (USD)", label,
                  _ordered(found, order), marker, ref.markers)  # fmt: skip


def delivery_shares(lines: Sequence[Activity], spent: Sequence[ExpenditureLine], year: int,
                    ref: ProgrammeReference, marker: Marker, by: str) -> Table:  # fmt: skip
    """The year's spending by `marker` code (shared over each output's planned codes)."""
    order, _group_of, label = _grouping(ref, by)
    area_of = {o.code: o.area_code for o in ref.outputs}
    group = (lambda s: area_of.get(s.output_code, "")) if by == "area" else (
        lambda s: s.office_code)  # fmt: skip
    found = spent_by_code(lines, [s for s in spent if s.year == year], marker, group)
    extra = (UNATTRIBUTED,) if any(UNATTRIBUTED in v for v in found.values()) else ()
    return _table(f"{year}: spending by {marker.name} code, by {label.lower()} (USD)", label,
                  _ordered(found, order), marker, ref.markers, extra)  # fmt: skip


def _grouping(ref: ProgrammeReference, by: str
              ) -> tuple[list[tuple[str, str]], Callable[[Activity], str], str]:  # fmt: skip
    if by == "area":
        return ([(a.code, ref.area_label(a.code)) for a in ref.areas],
                lambda a: a.area_code, "Thematic area")  # fmt: skip
    if by == "office":
        return (list(ref.office_names().items()), lambda a: a.lead_office, "Office")
    raise ValueError(f"by: {by!r} is not 'area' or 'office'")


def sdg_table(lines: Sequence[Activity], ref: ProgrammeReference) -> Table:
    """Each SDG target tagged: its lines and their budget. A line serving several targets
    counts under each, so the rows do not add up to the plan (no Total row)."""
    counts: dict[str, tuple[int, Decimal]] = {}
    for a in lines:
        if a.counts:
            for t in a.sdg_targets:
                n, usd = counts.get(t, (0, ZERO))
                counts[t] = (n + 1, usd + a.total)
    order = sorted(counts, key=lambda t: (goal_of(t), t.split(".", 1)[1].zfill(3)))
    untagged = [a for a in lines if a.counts and not a.sdg_targets]
    notes = ["A line serving several targets counts under each: the rows overlap."]
    if untagged:
        notes.append(f"{len(untagged)} line(s) tag no SDG target "
                     f"({format_usd(sum((a.total for a in untagged), ZERO))}).")  # fmt: skip
    return Table("SDG targets served (USD)", (
        Column("SDG target", Kind.TEXT), Column("Lines", Kind.COUNT, summed=False),
        Column("Budget of those lines", summed=False)), tuple(
        Row((f"{t} · {clip(ref.markers.sdg_targets.get(t, ''), 70)}", *counts[t]))
        for t in order), total=False, notes=tuple(notes))  # fmt: skip
