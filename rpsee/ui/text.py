"""Escaping text before it enters Streamlit markdown (user and reference text alike)."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~$:<&])")


def md(text: str | None) -> str:
    """Text shown literally inside markdown: markup characters escaped, HTML entities too."""
    if not text:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", text)


def refused(problems: list[object] | None, fallback: Exception | None = None) -> str:
    """The message for a refused save: each problem on its own line, escaped."""
    items = problems if problems else [fallback]
    return "Nothing was saved:\n\n" + "\n".join(f"- {md(str(p))}" for p in items)
