"""The pack as a PDF: portrait and landscape page templates, the cover, the contents, then each
section on a new page (landscape where its tables are wide)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from rpsee.domain.pack import Chart, Heading, Pack, Section, Text
from rpsee.domain.risk_matrix import RiskGrid
from rpsee.domain.tables import Table as Model
from rpsee.reports.pack.canvas import canvas_for
from rpsee.reports.pack.flowables import ContentsLine, SectionStart, paragraph
from rpsee.reports.pack.risk_grid import grid_flowables
from rpsee.reports.pack.styles import (
    LANDSCAPE,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PORTRAIT,
    RULE,
    UN_BLUE,
    styles,
)
from rpsee.reports.pack.tables import table_flowables

ChartDrawer = Callable[[Any, float, float], Flowable]


def _frame(size: tuple[float, float]) -> Frame:
    w, h = size
    return Frame(MARGIN_X, MARGIN_BOTTOM, w - 2 * MARGIN_X, h - MARGIN_TOP - MARGIN_BOTTOM,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)  # fmt: skip


def _width(size: tuple[float, float]) -> float:
    return size[0] - 2 * MARGIN_X


def _cover(pack: Pack) -> list[Flowable]:
    st = styles()
    facts = Table([[paragraph(k, st["lead"]), paragraph(v, st["body"], pack.page_notes)]
                   for k, v in pack.cover], colWidths=[38 * mm, _width(PORTRAIT) - 38 * mm],
                  hAlign="LEFT")  # fmt: skip
    facts.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 6)]))  # fmt: skip
    band = Table([[""]], colWidths=[_width(PORTRAIT)], rowHeights=[3])
    band.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), UN_BLUE)]))
    return [Spacer(1, 38 * mm), paragraph("United Nations Office on Drugs and Crime",
                                          st["cover_sub"]),
            paragraph(pack.programme, st["cover_title"]), band, Spacer(1, 6 * mm),
            paragraph(pack.title, st["heading"]),
            paragraph(pack.version_id, st["cover_sub"]), facts]  # fmt: skip


def _contents(pack: Pack) -> list[Flowable]:
    st = styles()
    lines: list[Flowable] = [paragraph("Contents", st["section"])]
    lines += [ContentsLine(f"s{n}", s.title, n) for n, s in enumerate(pack.sections, start=1)]
    return lines


def _section(n: int, s: Section, pack: Pack, drawer: ChartDrawer | None) -> list[Flowable]:
    st = styles()
    width = _width(LANDSCAPE if s.landscape else PORTRAIT)
    out: list[Flowable] = [NextPageTemplate("landscape" if s.landscape else "portrait"),
                           PageBreak(), SectionStart(f"s{n}", s.title),
                           paragraph(f"{n}. {s.title}", st["section"])]  # fmt: skip
    for block in s.blocks:
        if isinstance(block, Model):
            out.append(CondPageBreak(60))
            out += table_flowables(block, width, pack.page_notes)
        elif isinstance(block, Heading):
            out.append(CondPageBreak(220))
            out.append(paragraph(block.text, st["heading"], pack.page_notes))
        elif isinstance(block, Text):
            out.append(paragraph(block.text, st.get(block.style, st["body"]), pack.page_notes))
        elif isinstance(block, RiskGrid):
            out += grid_flowables(block, pack.page_notes)
        elif isinstance(block, Chart) and drawer is not None:
            out.append(CondPageBreak(block.height + 30))
            out.append(paragraph(block.title, st["table_title"], pack.page_notes))
            out.append(drawer(block.spec, width, block.height))
    return out


def render(pack: Pack, drawer: ChartDrawer | None = None,
           progress: Callable[[float, str], None] | None = None) -> bytes:  # fmt: skip
    """The PDF of `pack` (byte-identical for the same pack: invariant, its creation date the
    pack's own time of making, its language `pack.lang`); charts drawn by `drawer`, by default
    reportlab's own vector graphics (rpsee/reports/pdf_charts.py)."""
    if drawer is None:
        from rpsee.reports.pdf_charts import drawing as drawer
    story: list[Flowable] = [*_cover(pack), NextPageTemplate("portrait"), PageBreak(),
                             *_contents(pack)]  # fmt: skip
    for n, s in enumerate(pack.sections, start=1):
        story += _section(n, s, pack, drawer)
    if progress:
        progress(0.7, f"Laying out {len(pack.sections)} sections")
    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=PORTRAIT, invariant=1, pageCompression=1, lang=pack.lang,
                          title=f"{pack.title}: "
                          f"{pack.version_id}", author="RPSEE Planner", subject=pack.programme,
                          creator="RPSEE Planner", leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                          topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM)  # fmt: skip
    doc.addPageTemplates([
        PageTemplate("portrait", [_frame(PORTRAIT)], pagesize=PORTRAIT),
        PageTemplate("landscape", [_frame(LANDSCAPE)], pagesize=LANDSCAPE),
    ])  # fmt: skip
    doc.build(story, canvasmaker=canvas_for(pack))
    return out.getvalue()


__all__ = ["render"]
