"""A domain Table (rpsee/domain/tables.py) as reportlab flowables: the title, the table (money
right-aligned with thousands separators and two decimals, blanks as "–", the header repeated on
every page, Total and subtotal rows bold on a tint with a rule above), notes and footnotes.
Column widths fit the widest figure; the font steps down until the table fits the frame."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from rpsee.domain.money import format_amount
from rpsee.domain.tables import BLANK, Cell, Kind, RowKind
from rpsee.domain.tables import Table as Model
from rpsee.reports import pdf_fonts
from rpsee.reports.pack.flowables import paragraph
from rpsee.reports.pack.styles import (
    HEADER_FILL,
    NAVY,
    RULE,
    SPECIAL_TEXT,
    SUBTOTAL_FILL,
    TOTAL_FILL,
    cell_style,
    styles,
)

SIZES = (8.0, 7.2, 6.5, 6.0)
KEEP_ROWS = 12  # a table this short is kept on one page with its title and notes
PAD = 3.5  # points each side of a cell
TEXT_CAP = 260.0  # a text column's natural width at most (it wraps beyond)
TEXT_LEAST = 56.0  # nor narrower than this, unless its text is shorter (the font shrinks)
GOOD_TEXT = 150.0  # a text column this wide reads well (else a smaller size is tried)


def shown(kind: Kind, cell: Cell) -> str:
    """A cell as printed (the one formatting of money, `rpsee.domain.money`)."""
    if cell is None or cell == "":
        return BLANK
    if kind is Kind.MONEY:
        return format_amount(Decimal(cell))
    if kind is Kind.PERCENT:
        return f"{Decimal(cell):.2f}%"
    if kind is Kind.COUNT:
        return f"{int(cell):,}"
    return str(cell)


@dataclass(frozen=True)
class _Measure:
    """Each cell's width in bold at 1 point (widths grow in proportion to the size), the
    widest word of each column and of each header."""

    cells: list[list[float]]  # column -> row -> width
    words: list[float]
    heads: list[float]


def _measure(model: Model, texts: list[list[str]]) -> _Measure:
    bold = pdf_fonts.BOLD
    cells, words, heads = [], [], []
    for i, col in enumerate(model.columns):
        column = [row[i] for row in texts]
        cells.append([stringWidth(t, bold, 1) for t in column])
        heads.append(max(stringWidth(w, bold, 1) for w in col.name.split() or [""]))
        longest = [max(t.split(), key=len, default="") for t in column]  # by letters
        words.append(max((stringWidth(w, bold, 1) for w in set(longest)), default=0.0))
    return _Measure(cells, words, heads)


def _widths(model: Model, m: _Measure, size: float, avail: float,
            squeeze: bool = False) -> list[float] | None:  # fmt: skip
    """Column widths at `size`, or None when the figures do not fit `avail` (`squeeze`:
    text columns narrowed towards their header's width to fit instead)."""
    natural, least = [], []
    heads = [h * size + 2 * PAD for h in m.heads]
    for i, col in enumerate(model.columns):
        longest = max(m.cells[i], default=0.0) * size + 2 * PAD
        if col.kind is Kind.TEXT:
            natural.append(max(heads[i], min(longest, TEXT_CAP)))
            word = min(m.words[i] * size + 2 * PAD, 150.0)
            least.append(min(natural[-1], max(heads[i], word, TEXT_LEAST)))
        else:
            natural.append(max(heads[i], longest))
            least.append(natural[-1])
    text_cols = [i for i, c in enumerate(model.columns) if c.kind is Kind.TEXT]
    if sum(least) > avail:
        if not squeeze:
            return None
        # text columns give up what they have beyond their header, in proportion
        spare = sum(least[i] - heads[i] for i in text_cols)
        scale = max(0.0, 1 - (sum(least) - avail) / spare) if spare else 0.0
        return [heads[i] + (w - heads[i]) * scale if i in text_cols else w
                for i, w in enumerate(least)]
    widths = list(natural)
    if sum(natural) <= avail:  # room to spare: the first text column takes it
        widths[text_cols[0] if text_cols else 0] += avail - sum(natural)
        return widths
    room = avail - sum(least)  # text columns get their least, and the rest by what they lack
    lack = sum(natural[i] - least[i] for i in text_cols)
    for i in text_cols:
        widths[i] = least[i] + (room * (natural[i] - least[i]) / lack if lack else 0)
    return widths


def _fit(model: Model, m: _Measure, avail: float) -> tuple[float, list[float]]:
    """The largest size at which every text column gets a readable width (else the largest at
    which the figures fit; else the smallest, squeezed) and the column widths at it."""
    fitting = [(size, w) for size in SIZES if (w := _widths(model, m, size, avail))]
    for size, widths in fitting:
        roomy = all(widths[i] >= min(max(m.cells[i], default=0.0) * size + 2 * PAD, GOOD_TEXT)
                    for i, c in enumerate(model.columns) if c.kind is Kind.TEXT)
        if roomy:
            return size, widths
    if fitting:
        return fitting[0]
    return SIZES[-1], _widths(model, m, SIZES[-1], avail, squeeze=True) or []


def table_flowables(model: Model, avail: float, notes: dict[str, str]) -> list[Flowable]:
    """The title, the table and its notes and footnotes (see the module)."""
    st = styles()
    out: list[Flowable] = []
    if model.title:
        out.append(paragraph(model.title, st["table_title"], notes))
    body = model.body()
    if not body or not (model.rows or model.special_rows):
        out.append(paragraph("None.", st["note"]))
        return out
    texts = [[shown(c.kind, r.cells[i]) for i, c in enumerate(model.columns)] for r in body]
    m = _measure(model, texts)
    size, widths = _fit(model, m, avail)
    out.append(_table(model, body, texts, m, widths, size, notes))
    at_foot = set(notes.values())  # printed at the foot of every page naming the place
    for line in (*model.notes, *model.footnotes):
        if line and line not in at_foot:
            out.append(paragraph(line, st["note"], notes))
    return [KeepTogether(out)] if len(body) <= KEEP_ROWS else out


def _noted(text: str, notes: dict[str, str]) -> bool:
    return any(name in text for name in notes)


def _table(model: Model, body, texts, m: _Measure, widths, size, notes) -> Table:  # noqa: ANN001
    header = [paragraph(c.name, cell_style(size, header=True, right=c.kind is not Kind.TEXT))
              for c in model.columns]
    rows: list[list[object]] = [header]
    commands: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("FONT", (0, 1), (-1, -1), pdf_fonts.FAMILY, size, size * 1.22),
    ]
    for i, col in enumerate(model.columns):
        if col.kind is not Kind.TEXT:
            commands.append(("ALIGN", (i, 0), (i, -1), "RIGHT"))
    for n, (r, cells) in enumerate(zip(body, texts, strict=True), start=1):
        strong = r.kind in (RowKind.TOTAL, RowKind.SUBTOTAL)
        colour = SPECIAL_TEXT if r.kind is RowKind.SPECIAL else None
        line: list[object] = []
        for i, col in enumerate(model.columns):
            text = cells[i]
            room = widths[i] - 2 * PAD
            if col.kind is Kind.TEXT and (_noted(text, notes) or m.words[i] * size > room):
                # a paragraph: tells its page to print the note; breaks an over-long word
                line.append(paragraph(text, cell_style(size, strong, colour), notes))
            elif col.kind is not Kind.TEXT or m.cells[i][n - 1] * size <= room:
                line.append(text)  # a plain string: drawn as it is, never read as markup
            else:  # broken into lines here: a string is cheaper to lay out than a paragraph
                font = pdf_fonts.BOLD if strong else pdf_fonts.FAMILY
                line.append("\n".join(simpleSplit(text, font, size, room)))
        rows.append(line)
        if strong:
            fill = TOTAL_FILL if r.kind is RowKind.TOTAL else SUBTOTAL_FILL
            commands += [("BACKGROUND", (0, n), (-1, n), fill),
                         ("FONT", (0, n), (-1, n), pdf_fonts.BOLD, size, size * 1.22),
                         ("LINEABOVE", (0, n), (-1, n), 0.9 if r.kind is RowKind.TOTAL else 0.5,
                          NAVY)]  # fmt: skip
        elif colour is not None:
            commands.append(("TEXTCOLOR", (0, n), (-1, n), colour))
    last = len(rows) - 1
    # splits only between the third row and the one before the last: never a header alone
    # nor a Total alone on a page
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT", longTableOptimize=1,
                  rowSplitRange=(min(3, last), max(last - 1, 1)))
    table.setStyle(TableStyle(commands))
    return table
