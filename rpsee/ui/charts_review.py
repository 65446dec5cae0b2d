"""Charts of the implementation review (plotly, from the same specs as the pack's charts)."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go

from rpsee.domain import chart_specs
from rpsee.domain.money import format_usd
from rpsee.ui.plotly_specs import figure


def burn(points: list[tuple[int, Decimal, Decimal]], year: int) -> go.Figure:
    """Cumulative expenditure month by month against the straight line to the year's budget."""
    fig = figure(chart_specs.burn(points), hover=lambda v: format_usd(v, cents=False))
    fig.update_layout(height=340, yaxis_title="USD million", plot_bgcolor="white",
                      title={"text": f"{year}: monthly burn", "font": {"size": 15}},
                      margin={"l": 10, "r": 10, "t": 40, "b": 10}, font={"size": 14},
                      legend={"orientation": "h", "y": -0.2})  # fmt: skip
    fig.update_yaxes(gridcolor=chart_specs.GRID, rangemode="tozero")
    return fig
