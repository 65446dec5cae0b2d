"""The pack's canvas: it keeps every page until the end, then draws on each the running header
(programme, pack title, version identifier) and footer (made, edition, "page N of M"), the
DRAFT mark unless the version is approved, the footnotes of the places the page names
(Kosovo*), and the contents' page numbers and links."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from rpsee.domain.pack import Pack
from rpsee.reports import pdf_fonts
from rpsee.reports.pack.styles import GREY, MARGIN_X, NAVY, RULE, UN_BLUE


def canvas_for(pack: Pack) -> type[Canvas]:
    """A canvas class that decorates the pages of `pack`."""

    class _PackCanvas(PackCanvas):
        decorations = pack

    return _PackCanvas


class PackCanvas(Canvas):
    decorations: Pack

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pages: list[dict[str, Any]] = []
        self.section_pages: dict[str, int] = {}
        self.contents_slots: list[tuple[int, str, float, float, float]] = []
        self.page_notes: set[str] = set()
        made = self.decorations.created
        if made is not None:  # the real creation date (invariant mode would print 2000-01-01)
            when = made.astimezone(UTC)
            self.setDateFormatter(lambda *_: f"D:{when:%Y%m%d%H%M%S}+00'00'")

    def showPage(self) -> None:  # noqa: N802
        self.pages.append(dict(self.__dict__))
        self.page_notes = set()
        self._startPage()

    def save(self) -> None:
        total = len(self.pages)
        for state in self.pages:
            self.__dict__.update(state)
            self._decorate(total)
            Canvas.showPage(self)
        Canvas.save(self)

    def _decorate(self, total: int) -> None:
        pack = self.decorations
        width, height = self._pagesize
        number = self._pageNumber
        if pack.draft:
            self._draft_mark(width, height)
        self.saveState()
        self.setStrokeColor(UN_BLUE)
        self.setLineWidth(1.2)
        self.line(MARGIN_X, height - 15 * mm, width - MARGIN_X, height - 15 * mm)
        self.setFont(pdf_fonts.FAMILY, 7.5)
        self.setFillColor(GREY)
        self.drawString(MARGIN_X, height - 13 * mm, f"{pack.programme} · {pack.short_title}")
        self.setFont(pdf_fonts.BOLD, 8)
        self.setFillColor(NAVY)
        self.drawRightString(width - MARGIN_X, height - 13 * mm, pack.version_id)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN_X, 14 * mm, width - MARGIN_X, 14 * mm)
        self.setFont(pdf_fonts.FAMILY, 7.5)
        self.setFillColor(GREY)
        edition = " · observer edition" if pack.edition == "observer" else ""
        self.drawString(MARGIN_X, 10 * mm, f"{pack.version_id} · made {pack.made_at}{edition}")
        self.setFont(pdf_fonts.BOLD, 8)
        self.setFillColor(NAVY)
        self.drawRightString(width - MARGIN_X, 10 * mm, f"Page {number} of {total}")
        y = 16.5 * mm
        for note in sorted(self.page_notes):
            self.setFont(pdf_fonts.FAMILY, 7)
            self.setFillColor(GREY)
            self.drawString(MARGIN_X, y, note)
            y += 3.4 * mm
        self._contents_numbers(number)
        self.restoreState()

    def _draft_mark(self, width: float, height: float) -> None:
        self.saveState()
        self.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.10))
        self.setFont(pdf_fonts.BOLD, 110)
        self.translate(width / 2, height / 2)
        self.rotate(35 if width < height else 25)
        self.drawCentredString(0, -38, "DRAFT")
        self.restoreState()

    def _contents_numbers(self, number: int) -> None:
        for page, key, x, y, w in self.contents_slots:
            target = self.section_pages.get(key)
            if page != number or target is None:
                continue
            self.setFont(pdf_fonts.BOLD, 10.5)
            self.setFillColor(NAVY)
            self.drawRightString(x + w, y + 5, str(target))
            self.linkRect("", key, (x, y, x + w, y + 17), relative=0, thickness=0)
