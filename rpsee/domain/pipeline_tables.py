"""The pipeline as tables: contributions in USD by year, the same in the donor's currency,
totals by year and status, and funding counted three ways; each says which rates it used."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from rpsee.domain.pipeline import (
    EARMARK_LABELS,
    OTHER_CONFIDENTIAL,
    STATUS_LABELS,
    STATUSES,
    Contribution,
    ExchangeRate,
    Tranche,
)
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.tables import Column, Kind, Row, Table, footnotes_for

ZERO = Decimal("0.00")
OTHER = OTHER_CONFIDENTIAL


def rates_note(rates: Mapping[str, ExchangeRate], currencies: set[str]) -> str:
    """`USD at: EUR 1.0705 (2024-06-28) · ...`: the rates a table's USD figures used."""
    used = [r for cur, r in sorted(rates.items()) if cur in currencies and cur != "USD"]
    if not used:
        return "All amounts are in USD (no conversion)."
    return "USD at: " + " · ".join(f"{r.currency} {r.usd_per_unit} ({r.as_of:%Y-%m-%d})"
                                   for r in used)  # fmt: skip


def earmark_label(c: Contribution, ref: ProgrammeReference,
                  programmes: Mapping[str, str]) -> str:  # fmt: skip
    """The earmark as the pages name it (`Thematic area 1. Drugs`, `Kosovo*`, `GP GPML`)."""
    mark = c.earmark
    if mark.kind == "area":
        area = next((a for a in ref.areas if a.code == mark.code), None)
        return f"Area {mark.code}. {area.short_name}" if area else mark.label
    if mark.kind == "jurisdiction":
        return ref.jurisdiction_names().get(mark.code or "", mark.label)
    if mark.kind == "global_programme":
        return f"GP {mark.code}" if mark.code in programmes else mark.label
    return mark.label if mark.kind == "output" else EARMARK_LABELS["none"]


def serves_note(contributions: Sequence[Contribution], ref: ProgrammeReference,
                serves: Mapping[str, Sequence[str]]) -> str | None:  # fmt: skip
    """What the Global Programme earmarks in `contributions` may pay (`GP GPML: Output 2.6`),
    or None when no contribution names one."""
    named = sorted({c.earmark.code or "" for c in contributions
                    if c.earmark.kind == "global_programme"})  # fmt: skip
    if not named:
        return None
    areas = {a.code: f"area {a.code}. {a.short_name}" for a in ref.areas}
    parts = [f"GP {g}: " + (", ".join(areas.get(c, f"Output {c}") for c in serves.get(g, ()))
                            or "nothing (no area or output stated)") for g in named]
    return ("A Global Programme earmark pays only activities of the thematic areas or outputs "
            "the programme serves: " + "; ".join(parts) + ".")


def contributions_usd(
    contributions: Sequence[Contribution], tranches: Sequence[Tranche], years: Sequence[int],
    rates: Mapping[str, ExchangeRate], defaults: Mapping[str, Decimal],
    ref: ProgrammeReference, programmes: Mapping[str, str], donors: Mapping[str, str],
    serves: Mapping[str, Sequence[str]] | None = None,
) -> Table:  # fmt: skip
    """One row per contribution: USD by year and over the cycle, its probability and
    support-cost rate; the Total row sums the USD columns exactly. With `serves`, a note says
    what each Global Programme earmark named may pay."""
    # The amounts right after donor and status, the descriptive columns after them: at
    # 1280 px the money is seen without scrolling sideways (the reference is long text).
    columns = (Column("Donor", Kind.TEXT), Column("Status", Kind.TEXT, help=status_note()),
               *(Column(f"{y} USD") for y in years), Column("Cycle USD"),
               Column("Probability", Kind.PERCENT, help="Its own, else its status default"),
               Column("Support-cost rate", Kind.PERCENT, help="Programme support cost rate"),
               Column("Reference", Kind.TEXT), Column("Earmark", Kind.TEXT),
               Column("Currency", Kind.TEXT), Column("Confidential", Kind.TEXT))  # fmt: skip
    rows = []
    usd = _usd_rows(contributions, tranches)
    for c, by_year in zip(contributions, usd, strict=True):
        label = donors.get(c.donor, c.donor)
        status = STATUS_LABELS.get(c.status, c.status).split(" (")[0]  # Hard, Soft, Prospect
        rows.append(Row((label, status, *(by_year.get(y) for y in years),
                         sum(by_year.values(), ZERO), c.chance(defaults), c.support_rate,
                         c.reference or "–", earmark_label(c, ref, programmes), c.currency,
                         "yes" if c.confidential else "")))  # fmt: skip
    labels = [r.cells[-3] for r in rows]
    gp = serves_note(contributions, ref, serves) if serves is not None else None
    return Table("Contributions in USD", columns, tuple(rows),
                 footnotes=footnotes_for(labels, ref.jurisdiction_footnotes()),
                 notes=(rates_note(rates, {c.currency for c in contributions}),
                        *((gp,) if gp else ())))  # fmt: skip


