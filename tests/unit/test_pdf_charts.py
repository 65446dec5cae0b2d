"""Every chart shows the same numbers and colours on the page (plotly) and in the approval pack
(reportlab drawing): both are read back from what they draw and compared with the spec."""

from decimal import Decimal as D
from io import BytesIO

import pytest
from pypdf import PdfReader
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Group, Line, Polygon, PolyLine, Rect, String

from rpsee.domain import chart_specs as cs
from rpsee.domain.funding import Step
from rpsee.domain.montecarlo import MonteCarlo
from rpsee.domain.overview import YearFunding
from rpsee.reports.pdf_charts import drawing
from rpsee.ui import charts, charts_planning, charts_scenarios
from rpsee.ui.text import plot_text

YEARS = [2024, 2025, 2026]
NAMES = "Đurđević Čačak ćšž"


def _hex(c) -> str:
    return "#" + c.hexval()[2:].lower()


def _strings(node) -> list[str]:
    out = []
    for n in getattr(node, "contents", []):
        if isinstance(n, String):
            out.append(n.text)
        elif isinstance(n, Group):
            out += _strings(n)
    return out


class Axis:
    """The value axis as drawn: grid lines paired with their tick labels."""

    def __init__(self, d) -> None:
        lines = sorted(n.y1 for n in d.axis.contents if isinstance(n, Line))
        ticks = sorted((n.y, float(n.text.replace(",", ""))) for n in d.axis.contents
                       if isinstance(n, String))  # fmt: skip
        assert len(lines) == len(ticks) >= 2
        (self.ya, self.va), (yb, vb) = (lines[0], ticks[0][1]), (lines[-1], ticks[-1][1])
        self.scale = (yb - self.ya) / (vb - self.va)

    def value(self, y: float) -> float:
        return self.va + (y - self.ya) / self.scale


def drawn_bars(d) -> dict[str, list[tuple[float, float]]]:
    """Colour -> (bottom, top) values of its bars, left to right."""
    axis, out = Axis(d), {}
    for r in sorted((n for n in d.plot.contents if isinstance(n, Rect)), key=lambda r: r.x):
        out.setdefault(_hex(r.fillColor), []).append(
            (axis.value(r.y), axis.value(r.y + r.height)))
    return out


def plotly_trace(fig, name: str):
    return next(t for t in fig.data if t.name == plot_text(name))


def check_bars(spec: cs.ChartSpec, fig, d) -> None:
    """Bars: plotly's y and colour equal the spec's; the drawing's bars span the same values."""
    bars = drawn_bars(d)
    levels = [0.0] * len(spec.categories)
    for s in (s for s in spec.series if s.kind == cs.BAR):
        values = [spec.plotted(v) for v in s.values]
        trace = plotly_trace(fig, s.name)
        assert list(trace.y) == values and trace.marker.color == s.colour
        drawn = bars[s.colour]
        present = [(i, v) for i, v in enumerate(values) if v is not None]
        assert len(drawn) == len(present)
        for (i, v), (lo, hi) in zip(present, drawn, strict=True):
            base = levels[i] if spec.kind == cs.STACKED else 0.0
            assert sorted((lo, hi)) == pytest.approx(sorted((base, base + v)), abs=1e-6)
            levels[i] += v
    assert fig.layout.barmode == ("stack" if spec.kind == cs.STACKED else "group")


def check_lines(spec: cs.ChartSpec, fig, d) -> None:
    axis = Axis(d)
    for s in (s for s in spec.series if s.kind != cs.BAR):
        values = [spec.plotted(v) for v in s.values]
        trace = plotly_trace(fig, s.name)
        assert list(trace.y) == values
        plotly_colour = trace.line.color if s.kind == cs.LINE else trace.marker.color
        assert plotly_colour == s.colour
        kind = PolyLine if s.kind == cs.LINE else Line
        marks = [n for n in d.plot.contents if isinstance(n, kind)
                 and _hex(n.strokeColor) == s.colour]  # fmt: skip
        if s.kind == cs.LINE:
            (line,) = marks
            ys = [axis.value(y) for y in line.points[1::2]]
        else:
            ys = [axis.value(m.y1) for m in sorted(marks, key=lambda m: m.x1)]
        assert ys == pytest.approx([v for v in values if v is not None], abs=1e-6)


