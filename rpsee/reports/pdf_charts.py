"""The approval pack's charts: vector drawings (reportlab.graphics shapes) of the chart specs that
the pages draw with plotly (rpsee/domain/chart_specs.py), so the pack shows the same numbers and
colours as the app, with no browser involved. Floats only for drawing.

`drawing(spec, width, height)` returns a Drawing (a Flowable: put it in a story as it is). Its
parts are named groups: `plot` (bars, lines, band, waterfall, cells), `axis` (grid lines and their
tick labels), `labels` (category and value labels), `legend`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth

from rpsee.domain import chart_specs as cs
from rpsee.reports import pdf_fonts, pdf_heat_map
from rpsee.reports.pdf_chart_base import (
    INK,
    LABEL_SIZE,
    MIN_SIZE,
    MUTED,
    SIZE,
    TITLE_SIZE,
    colour,
    dark,
    fitted_size,
    wrap,
)

BAR_SHARE = 0.8  # of a category's slot (plotly's default gap of 0.2)
STRIPE_GAP = 3.0  # pt between the stripes of a patterned bar


@dataclass
class _Frame:
    """The plot area and its value axis (values in the spec's unit)."""

    x0: float
    x1: float
    y0: float
    y1: float
    lo: float
    hi: float
    size: float = SIZE  # of the category labels (smaller when a word is wider than its slot)
    turned: bool = False  # value labels upright (wider than their bars)

    def y(self, value: float) -> float:
        return self.y0 + (value - self.lo) / (self.hi - self.lo) * (self.y1 - self.y0)

    def slot(self, n: int) -> float:
        return (self.x1 - self.x0) / max(n, 1)


def drawing(spec: cs.ChartSpec, width: float = 480.0, height: float = 260.0) -> Drawing:
    """The chart as a reportlab Drawing of `width` x `height` points."""
    font = pdf_fonts.register()
    d = Drawing(width, height)
    top = height
    if spec.title:
        size = TITLE_SIZE
        while size > SIZE and stringWidth(spec.title, pdf_fonts.BOLD, size) > width - 8:
            size -= 0.25
        title = String(width / 2, height - TITLE_SIZE, spec.title, fontName=pdf_fonts.BOLD,
                       fontSize=size, fillColor=INK, textAnchor="middle")  # fmt: skip
        d.add(title, name="title")
        top -= TITLE_SIZE + 10
    if spec.kind == cs.HEAT_MAP:
        pdf_heat_map.draw(d, spec, font, width, top)
        return d
    legend = _legend(spec, font, width)
    d.add(legend, name="legend")
    bottom = _legend_height(legend) + 4
    frame = _frame(spec, font, width, bottom, top)
    d.add(_axis(spec, frame, font), name="axis")
    plot, labels = Group(), Group()
    d.add(plot, name="plot")
    d.add(labels, name="labels")  # over the bars (inside labels)
    _categories(labels, spec, frame, font)
    if spec.kind == cs.WATERFALL_KIND:
        _waterfall(plot, labels, spec, frame, font)
    else:
        if spec.band is not None:
            _band(plot, spec, frame)
        _bars(plot, labels, spec, frame, font)
        _lines(plot, spec, frame)
    return d


# --- layout -----------------------------------------------------------------------------------


def _ticks(lo: float, hi: float) -> list[float]:
    """Round tick values covering lo..hi (about five steps of 1, 2, 2.5 or 5 x 10^k)."""
    if hi - lo <= 0:
        hi = lo + 1
    raw = (hi - lo) / 5
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw * 0.999)
    start, end = math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step
    return [start + i * step for i in range(round((end - start) / step) + 1)]


def _tick_text(values: Sequence[float]) -> list[str]:
    for places in range(4):
        if all(abs(round(v, places) - v) < 1e-9 for v in values):
            break
    return [f"{0.0 if abs(v) < 1e-12 else v:,.{places}f}" for v in values]


