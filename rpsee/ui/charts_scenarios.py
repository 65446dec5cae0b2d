"""Scenario charts: the waterfall from requirement to gap, money by donor and year, the Monte
Carlo fan, and the gap of scenarios side by side (floats only for drawing). The data and colours
come from rpsee/domain/chart_specs.py, which the approval pack draws too."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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


def waterfall(steps: Sequence[Step], title: str | None = None, height: int = 380,
              font: int = 14) -> go.Figure:  # fmt: skip
    """Requirement, minus support costs saved, hard, soft: the gap."""
    return _layout(figure(chart_specs.waterfall(steps, title)), height, font, title)


def by_donor(money: Mapping[tuple[str, int], int], years: Sequence[int],
             title: str | None = None, height: int = 380, font: int = 14,
             names: Mapping[str, str] | None = None) -> go.Figure:  # fmt: skip
    """Money counted, stacked by donor, per year (donors as the reader may see them; `names`:
    code -> the name shown)."""
    spec = chart_specs.by_donor(money, years, title, names)
    return _layout(figure(spec), height, font, title)


def fan(mc: MonteCarlo, requirement: Mapping[int, int], title: str | None = None,
        height: int = 380, font: int = 14) -> go.Figure:  # fmt: skip
    """Monte Carlo funding per year: the P10–P90 band, the median, and the requirement."""
    return _layout(figure(chart_specs.fan(mc, requirement, title)), height, font, title)


def gaps(names: Sequence[str], gap_by_year: Sequence[Mapping[int, int]], years: Sequence[int],
         title: str | None = None, height: int = 380, font: int = 14) -> go.Figure:  # fmt: skip
    """The gap per year of each scenario, side by side."""
    spec = chart_specs.gaps(names, gap_by_year, years, title)
    return _layout(figure(spec), height, font, title)


def coverage(requirement: Mapping[int, int], funded: Mapping[int, int], years: Sequence[int],
             title: str | None = None, height: int = 380, font: int = 14) -> go.Figure:  # fmt: skip
    """Per year: what is funded and the gap, stacked up to the requirement."""
    spec = chart_specs.coverage(requirement, funded, years, title)
    return _layout(figure(spec), height, font, title)
