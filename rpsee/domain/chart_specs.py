"""The charts' data, shared by the pages (plotly, rpsee/ui/charts*.py) and the approval pack
(reportlab, rpsee/reports/pdf_charts.py): one builder per chart turns the domain figures into a
`ChartSpec` with exact amounts (Decimal USD) and the colours below. Floats appear only when a
value is drawn, through `ChartSpec.plotted`, so both renderings show the same numbers."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from rpsee.domain.funding import REQUIREMENT, Step
from rpsee.domain.money import format_millions, from_cents
from rpsee.domain.montecarlo import MonteCarlo
from rpsee.domain.overview import YearFunding

# --- colours (the pages and the PDF use these and no others) ---
COLOURS = {"delivery": "#7f8c9a", "pipeline": "#1f4e79", "envelope": "#e0a100",
           "spent": "#1f4e79", "path": "#8c5a00"}
PARTS = (("Staff", "#1f4e79"), ("Activities", "#2e8b57"),
         ("Programme support costs", "#c98a00"), ("Headroom", "#d5dbe3"))  # fmt: skip
ENVELOPE_MARK = "#b03a2e"
# Series told apart (donors, scenarios): eight colours that stay apart under protanopia,
# deuteranopia and tritanopia as well as in normal vision (Okabe & Ito's set without its yellow
# and black, the programme's blue, a violet and a brown; checked by simulation in
# tests/unit/test_domain_colour_vision.py), and from the ninth series on the same colours again
# with a fill pattern, so that no two series of a chart look alike even printed in grey.
PALETTE = ["#1f4e79", "#e69f00", "#56b4e9", "#009e73", "#d55e00", "#cc79a7", "#8800ee",
           "#662200"]
PATTERNS = ("", "/", ".", "x")  # plotly's bar fill shapes: none, hatched, dotted, crossed
WATERFALL = {"increasing": "#1f4e79", "decreasing": "#2e86c1", "totals": "#c0392b",
             "connector": "#9aa5b1"}  # fmt: skip
FAN = {"band": "#2e86c1", "median": "#1f4e79", "requirement": "#c0392b"}
BAND_OPACITY = 0.25
COVERAGE = {"funded": "#1f4e79", "gap": "#e6b0aa"}
GRID = "#e5e8ec"
# Plotly's "Blues" (ColorBrewer), written out so that the PDF colours cells the same way.
BLUES = ((0.0, "#f7fbff"), (0.125, "#deebf7"), (0.25, "#c6dbef"), (0.375, "#9ecae1"),
         (0.5, "#6baed6"), (0.625, "#4292c6"), (0.75, "#2171b5"), (0.875, "#08519c"),
         (1.0, "#08306b"))  # fmt: skip

# --- kinds and units ---
GROUPED, STACKED, WATERFALL_KIND, FAN_KIND, HEAT_MAP = (
    "grouped", "stacked", "waterfall", "fan", "heat_map")  # fmt: skip
BAR, LINE, MARKER = "bar", "line", "marker"  # a series: bars, a line with markers, a level mark
MILLION, THOUSAND = "USD million", "USD '000"
_DIVISOR = {MILLION: Decimal(1_000_000), THOUSAND: Decimal(1_000)}
# How a heat map's cells round (its title says so, next to the unit)
THOUSAND_ROUNDING = "rounded to the nearest thousand"


@dataclass(frozen=True)
class Series:
    """One series: a value per category (exact USD; None: nothing drawn there)."""

    name: str
    colour: str
    values: tuple[Decimal | None, ...]
    kind: str = BAR
    dash: bool = False
    labels: tuple[str, ...] | None = None  # the value labels written on the chart, if any
    label_position: str = "outside"  # or "inside" (within the bar)
    pattern: str = ""  # a bar's fill pattern (PATTERNS), beside its colour


def series_style(index: int) -> tuple[str, str]:
    """The colour and fill pattern of the `index`-th series of a chart (0 first): every
    combination differs for the first len(PALETTE) * len(PATTERNS) series."""
    colour = PALETTE[index % len(PALETTE)]
    return colour, PATTERNS[(index // len(PALETTE)) % len(PATTERNS)]


@dataclass(frozen=True)
class Band:
    """A filled band between two values per category (the Monte Carlo P10–P90)."""

    name: str
    colour: str
    opacity: float
    low: tuple[Decimal, ...]
    high: tuple[Decimal, ...]


@dataclass(frozen=True)
class WaterfallStep:
    """One bar of a waterfall: it spans `start` to `end`; `measure` as plotly names it."""

    label: str
    amount: Decimal  # signed, as the domain step gives it
    measure: str  # "relative" (the first rises from zero), "total" (last: the running sum)
    start: Decimal
    end: Decimal
    colour: str
    text: str


@dataclass(frozen=True)
class Grid:
    """A heat map: rows x columns of amounts, coloured on `scale` from `low` to `high`."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[Decimal, ...], ...]
    labels: tuple[tuple[str, ...], ...]  # text written in each cell ("" for none)
    scale: tuple[tuple[float, str], ...]
    low: Decimal
    high: Decimal

    def colour(self, value: Decimal) -> str:
        """The cell colour of `value`: linear between the scale's stops (as plotly does)."""
        span = self.high - self.low
        t = float((value - self.low) / span) if span else 0.0
        t = min(max(t, 0.0), 1.0)
        for (t0, c0), (t1, c1) in zip(self.scale, self.scale[1:], strict=False):
            if t <= t1:
                f = (t - t0) / (t1 - t0) if t1 > t0 else 0.0
                return _mix(c0, c1, f)
        return self.scale[-1][1]


