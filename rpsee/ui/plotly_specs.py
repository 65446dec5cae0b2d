"""Plotly traces drawn from a chart spec (rpsee/domain/chart_specs.py): the same values, through
`ChartSpec.plotted`, and the same colours as the approval pack's charts."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import plotly.graph_objects as go

from rpsee.domain import chart_specs as cs
from rpsee.domain.money import format_millions, format_usd
from rpsee.ui.text import plot_text


def _rgba(hex_colour: str, opacity: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{opacity})"


def figure(spec: cs.ChartSpec, hover: Callable[[Decimal], str] = format_millions) -> go.Figure:
    """A figure with the spec's traces (layout left to the caller); `hover` formats amounts."""
    if spec.kind == cs.HEAT_MAP:
        return _heat_map(spec)
    if spec.kind == cs.WATERFALL_KIND:
        return _waterfall(spec)
    fig = go.Figure()
    x = list(spec.categories)
    if spec.band is not None:
        b = spec.band
        fig.add_scatter(x=x, y=[spec.plotted(v) for v in b.high], mode="lines",
                        line={"width": 0}, showlegend=False, hoverinfo="skip")  # fmt: skip
        fig.add_scatter(x=x, y=[spec.plotted(v) for v in b.low], mode="lines", line={"width": 0},
                        fill="tonexty", fillcolor=_rgba(b.colour, b.opacity),
                        name=plot_text(b.name), customdata=[hover(v) for v in b.low],
                        hovertemplate="P10 %{x}: %{customdata}<extra></extra>")  # fmt: skip
    for s in spec.series:
        name = plot_text(s.name)
        common = {
            "x": x, "y": [spec.plotted(v) for v in s.values], "name": name,
            "customdata": [hover(v) if v is not None else "" for v in s.values],
            "hovertemplate": "%{x} " + name + ": %{customdata}<extra></extra>",
        }  # fmt: skip
        if s.kind == cs.BAR:
            text = {"text": list(s.labels), "textposition": s.label_position} if s.labels else {}
            pattern = {"marker_pattern_shape": s.pattern} if s.pattern else {}
            fig.add_bar(marker_color=s.colour, **pattern, **text, **common)
        elif s.kind == cs.LINE:
            fig.add_scatter(mode="lines+markers", marker={"size": 8},
                            line={"color": s.colour, "width": 3,
                                  "dash": "dot" if s.dash else "solid"}, **common)  # fmt: skip
        else:
            fig.add_scatter(mode="markers", marker={"symbol": "line-ew-open", "size": 40,
                                                    "color": s.colour, "line": {"width": 3}},
                            **common)  # fmt: skip
    fig.update_layout(barmode="stack" if spec.kind == cs.STACKED else "group")
    return fig


def _waterfall(spec: cs.ChartSpec) -> go.Figure:
    steps = spec.steps
    return go.Figure(go.Waterfall(
        x=[plot_text(s.label) for s in steps], y=[spec.plotted(s.amount) for s in steps],
        measure=[s.measure for s in steps], text=[s.text for s in steps],
        textposition="outside", connector={"line": {"color": cs.WATERFALL["connector"]}},
        decreasing={"marker": {"color": cs.WATERFALL["decreasing"]}},
        increasing={"marker": {"color": cs.WATERFALL["increasing"]}},
        totals={"marker": {"color": cs.WATERFALL["totals"]}},
        hovertemplate="%{x}: %{text}<extra></extra>"))  # fmt: skip


def _heat_map(spec: cs.ChartSpec) -> go.Figure:
    g = spec.grid
    assert g is not None
    return go.Figure(go.Heatmap(
        z=[[spec.plotted(v) for v in row] for row in g.values],
        x=[plot_text(c) for c in g.columns], y=[plot_text(r) for r in g.rows],
        text=[list(row) for row in g.labels], texttemplate="%{text}",
        customdata=[[format_usd(v) for v in row] for row in g.values],
        colorscale=[[t, c] for t, c in g.scale], zmin=spec.plotted(g.low),
        zmax=spec.plotted(g.high), colorbar={"title": {"text": spec.unit}},
        hovertemplate="%{y} · %{x}: %{customdata}<extra></extra>"))  # fmt: skip
