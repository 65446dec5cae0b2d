"""The marker settings (data/markers.yaml, data/sdg_targets.yaml) read into a MarkerBook,
refusing an unknown output, goal, level or share by name."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

GEM_LEVELS = (0, 1, 2, 3)
DAC_LEVELS = (0, 1, 2)
GENDER_SHARE, DISABILITY_SHARE = "gender_equality", "disability_inclusion"


class MarkerDataError(ValueError):
    """The marker settings are wrong; the message names the entry."""


@dataclass(frozen=True)
class MarkerBook:
    """What a line may be coded with, what each code means, and the office's target shares."""

    gem: Mapping[int, str] = field(default_factory=lambda: {k: f"GEM {k}" for k in GEM_LEVELS})
    dac_gender: Mapping[int, str] = field(
        default_factory=lambda: {k: str(k) for k in DAC_LEVELS})
    dac_disability: Mapping[int, str] = field(
        default_factory=lambda: {k: str(k) for k in DAC_LEVELS})
    justify: Mapping[str, frozenset[int]] = field(default_factory=lambda: {
        "gem": frozenset({2, 3}), "dac_gender": frozenset({2}),
        "dac_disability": frozenset({2})})  # fmt: skip
    sdg_targets: Mapping[str, str] = field(default_factory=dict)  # "16.4" -> its wording
    output_sdgs: Mapping[str, frozenset[int]] = field(default_factory=dict)  # output -> goals
    target_shares: Mapping[str, Decimal] = field(default_factory=dict)  # percent

    def needs_justification(self, gem: int, dac_gender: int | None,
                            dac_disability: int | None) -> list[str]:  # fmt: skip
        """The codes of a line that require a justification, as named on screen."""
        found = []
        if gem in self.justify.get("gem", ()):
            found.append(f"GEM {gem}")
        if dac_gender is not None and dac_gender in self.justify.get("dac_gender", ()):
            found.append(f"DAC gender {dac_gender}")
        if dac_disability is not None and dac_disability in self.justify.get("dac_disability",
                                                                               ()):
            found.append(f"DAC disability {dac_disability}")
        return found

    def goals_of(self, output: str) -> frozenset[int]:
        return self.output_sdgs.get(output, frozenset())


def goal_of(target: str) -> int:
    """`16.4` -> 16; `16.a` -> 16."""
    return int(target.split(".", 1)[0])


def _levels(doc: Mapping[Any, Any], name: str, allowed: tuple[int, ...]) -> dict[int, str]:
    found = {}
    for key, text in (doc or {}).items():
        if not isinstance(key, int) or key not in allowed:
            raise MarkerDataError(f"{name}: level {key!r} is not one of {list(allowed)}")
        found[key] = " ".join(str(text).split())
    if set(found) != set(allowed):
        raise MarkerDataError(f"{name}: define every level {list(allowed)}")
    return found


def _share(name: str, value: object) -> Decimal:
    try:
        share = Decimal(str(value))
    except InvalidOperation:
        raise MarkerDataError(f"target_shares, {name}: {value!r} is not a number") from None
    if not share.is_finite() or not 0 <= share <= 100:
        raise MarkerDataError(f"target_shares, {name}: {value!r} is not a percentage 0-100")
    return share


def load_book(doc: Mapping[str, Any], targets_doc: Mapping[str, Any],
              outputs: Collection[str]) -> MarkerBook:  # fmt: skip
    """The book from the two data files' content; `outputs`: the programme's output codes."""
    targets = {str(k): " ".join(str(v).split()) for k, v in (targets_doc.get("targets") or
                                                              {}).items()}  # fmt: skip
    goals = {goal_of(t) for t in targets}
    output_sdgs: dict[str, frozenset[int]] = {}
    for output, listed in (doc.get("output_sdgs") or {}).items():
        output = str(output)
        if output not in outputs:
            raise MarkerDataError(f"output_sdgs: {output!r} is not an output of the programme")
        unknown = [g for g in listed if g not in goals]
        if unknown:
            raise MarkerDataError(f"output_sdgs, {output}: {unknown} not SDG goals")
        output_sdgs[output] = frozenset(int(g) for g in listed)
    missing = sorted(set(outputs) - set(output_sdgs))
    if missing:
        raise MarkerDataError(f"output_sdgs: no SDG goal given for output(s) {', '.join(missing)}")
    shares = {str(k): _share(str(k), v) for k, v in (doc.get("target_shares") or {}).items()}
    for name in (GENDER_SHARE, DISABILITY_SHARE):
        if name not in shares:
            raise MarkerDataError(f"target_shares: {name} is missing")
    justify = {}
    for key, allowed in (("gem", GEM_LEVELS), ("dac_gender", DAC_LEVELS),
                         ("dac_disability", DAC_LEVELS)):  # fmt: skip
        levels = (doc.get("justification_required") or {}).get(key, [])
        if any(v not in allowed for v in levels):
            raise MarkerDataError(f"justification_required, {key}: levels {levels} not in "
                                  f"{list(allowed)}")  # fmt: skip
        justify[key] = frozenset(levels)
    return MarkerBook(_levels(doc.get("gem"), "gem", GEM_LEVELS),
                      _levels(doc.get("dac_gender"), "dac_gender", DAC_LEVELS),
                      _levels(doc.get("dac_disability"), "dac_disability", DAC_LEVELS),
                      justify, targets, output_sdgs, shares)  # fmt: skip
