"""Free text a user types or uploads: refused, never cut or cleaned, when longer than its field
holds or when it holds characters nobody sees (control characters, direction overrides)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time

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


def clip(text: str, width: int) -> str:
    """Display text cut to `width` characters with an ellipsis (labels and headings only; what
    a user typed is never cut when saved)."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def shown(value: object, limit: int = 60) -> str:
    """A value from the user as a message quotes it, in the user's words (never a Python repr):
    a date as `15 Mar 2026`, a whole number without `.0`; control and direction characters
    made visible; cut to `limit` characters."""
    if isinstance(value, datetime):
        text = f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
        if value.time() != time(0, 0):
            text += f" {value:%H:%M}"
    elif isinstance(value, date):
        text = f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    elif isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    else:
        text = str(value)
    out = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)
    return f"'{out[:limit]}…'" if len(out) > limit else f"'{out}'"
