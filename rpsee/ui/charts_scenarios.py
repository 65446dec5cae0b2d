"""Scenario charts: the waterfall from requirement to gap, money by donor and year, the Monte
Carlo fan, and the gap of scenarios side by side (floats only for drawing). The data and colours
come from rpsee/domain/chart_specs.py, which the approval pack draws too."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from rpsee.domain import chart_specs
from rpsee.domain.chart_specs import PALETTE
from rpsee.domain.funding import Step
from rpsee.domain.montecarlo import MonteCarlo
from rpsee.ui.plotly_specs import figure
from rpsee.ui.text import plot_text

__all__ = ["PALETTE", "by_donor", "coverage", "fan", "gaps", "waterfall"]


# What the fan chart's band and line mean, in words, under every fan chart.
FAN_MEANING = ("Shaded band, P10 to P90: the middle 80% of the outcomes (one in ten falls below "
               "it, one in ten above); solid line: the median (P50), half the outcomes below it, "
               "half above; dotted red line: the requirement.")


def _layout(fig: go.Figure, height: int, font: int, title: str | None = None) -> go.Figure:
    """The scenario charts' layout, set through plotly's checked updates."""
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 40 if title else 20,
                                             "b": 10},
                      title={"text": plot_text(title), "font": {"size": font + 2}} if title
                      else None, plot_bgcolor="white", font={"size": font},
                      yaxis_title="USD million", legend={"orientation": "h", "y": -0.18})
    fig.update_yaxes(gridcolor=chart_specs.GRID, rangemode="tozero")
    # Streamlit's chart theme sizes ticks, legend and bar labels itself: the caller's size must
    # win (meeting mode is read from the back of a room); a bar label too small to read is left
    # out (the hover and the tables give every amount).
    fig.update_xaxes(tickfont={"size": font})
    fig.update_yaxes(tickfont={"size": font}, title_font={"size": font})
    fig.update_layout(legend_font_size=font, uniformtext={"minsize": font - 2, "mode": "hide"})
    return fig


@functools.lru_cache(maxsize=64)
def _layout_json(height: int, font: int, title: str | None) -> str:
    """`_layout` of an empty figure, as plotly checked and completed it (its template included),
    once per size and title."""
    return json.dumps(_layout(go.Figure(), height, font, title).to_dict()["layout"])


def _merge(into: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """`extra` merged into `into` as plotly's `update_layout` merges: nested objects key by key."""
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
    return into


def _styled(spec: chart_specs.ChartSpec, height: int, font: int, title: str | None,
            layout: Mapping[str, Any] | None = None) -> go.Figure:  # fmt: skip
    """The spec's figure with `_layout`'s layout and then `layout` (the caller's additions), the
    same figure as `_layout(figure(spec), ...)` followed by `update_layout(layout)`, built at
    half the cost: the layout part, checked by plotly once per size and title (`_layout_json`),
    is not checked again on every draw. Meeting mode draws a chart on every control change, in
    one interpreter shared by every session (bench/meeting_load.py: about 20 ms a chart before,
    10 ms after)."""
    traces = figure(spec).to_dict()
    merged = json.loads(_layout_json(height, font, title))
    _merge(merged, {k: v for k, v in traces["layout"].items() if k != "template"})
    _merge(merged, layout or {})
    return go.Figure({"data": traces["data"], "layout": merged}, _validate=False)


def waterfall(steps: Sequence[Step], title: str | None = None, height: int = 380,
              font: int = 14, layout: Mapping[str, Any] | None = None) -> go.Figure:  # fmt: skip
    """Requirement, minus support costs saved, hard, soft: the gap (`layout`: additions to the
    layout, merged as `update_layout` merges)."""
    return _styled(chart_specs.waterfall(steps, title), height, font, title, layout)


def by_donor(money: Mapping[tuple[str, int], int], years: Sequence[int],
             title: str | None = None, height: int = 380, font: int = 14,
             names: Mapping[str, str] | None = None,
             layout: Mapping[str, Any] | None = None) -> go.Figure:  # fmt: skip
    """Money counted, stacked by donor, per year (donors as the reader may see them; `names`:
    code -> the name shown)."""
    spec = chart_specs.by_donor(money, years, title, names)
    return _styled(spec, height, font, title, layout)


def fan(mc: MonteCarlo, requirement: Mapping[int, int], title: str | None = None,
        height: int = 380, font: int = 14,
        layout: Mapping[str, Any] | None = None) -> go.Figure:  # fmt: skip
    """Monte Carlo funding per year: the P10–P90 band, the median, and the requirement."""
    return _styled(chart_specs.fan(mc, requirement, title), height, font, title, layout)


def gaps(names: Sequence[str], gap_by_year: Sequence[Mapping[int, int]], years: Sequence[int],
         title: str | None = None, height: int = 380, font: int = 14) -> go.Figure:  # fmt: skip
    """The gap per year of each scenario, side by side."""
    spec = chart_specs.gaps(names, gap_by_year, years, title)
    return _styled(spec, height, font, title)


def coverage(requirement: Mapping[int, int], funded: Mapping[int, int], years: Sequence[int],
             title: str | None = None, height: int = 380, font: int = 14,
             layout: Mapping[str, Any] | None = None) -> go.Figure:  # fmt: skip
    """Per year: what is funded and the gap, stacked up to the requirement."""
    spec = chart_specs.coverage(requirement, funded, years, title)
    return _styled(spec, height, font, title, layout)
