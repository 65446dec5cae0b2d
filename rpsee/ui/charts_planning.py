"""Charts of the allocation pages (plotly, floats only for drawing)."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go

from rpsee.domain import chart_specs
from rpsee.domain.chart_specs import PARTS
from rpsee.domain.money import format_usd
from rpsee.ui.plotly_specs import figure

__all__ = ["PARTS", "heat_map", "stacked_years"]


def _usd(amount: Decimal) -> str:
    return format_usd(amount, cents=False)


def stacked_years(rows: list[dict]) -> go.Figure:
    """One bar per year: staff, activities, programme support costs and the headroom left; the
    envelope as a marker (rows: year, staff, activities, support, unallocated, envelope)."""
    fig = figure(chart_specs.stacked_years(rows), hover=_usd)
    fig.update_layout(height=380, yaxis_title="USD million",
                      margin={"l": 10, "r": 10, "t": 30, "b": 10}, plot_bgcolor="white",
                      legend={"orientation": "h", "y": -0.15}, font={"size": 14})  # fmt: skip
    fig.update_yaxes(gridcolor=chart_specs.GRID)
    return fig


def heat_map(heat: dict[tuple[str, str], Decimal], areas: list[tuple[str, str]],
             offices: list[tuple[str, str]]) -> go.Figure:  # fmt: skip
    """Planned direct costs (activities by lead office + staff by duty station), area x office."""
    fig = figure(chart_specs.heat_map(heat, areas, offices))
    fig.update_layout(height=360, margin={"l": 10, "r": 10, "t": 20, "b": 10}, font={"size": 13})
    fig.update_yaxes(autorange="reversed")
    return fig