def check_labels(spec: cs.ChartSpec, d) -> None:
    shown = _strings(d.labels)
    for s in spec.series:
        for text in s.labels or ():
            if text and s.label_position == "outside":
                assert text in shown


def check_legend(spec: cs.ChartSpec, fig, d) -> None:
    legend = _strings(d.legend)
    swatches = {_hex(n.fillColor if isinstance(n, Rect) else n.strokeColor)
                for n in d.legend.contents if isinstance(n, (Rect, Line))}  # fmt: skip
    for s in spec.series:
        assert s.name in legend and s.colour in swatches
        assert plotly_trace(fig, s.name).showlegend is not False


def funding_rows() -> list[YearFunding]:
    return [YearFunding(2022, D("7123456.00"), None, None),
            YearFunding(2023, D("8012345.55"), None, None),
            YearFunding(2024, None, D("9000000.00"), D("8100000.00")),
            YearFunding(2025, None, D("9400000.00"), D("7000000.00"))]  # fmt: skip


def test_funding_by_year_same_numbers_and_colours():
    spec = cs.funding_by_year(funding_rows())
    fig, d = charts.funding_by_year(funding_rows()), drawing(spec)
    check_bars(spec, fig, d)
    check_lines(spec, fig, d)
    check_labels(spec, d)
    check_legend(spec, fig, d)
    assert list(fig.data[0].text) == ["USD 7.12M", "USD 8.01M", "", ""]
    assert "USD 8.1M" in _strings(d.labels) and list(fig.data[1].y)[2] == 8.1


def test_stacked_years_same_numbers_and_colours():
    rows = [{"year": y, "staff": D("4000000"), "activities": D(3_000_000 + 100_000 * i),
             "support": D("900000.50"), "unallocated": D(500_000 - 600_000 * i),
             "envelope": D("8400000.50")} for i, y in enumerate(YEARS)]  # fmt: skip
    spec = cs.stacked_years(rows)
    fig, d = charts_planning.stacked_years(rows), drawing(spec)
    check_bars(spec, fig, d)
    check_lines(spec, fig, d)
    check_legend(spec, fig, d)
    assert drawn_bars(d)["#d5dbe3"][0] == pytest.approx((7.9000005, 8.4000005))


def test_heat_map_same_numbers_and_colours():
    heat = {("1", "IST"): D("1000000"), ("2", "SAR"): D("500000"), ("2", "IST"): D("62500")}
    args = (heat, [("1", "1. Drugs"), ("2", "2. Crime")], [("IST", "Istanbul"),
                                                           ("SAR", NAMES)])  # fmt: skip
    spec = cs.heat_map(*args)
    fig, d = charts_planning.heat_map(*args), drawing(spec, 400, 200)
    g = spec.grid
    trace = fig.data[0]
    assert [list(r) for r in trace.z] == [[1000.0, 0.0], [62.5, 500.0]]
    assert [list(r) for r in trace.text] == [list(r) for r in g.labels]
    assert [tuple(s) for s in trace.colorscale] == list(cs.BLUES)
    assert (trace.zmin, trace.zmax) == (0.0, 1000.0)
    cells = [_hex(n.fillColor) for n in d.plot.contents if isinstance(n, Rect)]
    assert cells == [g.colour(v) for row in g.values for v in row]
    assert cells == ["#08306b", "#f7fbff", "#ebf3fb", "#6baed6"]
    shown = _strings(d.labels)
    for text in ("1,000", "63", "500"):  # USD '000, as the legend says
        assert text in shown
    assert "USD '000" in _strings(d.legend) and NAMES in " ".join(shown)


