"""What the pack's charts share: the ink, the font sizes, spec colours as reportlab colours, and
fitting text into a width (rpsee/reports/pdf_charts.py, pdf_heat_map.py)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.colors import Color, HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth

INK = HexColor("#2b2f33")
MUTED = HexColor("#5d6d7e")
TITLE_SIZE, SIZE, LABEL_SIZE, MIN_SIZE = 10.0, 7.5, 6.8, 4.5


def colour(hex_colour: str) -> Color:
    """A spec colour (`#rrggbb`) as reportlab's Color."""
    return HexColor(hex_colour)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Words of `text` in lines no wider than `width` (a long word stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and stringWidth(f"{lines[-1]} {word}", font, size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def fitted_size(texts: Sequence[str], font: str, width: float) -> float:
    """The largest font size (from SIZE down) at which every word of `texts` fits `width`."""
    words = [w for t in texts for w in t.split()] or [""]
    size = SIZE
    while size > MIN_SIZE + 1 and max(stringWidth(w, font, size) for w in words) > width:
        size -= 0.25
    return size


def dark(hex_colour: str) -> bool:
    """Whether white text reads better than ink on this fill."""
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b < 0.55
