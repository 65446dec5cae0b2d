"""Meeting mode: large type, one chart at a time, the main assumptions as controls that recompute
at once (only the chart and its controls re-run). Observers choose among saved scenarios only."""

from dataclasses import replace

import streamlit as st

from rpsee.domain.funding import REQUIREMENT, REQUIREMENT_HELP
from rpsee.domain.money import format_millions, format_usd, from_cents
from rpsee.domain.roles import Permission, Role
from rpsee.domain.scenario import Scenario
from rpsee.domain.visibility import versions_note
from rpsee.services import scenarios
from rpsee.ui import auth, cache, charts_scenarios, scenario_cache
from rpsee.ui.text import md

BASELINE = "Baseline"
CHARTS = ["Coverage by year", "Planned costs to gap", "Monte Carlo", "By donor"]
COUNTING = {"hard": "Hard only", "hard_soft": "Hard + soft"}
NONE = "—"
BIG = 20  # chart font size
HEIGHT = 420

user = auth.require(Permission.VIEW_SCENARIOS)
ch = scenario_cache.choices(user)
donors = {d.code: d.name for d in cache.reference(user).donors}  # code -> name shown
saved = {s.name: s.scenario for s in scenarios.list_scenarios(user)}
years = list(ch.years)
ad_hoc = user.role is not Role.OBSERVER  # observers read the baseline and shared scenarios only

st.html("<style>[data-testid='stMain'] p, [data-testid='stMain'] label {font-size: 1.2rem;} "
        "[data-testid='stMain'] [data-testid='stMetricValue'] * {font-size: 2.4rem "
        "!important; font-weight: 600;} "
        "[data-testid='stMain'] h1 {font-size: 2rem; padding-top: 0;}</style>")


def _scenario() -> Scenario:
    """The scenario the controls describe, on top of the chosen start."""
    c1, c2, c3 = st.columns(3)
    start = c1.selectbox("Start from", [BASELINE, *saved], key="mt_start")
    base = saved.get(start, Scenario(BASELINE))
    if not ad_hoc:
        return base
    cutoff = c2.slider("Probability cut-off %", 0, 100, 0, 5, key="mt_cutoff")
    out = c3.selectbox("Donor out", [NONE, *ch.donors], key="mt_out")
    d1, d2, d3, d4 = st.columns(4)
    late = d1.selectbox("Donor delayed", [NONE, *ch.donors], key="mt_late")
    years_late = d2.slider("Delay (years)", 0, 3, 1, key="mt_years", disabled=late == NONE)
    currency = d3.selectbox("Currency", list(ch.currencies), key="mt_currency",
                            index=list(ch.currencies).index("EUR") if "EUR" in ch.currencies
                            else 0)  # fmt: skip
    shock = d4.slider("Exchange-rate shock %", -30, 30, 0, 5, key="mt_shock")
    delays = dict(base.delays)
    if late != NONE and years_late:
        delays[late] = years_late
    fx = dict(base.fx_shocks)
    if shock:
        fx[currency] = shock
    dropped = tuple(base.dropped_donors) + ((out,) if out != NONE else ())
    return replace(base, name=start if start != BASELINE else "Meeting", dropped_donors=dropped,
                   probability_cutoff=max(base.probability_cutoff, cutoff), delays=delays,
                   fx_shocks=fx)  # fmt: skip


@st.fragment
def meeting() -> None:
    """The figures and the chart on top, the controls under them; a control change re-runs
    only this fragment."""
    top = st.container()
    k1, k2 = st.columns([2, 3])
    mode = k1.radio("Count", list(COUNTING), format_func=COUNTING.get, horizontal=True,
                    key="mt_mode", index=1)  # fmt: skip
    chart = k2.radio("Chart", CHARTS, horizontal=True, key="mt_chart")
    s = _scenario()
    year = st.select_slider("Year (planned costs to gap)", years, key="mt_year",
                            value=2026 if 2026 in years else years[0])  # fmt: skip
    with top:
        _figures(s, mode, chart, year)


def _figures(s: Scenario, mode: str, chart: str, year: int) -> None:
    r = scenario_cache.result(user, s)
    req = {y: r.funding[mode][y].total.requirement_cents for y in years}
    funded = {y: r.funding[mode][y].total.funded_cents for y in years}
    gap = sum(req.values()) - sum(funded.values())
    m1, m2, m3 = st.columns(3)
    m1.metric(REQUIREMENT, format_millions(from_cents(sum(req.values()))),
              help=f"2024–2029: {format_usd(from_cents(sum(req.values())))}. "
                   f"{REQUIREMENT_HELP}")  # fmt: skip
    m2.metric("Gap", format_millions(from_cents(gap)), help=format_usd(from_cents(gap)))
    m3.metric("Chance every year covered", f"{r.monte_carlo.cover_all * 100:.0f}%")
    if r.note:  # an observer: what is withheld from these figures, and why
        st.caption(md(r.note))
    if chart == "Coverage by year":
        fig = charts_scenarios.coverage(req, funded, years, None, HEIGHT, BIG)
    elif chart == "Planned costs to gap":
        fig = charts_scenarios.waterfall(r.waterfalls[year], f"{year}", HEIGHT, BIG)
    elif chart == "Monte Carlo":
        fig = charts_scenarios.fan(r.monte_carlo, req, None, HEIGHT, BIG)
    else:
        fig = charts_scenarios.by_donor(r.by_donor[mode], years, None, HEIGHT, BIG, donors)
    st.plotly_chart(fig, config={"displayModeBar": False}, key="mt_fig")
    rates = ", ".join(f"{c} {v.usd_per_unit}" for c, v in sorted(r.rates.items()) if c != "USD")
    as_of = max((v.as_of for v in r.rates.values()), default=None)
    st.caption(md(f"Rates (USD per unit, as of {as_of:%d %b %Y}): {rates}. "
                  f"{versions_note(user, r.versions)} Monte Carlo {r.monte_carlo.draws:,} draws."))


st.title("Meeting mode")
meeting()