def _extent(spec: cs.ChartSpec) -> tuple[float, float]:
    """The lowest and highest value drawn (zero always included)."""
    vals: list[float] = [0.0]
    if spec.kind == cs.WATERFALL_KIND:
        for s in spec.steps:
            vals += [spec.plotted(s.start) or 0.0, spec.plotted(s.end) or 0.0]
        return min(vals), max(vals)
    if spec.band is not None:
        vals += [spec.plotted(v) or 0.0 for v in (*spec.band.low, *spec.band.high)]
    bars = [s for s in spec.series if s.kind == cs.BAR]
    if spec.kind == cs.STACKED:
        for i in range(len(spec.categories)):
            level = 0.0
            for s in bars:
                level += spec.plotted(s.values[i]) or 0.0
                vals.append(level)
    else:
        vals += [spec.plotted(v) or 0.0 for s in bars for v in s.values]
    vals += [spec.plotted(v) or 0.0 for s in spec.series if s.kind != cs.BAR for v in s.values]
    return min(vals), max(vals)


def _outside_labels(spec: cs.ChartSpec) -> list[str]:
    if spec.kind == cs.WATERFALL_KIND:
        return [s.text for s in spec.steps]
    return [t for s in spec.series if s.labels and s.label_position == "outside"
            for t in s.labels]  # fmt: skip


def _bar_width(spec: cs.ChartSpec, slot: float) -> float:
    bars = sum(s.kind == cs.BAR for s in spec.series)
    if spec.kind == cs.GROUPED and bars:
        return slot * BAR_SHARE / bars
    return slot * BAR_SHARE


def _label_room(spec: cs.ChartSpec, font: str, slot: float) -> tuple[float, bool]:
    """Points needed above the highest bar for outside value labels, and whether they are
    turned upright (when one is wider than its bar, or than its slot for one bar a slot)."""
    texts = _outside_labels(spec)
    if not texts:
        return 0.0, False
    widest = max(stringWidth(t, font, LABEL_SIZE) for t in texts)
    room = _bar_width(spec, slot) + 4 if spec.kind == cs.GROUPED else slot - 4
    return (LABEL_SIZE + 5, False) if widest <= room else (widest + 7, True)


def _frame(spec: cs.ChartSpec, font: str, width: float, bottom: float, top: float) -> _Frame:
    lo, hi = _extent(spec)
    ticks = _ticks(lo, hi)
    left = max(stringWidth(t, font, SIZE) for t in _tick_text(ticks)) + SIZE + 12
    x0, x1 = left, width - 6
    slot = (x1 - x0) / max(len(spec.categories), 1)
    size = fitted_size(spec.categories, font, slot - 3)
    lines = max((len(wrap(c, font, size, slot - 3)) for c in spec.categories), default=1)
    y0, y1 = bottom + lines * (size + 1.5) + 6, top - 6
    room, turned = _label_room(spec, font, slot)
    if room:  # stretch the axis so that the labels of the highest bars fit
        usable = max(y1 - y0 - room, (y1 - y0) * 0.4)
        ticks = _ticks(lo, ticks[0] + (hi - ticks[0]) * (y1 - y0) / usable)
    return _Frame(x0, x1, y0, y1, ticks[0], ticks[-1], size, turned)


def _axis(spec: cs.ChartSpec, f: _Frame, font: str) -> Group:
    g = Group()
    ticks = _ticks(f.lo, f.hi)
    for value, text in zip(ticks, _tick_text(ticks), strict=True):
        y = f.y(value)
        g.add(Line(f.x0, y, f.x1, y, strokeColor=colour(cs.GRID if value else "#9aa5b1"),
                   strokeWidth=0.6))  # fmt: skip
        g.add(String(f.x0 - 3, y - SIZE * 0.35, text, fontName=font, fontSize=SIZE,
                     fillColor=MUTED, textAnchor="end"))  # fmt: skip
    unit = String(0, 0, spec.unit, fontName=font, fontSize=SIZE, fillColor=MUTED,
                  textAnchor="middle")  # fmt: skip
    g.add(Group(unit, transform=(0, 1, -1, 0, SIZE + 1, (f.y0 + f.y1) / 2)))
    return g


def _categories(g: Group, spec: cs.ChartSpec, f: _Frame, font: str) -> None:
    slot = f.slot(len(spec.categories))
    for i, c in enumerate(spec.categories):
        x = f.x0 + slot * (i + 0.5)
        for k, line in enumerate(wrap(c, font, f.size, slot - 3)):
            g.add(String(x, f.y0 - 4 - f.size - k * (f.size + 1.5), line, fontName=font,
                         fontSize=f.size, fillColor=INK, textAnchor="middle"))  # fmt: skip


