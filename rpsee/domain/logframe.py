"""The logframe as the approval pack prints it: the programme document's own wording, never a
mark of text lost in the extraction ("[...]") nor a "not legible" placeholder. An indicator
whose wording the document gives only in part (or not at all) reads "To be defined by the
Steering Committee"; a missing baseline, target, interim target or interval reads "To be
defined". Pure: the reference data in, a `Table` out."""

from __future__ import annotations

from rpsee.domain.reference import LOST_WORDING, Indicator, ProgrammeReference
from rpsee.domain.tables import Column, Kind, Row, Table

LOST_MARKS = ("[...]", "[…]", "not legible")
TO_BE_DEFINED = "To be defined by the Steering Committee"
FIELD_TO_BE_DEFINED = "To be defined"
COLUMNS = ("Code", "Indicator", "Baseline", "Target", "Interim target", "Interval")


def complete(text: str | None) -> str | None:
    """`text` when the document gives it whole; None when it is missing or partly lost."""
    if text is None or not text.strip() or text == LOST_WORDING:
        return None
    if any(mark in text.lower() for mark in LOST_MARKS):
        return None
    return " ".join(text.split())


def undefined_indicators(ref: ProgrammeReference) -> list[str]:
    """The codes of the indicators whose wording the document does not give whole."""
    return [i.code for o in ref.outputs for i in o.indicators if complete(i.text) is None]


def printed(i: Indicator) -> tuple[str, str, str, str, str]:
    """An indicator's wording, baseline, target, interim target and interval as printed."""
    fields = (i.baseline, i.target, i.interim_target, i.interval)
    return (complete(i.text) or TO_BE_DEFINED,
            *(complete(f) or FIELD_TO_BE_DEFINED for f in fields))  # type: ignore[return-value]


def indicators_table(ref: ProgrammeReference) -> Table:
    """The logframe's output indicators with baseline, target, interim target and interval
    (a list: no Total), with notes on what the Steering Committee is to define."""
    body = tuple(Row((i.code, *printed(i)), help=ref.output_label(o.code))
                 for o in ref.outputs for i in o.indicators)  # fmt: skip
    notes = [f"{FIELD_TO_BE_DEFINED}: the programme document gives no value; the Steering "
             "Committee is to define it."]  # fmt: skip
    undefined = undefined_indicators(ref)
    if undefined:
        notes.append(f"Indicators {', '.join(undefined)}: the programme document does not give "
                     f"their whole wording; {TO_BE_DEFINED[0].lower()}{TO_BE_DEFINED[1:]}.")
    return Table("Logframe: output indicators and targets",
                 tuple(Column(n, Kind.TEXT) for n in COLUMNS), body, total=False,
                 notes=tuple(notes))  # fmt: skip
