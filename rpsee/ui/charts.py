"""Plotly figures drawn from domain figures (floats only for drawing, never for sums)."""

from __future__ import annotations

import plotly.graph_objects as go

from rpsee.domain.money import format_millions
from rpsee.domain.overview import YearFunding

COLOURS = {"delivery": "#7f8c9a", "pipeline": "#1f4e79", "envelope": "#e0a100"}


def funding_by_year(rows: list[YearFunding]) -> go.Figure:
    years = [str(r.year) for r in rows]

    def series(attr: str) -> tuple[list[float | None], list[str]]:
        values = [getattr(r, attr) for r in rows]
        return (
            [float(v) / 1e6 if v is not None else None for v in values],
            [format_millions(v) if v is not None else "" for v in values],
        )

    fig = go.Figure()
    for attr, name, colour in (
        ("delivery", "Delivery (previous cycle)", COLOURS["delivery"]),
        ("hard_pipeline", "Hard pipeline (mid-2024)", COLOURS["pipeline"]),
    ):
        y, text = series(attr)
        fig.add_bar(
            x=years,
            y=y,
            name=name,
            marker_color=colour,
            text=text,
            textposition="outside",
            hovertemplate="%{x}: %{text}<extra>" + name + "</extra>",
        )
    y, text = series("envelope")
    fig.add_scatter(
        x=years,
        y=y,
        name="Envelope (fundraising target)",
        mode="lines+markers",
        line={"color": COLOURS["envelope"], "width": 3, "dash": "dot"},
        marker={"size": 9},
        text=text,
        hovertemplate="%{x}: %{text}<extra>Envelope</extra>",
    )
    fig.update_layout(
        barmode="group",
        height=380,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis_title="USD million",
        legend={"orientation": "h", "y": -0.15},
        plot_bgcolor="white",
        font={"size": 14},
    )
    fig.update_yaxes(gridcolor="#e5e8ec", rangemode="tozero")
    return fig
