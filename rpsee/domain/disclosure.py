"""Donor confidentiality for observers, as statistical disclosure control.

An observer (a donor's representative) must not learn another donor's confidential amount,
alone or by arithmetic on what it sees (differences, sums, published totals). The mechanism:
other donors' confidential contributions form a protected group, shown only as one aggregate
line per year and status (`OTHER_CONFIDENTIAL`), and every figure the observer reads is computed
from that redacted pipeline. The group is shown only if, in every cell the observer can see
(each status and cumulative counting mode, each year and the cycle total, wherever it holds
confidential money), it passes the threshold rule (money of at least `Rule.min_donors` donors)
and the (1,k) dominance rule (no donor above `Rule.max_share_percent` of it). When the
confidential money alone fails, complementary contributions (non-confidential ones of other
donors, a new donor first while too few, then the smallest) join the group (secondary
suppression). When no group can pass, the group's money is left out of the observer's figures.
The observer's own donor's money is never in the group."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from rpsee.domain.pipeline import (
    OTHER_CONFIDENTIAL,
    STATUSES,
    Contribution,
    ExchangeRate,
    Tranche,
    tranches_usd,
)

HUNDRED = Decimal(100)
CYCLE = 0  # the year key of a cell holding the whole cycle
# what the observer can see of the money: each status, and the counting modes that add them up
CELL_STATUSES: tuple[tuple[str, ...], ...] = (("hard",), ("soft",), ("prospect",),
                                               ("hard", "soft"), STATUSES)  # fmt: skip
Cell = tuple[tuple[str, ...], int]  # (statuses, year or CYCLE)


def key_of(c: Contribution) -> str:
    """A contribution's key (as scenarios name it: its id, or its reference when unsaved)."""
    return str(c.id) if c.id is not None else c.reference


@dataclass(frozen=True)
class Rule:
    """The disclosure rule (data/disclosure.yaml)."""

    min_donors: int = 3
    max_share_percent: Decimal = Decimal(50)

    def passes(self, by_donor: Mapping[str, int]) -> bool:
        """Whether one cell's money (cents by donor) may be shown as an aggregate."""
        amounts = [v for v in by_donor.values() if v > 0]
        total = sum(amounts)
        if not amounts:
            return True
        return (len(amounts) >= self.min_donors
                and max(amounts) * HUNDRED <= self.max_share_percent * total)  # fmt: skip

    def describe(self) -> str:
        return (f"at least {self.min_donors} donors in every year and in the cycle total, "
                f"none above {self.max_share_percent.normalize():f}% of it")


def cells(tranches: Iterable[Tranche]) -> dict[Cell, dict[str, int]]:
    """Cents by donor in every cell an observer can see (see CELL_STATUSES)."""
    out: dict[Cell, dict[str, int]] = {}
    for t in tranches:
        cents = int(t.usd * 100)
        for statuses in CELL_STATUSES:
            if t.status in statuses:
                for year in (t.year, CYCLE):
                    cell = out.setdefault((statuses, year), {})
                    cell[t.donor] = cell.get(t.donor, 0) + cents
    return out


def failing(rule: Rule, group: Sequence[Tranche], confidential: Sequence[Tranche]) -> list[Cell]:
    """The cells holding confidential money where the group fails the rule, in order."""
    held = cells(confidential)
    return sorted(cell for cell, money in cells(group).items()
                  if any(held.get(cell, {}).values()) and not rule.passes(money))  # fmt: skip


@dataclass(frozen=True)
class Disclosure:
    """What one reader computes from, and what was withheld and why (`note`)."""

    contributions: tuple[Contribution, ...]  # the redacted pipeline every figure comes from
    group: frozenset[str]  # keys of the contributions in the aggregate (or left out)
    protected_donors: frozenset[str]  # donors whose names are withheld from this reader
    complementary: int  # non-confidential contributions added to the group
    left_out: bool  # no group could pass: its money is left out of every figure
    note: str  # plain language, shown wherever these figures are

    @property
    def applied(self) -> bool:
        return bool(self.group)


def _cell_text(cell: Cell) -> str:
    statuses, year = cell
    return f"{'+'.join(statuses)} {year if year != CYCLE else 'cycle total'}"


def _note(rule: Rule, n_conf: int, n_comp: int, left_out: bool, cell: Cell | None) -> str:
    basis = f"Disclosure rule (the programme's confidentiality setting): {rule.describe()}."
    if left_out:
        return (f"Withheld: {n_conf} confidential contribution(s) of other donors and {n_comp} "
                f"contribution(s) grouped with them. No group of them meets the rule "
                f"({_cell_text(cell) if cell else ''} fails), so their money is LEFT OUT of "
                "every figure shown here: totals are lower than the programme's and do not "
                f"reconcile to it. {basis}")  # fmt: skip
    comp = (f" together with {n_comp} other contribution(s) added so that it meets the rule"
            if n_comp else "")  # fmt: skip
    return (f"Other donors' confidential contributions ({n_conf}) are shown only as one line, "
            f"'{OTHER_CONFIDENTIAL}',{comp}; the names and amounts of its members are withheld, "
            "and the figures count it without earmarks, at the default probability and support "
            f"rate. {basis}")  # fmt: skip