def _value_label(g: Group, text: str, x: float, y: float, f: _Frame, font: str) -> None:
    """`text` above a bar's end at y (upright if `f.turned`), on a light ground so that a line
    crossing it does not hide it."""
    w = stringWidth(text, font, LABEL_SIZE)
    ground = {"fillColor": Color(1, 1, 1), "fillOpacity": 0.8, "strokeColor": None}
    if not f.turned:
        g.add(Rect(x - w / 2 - 1, y + 1.5, w + 2, LABEL_SIZE + 1.5, **ground))
        g.add(String(x, y + 3, text, fontName=font, fontSize=LABEL_SIZE, fillColor=INK,
                     textAnchor="middle"))  # fmt: skip
    else:
        s = String(0, 0, text, fontName=font, fontSize=LABEL_SIZE, fillColor=INK)
        box = Rect(-1, -LABEL_SIZE * 0.3, w + 2, LABEL_SIZE + 1.5, **ground)
        g.add(Group(box, s, transform=(0, 1, -1, 0, x + LABEL_SIZE * 0.35, y + 3)))


def _inside_label(g: Group, text: str, x: float, y0: float, y1: float, bar: float,
                  fill: str, font: str) -> None:  # fmt: skip
    size = LABEL_SIZE
    while size > MIN_SIZE and stringWidth(text, font, size) > bar - 2:
        size -= 0.25
    if stringWidth(text, font, size) > bar - 2 or abs(y1 - y0) < size + 2:
        return  # no room: the table beside the chart carries the figure
    ink = Color(1, 1, 1) if dark(fill) else INK
    g.add(String(x, (y0 + y1) / 2 - size * 0.35, text, fontName=font, fontSize=size,
                 fillColor=ink, textAnchor="middle"))  # fmt: skip


# --- marks ------------------------------------------------------------------------------------


def _bars(plot: Group, labels: Group, spec: cs.ChartSpec, f: _Frame, font: str) -> None:
    bars = [s for s in spec.series if s.kind == cs.BAR]
    slot = f.slot(len(spec.categories))
    width = _bar_width(spec, slot)
    for i in range(len(spec.categories)):
        left = f.x0 + slot * i + slot * (1 - BAR_SHARE) / 2
        level = 0.0
        for k, s in enumerate(bars):
            value = spec.plotted(s.values[i])
            if value is None:
                continue
            x = left + (k * width if spec.kind == cs.GROUPED else 0.0)
            base = level if spec.kind == cs.STACKED else 0.0
            ya, yb = f.y(base), f.y(base + value)
            plot.add(Rect(x, min(ya, yb), width, abs(yb - ya), fillColor=colour(s.colour),
                          strokeColor=None))  # fmt: skip
            if s.pattern:
                _stripes(plot, x, min(ya, yb), width, abs(yb - ya))
            if spec.kind == cs.STACKED:
                level += value
            text = s.labels[i] if s.labels else ""
            if text and s.label_position == "inside":
                _inside_label(labels, text, x + width / 2, ya, yb, width, s.colour, font)
            elif text:
                _value_label(labels, text, x + width / 2, max(ya, yb), f, font)


def _stripes(plot: Group, x: float, y: float, width: float, height: float) -> None:
    """White horizontal stripes across a bar: a patterned series (chart_specs.PATTERNS) told
    apart from the one of the same colour by more than its hue."""
    level = y + 1.5
    while level < y + height:
        plot.add(Line(x, level, x + width, level, strokeColor=colour("#ffffff"),
                      strokeWidth=0.8))  # fmt: skip
        level += STRIPE_GAP


def _points(spec: cs.ChartSpec, f: _Frame, values: Sequence) -> list[tuple[float, float]]:
    slot = f.slot(len(spec.categories))
    return [(f.x0 + slot * (i + 0.5), f.y(v)) for i, v in
            enumerate(spec.plotted(x) for x in values) if v is not None]  # fmt: skip