def test_waterfall_same_numbers_and_colours():
    steps = [Step("Requirement", 1_150_000_000), Step("Support costs saved", -4_500_000),
             Step("Hard", -700_000_000), Step("Soft", -150_000_000), Step("Gap", 295_500_000)]
    spec = cs.waterfall(steps, "2026")
    fig, d = charts_scenarios.waterfall(steps, "2026"), drawing(spec)
    trace = fig.data[0]
    assert list(trace.y) == [11.5, -0.045, -7.0, -1.5, 2.955]
    assert list(trace.measure) == [s.measure for s in spec.steps]
    assert list(trace.text) == [s.text for s in spec.steps]
    for s in spec.steps:  # plotly's rule: sums in the totals colour, then by the sign
        rule = ("totals" if s.measure != "relative" else
                "decreasing" if s.amount < 0 else "increasing")  # fmt: skip
        assert getattr(trace, rule).marker.color == s.colour
    axis = Axis(d)
    rects = sorted((n for n in d.plot.contents if isinstance(n, Rect)), key=lambda r: r.x)
    assert [_hex(r.fillColor) for r in rects] == [s.colour for s in spec.steps]
    spans = [v for r in rects for v in (axis.value(r.y), axis.value(r.y + r.height))]
    assert spans == pytest.approx([0, 11.5, 11.455, 11.5, 4.455, 11.455, 2.955, 4.455, 0, 2.955],
                                  abs=1e-6)  # fmt: skip
    assert [s.text for s in spec.steps] == [t for t in _strings(d.labels) if t.startswith("USD")]


def test_by_donor_gaps_and_coverage_same_numbers_and_colours():
    money = {(d, y): (k + 1) * 1_000_000_00 + i * 10_000_00 for k, d in enumerate(
        ["AT", "EU", "TR"]) for i, y in enumerate(YEARS)}  # fmt: skip
    names = {"AT": NAMES, "EU": "European Union", "TR": "Türkiye"}
    spec = cs.by_donor(money, YEARS, "By donor", names)
    fig = charts_scenarios.by_donor(money, YEARS, "By donor", names=names)
    d = drawing(spec)
    check_bars(spec, fig, d)
    check_legend(spec, fig, d)
    assert [s.name for s in spec.series] == ["Türkiye", "European Union", NAMES]

    gaps = [{y: 300_000_00 - 200_000_00 * i for i, y in enumerate(YEARS)},
            {y: 150_000_00 for y in YEARS}]  # fmt: skip
    spec = cs.gaps(["Baseline", "Lower EU"], gaps, YEARS, "Gap")
    fig, d = charts_scenarios.gaps(["Baseline", "Lower EU"], gaps, YEARS, "Gap"), drawing(spec)
    check_bars(spec, fig, d)
    assert drawn_bars(d)[cs.PALETTE[0]][2] == pytest.approx((-0.1, 0.0))  # below zero

    req, funded = {y: 2_000_000_00 for y in YEARS}, {y: 1_500_000_00 for y in YEARS}
    spec = cs.coverage(req, funded, YEARS)
    fig, d = charts_scenarios.coverage(req, funded, YEARS), drawing(spec)
    check_bars(spec, fig, d)
    assert list(fig.data[1].text) == ["USD 0.5M"] * 3
    assert _strings(d.labels).count("USD 1.5M") == 3  # inside the funded bars


def test_fan_same_numbers_and_colours():
    mc = MonteCarlo(100, 1, 0.3, tuple(YEARS), {y: 600_000_00 for y in YEARS},
                    {y: 750_000_00 for y in YEARS}, {y: 900_000_00 + 1 for y in YEARS},
                    {}, {}, 0.5, {}, 0.5, True)  # fmt: skip
    req = {y: 1_000_000_00 + 50_000_00 * i for i, y in enumerate(YEARS)}
    spec = cs.fan(mc, req, "Fan")
    fig, d = charts_scenarios.fan(mc, req, "Fan"), drawing(spec)
    check_lines(spec, fig, d)
    check_legend(spec, fig, d)
    assert list(fig.data[0].y) == [0.90000001] * 3  # P90: USD 900,000.01
    assert list(fig.data[1].y) == [0.6] * 3 and fig.data[1].fillcolor == "rgba(46,134,193,0.25)"
    (band,) = [n for n in d.plot.contents if isinstance(n, Polygon)]
    assert (_hex(band.fillColor), band.fillOpacity) == ("#2e86c1", 0.25)
    axis = Axis(d)
    assert [axis.value(y) for y in band.points[1::2]] == pytest.approx(
        [spec.plotted(v) for v in (*spec.band.high, *spec.band.low[::-1])], abs=1e-6)
    assert len([n for n in d.plot.contents if isinstance(n, Circle)]) == 6  # the line markers