def protect(contributions: Sequence[Contribution], rates: Mapping[str, ExchangeRate],
            defaults: Mapping[str, Decimal], viewer_donor: str | None, rule: Rule,
            support_rate: Decimal) -> Disclosure:  # fmt: skip
    """The pipeline as a donor observer of `viewer_donor` may see it (see the module)."""
    conf = [c for c in contributions if c.confidential and c.donor != viewer_donor]
    if not conf:
        return Disclosure(tuple(contributions), frozenset(), frozenset(), 0, False, "")
    usd = {key_of(c): tranches_usd([c], rates, defaults) for c in contributions}
    conf_t = [t for c in conf for t in usd[key_of(c)]]
    members = {key_of(c) for c in conf}
    spare = [c for c in contributions if c.donor != viewer_donor and key_of(c) not in members]
    left_out, bad = False, failing(rule, conf_t, conf_t)
    while bad:
        group_t = [t for k in sorted(members) for t in usd[k]]
        donors_in = cells(group_t).get(bad[0], {})
        pick = _complement(rule, bad[0], spare, usd, donors_in)
        if pick is None:
            left_out = True
            break
        members.add(key_of(pick))
        spare.remove(pick)
        bad = failing(rule, [t for k in sorted(members) for t in usd[k]], conf_t)
    shown = aggregate(contributions, frozenset(members), rates, defaults, support_rate,
                      left_out)  # fmt: skip
    note = _note(rule, len(conf), len(members) - len(conf), left_out, bad[0] if bad else None)
    return Disclosure(tuple(shown), frozenset(members), frozenset(c.donor for c in conf),
                      len(members) - len(conf), left_out, note)  # fmt: skip


def _complement(rule: Rule, cell: Cell, spare: list[Contribution],
                usd: Mapping[str, list[Tranche]],
                donors_in: Mapping[str, int]) -> Contribution | None:  # fmt: skip
    """The next contribution to add for a failing cell: one with money in it, never more of
    the largest donor's, of a new donor first while the cell has too few donors, the smallest
    first (the least money withheld)."""
    statuses, year = cell
    few = len([v for v in donors_in.values() if v > 0]) < rule.min_donors
    top = max(donors_in, key=lambda d: donors_in[d]) if donors_in else None

    def money(c: Contribution) -> int:
        return sum(int(t.usd * 100) for t in usd[key_of(c)]
                   if t.status in statuses and (year == CYCLE or t.year == year))  # fmt: skip

    options = [c for c in spare if money(c) > 0 and c.donor != top]
    if not options:
        return None
    return min(options, key=lambda c: (few and c.donor in donors_in, money(c), key_of(c)))


def aggregate(contributions: Iterable[Contribution], group: frozenset[str],
              rates: Mapping[str, ExchangeRate], defaults: Mapping[str, Decimal],
              support_rate: Decimal, left_out: bool = False) -> list[Contribution]:  # fmt: skip
    """The contributions with the group's replaced by one USD row per year and status (or
    left out): no donor, reference, earmark or notes; the status's default probability and the
    default support rate, so that no member's own terms show through."""
    shown: list[Contribution] = []
    money: dict[tuple[int, str], Decimal] = {}
    for c in contributions:
        if key_of(c) not in group:
            shown.append(c)
            continue
        for t in tranches_usd([c], rates, defaults):
            money[(t.year, t.status)] = money.get((t.year, t.status), Decimal("0.00")) + t.usd
    if left_out:
        return shown
    for (year, status), usd in sorted(money.items(),
                                      key=lambda kv: (kv[0][0], STATUSES.index(kv[0][1]))):
        shown.append(Contribution(None, OTHER_CONFIDENTIAL, f"{OTHER_CONFIDENTIAL} {year} {status}",
                                  "USD", {year: usd}, status, support_rate=support_rate,
                                  confidential=True))  # fmt: skip
    return shown


def mentions(text: str, donors: Iterable[tuple[str, str]]) -> list[str]:
    """The protected donors (code, name) that `text` names by code (a whole word) or name."""
    found = []
    for code, name in donors:
        if re.search(rf"(?<![\w]){re.escape(code)}(?![\w])", text, re.IGNORECASE) or (
                name and name.casefold() in text.casefold()):  # fmt: skip
            found.append(code)
    return found


def relabel_sources(activities: Iterable, protected: frozenset[str]) -> tuple:  # noqa: ANN001
    """Activities with a protected donor as funding source relabelled as the aggregate."""
    return tuple(replace(a, funding_source=OTHER_CONFIDENTIAL)
                 if a.funding_source in protected else a for a in activities)  # fmt: skip
