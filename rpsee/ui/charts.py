"""Plotly figures drawn from domain figures (floats only for drawing, never for sums)."""

from __future__ import annotations

import plotly.graph_objects as go

from rpsee.domain import chart_specs
from rpsee.domain.chart_specs import COLOURS
from rpsee.domain.overview import YearFunding
from rpsee.ui.plotly_specs import figure

__all__ = ["COLOURS", "funding_by_year"]


def funding_by_year(rows: list[YearFunding]) -> go.Figure:
    fig = figure(chart_specs.funding_by_year(rows))
    fig.update_layout(
        height=380,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis_title="USD million",
        legend={"orientation": "h", "y": -0.15},
        plot_bgcolor="white",
        font={"size": 14},
    )
    fig.update_yaxes(gridcolor=chart_specs.GRID, rangemode="tozero")
    return fig
