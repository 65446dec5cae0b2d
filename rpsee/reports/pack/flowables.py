"""Flowables that tell the canvas where they landed: section headings (page numbers for the
contents, bookmarks), contents lines, and paragraphs that name a footnoted place (Kosovo*)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, Paragraph

from rpsee.reports import pdf_fonts
from rpsee.reports.pack.styles import NAVY, RULE


def markup(text: str) -> str:
    """User and reference text made safe for Paragraph markup: `<b>R&D "x"</b>` prints as
    typed (& < > and both quotes escaped; line breaks kept)."""
    safe = escape(str(text), {'"': "&quot;", "'": "&#39;"})
    return safe.replace("\n", "<br/>")


class NotedParagraph(Paragraph):
    """A paragraph naming a place with a footnote: the page it lands on prints the note."""

    def __init__(self, text: str, style, notes: tuple[str, ...]) -> None:  # noqa: ANN001
        super().__init__(text, style)
        self.notes = notes

    def drawOn(self, canvas, x, y, _sW=0) -> None:  # noqa: ANN001, N802
        canvas.page_notes.update(self.notes)
        super().drawOn(canvas, x, y, _sW)


def paragraph(text: str, style, notes: dict[str, str] | None = None) -> Paragraph:  # noqa: ANN001
    """An escaped paragraph; noted when it names one of `notes` (shown name -> footnote)."""
    found = tuple(n for name, n in (notes or {}).items() if name in text)
    safe = markup(text)
    return NotedParagraph(safe, style, found) if found else Paragraph(safe, style)


class SectionStart(Flowable):
    """An invisible mark at the top of a section: its page number, bookmark, outline entry."""

    def __init__(self, key: str, title: str) -> None:
        super().__init__()
        self.key, self.title = key, title

    def wrap(self, availWidth, availHeight):  # noqa: ANN001, ANN201, N803
        return 0, 0

    def draw(self) -> None:
        canv = self.canv
        canv.section_pages[self.key] = canv.getPageNumber()
        canv.bookmarkPage(self.key)
        canv.addOutlineEntry(self.title, self.key, level=0)


class ContentsLine(Flowable):
    """A line of the contents: the section's title now, its page number when the document is
    saved (the canvas knows every section's page by then)."""

    HEIGHT = 19

    def __init__(self, key: str, title: str, number: int) -> None:
        super().__init__()
        self.key, self.title, self.number = key, title, number

    def wrap(self, availWidth, availHeight):  # noqa: ANN001, ANN201, N803
        self.width = availWidth
        return availWidth, self.HEIGHT

    def drawOn(self, canvas, x, y, _sW=0) -> None:  # noqa: ANN001, N802
        canvas.contents_slots.append((canvas.getPageNumber(), self.key, x, y, self.width))
        super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        c = self.canv
        c.setFont(pdf_fonts.BOLD, 10.5)
        c.setFillColor(NAVY)
        c.drawString(0, 5, f"{self.number}.")
        c.setFont(pdf_fonts.FAMILY, 10.5)
        c.drawString(22, 5, self.title)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.4)
        c.line(0, 1, self.width, 1)
