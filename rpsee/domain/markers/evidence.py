"""Whether the plan itself backs each line's markers: the open points listed on the Checks tab
and in the pack's annex (findings to read, not refusals)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from rpsee.domain.markers.book import MarkerBook, goal_of
from rpsee.domain.workplan import Activity

NO_SEX_INDICATOR = "GEM, no indicator by sex"
NO_JUSTIFICATION = "Marker not justified"
NO_INCLUSION = "No inclusion element"
SDG_OUTSIDE = "SDG target off its output"
CHECKS = (NO_SEX_INDICATOR, NO_JUSTIFICATION, NO_INCLUSION, SDG_OUTSIDE)


@dataclass(frozen=True)
class Finding:
    check: str
    what: str


def _gender_claim(a: Activity) -> bool:
    return a.gem >= 2 or a.dac_gender == 2


def marker_findings(activities: Iterable[Activity], book: MarkerBook,
                    sex_outputs: Collection[str]) -> list[Finding]:  # fmt: skip
    """The findings, check by check, of the lines that count (cancelled lines cover nothing).
    `sex_outputs`: the outputs with an indicator disaggregated by sex (data/monitoring.yaml)."""
    lines = [a for a in activities if a.counts]
    found: list[Finding] = []
    claims: dict[str, list[str]] = {}
    for a in lines:
        if _gender_claim(a) and a.output_code not in sex_outputs:
            claims.setdefault(a.output_code, []).append(a.code)
    for output, codes in sorted(claims.items()):
        found.append(Finding(NO_SEX_INDICATOR, f"Output {output}: none of its indicators is "
                             f"disaggregated by sex, yet {len(codes)} line(s) are coded GEM 2-3 "
                             f"or DAC gender 2: {', '.join(codes)}"))  # fmt: skip
    for a in lines:
        needing = book.needs_justification(a.gem, a.dac_gender, a.dac_disability)
        if needing and not a.marker_note.strip():
            found.append(Finding(NO_JUSTIFICATION, f"{a.code} · {a.title}: coded "
                                 f"{', '.join(needing)} without a justification"))  # fmt: skip
    for a in lines:
        if a.dac_disability in (1, 2) and not a.inclusion.strip():
            found.append(Finding(NO_INCLUSION, f"{a.code} · {a.title}: DAC disability "
                                 f"{a.dac_disability} without a stated reasonable-accommodation "
                                 "or inclusion element"))  # fmt: skip
    for a in lines:
        goals = book.goals_of(a.output_code)
        outside = [t for t in a.sdg_targets if goal_of(t) not in goals]
        if outside:
            listed = ", ".join(f"SDG {g}" for g in sorted(goals))
            found.append(Finding(SDG_OUTSIDE, f"{a.code} · {a.title}: target(s) "
                                 f"{', '.join(outside)} not under its output {a.output_code}'s "
                                 f"{listed}"))  # fmt: skip
    return found