def test_drawings_render_to_pdf_with_the_names_letters_and_user_text_literally():
    title = '<b>R&D "x"</b> ' + NAMES
    money = {("A", 2025): 100_00, ("B", 2025): 50_00}
    spec = cs.by_donor(money, [2025], title, {"A": "Türkiye Podgorica", "B": NAMES})
    pdf = renderPDF.drawToString(drawing(spec, 420, 240))
    assert pdf.startswith(b"%PDF")
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    for expected in (title, "Türkiye Podgorica", NAMES, "USD million", "2025"):
        assert expected in text
    fig = charts_scenarios.by_donor(money, [2025], title, names={"A": "x", "B": NAMES})
    assert fig.layout.title.text == '&lt;b&gt;R&amp;D "x"&lt;/b&gt; ' + NAMES


def _boxes(d) -> list[tuple[float, float, float, float]]:
    """Bounding boxes of the horizontal texts (value labels, categories, legend, axis)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out = []
    for group in [d.labels, d.legend] + ([d.axis] if hasattr(d, "axis") else []):
        for n in group.contents:
            if isinstance(n, String) and n.text:
                w = stringWidth(n.text, n.fontName, n.fontSize)
                x = {"start": n.x, "middle": n.x - w / 2, "end": n.x - w}[n.textAnchor]
                out.append((x, n.y, x + w, n.y + n.fontSize * 0.8))
    return out


@pytest.mark.parametrize("size", [(480, 260), (250, 190)])
def test_texts_stay_inside_the_drawing_and_do_not_overlap(size):
    steps = [Step("Requirement", 1_150_000_000), Step("Support costs saved", -4_500_000),
             Step("Hard", -700_000_000), Step("Soft", -150_000_000), Step("Gap", 295_500_000)]
    req = {y: 2_000_000_00 for y in YEARS}
    rows = [YearFunding(2021 + i, D(6_543_210 + i), None, None) if i < 3 else
            YearFunding(2021 + i, None, D(9_000_000), D(8_123_456 - 500_000 * i))
            for i in range(9)]  # fmt: skip
    specs = [cs.funding_by_year(rows), cs.waterfall(steps, "2026: requirement to gap"),
             cs.coverage(req, {y: 1_500_000_00 for y in YEARS}, YEARS),
             cs.by_donor({(n, 2025): 100_00 for n in ("Lions Clubs International Foundation",
                                                      NAMES, "Türkiye", "European Union")},
                         [2025], "By donor"),
             cs.heat_map({(a, o): D(1_108_345 * (i + j)) for i, a in enumerate("12345")
                          for j, o in enumerate("ABCDEFGH")},
                         [(a, f"{a}. Terrorism Prevention") for a in "12345"],
                         [(o, f"Podgorica {o}") for o in "ABCDEFGH"])]  # fmt: skip
    for spec in specs:
        d = drawing(spec, *size)
        boxes = _boxes(d)
        for i, (x0, y0, x1, y1) in enumerate(boxes):
            assert x0 >= 0 and y0 >= 0 and x1 <= size[0] and y1 <= size[1], (spec.kind, i)
            for a0, b0, a1, b1 in boxes[i + 1 :]:
                assert x1 <= a0 or a1 <= x0 or y1 <= b0 or b1 <= y0, (spec.kind, i)