@dataclass(frozen=True)
class ChartSpec:
    """What a chart shows; `kind` says which of the parts are used."""

    kind: str  # GROUPED, STACKED, WATERFALL_KIND, FAN_KIND or HEAT_MAP
    title: str | None
    categories: tuple[str, ...] = ()
    series: tuple[Series, ...] = ()
    band: Band | None = None
    steps: tuple[WaterfallStep, ...] = ()
    grid: Grid | None = None
    unit: str = MILLION

    def plotted(self, value: Decimal | None) -> float | None:
        """`value` (USD) in the chart's unit, as a float for drawing (None stays None)."""
        return None if value is None else float(value / _DIVISOR[self.unit])


def _mix(c0: str, c1: str, f: float) -> str:
    a = [int(c0[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(c1[i : i + 2], 16) for i in (1, 3, 5)]
    # halves round up, as the browser's Math.round does
    return "#" + "".join(f"{int(x + (y - x) * f + 0.5):02x}" for x, y in zip(a, b, strict=True))


def _usd(cents: int) -> Decimal:
    return from_cents(cents)


def _millions_labels(values: Sequence[Decimal | None]) -> tuple[str, ...]:
    return tuple(format_millions(v) if v is not None else "" for v in values)


def funding_by_year(rows: Sequence[YearFunding]) -> ChartSpec:
    """Delivery of the previous cycle and the hard pipeline as bars, the envelope as a line."""
    delivery = tuple(r.delivery for r in rows)
    pipeline = tuple(r.hard_pipeline for r in rows)
    return ChartSpec(GROUPED, None, tuple(str(r.year) for r in rows), (
        Series("Delivery (previous cycle)", COLOURS["delivery"], delivery,
               labels=_millions_labels(delivery)),
        Series("Hard pipeline (mid-2024)", COLOURS["pipeline"], pipeline,
               labels=_millions_labels(pipeline)),
        Series("Envelope (fundraising target)", COLOURS["envelope"],
               tuple(r.envelope for r in rows), kind=LINE, dash=True),
    ))  # fmt: skip


def stacked_years(rows: Sequence[Mapping]) -> ChartSpec:
    """One bar per year: staff, activities, support costs and the headroom left (never below
    zero); the envelope as a level mark (rows: year, staff, activities, support, unallocated,
    envelope)."""
    keys = ("staff", "activities", "support", "unallocated")
    series = [Series(name, colour, tuple(max(Decimal(r[key]), Decimal(0)) for r in rows))
              for (name, colour), key in zip(PARTS, keys, strict=True)]  # fmt: skip
    series.append(Series("Envelope", ENVELOPE_MARK, tuple(Decimal(r["envelope"]) for r in rows),
                         kind=MARKER))  # fmt: skip
    return ChartSpec(STACKED, None, tuple(str(r["year"]) for r in rows), tuple(series))


def thousands(amount: Decimal) -> str:
    """A cell of a table in USD '000: `1,235` for 1,234,567.89 (to the nearest thousand, halves
    up); `<1` for an amount under 500 that is not zero (never a misleading 0)."""
    value = (abs(amount) / 1000).quantize(Decimal(1), ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}<1" if amount and not value else f"{sign}{value:,.0f}"


def heat_map(heat: Mapping[tuple[str, str], Decimal], areas: Sequence[tuple[str, str]],
             offices: Sequence[tuple[str, str]]) -> ChartSpec:  # fmt: skip
    """Planned direct costs, thematic area (rows) x office (columns); areas and offices as
    (code, label) pairs. Cells show USD '000 (`thousands`), the unit of the colour scale and of
    the title; cells without costs show no text."""
    values = tuple(tuple(Decimal(heat.get((a, o), 0)) for o, _n in offices) for a, _l in areas)
    labels = tuple(tuple(thousands(v) if v else "" for v in row) for row in values)
    flat = [v for row in values for v in row] or [Decimal(0)]
    grid = Grid(tuple(label for _a, label in areas), tuple(n for _o, n in offices), values,
                labels, BLUES, min(flat), max(flat))  # fmt: skip
    return ChartSpec(HEAT_MAP, None, grid.columns, grid=grid, unit=THOUSAND)


def waterfall(steps: Sequence[Step], title: str | None = None) -> ChartSpec:
    """Planned, minus support costs saved, hard, soft: the gap. The first step is the level
    it starts from (a rise from zero, in the rise colour: only the gap is red), the last the
    running sum (the steps add up to it)."""
    out: list[WaterfallStep] = []
    level = Decimal(0)
    for i, s in enumerate(steps):
        amount = _usd(s.cents)
        if i == 0:  # a rise from zero, so the requirement is not coloured like the gap
            measure, start, level = "relative", Decimal(0), amount
            colour = WATERFALL["increasing" if amount >= 0 else "decreasing"]
        elif i == len(steps) - 1:
            measure, start = "total", Decimal(0)
            colour = WATERFALL["totals"]
        else:
            measure, start, level = "relative", level, level + amount
            colour = WATERFALL["decreasing" if amount < 0 else "increasing"]
        out.append(WaterfallStep(s.label, amount, measure, start, level, colour,
                                 format_millions(abs(amount))))  # fmt: skip
    return ChartSpec(WATERFALL_KIND, title, tuple(s.label for s in steps), steps=tuple(out))


def by_donor(money: Mapping[tuple[str, int], int], years: Sequence[int],
             title: str | None = None,
             names: Mapping[str, str] | None = None) -> ChartSpec:  # fmt: skip
    """Money counted (cents by donor and year), stacked by donor, largest donor first, donors
    with nothing counted left out (a prospect when counting hard + soft); `names`: code -> the
    name the reader may see (donors sharing a name are summed)."""
    named: dict[tuple[str, int], int] = {}
    for (d, y), v in money.items():
        key = ((names or {}).get(d, d), y)
        named[key] = named.get(key, 0) + v
    totals: dict[str, int] = {}
    for (d, _y), v in named.items():
        totals[d] = totals.get(d, 0) + v
    donors = sorted((d for d in totals if totals[d]), key=lambda d: -totals[d])  # none empty
    series = tuple(Series(d, series_style(i)[0],
                          tuple(_usd(named.get((d, y), 0)) for y in years),
                          pattern=series_style(i)[1])
                   for i, d in enumerate(donors))  # fmt: skip
    return ChartSpec(STACKED, title, tuple(str(y) for y in years), series)


def fan(mc: MonteCarlo, requirement: Mapping[int, int], title: str | None = None) -> ChartSpec:
    """Monte Carlo funding per year: the P10–P90 band, the median, and the requirement."""
    years = [y for y in mc.years if y in requirement]
    band = Band("P10–P90", FAN["band"], BAND_OPACITY, tuple(_usd(mc.p10[y]) for y in years),
                tuple(_usd(mc.p90[y]) for y in years))  # fmt: skip
    return ChartSpec(FAN_KIND, title, tuple(str(y) for y in years), (
        Series("Median (P50)", FAN["median"], tuple(_usd(mc.p50[y]) for y in years), kind=LINE),
        Series(REQUIREMENT, FAN["requirement"], tuple(_usd(requirement[y]) for y in years),
               kind=LINE, dash=True),
    ), band=band)  # fmt: skip


def gaps(names: Sequence[str], gap_by_year: Sequence[Mapping[int, int]], years: Sequence[int],
         title: str | None = None) -> ChartSpec:  # fmt: skip
    """The gap per year (cents) of each scenario, side by side."""
    series = tuple(Series(n, series_style(i)[0], tuple(_usd(g[y]) for y in years),
                          pattern=series_style(i)[1])
                   for i, (n, g) in enumerate(zip(names, gap_by_year, strict=True)))  # fmt: skip
    return ChartSpec(GROUPED, title, tuple(str(y) for y in years), series)


def coverage(requirement: Mapping[int, int], funded: Mapping[int, int], years: Sequence[int],
             title: str | None = None) -> ChartSpec:  # fmt: skip
    """Per year: what is funded and the gap, stacked up to the requirement (cents in)."""
    got = tuple(_usd(funded[y]) for y in years)
    gap = tuple(_usd(requirement[y] - funded[y]) for y in years)
    return ChartSpec(STACKED, title, tuple(str(y) for y in years), (
        Series("Funded", COVERAGE["funded"], got, labels=_millions_labels(got),
               label_position="inside"),
        Series("Gap", COVERAGE["gap"], gap, labels=_millions_labels(gap),
               label_position="inside"),
    ))  # fmt: skip


def burn(points: Sequence[tuple[int, Decimal, Decimal]]) -> ChartSpec:
    """Cumulative expenditure by month against the straight line to the year's budget: a solid
    line with markers and a dashed one (told apart by more than colour)."""
    months = tuple(calendar.month_abbr[m] for m, _s, _p in points)
    return ChartSpec(GROUPED, None, months, (
        Series("Spent (cumulative)", COLOURS["spent"], tuple(s for _m, s, _p in points),
               kind=LINE),
        Series("Linear path to the budget", COLOURS["path"], tuple(p for _m, _s, p in points),
               kind=LINE, dash=True),
    ))  # fmt: skip
