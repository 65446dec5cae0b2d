"""Plausibility of the standard cost table: warnings finance sees before confirming new rates.

Local-salary grades (general service G, service contracts SB, national personnel NPSA) follow
the duty station's local salary scale, which at a field duty station is below headquarters':
such a grade costing more at a field office than the same grade at headquarters (Vienna) is
implausible. Within a family of grades (P, G, SB, NPSA, ...), a higher grade costing less than
a lower one at the same duty station is implausible too. Both are warnings, not refusals.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

LOCAL_FAMILIES = frozenset({"G", "GS", "SB", "NPSA"})
_GRADE = re.compile(r"^([A-Za-z]+)-?(\d+)$", re.ASCII)


def grade_level(grade: str) -> tuple[str, int] | None:
    """`G5` -> ("G", 5), `SB-3` -> ("SB", 3), `NPSA-8` -> ("NPSA", 8); None if unreadable."""
    match = _GRADE.match(grade.strip())
    if not match:
        return None
    return match.group(1).upper(), int(match.group(2))


def implausible_rates(annual: Mapping[tuple[str, str], Decimal], headquarters: str,
                      names: Mapping[str, str] | None = None) -> list[str]:  # fmt: skip
    """Warnings for the rate table (grade, duty station) -> annual cost, each naming the grade,
    the duty station and both figures; empty if every rate is plausible."""
    names = names or {}

    def at(station: str) -> str:
        return f"{names[station]} ({station})" if names.get(station) else station

    warnings: list[str] = []
    for (grade, station), amount in sorted(annual.items()):
        level = grade_level(grade)
        if level is None or level[0] not in LOCAL_FAMILIES or station == headquarters:
            continue
        hq = annual.get((grade, headquarters))
        if hq is not None and amount > hq:
            warnings.append(
                f"{grade} at {at(station)} costs USD {amount:,.2f} a year, more than {grade} at "
                f"{at(headquarters)}, USD {hq:,.2f}: a local salary grade at a field duty "
                "station costs less than at headquarters."
            )
    by_station: dict[tuple[str, str], list[tuple[int, str, Decimal]]] = {}
    for (grade, station), amount in annual.items():
        level = grade_level(grade)
        if level is not None:
            by_station.setdefault((station, level[0]), []).append((level[1], grade, amount))
    for (station, _family), rows in sorted(by_station.items()):
        rows.sort()
        for i, (lvl, grade, amount) in enumerate(rows):
            lower = [(g, a) for low, g, a in rows[:i] if low < lvl and a > amount]
            if lower:
                g, a = max(lower, key=lambda r: r[1])
                warnings.append(
                    f"{grade} at {at(station)} costs USD {amount:,.2f} a year, less than the "
                    f"lower grade {g} there, USD {a:,.2f}."
                )
    return warnings
