"""Read-only views of a workplan: totals, coverage checks and the timeline."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from rpsee.domain.money import format_usd
from rpsee.domain.open_points import OpenPoints, open_points
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.tables import footnotes_for
from rpsee.domain.workplan import Activity
from rpsee.domain.workplan_tables import totals_tables
from rpsee.domain.workplan_totals import grand_total
from rpsee.services import markers
from rpsee.ui import tables
from rpsee.ui.text import md, plot_text

NBSP = "\u00a0"
AREA_COLOURS = ["#1f4e79", "#2e8b57", "#c98a00", "#8b3a62", "#6c5ce7"]


def header_line(figures: list[tuple[str, str]]) -> str:
    """The workplan's figures in one line over the grid (`Activities **90** · Budget **USD
    7,119,376.50** · Status **Draft**`), so ten rows of the grid fit above a 720-pixel fold.
    A value never breaks across lines (no-break spaces: "USD" stays with its amount)."""
    return " · ".join(f"{md(label)} **{md(value).replace(' ', NBSP)}**"
                      for label, value in figures)  # fmt: skip


def totals(activities: list[Activity], ref: ProgrammeReference) -> None:
    total = grand_total(activities)
    cancelled = [a for a in activities if not a.counts]
    st.metric("Workplan total (activity budgets)", format_usd(total))
    if cancelled:
        lines_are = "1 cancelled line is" if len(cancelled) == 1 else \
            f"{len(cancelled)} cancelled lines are"
        st.caption(f"{lines_are} not counted "
                   f"({format_usd(sum((a.total for a in cancelled), total * 0))}).")  # fmt: skip
    made = totals_tables(activities, ref)
    c1, c2 = st.columns(2)
    with c1:
        tables.show(made["area"], label_px=180)
        tables.show(made["jurisdiction"], label_px=180)
        tables.show(made["quarter"], label_px=180)
    with c2:
        tables.show(made["office"], label_px=180)
        st.caption(md(ref.office_legend()))
        tables.show(made["category"], label_px=180)
    tables.show(made["output"], label_px=520)
    for table in made.values():
        if table.total_row().cells[1] != total:  # never expected: the domain splits exactly
            st.error(f"{table.title}: the total does not add up to the workplan total.")


def checks(activities: list[Activity], ref: ProgrammeReference) -> None:
    points = open_points(activities, ref, markers.sex_disaggregated_outputs(ref))
    if not points.points:
        st.success(
            "Every output and jurisdiction has an activity; every activity has a budget "
            "and a responsible position; every line's markers are backed by the plan."
        )
        return
    # Said as a finding, not an order: PSC members, observers and finance read it too.
    st.warning(f"{len(points)} open point(s) in this workplan, checked before it goes to the "
               "Steering Committee (PSC):")  # fmt: skip
    show_points(points, ref)


def show_points(points: OpenPoints, ref: ProgrammeReference) -> None:
    """The open points as a table (check, what), with the footnotes of the places named; a
    static table, so a long finding (an output's lines) wraps instead of being cut."""
    rows = [(p.check + (" (blocks submission)" if p.blocking else ""), p.what)
            for p in points.points]  # fmt: skip
    st.table(pd.DataFrame(rows, columns=["Check", "What"]), hide_index=True)
    for note in footnotes_for([w for _c, w in rows], ref.jurisdiction_footnotes()):
        st.caption(md(note))


def _label(a: Activity) -> str:
    """Plotly draws a subset of HTML in labels: user text is escaped first."""
    return plot_text(f"{a.code} · {a.title[:45]}")


def _next_month(year: int, month: int) -> date:
    return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)


def timeline(activities: list[Activity], ref: ProgrammeReference, year: int) -> go.Figure:
    """A Gantt by month, grouped by thematic area (one colour per area)."""
    fig = go.Figure()
    places = ref.jurisdiction_names()
    lines = sorted(activities, key=lambda a: (a.area_code, a.output_code, a.start_month, a.code))
    for i, area in enumerate(ref.areas):
        mine = [a for a in lines if a.area_code == area.code]
        if not mine:
            continue
        starts = [date(year, a.start_month, 1) for a in mine]
        ends = [_next_month(year, a.end_month) for a in mine]
        fig.add_bar(
            base=[s.isoformat() for s in starts],
            x=[(e - s).days * 86_400_000 for s, e in zip(starts, ends, strict=True)],
            y=[_label(a) for a in mine], orientation="h",
            name=f"{area.code}. {area.short_name}", marker_color=AREA_COLOURS[i % 5],
            customdata=[[format_usd(a.total), plot_text(a.status),
                         plot_text(", ".join(places.get(j, j) for j in a.jurisdictions))]
                        for a in mine],
            hovertemplate="%{y}<br>%{customdata[0]} · %{customdata[1]}<br>%{customdata[2]}"
                          "<extra></extra>",
        )  # fmt: skip
    months = {"type": "date", "dtick": "M1", "tickformat": "%b"}
    fig.add_scatter(x=[], y=[], customdata=[], xaxis="x2", showlegend=False,
                    hoverinfo="skip")  # draws x2 (an axis without a trace is not drawn)
    fig.update_layout(
        barmode="overlay", height=max(320, 22 * len(lines) + 160),
        margin={"l": 10, "r": 10, "t": 90, "b": 10}, plot_bgcolor="white", font={"size": 12},
        legend={"orientation": "h", "yref": "container", "y": 1, "yanchor": "top"},
        # The months over the bars too: a long workplan's chart is taller than the screen.
        xaxis2={**months, "overlaying": "x", "matches": "x", "side": "top", "showgrid": False},
    )  # fmt: skip
    fig.update_xaxes(range=[date(year, ref.figures.months_of(year)[0], 1), date(year + 1, 1, 1)],
                     gridcolor="#e5e8ec", selector={"overlaying": None}, **months)  # fmt: skip
    fig.update_yaxes(autorange="reversed", categoryorder="array",
                     categoryarray=[_label(a) for a in lines])  # fmt: skip
    return fig


def jurisdiction_notes(activities: list[Activity], ref: ProgrammeReference) -> None:
    """The footnotes (Kosovo*) of the jurisdictions these activities name, under a view."""
    names = ref.jurisdiction_names()
    shown = {names.get(j, j) for a in activities for j in a.jurisdictions}
    for note in footnotes_for(shown, ref.jurisdiction_footnotes()):
        st.caption(md(note))

