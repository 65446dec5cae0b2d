"""Escaping text before it enters Streamlit markdown (user and reference text alike)."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~$:<&])")


def md(text: str | None) -> str:
    """Text shown literally inside markdown: markup characters escaped, HTML entities too."""
    if not text:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", text)
