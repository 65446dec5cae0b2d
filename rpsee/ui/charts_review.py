"""Charts of the implementation review (plotly; floats only for drawing)."""

from __future__ import annotations

import calendar
from decimal import Decimal

import plotly.graph_objects as go

from rpsee.domain.money import format_usd


def burn(points: list[tuple[int, Decimal, Decimal]], year: int) -> go.Figure:
    """Cumulative expenditure month by month against the straight line to the year's budget:
    two lines told apart by dash and marker, not by colour alone."""
    months = [calendar.month_abbr[m] for m, _, _ in points]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=months, y=[float(s) / 1e6 for _, s, _ in points], name="Spent (cumulative)",
        mode="lines+markers", line={"color": "#1f4e79", "width": 3}, marker={"size": 8},
        customdata=[format_usd(s, cents=False) for _, s, _ in points],
        hovertemplate="%{x}: %{customdata}<extra>Spent</extra>"))  # fmt: skip
    fig.add_trace(go.Scatter(
        x=months, y=[float(p) / 1e6 for _, _, p in points], name="Linear path to the budget",
        mode="lines", line={"color": "#8c5a00", "width": 2, "dash": "dash"},
        customdata=[format_usd(p, cents=False) for _, _, p in points],
        hovertemplate="%{x}: %{customdata}<extra>Path</extra>"))  # fmt: skip
    fig.update_layout(height=340, yaxis_title="USD million", plot_bgcolor="white",
                      title={"text": f"{year}: monthly burn", "font": {"size": 15}},
                      margin={"l": 10, "r": 10, "t": 40, "b": 10}, font={"size": 14},
                      legend={"orientation": "h", "y": -0.2})  # fmt: skip
    fig.update_yaxes(gridcolor="#d9d9d9", rangemode="tozero")
    return fig
