"""The comparison's charts per scenario, laid out to compare: one row per chart (waterfall, by
donor, Monte Carlo fan), one column per scenario, every column of a row on the same y-axis range
(heights compare honestly) and each donor in the same colour in every column. The figures come
from `charts_scenarios`; this module only aligns them (floats only for drawing)."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from rpsee.domain.chart_specs import series_style
from rpsee.domain.funding import Step
from rpsee.domain.montecarlo import MonteCarlo
from rpsee.ui import charts_scenarios
from rpsee.ui.text import plot_text

HEIGHT = 300
FONT = 11
HEADROOM = 1.15  # room above the tallest bar for its label


def _m(cents: int) -> float:
    return cents / 1e8  # USD million


def waterfall_top(steps: Sequence[Step]) -> int:
    """The highest running total of a waterfall (the first step is absolute)."""
    running, top = 0, 0
    for i, s in enumerate(steps[:-1]):
        running = s.cents if i == 0 else running + s.cents
        top = max(top, running)
    return max(top, steps[-1].cents) if steps else 0


def stacked_top(money: Mapping[tuple[str, int], int], years: Sequence[int]) -> int:
    """The tallest year's stack of money by donor."""
    return max((sum(v for (_d, y), v in money.items() if y == year) for year in years),
               default=0)  # fmt: skip


def fan_top(p90: Mapping[int, int], requirement: Mapping[int, int]) -> int:
    return max([*p90.values(), *requirement.values(), 0])


def nice_step(top: float, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving at most `ticks` steps to
    `top`."""
    power = 10 ** math.floor(math.log10(top / ticks)) if top > 0 else 1
    return next(m * power for m in (1, 2, 5, 10) if top / (m * power) <= ticks)


def aligned(figures: Sequence[go.Figure], top_cents: int) -> list[go.Figure]:
    """The figures on one y-axis range (0 to the tallest, with room for labels), without
    legends (a row shows one legend for all) and with the same margins."""
    top = max(_m(top_cents), 0.01) * HEADROOM
    step = nice_step(top)
    for fig in figures:
        # The same ticks too: Plotly picks them by each plot's own size otherwise.
        fig.update_yaxes(range=[0, top], autorange=False, tick0=0, dtick=step)
        fig.update_layout(showlegend=False, margin={"l": 10, "r": 10, "t": 10, "b": 10})
        xs = [x for t in fig.data for x in (t.x or ())]
        ticks = list(dict.fromkeys(xs))
        fig.update_xaxes(tickmode="array", tickvals=ticks, ticktext=ticks)  # every year shown
    return list(figures)


def donor_colours(money: Sequence[Mapping[tuple[str, int], int]],
                  names: Mapping[str, str]) -> dict[str, tuple[str, str]]:  # fmt: skip
    """Donor name shown -> (colour, fill pattern), the same in every column (largest over all
    first)."""
    totals: dict[str, int] = {}
    for m in money:
        for (d, _y), v in m.items():
            label = names.get(d, d)
            totals[label] = totals.get(label, 0) + v
    order = sorted(totals, key=lambda d: (-totals[d], d))
    return {d: series_style(i) for i, d in enumerate(order)}


def waterfalls(steps: Sequence[Sequence[Step]]) -> list[go.Figure]:
    figs = [charts_scenarios.waterfall(s, None, HEIGHT, FONT) for s in steps]
    for fig, one in zip(figs, steps, strict=True):
        # Short labels (the axis says USD million): "USD 10.59M" shrank to illegible in a
        # quarter of the page.
        fig.update_traces(text=[f"{abs(s.cents) / 1e8:.1f}" for s in one],
                          textposition="outside", cliponaxis=False, constraintext="none")
        fig.update_xaxes(tickangle=-35)
    return aligned(figs, max((waterfall_top(s) for s in steps), default=0))


def by_donor(money: Sequence[Mapping[tuple[str, int], int]], years: Sequence[int],
             names: Mapping[str, str]) -> tuple[list[go.Figure],
                                                dict[str, tuple[str, str]]]:  # fmt: skip
    """The stacked bars per scenario, and the (colour, pattern) by donor name (for the row's
    legend)."""
    colours = donor_colours(money, names)
    figs = [charts_scenarios.by_donor(m, years, None, HEIGHT, FONT, names) for m in money]
    for fig in figs:
        for trace in fig.data:
            label = trace.name
            for name, (colour, pattern) in colours.items():
                if plot_text(name) == label:
                    trace.marker.color = colour
                    trace.marker.pattern.shape = pattern
    named = []  # the stack heights with donors merged by name (as drawn)
    for m in money:
        merged: dict[tuple[str, int], int] = {}
        for (d, y), v in m.items():
            merged[(names.get(d, d), y)] = merged.get((names.get(d, d), y), 0) + v
        named.append(merged)
    top = max((stacked_top(m, years) for m in named), default=0)
    return aligned(figs, top), colours


def fans(results: Sequence[tuple[MonteCarlo, Mapping[int, int]]]) -> list[go.Figure]:
    """`results`: (Monte Carlo, requirement by year) per scenario."""
    figs = [charts_scenarios.fan(mc, req, None, HEIGHT, FONT) for mc, req in results]
    top = max((fan_top(mc.p90, req) for mc, req in results), default=0)
    return aligned(figs, top)


def _swatch(style: str | tuple[str, str]) -> str:
    """A legend square's CSS background: the colour, hatched when the series has a pattern."""
    colour, pattern = (style, "") if isinstance(style, str) else style
    if not pattern:
        return colour
    return (f"repeating-linear-gradient(45deg,{colour} 0 3px,#ffffff 3px 5px)")


def legend_html(colours: Mapping[str, str | tuple[str, str]]) -> str:
    """One legend for a row of stacked bars: a coloured square (hatched for a patterned
    series) and each donor's name (escaped)."""
    items = "".join(f"<span style='margin-right:14px;white-space:nowrap'><span style='display:"
                    f"inline-block;width:11px;height:11px;background:{_swatch(c)};"
                    f"margin-right:4px'></span>{html.escape(d)}</span>"
                    for d, c in colours.items())  # fmt: skip
    return f"<div style='font-size:0.85rem;line-height:1.7'>{items}</div>"


def header_html(name: str) -> str:
    """A column's scenario name on one line (cut with "…" when too long, the full name on
    hover), so every chart of a row starts at the same height."""
    text = html.escape(name)
    return (f"<div title='{html.escape(name, quote=True)}' style='white-space:nowrap;"
            "overflow:hidden;text-overflow:ellipsis;font-size:0.9rem;font-weight:600;"
            f"color:#31333f'>{text}</div>")
