"""Scenario charts: the waterfall from requirement to gap, money by donor and year, the Monte
Carlo fan, and the gap of scenarios side by side (floats only for drawing)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from rpsee.domain.funding import Step
from rpsee.domain.money import format_millions, from_cents
from rpsee.domain.montecarlo import MonteCarlo
from rpsee.ui.text import plot_text

PALETTE = ["#1f4e79", "#2e86c1", "#48a9a6", "#e0a100", "#c0392b", "#7d3c98", "#27ae60",
           "#d35400", "#5d6d7e", "#a04000", "#117a65", "#884ea0", "#b7950b", "#95a5a6"]


def _m(cents: int) -> float:
    return cents / 1e8  # USD million


def _layout(fig: go.Figure, height: int, font: int, title: str | None = None) -> go.Figure:
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 40 if title else 20,
                                             "b": 10},
                      title={"text": plot_text(title), "font": {"size": font + 2}} if title
                      else None, plot_bgcolor="white", font={"size": font},
                      yaxis_title="USD million", legend={"orientation": "h", "y": -0.18})
    fig.update_yaxes(gridcolor="#e5e8ec", rangemode="tozero")
    return fig


def waterfall(steps: Sequence[Step], title: str | None = None, height: int = 380,
              font: int = 14) -> go.Figure:  # fmt: skip
    """Requirement, minus support costs saved, hard, soft: the gap."""
    measures = ["absolute", "relative", "relative", "relative", "total"]
    fig = go.Figure(go.Waterfall(
        x=[s.label for s in steps], y=[_m(s.cents) for s in steps], measure=measures,
        text=[format_millions(from_cents(abs(s.cents))) for s in steps],
        textposition="outside", connector={"line": {"color": "#9aa5b1"}},
        decreasing={"marker": {"color": "#2e86c1"}},
        increasing={"marker": {"color": "#1f4e79"}}, totals={"marker": {"color": "#c0392b"}},
        hovertemplate="%{x}: %{text}<extra></extra>"))  # fmt: skip
    return _layout(fig, height, font, title)


def by_donor(money: Mapping[tuple[str, int], int], years: Sequence[int],
             title: str | None = None, height: int = 380, font: int = 14,
             names: Mapping[str, str] | None = None) -> go.Figure:  # fmt: skip
    """Money counted, stacked by donor, per year (donors as the reader may see them; `names`:
    code -> the name shown)."""
    if names:
        named: dict[tuple[str, int], int] = {}
        for (d, y), v in money.items():
            named[(names.get(d, d), y)] = named.get((names.get(d, d), y), 0) + v
        money = named
    donors = sorted({d for d, _ in money}, key=lambda d: -sum(v for (x, _), v in money.items()
                                                               if x == d))  # fmt: skip
    fig = go.Figure()
    for i, d in enumerate(donors):
        values = [money.get((d, y), 0) for y in years]
        fig.add_bar(x=[str(y) for y in years], y=[_m(v) for v in values], name=plot_text(d),
                    marker_color=PALETTE[i % len(PALETTE)],
                    hovertemplate=f"{plot_text(d)} %{{x}}: %{{y:.2f}}M<extra></extra>")
    fig.update_layout(barmode="stack")
    return _layout(fig, height, font, title)


def fan(mc: MonteCarlo, requirement: Mapping[int, int], title: str | None = None,
        height: int = 380, font: int = 14) -> go.Figure:  # fmt: skip
    """Monte Carlo funding per year: the P10–P90 band, the median, and the requirement."""
    years = [y for y in mc.years if y in requirement]
    x = [str(y) for y in years]
    fig = go.Figure()
    fig.add_scatter(x=x, y=[_m(mc.p90[y]) for y in years], mode="lines", line={"width": 0},
                    showlegend=False, hoverinfo="skip")
    fig.add_scatter(x=x, y=[_m(mc.p10[y]) for y in years], mode="lines", line={"width": 0},
                    fill="tonexty", fillcolor="rgba(46,134,193,0.25)", name="P10–P90",
                    hovertemplate="P10 %{x}: %{y:.2f}M<extra></extra>")  # fmt: skip
    fig.add_scatter(x=x, y=[_m(mc.p50[y]) for y in years], mode="lines+markers",
                    line={"color": "#1f4e79", "width": 3}, name="Median (P50)",
                    hovertemplate="P50 %{x}: %{y:.2f}M<extra></extra>")  # fmt: skip
    fig.add_scatter(x=x, y=[_m(requirement[y]) for y in years], mode="lines+markers",
                    line={"color": "#c0392b", "dash": "dot", "width": 3}, name="Requirement",
                    hovertemplate="Requirement %{x}: %{y:.2f}M<extra></extra>")  # fmt: skip
    return _layout(fig, height, font, title)


def gaps(names: Sequence[str], gap_by_year: Sequence[Mapping[int, int]], years: Sequence[int],
         title: str | None = None, height: int = 380, font: int = 14) -> go.Figure:  # fmt: skip
    """The gap per year of each scenario, side by side."""
    fig = go.Figure()
    for i, (name, g) in enumerate(zip(names, gap_by_year, strict=True)):
        fig.add_bar(x=[str(y) for y in years], y=[_m(g[y]) for y in years], name=plot_text(name),
                    marker_color=PALETTE[i % len(PALETTE)],
                    hovertemplate=f"{plot_text(name)} %{{x}}: %{{y:.2f}}M<extra></extra>")
    fig.update_layout(barmode="group")
    return _layout(fig, height, font, title)


def coverage(requirement: Mapping[int, int], funded: Mapping[int, int], years: Sequence[int],
             title: str | None = None, height: int = 380, font: int = 14) -> go.Figure:  # fmt: skip
    """Per year: what is funded and the gap, stacked up to the requirement."""
    x = [str(y) for y in years]
    gap = [requirement[y] - funded[y] for y in years]
    fig = go.Figure()
    fig.add_bar(x=x, y=[_m(funded[y]) for y in years], name="Funded", marker_color="#1f4e79",
                text=[format_millions(from_cents(funded[y])) for y in years],
                textposition="inside", hovertemplate="Funded %{x}: %{y:.2f}M<extra></extra>")
    fig.add_bar(x=x, y=[_m(g) for g in gap], name="Gap", marker_color="#e6b0aa",
                text=[format_millions(from_cents(g)) for g in gap], textposition="inside",
                hovertemplate="Gap %{x}: %{y:.2f}M<extra></extra>")  # fmt: skip
    fig.update_layout(barmode="stack")
    return _layout(fig, height, font, title)
