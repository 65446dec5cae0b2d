"""Escaping text before it enters Streamlit markdown or a Plotly label (user, file and reference
text alike): every such text goes through `md` (markdown) or `plot_text` (Plotly)."""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~$:<&=])")  # "=": no "===" heading
# Markdown links bare URLs and e-mail addresses after parsing, whatever was escaped: a word
# joiner (invisible) after the scheme, `www` or `@` keeps them plain text.
_BARE_LINK = re.compile(r"(?i)(\b(?:https?|ftps?|mailto|file|javascript|data|www)(?=[:.])|@)")
WORD_JOINER = "\u2060"


def md(text: object) -> str:
    """Text shown literally inside markdown: markup characters escaped (so `**`, `:red[x]`,
    `[link](url)` and HTML show as typed), bare URLs and e-mail addresses not turned into links.
    Line breaks are kept (a comment keeps its paragraphs; no line can start markup)."""
    if text is None or text == "":
        return ""
    return _MD_SPECIAL.sub(r"\\\1", _BARE_LINK.sub(r"\1" + WORD_JOINER, str(text)))


def plot_text(text: object) -> str:
    """Text for a Plotly label or hover: Plotly reads `<`, `>` and `&` as its HTML subset;
    quotes are shown as typed (Plotly would print `&quot;` literally)."""
    return html.escape(str(text), quote=False)


def refused(problems: list[object] | None, fallback: Exception | None = None) -> str:
    """The message for a refused save: each problem on its own line, escaped."""
    items = problems if problems else [fallback]
    return "Nothing was saved:\n\n" + "\n".join(f"- {md(str(p))}" for p in items)
