"""The workplan grid's marker columns: each code chosen from a list that shows what it means
(the UN-INFO GEM definitions, the DAC markers' significance, the SDG targets' wording)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from rpsee.domain.markers.book import MarkerBook
from rpsee.domain.markers.rules import NOTE_LIMIT
from rpsee.domain.text_rules import clip


def marker_columns(book: MarkerBook) -> dict[str, Any]:
    """Column configs keyed by the grid's labels."""
    cc = st.column_config
    gem_help = " ".join(book.gem.values())
    needs = ", ".join(f"GEM {v}" for v in sorted(book.justify.get("gem", ())))
    return {
        "GEM": cc.SelectboxColumn(options=list(book.gem), default=1, format_func=lambda k: (
            clip(book.gem[k], 40)), help=f"UN Gender Equality Marker. {gem_help}"),
        "DAC gender": cc.SelectboxColumn(
            options=list(book.dac_gender), format_func=lambda k: clip(book.dac_gender[k], 30),
            help="OECD DAC gender equality policy marker; blank: not yet screened. "
                 + " ".join(book.dac_gender.values())),
        "DAC disability": cc.SelectboxColumn(
            options=list(book.dac_disability),
            format_func=lambda k: clip(book.dac_disability[k], 30),
            help="OECD DAC disability inclusion policy marker; blank: not yet screened. "
                 + " ".join(book.dac_disability.values())),
        "SDG targets": cc.MultiselectColumn(
            options=list(book.sdg_targets),
            format_func=lambda t: f"{t} · {clip(book.sdg_targets.get(t, ''), 60)}",
            help="The SDG targets the line serves (official list); they should belong to an "
                 "SDG its output serves (the Checks tab says when not)"),
        "Marker justification": cc.TextColumn(
            help=f"Required for {needs} and the DAC markers' 2: how the line serves the "
                 f"objective (up to {NOTE_LIMIT:,} characters)"),
        "Disability inclusion": cc.TextColumn(
            help="The reasonable accommodation or inclusion element of a line with a DAC "
                 f"disability marker of 1 or 2 (up to {NOTE_LIMIT:,} characters)"),
    }  # fmt: skip
