"""The PDF exports' font: DejaVu Sans (shipped in rpsee/reports/fonts with its licence), which has
č ć š ž đ, Türkiye's ü and Cyrillic; registered once as a family so <b> and <i> work."""

from __future__ import annotations

from functools import cache
from pathlib import Path

FONT_DIR = Path(__file__).with_name("fonts")
FAMILY = "DejaVuSans"
BOLD = f"{FAMILY}-Bold"
ITALIC = f"{FAMILY}-Oblique"
BOLD_ITALIC = f"{FAMILY}-BoldOblique"


@cache
def register() -> str:
    """Register the four faces with reportlab (idempotent); returns the family's name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name in (FAMILY, BOLD, ITALIC, BOLD_ITALIC):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(FAMILY, normal=FAMILY, bold=BOLD, italic=ITALIC,
                                  boldItalic=BOLD_ITALIC)
    for bold, italic, face in ((0, 0, FAMILY), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
        addMapping(FAMILY, bold, italic, face)
    return FAMILY
