"""Charts of the allocation pages (plotly, floats only for drawing)."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go

from rpsee.domain.money import format_usd

PARTS = (("Staff", "#1f4e79"), ("Activities", "#2e8b57"),
         ("Programme support costs", "#c98a00"), ("Headroom", "#d5dbe3"))  # fmt: skip


def stacked_years(rows: list[dict]) -> go.Figure:
    """One bar per year: staff, activities, programme support costs and the headroom left; the
    envelope as a marker (rows: year, staff, activities, support, unallocated, envelope)."""
    fig = go.Figure()
    years = [str(r["year"]) for r in rows]
    keys = ("staff", "activities", "support", "unallocated")
    for (name, colour), key in zip(PARTS, keys, strict=True):
        values = [max(r[key], Decimal(0)) for r in rows]
        fig.add_bar(
            x=years,
            y=[float(v) / 1e6 for v in values],
            name=name,
            marker_color=colour,
            customdata=[format_usd(v, cents=False) for v in values],
            hovertemplate="%{x} " + name + ": %{customdata}<extra></extra>",
        )
    fig.add_scatter(x=years, y=[float(r["envelope"]) / 1e6 for r in rows], mode="markers",
                    name="Envelope", marker={"symbol": "line-ew-open", "size": 40,
                                             "color": "#b03a2e", "line": {"width": 3}},
                    customdata=[format_usd(r["envelope"], cents=False) for r in rows],
                    hovertemplate="%{x} envelope: %{customdata}<extra></extra>")  # fmt: skip
    fig.update_layout(barmode="stack", height=380, yaxis_title="USD million",
                      margin={"l": 10, "r": 10, "t": 30, "b": 10}, plot_bgcolor="white",
                      legend={"orientation": "h", "y": -0.15}, font={"size": 14})  # fmt: skip
    fig.update_yaxes(gridcolor="#e5e8ec")
    return fig


def heat_map(heat: dict[tuple[str, str], Decimal], areas: list[tuple[str, str]],
             offices: list[tuple[str, str]]) -> go.Figure:  # fmt: skip
    """Planned direct costs (activities by lead office + staff by duty station), area x office."""
    z = [[float(heat.get((a, o), 0)) / 1e3 for o, _n in offices] for a, _l in areas]
    text = [[format_usd(heat.get((a, o), Decimal(0)), cents=False) if heat.get((a, o)) else ""
             for o, _n in offices] for a, _l in areas]  # fmt: skip
    fig = go.Figure(go.Heatmap(
        z=z, x=[n for _o, n in offices], y=[label for _a, label in areas], text=text,
        texttemplate="%{text}", colorscale="Blues", colorbar={"title": "USD '000"},
        hovertemplate="%{y} · %{x}: %{text}<extra></extra>"))  # fmt: skip
    fig.update_layout(height=360, margin={"l": 10, "r": 10, "t": 20, "b": 10}, font={"size": 13})
    fig.update_yaxes(autorange="reversed")
    return fig
