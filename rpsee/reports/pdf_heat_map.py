"""The heat map of the approval pack (thematic area x office): the spec's cells coloured on its
scale, the amounts written in them, and the colour scale beneath (reportlab shapes)."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth

from rpsee.domain import chart_specs as cs
from rpsee.reports.pdf_chart_base import (
    INK,
    LABEL_SIZE,
    MIN_SIZE,
    MUTED,
    SIZE,
    colour,
    dark,
    fitted_size,
    wrap,
)


def draw(d: Drawing, spec: cs.ChartSpec, font: str, width: float, top: float) -> None:
    """Draw the heat map into `d` below `top`: groups `plot` (cells), `labels`, `legend`."""
    g = spec.grid
    assert g is not None
    plot, labels, legend = Group(), Group(), Group()
    d.add(plot, name="plot")
    d.add(labels, name="labels")
    d.add(legend, name="legend")
    widest = max((stringWidth(r, font, SIZE) for r in g.rows), default=0)
    left = min(widest, width * 0.3) + 8
    x1, y0 = width - 4, 34.0
    cw = (x1 - left) / max(len(g.columns), 1)
    size = fitted_size(g.columns, font, cw - 3)
    turned = any(stringWidth(w, font, size) > cw - 2 for c in g.columns for w in c.split())
    if turned:  # upright column heads
        head = max(stringWidth(c, font, size) for c in g.columns) + 4
    else:
        head = max(len(wrap(c, font, size, cw - 2)) for c in g.columns) * (size + 1.5)
    y1 = top - head - 4
    rh = (y1 - y0) / max(len(g.rows), 1)
    for c, name in enumerate(g.columns):
        x = left + cw * (c + 0.5)
        if turned:
            s = String(0, 0, name, fontName=font, fontSize=size, fillColor=INK)
            labels.add(Group(s, transform=(0, 1, -1, 0, x + size * 0.35, y1 + 4)))
            continue
        lines = wrap(name, font, size, cw - 2)
        for k, line in enumerate(lines):
            labels.add(String(x, y1 + 4 + (len(lines) - 1 - k) * (size + 1.5), line,
                              fontName=font, fontSize=size, fillColor=INK,
                              textAnchor="middle"))  # fmt: skip
    for r, (name, row, texts) in enumerate(zip(g.rows, g.values, g.labels, strict=True)):
        y = y1 - rh * (r + 1)
        lines = wrap(name, font, SIZE, left - 8)
        for k, line in enumerate(lines):
            labels.add(String(left - 4, y + rh / 2 - SIZE * 0.35 + ((len(lines) - 1) / 2 - k)
                              * (SIZE + 1.5), line, fontName=font, fontSize=SIZE,
                              fillColor=INK, textAnchor="end"))  # fmt: skip
        for c, (value, text) in enumerate(zip(row, texts, strict=True)):
            fill = g.colour(value)
            x = left + cw * c
            plot.add(Rect(x, y, cw, rh, fillColor=colour(fill), strokeColor=colour("#ffffff"),
                          strokeWidth=0.8))  # fmt: skip
            _cell_text(labels, text, x, y, cw, rh, fill, font)
    _scale_bar(legend, spec, font, left, min(x1, left + 220))


def _cell_text(g: Group, text: str, x: float, y: float, w: float, h: float, fill: str,
               font: str) -> None:  # fmt: skip
    """The cell's text, shrunk to fit; in two lines (split at its space) if still wide; left
    out if even that does not fit (a drawing too narrow for its columns: colour only)."""
    if not text:
        return
    for lines in ([text], text.split(" ", 1)):
        size, floor = LABEL_SIZE, MIN_SIZE if len(lines) == 1 else MIN_SIZE - 0.5
        while size > floor and max(stringWidth(t, font, size) for t in lines) > w - 3:
            size -= 0.25
        if max(stringWidth(t, font, size) for t in lines) <= w - 3:
            break
    else:
        return
    if len(lines) * (size + 1) > h:
        return
    ink = Color(1, 1, 1) if dark(fill) else INK
    top = y + h / 2 + (len(lines) - 1) * (size + 1) / 2 - size * 0.35
    for k, line in enumerate(lines):
        g.add(String(x + w / 2, top - k * (size + 1), line, fontName=font, fontSize=size,
                     fillColor=ink, textAnchor="middle"))  # fmt: skip


def _scale_bar(g: Group, spec: cs.ChartSpec, font: str, x0: float, x1: float) -> None:
    """The colour scale from the lowest to the highest cell, in the spec's unit."""
    grid = spec.grid
    assert grid is not None
    g.add(String(x0, 20, spec.unit, fontName=font, fontSize=SIZE, fillColor=MUTED))
    bar0 = x0 + stringWidth(spec.unit, font, SIZE) + 8
    steps = 40
    w = (x1 - bar0) / steps
    for i in range(steps):
        value = grid.low + (grid.high - grid.low) * i / (steps - 1)
        g.add(Rect(bar0 + i * w, 18, w + 0.2, 9, fillColor=colour(grid.colour(value)),
                   strokeColor=None))  # fmt: skip
    for value, anchor, x in ((grid.low, "start", bar0), (grid.high, "end", x1)):
        g.add(String(x, 8, f"{spec.plotted(value):,.0f}", fontName=font, fontSize=SIZE,
                     fillColor=MUTED, textAnchor=anchor))  # fmt: skip
