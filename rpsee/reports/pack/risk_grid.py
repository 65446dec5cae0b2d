"""The risk matrix (`rpsee.domain.risk_matrix.RiskGrid`) as a reportlab table: likelihood down
the side (highest first), impact along the foot, each cell shaded by its level and holding the
codes of the risks placed in it; the axis names and the grid's notes around it."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from rpsee.domain.risk_matrix import LEVEL_NAMES, RiskGrid
from rpsee.reports import pdf_fonts
from rpsee.reports.pack.flowables import paragraph
from rpsee.reports.pack.styles import HEADER_FILL, NAVY, RULE, styles

FILLS = {"L": colors.HexColor("#d9ead3"), "M": colors.HexColor("#fff2cc"),
         "H": colors.HexColor("#f4cccc")}  # fmt: skip
CELL_W, CELL_H, AXIS_W = 52 * mm, 20 * mm, 34 * mm


def grid_flowables(g: RiskGrid, notes: dict[str, str] | None = None) -> list[Flowable]:
    """The title, the grid and its notes, kept on one page."""
    st = styles()
    n = len(g.impacts)
    rows: list[list[object]] = [["Likelihood", *[""] * n]]
    for r, lk in enumerate(g.likelihoods):
        cells = []
        for c in range(n):
            level = f"({LEVEL_NAMES[g.ratings[r][c]]})"
            cells.append(f"{', '.join(g.cells[r][c])}\n{level}" if g.cells[r][c] else level)
        rows.append([LEVEL_NAMES[lk], *cells])
    rows.append(["", *(f"{LEVEL_NAMES[i]}" for i in g.impacts)])
    rows.append(["", "Impact", *[""] * (n - 1)])
    table = Table(rows, colWidths=[AXIS_W, *[CELL_W] * n],
                  rowHeights=[7 * mm] + [CELL_H] * len(g.likelihoods) + [8 * mm, 7 * mm],
                  hAlign="LEFT")  # fmt: skip
    last = len(g.likelihoods)
    style = [
        ("FONT", (0, 0), (-1, -1), pdf_fonts.FAMILY, 9),
        ("FONT", (0, 0), (0, 0), pdf_fonts.BOLD, 9),
        ("FONT", (1, 1), (-1, last), pdf_fonts.BOLD, 12),
        ("LEADING", (1, 1), (-1, last), 15),
        ("ALIGN", (1, 0), (-1, -1), "CENTER"),
        ("ALIGN", (0, 0), (0, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TEXTCOLOR", (0, 0), (0, -1), NAVY),
        ("TEXTCOLOR", (1, last + 1), (-1, -1), NAVY),
        ("FONT", (1, last + 2), (-1, -1), pdf_fonts.BOLD, 9),
        ("SPAN", (1, last + 2), (-1, last + 2)),
        ("GRID", (1, 1), (-1, last), 0.8, colors.white),
        ("LINEBEFORE", (1, 1), (1, last), 1.2, HEADER_FILL),
        ("LINEBELOW", (1, last), (-1, last), 1.2, HEADER_FILL),
        ("LINEBELOW", (1, last + 1), (-1, last + 1), 0.4, RULE),
    ]
    for r in range(len(g.likelihoods)):
        for c in range(n):
            style.append(("BACKGROUND", (c + 1, r + 1), (c + 1, r + 1), FILLS[g.ratings[r][c]]))
            if not g.cells[r][c]:  # an empty cell: its level only, quieter
                style.append(("FONT", (c + 1, r + 1), (c + 1, r + 1), pdf_fonts.FAMILY, 9))
    table.setStyle(TableStyle(style))
    out: list[Flowable] = [paragraph(g.title, st["table_title"], notes), table]
    out += [paragraph(note, st["note"], notes) for note in g.notes]
    return [KeepTogether(out)]
