"""How wide a text is in the data grid's font (Streamlit's Source Sans at 14 px), so the
workplan grid's columns are as wide as their header and their largest amount, and no wider.

The advances are Chromium's canvas `measureText` of each printable ASCII character (the grid
draws on a canvas) in the grid's cell font `400 14px "Source Sans"` and in bold (a Total row).
tests/e2e/test_e2e_grid_fit.py measures the grid's headers and amounts in the browser and
checks them against `text_px`; a character outside the table counts as the widest one.
"""

from __future__ import annotations

_CHARS = "".join(chr(c) for c in range(32, 127))
_REGULAR = """
2.8 4.05 5.96 6.96 6.96 11.54 8.53 3.49 4.24 4.24 5.85 6.96 3.49 4.35 3.49 4.9 6.96 6.96
6.96 6.96 6.96 6.96 6.96 6.96 6.96 6.96 3.49 3.49 6.96 6.96 6.96 5.95 11.86 7.51 8.23 7.6
8.61 7.38 6.92 8.64 9.13 3.68 6.15 8.11 6.8 10.18 9.06 9.3 7.92 9.3 7.97 7.29 7.5 9.03 7.35
11 7.18 6.66 7.32 4.24 4.9 4.24 6.96 7 7.59 7.06 7.74 6.09 7.77 6.94 4.04 7.06 7.62 3.44
3.46 6.93 3.57 11.61 7.66 7.59 7.77 7.77 4.86 5.87 4.45 7.62 6.54 10.07 6.24 6.54 5.95 4.24
3.37 4.24 6.96"""
_BOLD = """
2.8 4.76 7.52 7.39 7.39 12 9.34 4.2 4.82 4.82 6.4 7.39 4.2 4.65 4.2 4.75 7.39 7.39 7.39 7.39
7.39 7.39 7.39 7.39 7.39 7.39 4.2 4.2 7.39 7.39 7.39 6.48 12.63 8 8.47 7.64 8.89 7.67 7.34
8.93 9.44 4.21 6.57 8.6 7.25 10.67 9.31 9.58 8.34 9.58 8.58 7.53 7.78 9.31 7.92 11.38 7.94
7.35 7.41 4.82 4.75 4.82 7.39 7 7.77 7.38 8.02 6.17 8.02 7.25 4.6 7.48 7.99 3.86 3.89 7.67 4
12 8.01 7.77 8.02 8.02 5.57 6.2 5.08 7.95 7.32 10.86 7.2 7.29 6.44 4.82 3.75 4.82 7.39"""
ADVANCES = {
    bold: dict(zip(_CHARS, map(float, table.split()), strict=True))
    for bold, table in ((False, _REGULAR), (True, _BOLD))
}  # px a character, 14 px Source Sans, regular and bold


def text_px(text: str, bold: bool = False) -> float:
    """The width (px) of `text` drawn in one line in the grid's font."""
    advances = ADVANCES[bold]
    widest = max(advances.values())
    return sum(advances.get(c, widest) for c in text)