def _usd_rows(contributions: Sequence[Contribution],
              tranches: Sequence[Tranche]) -> list[dict[int, Decimal]]:  # fmt: skip
    """Each contribution's USD by year (`tranches_usd` gives them contribution by contribution,
    years in order)."""
    it = iter(tranches)
    return [{t.year: t.usd for t in (next(it) for _ in c.tranches)} for c in contributions]


def contributions_currency(contributions: Sequence[Contribution], years: Sequence[int],
                           donors: Mapping[str, str]) -> Table:  # fmt: skip
    """The same contributions in the donor's currency (not summed: currencies differ). The
    currency after the amounts: in the page's expander at 1280 px the cycle is seen whole."""
    columns = (Column("Donor", Kind.TEXT),
               *(Column(str(y), Kind.MONEY, summed=False) for y in years),
               Column("Cycle", Kind.MONEY, summed=False), Column("Currency", Kind.TEXT),
               Column("Reference", Kind.TEXT))  # fmt: skip
    rows = tuple(Row((donors.get(c.donor, c.donor), *(c.tranches.get(y) for y in years),
                      c.total, c.currency, c.reference or "–"))
                 for c in contributions)  # fmt: skip
    return Table("Contributions in the donor's currency", columns, rows, total=False,
                 notes=("Amounts as agreed, in each donor's currency: no total across "
                        "currencies (see the USD table).",))  # fmt: skip


def totals_by_status(tranches: Sequence[Tranche], years: Sequence[int],
                     rates: Mapping[str, ExchangeRate], currencies: set[str]) -> Table:
    """USD by year and status; the Total row is the whole pipeline."""
    columns = (Column("Status", Kind.TEXT), *(Column(str(y)) for y in years), Column("Cycle"))
    rows = []
    for status in STATUSES:
        by_year = {y: sum((t.usd for t in tranches if t.status == status and t.year == y), ZERO)
                   for y in years}  # fmt: skip
        rows.append(Row((STATUS_LABELS[status].split(" (")[0], *by_year.values(),
                         sum(by_year.values(), ZERO))))  # fmt: skip
    return Table("Pipeline by year and status (USD)", columns, tuple(rows),
                 total_label="Total",
                 notes=(rates_note(rates, currencies), status_note(),
                        "Total: the whole pipeline."))  # fmt: skip


def status_note() -> str:
    """`Hard: signed · Soft: pledged or in negotiation · Prospect: identified, …`: the
    statuses' short names (the tables' row labels, narrow enough for six years and the cycle at
    1280 px) explained."""
    parts = []
    for label in STATUS_LABELS.values():
        short, _, rest = label.partition(" (")
        parts.append(f"{short}: {rest.rstrip(')')}" if rest else short)
    return " · ".join(parts)


def counted_three_ways(tranches: Sequence[Tranche], years: Sequence[int],
                       rates: Mapping[str, ExchangeRate], currencies: set[str]) -> Table:
    """Funding by year counted hard only, hard + soft, and probability-weighted (each
    tranche x its probability, to the cent, then summed)."""
    def line(label: str, value: Callable[[Tranche], Decimal]) -> Row:
        by_year = [sum((value(t) for t in tranches if t.year == y), ZERO) for y in years]
        return Row((label, *by_year, sum(by_year, ZERO)))

    columns = (Column("Counted", Kind.TEXT), *(Column(str(y)) for y in years), Column("Cycle"))
    rows = (
        line("Hard only", lambda t: t.usd if t.status == "hard" else ZERO),
        line("Hard + soft", lambda t: t.usd if t.status in ("hard", "soft") else ZERO),
        line("Weighted", weighted),
    )
    return Table("Money counted three ways (USD, every tranche)", columns, rows, total=False,
                 notes=(rates_note(rates, currencies),
                        "Weighted: each tranche times its probability (the "
                        "contribution's own, else its status default), to the cent."))  # fmt: skip


def weighted(t: Tranche) -> Decimal:
    """A tranche's USD times its probability, to the cent."""
    return (t.usd * t.probability / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
