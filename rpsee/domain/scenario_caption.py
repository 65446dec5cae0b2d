"""The one-line statement of a scenario's assumptions written on a chart ("Austria out, cut-off
50%, EUR −10%"), so a projected chart says what it assumes.

Built from the assumptions as the reader may read them (`ScenarioResult.assumptions`, which
leaves out for an observer what names protected money) and the names the reader may see: a donor
or contribution missing from those names is never spelled out by its code, only counted."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

MINUS = "\u2212"  # the typographic minus: "EUR −10%"
BASELINE = "baseline: no assumption changed"


def _percent(value: Decimal | str | int) -> str:
    """`50%`, `2.5%` (no trailing zeros, no sign)."""
    text = f"{abs(Decimal(str(value))):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def signed_percent(value: Decimal | str | int) -> str:
    """`+5%`, `−10%`, `0%` (no trailing zeros: `+2.5%`)."""
    number = Decimal(str(value))
    sign = "+" if number > 0 else MINUS if number < 0 else ""
    return f"{sign}{_percent(number)}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class _Namer:
    """Names donors and contributions as the reader may see them; counts the others."""

    def __init__(self, donors: Mapping[str, str], contributions: Mapping[str, str]) -> None:
        self.donors, self.contributions, self.unnamed = donors, contributions, 0

    def name(self, key: str) -> str | None:
        found = self.contributions.get(key) or self.donors.get(key)
        if found is None:
            self.unnamed += 1
        return found


def _money_parts(a: Mapping[str, Any], n: _Namer) -> list[str]:
    parts: list[str] = []
    for code in a.get("dropped_donors", ()):
        if (name := n.name(code)) is not None:
            parts.append(f"{name} out")
    for key, years in a.get("delays", {}).items():
        if int(years) and (name := n.name(key)) is not None:
            parts.append(f"{name} {_plural(int(years), 'year')} late")
    for key, percent in a.get("probability", {}).items():
        if (name := n.name(key)) is not None:
            parts.append(f"{name} at {_percent(percent)}")
    for key in a.get("amount", {}):
        if (name := n.name(key)) is not None:
            parts.append(f"{name} amount changed")
    cutoff = Decimal(str(a.get("probability_cutoff", 0)))
    if cutoff:
        parts.append(f"cut-off {_percent(cutoff)}")
    for currency, shock in a.get("fx_shocks", {}).items():
        if Decimal(str(shock)):
            parts.append(f"{currency} {signed_percent(shock)}")
    return parts


def _plan_parts(a: Mapping[str, Any], positions: Mapping[str, str]) -> list[str]:
    parts: list[str] = []
    cut = Decimal(str(a.get("requirement_cut_percent", 0)))
    if cut:
        parts.append(f"activities cut {_percent(cut)}")
    if a.get("drop_new_positions"):
        parts.append("new positions dropped")
    elif int(a.get("defer_new_months", 0)):
        parts.append(f"new positions {_plural(int(a['defer_new_months']), 'month')} later")
    for pid in a.get("dropped_positions", ()):
        parts.append(f"{positions.get(pid, pid)} dropped")
    for pid, months in a.get("deferred_positions", {}).items():
        if int(months):
            parts.append(f"{positions.get(pid, pid)} {_plural(int(months), 'month')} later")
    envelope = Decimal(str(a.get("envelope_change_percent", 0)))
    if envelope:
        parts.append(f"envelope {signed_percent(envelope)}")
    correlation = Decimal(str(a.get("donor_correlation", 0)))
    if correlation:
        parts.append(f"correlation within a donor {correlation.normalize():f}")
    return parts


def assumptions_caption(assumptions: Mapping[str, Any], donors: Mapping[str, str],
                        contributions: Mapping[str, str] | None = None,
                        positions: Mapping[str, str] | None = None,
                        hidden: int = 0) -> str:  # fmt: skip
    """The assumptions in one line, money first, then the plan ("Austria out, cut-off 50%, EUR
    −10%"). `assumptions`: `Scenario.to_dict()` or a result's masked dict; `donors` and
    `contributions`: code or key -> the name the reader may see; `positions`: id -> title;
    `hidden`: assumptions already left out for this reader. Assumptions naming what the
    reader may not see are counted, never named."""
    namer = _Namer(donors, contributions or {})
    parts = _money_parts(assumptions, namer) + _plan_parts(assumptions, positions or {})
    withheld = hidden + namer.unnamed
    if withheld:
        parts.append(f"{_plural(withheld, 'assumption')} on contributions not shown")
    return ", ".join(parts) if parts else BASELINE


def _years(years: list[int]) -> str:
    if not years:
        return "no year"
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years[:-1]) + (" and " if len(years) > 1 else "") + \
        str(years[-1])


def requirement_note(years: list[int], plan_years: list[int], envelope: str) -> str:
    """What the meeting's requirement covers, in one line, and why it is not the cycle's
    envelope: `years` the calendar years summed, `plan_years` those with a workplan version in
    use (the others count staff costs only), `envelope` the cycle's envelope as shown."""
    staff_only = [y for y in years if y not in plan_years]
    covered = [y for y in years if y in plan_years]
    scope = (f"activities of {_years(covered)} (the years with a workplan)"
             if covered else "no activities (no year has a workplan)")  # fmt: skip
    rest = f", staff costs only for {_years(staff_only)}" if staff_only else ""
    return (f"Requirement {_years(years)} (July 2024 – June 2029): {scope}{rest}, with "
            f"programme support costs. It is what is costed so far, not the {envelope} "
            "envelope, which is the cycle's fundraising target.")
