"""Free text a user types or uploads: refused, never cut or cleaned, when longer than its field
holds or when it holds characters nobody sees (control characters, direction overrides)."""

from __future__ import annotations

import unicodedata

# Direction marks, embeddings, overrides and isolates: they make text display in another order
# than it is stored (e.g. "‮exe.pdf"), so a reader cannot tell what was saved.
DIRECTION_MARKS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068"
                            "\u2069")  # fmt: skip
LINE_BREAKS = frozenset("\n\r\t")


def text_problem(value: str, limit: int, *, lines: bool = False) -> str | None:
    """What is wrong with `value` for a field of at most `limit` characters (None if sound);
    `lines`: line breaks and tabs are allowed (descriptions, notes)."""
    if len(value) > limit:
        return f"is longer than {limit:,} characters ({len(value):,}): shorten it"
    for i, c in enumerate(value, start=1):
        if lines and c in LINE_BREAKS:
            continue
        if c in DIRECTION_MARKS:
            return (f"holds an invisible direction mark (U+{ord(c):04X}) at character {i}: "
                    "remove it (it shows the text in another order than it is saved)")
        if unicodedata.category(c) in ("Cc", "Cs"):
            return f"holds a control character (U+{ord(c):04X}) at character {i}: remove it"
    return None
