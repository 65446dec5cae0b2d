"""Programme overview: envelope, pipeline and delivery by year; areas and outputs; staffing."""

import streamlit as st

from rpsee.domain.money import format_millions, format_usd
from rpsee.domain.overview import cycle_check, funding_by_year
from rpsee.domain.overview_tables import (
    funding_table,
    grades_table,
    offices_table,
    positions_table,
    risks_table,
)
from rpsee.domain.tables import footnotes_for
from rpsee.services import planning
from rpsee.ui import auth, cache, charts, tables
from rpsee.ui.text import md

user = auth.require()
ref = cache.reference(user)
envelopes = planning.settings(user).envelopes  # as planners set them (Envelope page)
fig = ref.figures
positions = ref.positions
new_count = sum(p.is_new for p in positions)

st.title("Regional Programme for South-Eastern Europe 2024–2029")
st.caption(md(ref.objective))

# Two by two: four metrics in a row clip "USD 11.58M" and the labels at 1280 pixels wide.
m1, m2 = st.columns(2, border=True)
m3, m4 = st.columns(2, border=True)
m1.metric(
    "Annual envelope",
    format_millions(fig.annual_envelope),
    help="Annual fundraising target and budget of the programme document",
)
m2.metric(
    "Cycle envelope (document)",
    format_millions(fig.cycle_envelope),
    delta=cycle_check(fig, envelopes, short=True),
    delta_color="off",
    delta_arrow="off",
    help="The document's USD 55M for the 5-year cycle; below it, the sum of the yearly "
    "envelopes (July–December 2024 and January–June 2029 counted pro rata)",
)
m3.metric(
    "Hard pipeline 2024 + 2025",
    format_millions(sum(fig.hard_pipeline.values())),
    help="Hard pipeline as of mid-2024, including Global Programme segments",
)
m4.metric(
    "Staff requirement",
    format_millions(fig.staff_requirement),
    delta=f"{len(positions)} positions, {new_count} new",
    delta_color="off",
    delta_arrow="off",
    help=f"{format_usd(fig.staff_requirement)} to fund staff from "
    f"{fig.staff_requirement_start} to {fig.staff_requirement_end}",
)

st.header("Envelope, hard pipeline and past delivery by year")
rows = funding_by_year(fig, envelopes)
st.plotly_chart(charts.funding_by_year(rows), width="stretch", config={"displayModeBar": False})
st.caption("Delivery: what the programme spent in a year of the previous cycle (its "
           "expenditure). Hard pipeline: contributions signed with donors. Envelope: the "
           "year's fundraising target and budget.")
with st.expander("Figures by year (exact)"):
    tables.show(funding_table(rows), title=False)
    st.caption(
        "The cycle is the five years July 2024 – June 2029 of the document's USD 55M and of "
        "its staff requirement: 2024 covers July–December and 2029 January–June, each half "
        "the annual envelope (defaults planners can change; the alternative is a full 2029 "
        "to the end of the year). The hard pipeline is the "
        "document's mid-2024 figure for whole calendar years, so it can exceed the half-year "
        "envelope. " + cycle_check(fig, envelopes)
    )

st.header("Thematic areas and outputs")
area_tabs = st.tabs([f"{a.code}. {a.short_name}" for a in ref.areas])
for tab, area in zip(area_tabs, ref.areas, strict=True):
    with tab:
        st.markdown(f"### {area.code}. {md(area.name)}")
        if area.strategic_goal:
            st.markdown(f"*{md(area.strategic_goal)}*")
        for o in area.outputs:
            count = len(o.indicators)
            st.markdown(
                f"**{o.code}** {md(o.text)}  \n:gray[{count} indicator"
                f"{'' if count == 1 else 's'} in the logframe]"
            )
st.caption(
    f"{len(ref.areas)} thematic areas, {len(ref.outputs)} outputs, "
    f"{sum(len(o.indicators) for o in ref.outputs)} indicators (logframe)."
)

left, right = st.columns([3, 2])
with left:
    st.header("Staffing table")
    tables.show(grades_table(ref), title=False, label_px=190)
    with st.expander(f"All {len(positions)} positions"):
        tables.show(positions_table(ref), title=False, label_px=80)
with right:
    st.header("Offices and duty stations")
    tables.show(offices_table(ref), title=False, label_px=130)

st.header("Jurisdictions")
names = ref.jurisdiction_names()
st.markdown(" · ".join(md(n) for n in names.values()))
for note in footnotes_for(names.values(), ref.jurisdiction_footnotes()):
    st.caption(md(note))

with st.expander("Risk matrix"):
    tables.show(risks_table(ref), title=False, label_px=300)
