"""Reading a line's markers as typed in the grid, the Excel upload or the demo file: every
problem names the field; nothing is guessed (a blank DAC marker is "not yet screened")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rpsee.domain.markers.book import DAC_LEVELS, GEM_LEVELS, MarkerBook, goal_of
from rpsee.domain.money import is_blank, whole_number
from rpsee.domain.text_rules import shown, text_problem

NOTE_LIMIT = 1000  # the justification and the inclusion element
Report = Callable[[str, str], None]  # (field key, message)


@dataclass(frozen=True)
class LineMarkers:
    gem: int = 1
    dac_gender: int | None = None
    dac_disability: int | None = None
    sdg_targets: tuple[str, ...] = ()
    marker_note: str = ""
    inclusion: str = ""


def _level(value: Any, allowed: tuple[int, ...], key: str, err: Report) -> int | None:
    """A marker level; None when blank; reported (and None) when not one of `allowed`."""
    if is_blank(value):
        return None
    try:
        level = whole_number(value)
    except (ValueError, TypeError):
        level = -1
    if level not in allowed:
        listed = ", ".join(map(str, allowed[:-1])) + f" or {allowed[-1]}"
        err(key, f"{shown(value)}: use {listed} (a whole number)")
        return None
    return level


def _targets(value: Any, book: MarkerBook, output: str, err: Report) -> tuple[str, ...]:
    """`16.4; 5.2` (or a list) -> ("16.4", "5.2"), each from the official list."""
    if is_blank(value):
        return ()
    items = value.replace(",", ";").split(";") if isinstance(value, str) else list(value)
    found: list[str] = []
    for item in items:
        code = str(item).strip()
        if not code or code in found:
            continue
        if code not in book.sdg_targets:
            err("sdg_targets", f"{shown(code)} is not an SDG target of the official list (e.g. "
                "16.4, 5.2)")  # fmt: skip
            continue
        found.append(code)
    del output  # the fit to the output is a check (open points), not a refusal
    return tuple(found)


def _note(value: Any, key: str, err: Report) -> str:
    text = "" if is_blank(value) else str(value).strip()
    problem = text_problem(text, NOTE_LIMIT, lines=True)
    if problem:
        err(key, problem)
    return text


def read_markers(raw: dict[str, Any], book: MarkerBook, output: str, err: Report) -> LineMarkers:
    """The markers of one raw line (keys as Activity's fields). The former `gender_marker`
    key is read as the GEM (the same 0-3 scale). A higher code without a justification is
    refused, naming the codes that need it."""
    gem_raw = raw.get("gem")
    if is_blank(gem_raw):
        gem_raw = raw.get("gender_marker")
    gem = _level(gem_raw, GEM_LEVELS, "gem", err)
    gender = _level(raw.get("dac_gender"), DAC_LEVELS, "dac_gender", err)
    disability = _level(raw.get("dac_disability"), DAC_LEVELS, "dac_disability", err)
    targets = _targets(raw.get("sdg_targets"), book, output, err)
    note = _note(raw.get("marker_note"), "marker_note", err)
    inclusion = _note(raw.get("inclusion"), "inclusion", err)
    gem = 1 if gem is None and is_blank(gem_raw) else gem
    if gem is not None and not note:
        needing = book.needs_justification(gem, gender, disability)
        if needing:
            err("marker_note", f"required for {', '.join(needing)}: say in a sentence how "
                "the line serves that objective")  # fmt: skip
    return LineMarkers(gem if gem is not None else 1, gender, disability, targets, note,
                       inclusion)  # fmt: skip


def target_fits(target: str, output: str, book: MarkerBook) -> bool:
    """Whether an SDG target belongs to a goal mapped to the output."""
    return goal_of(target) in book.goals_of(output)