def _lines(plot: Group, spec: cs.ChartSpec, f: _Frame) -> None:
    slot = f.slot(len(spec.categories))
    for s in spec.series:
        pts = _points(spec, f, s.values)
        c = colour(s.colour)
        if s.kind == cs.LINE:
            flat = [v for p in pts for v in p]
            plot.add(PolyLine(flat, strokeColor=c, strokeWidth=2,
                              strokeDashArray=[3, 2] if s.dash else None))  # fmt: skip
            for x, y in pts:
                plot.add(Circle(x, y, 2.4, fillColor=c, strokeColor=None))
        elif s.kind == cs.MARKER:
            half = slot * BAR_SHARE / 2 + 1.5
            for x, y in pts:
                plot.add(Line(max(x - half, f.x0), y, min(x + half, f.x1), y, strokeColor=c,
                              strokeWidth=2.5))  # fmt: skip


def _band(plot: Group, spec: cs.ChartSpec, f: _Frame) -> None:
    b = spec.band
    assert b is not None
    pts = _points(spec, f, b.high) + _points(spec, f, b.low)[::-1]
    plot.add(Polygon([v for p in pts for v in p], fillColor=colour(b.colour),
                     fillOpacity=b.opacity, strokeColor=None))  # fmt: skip


def _waterfall(plot: Group, labels: Group, spec: cs.ChartSpec, f: _Frame, font: str) -> None:
    slot = f.slot(len(spec.steps))
    width = slot * BAR_SHARE
    for i, s in enumerate(spec.steps):
        x = f.x0 + slot * i + slot * (1 - BAR_SHARE) / 2
        ya, yb = f.y(spec.plotted(s.start) or 0.0), f.y(spec.plotted(s.end) or 0.0)
        plot.add(Rect(x, min(ya, yb), width, abs(yb - ya), fillColor=colour(s.colour),
                      strokeColor=None))  # fmt: skip
        if i + 1 < len(spec.steps):
            plot.add(Line(x + width, yb, x + slot, yb, strokeColor=colour(
                cs.WATERFALL["connector"]), strokeWidth=0.8))  # fmt: skip
        _value_label(labels, s.text, x + width / 2, max(ya, yb), f, font)


# --- legend -----------------------------------------------------------------------------------


def _legend_items(spec: cs.ChartSpec) -> list[tuple[str, str, str, bool, float, str]]:
    """(name, colour, kind, dashed, opacity, pattern) of each entry."""
    items = []
    if spec.band is not None:
        items.append((spec.band.name, spec.band.colour, "band", False, spec.band.opacity, ""))
    items += [(s.name, s.colour, s.kind, s.dash, 1.0, s.pattern) for s in spec.series]
    return items


def _legend(spec: cs.ChartSpec, font: str, width: float) -> Group:
    """Entries in centred rows at the foot of the drawing (none for a waterfall)."""
    g = Group()
    if spec.kind == cs.WATERFALL_KIND:
        return g
    rows: list[list[tuple[float, tuple]]] = [[]]
    used = 0.0
    for item in _legend_items(spec):
        w = 14 + stringWidth(item[0], font, SIZE) + 10
        if rows[-1] and used + w > width - 8:
            rows.append([])
            used = 0.0
        rows[-1].append((w, item))
        used += w
    for r, row in enumerate(reversed(rows)):
        y = 3 + r * (SIZE + 5)
        x = (width - sum(w for w, _ in row) + 10) / 2
        for w, (name, hexc, kind, dash, opacity, pattern) in row:
            c = colour(hexc)
            if kind == cs.LINE:
                g.add(Line(x, y + 3, x + 11, y + 3, strokeColor=c, strokeWidth=2,
                           strokeDashArray=[3, 2] if dash else None))  # fmt: skip
            elif kind == cs.MARKER:
                g.add(Line(x, y + 3, x + 11, y + 3, strokeColor=c, strokeWidth=2.5))
            else:
                g.add(Rect(x + 1, y - 0.5, 9, 7, fillColor=c, fillOpacity=opacity,
                           strokeColor=None))  # fmt: skip
                if pattern:
                    _stripes(g, x + 1, y - 0.5, 9, 7)
            g.add(String(x + 14, y, name, fontName=font, fontSize=SIZE, fillColor=INK))
            x += w
    return g


def _legend_height(legend: Group) -> float:
    ys = [n.y for n in legend.contents if isinstance(n, String)]
    return max(ys) + SIZE + 4 if ys else 0.0
