"""The pack's look: DejaVu Sans (rpsee/reports/pdf_fonts.py) in every style, UN blue accents,
page sizes and margins."""

from __future__ import annotations

from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from rpsee.reports import pdf_fonts

PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGIN_X = 18 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 26 * mm  # the footer and, on pages naming Kosovo*, its footnote

UN_BLUE = colors.HexColor("#009edb")
NAVY = colors.HexColor("#1f3864")
HEADER_FILL = colors.HexColor("#1f4e79")
TOTAL_FILL = colors.HexColor("#dde5ef")
SUBTOTAL_FILL = colors.HexColor("#eef2f7")
SPECIAL_TEXT = colors.HexColor("#4a5361")
RULE = colors.HexColor("#c8d0db")
GREY = colors.HexColor("#5f6b7a")


@cache
def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles by name (the font registered first)."""
    font = pdf_fonts.register()
    bold = pdf_fonts.BOLD
    base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13, alignment=TA_LEFT,
                          spaceAfter=5)  # fmt: skip
    return {
        "body": base,
        "lead": ParagraphStyle("lead", parent=base, fontName=bold, spaceBefore=4),
        "note": ParagraphStyle("note", parent=base, fontSize=7.5, leading=9.5, textColor=GREY,
                               spaceAfter=3),  # fmt: skip
        "section": ParagraphStyle("section", parent=base, fontName=bold, fontSize=16,
                                  leading=20, textColor=NAVY, spaceAfter=10),  # fmt: skip
        "heading": ParagraphStyle("heading", parent=base, fontName=bold, fontSize=11.5,
                                  leading=15, textColor=NAVY, spaceBefore=8,
                                  spaceAfter=4),  # fmt: skip
        "table_title": ParagraphStyle("table_title", parent=base, fontName=bold, fontSize=9.5,
                                      leading=12, textColor=NAVY, spaceBefore=8,
                                      spaceAfter=3),  # fmt: skip
        "cover_title": ParagraphStyle("cover_title", parent=base, fontName=bold, fontSize=24,
                                      leading=30, textColor=NAVY, spaceAfter=8),  # fmt: skip
        "cover_sub": ParagraphStyle("cover_sub", parent=base, fontSize=13, leading=17,
                                    textColor=GREY, spaceAfter=24),  # fmt: skip
        "contents": ParagraphStyle("contents", parent=base, fontSize=10.5, leading=20),
    }


def cell_style(size: float, bold: bool = False, colour: colors.Color | None = None,
               header: bool = False, right: bool = False) -> ParagraphStyle:  # fmt: skip
    """A table cell's paragraph style at `size` points."""
    return _cell_style(size, bold or header, header, colour.hexval() if colour else None, right)


@cache
def _cell_style(size: float, bold: bool, header: bool, colour: str | None,
                right: bool) -> ParagraphStyle:  # fmt: skip
    pdf_fonts.register()
    return ParagraphStyle(
        f"cell-{size}-{bold}-{header}-{colour}-{right}", fontName=pdf_fonts.BOLD if bold else
        pdf_fonts.FAMILY, fontSize=size, leading=size * 1.22, alignment=TA_RIGHT if right else
        TA_LEFT,
        textColor=colors.white if header else (colors.HexColor(colour) if colour else
                                               colors.black))  # fmt: skip
