"""Meeting mode, made for a projector at 1280×720 with the sidebar collapsed: the controls on the
left and the figures with one chart on the right, both in view without scrolling; large type,
values as large as their labels, every figure explained in one line, the chart's caption stating
the assumptions applied. A control change re-runs only the fragment. Observers choose among the
scenarios shared with them only, and read donors only as their role may see them."""

import textwrap
from dataclasses import replace

import streamlit as st

from rpsee.domain.funding import REQUIREMENT, REQUIREMENT_HELP
from rpsee.domain.money import format_millions, format_usd, from_cents
from rpsee.domain.roles import Permission, Role
from rpsee.domain.scenario import Scenario, contribution_key
from rpsee.domain.scenario_caption import assumptions_caption, requirement_note
from rpsee.domain.visibility import versions_note
from rpsee.services import scenarios
from rpsee.ui import auth, cache, charts_scenarios, scenario_cache
from rpsee.ui.text import md, plot_text

BASELINE = "Baseline"
CHARTS = ["Coverage by year", "Planned costs to gap", "Monte Carlo", "By donor"]
COUNTING = {"hard": "Hard only", "hard_soft": "Hard + soft"}
NONE = "—"
BIG = 18  # chart font size
HEIGHT = 400
CAPTION_CHARS = 72  # a line of the chart's caption at its font, in the chart's width

user = auth.require(Permission.VIEW_SCENARIOS)
ch = scenario_cache.choices(user)
all_names = cache.reference(user).donor_names()
# Donors as this reader may see them: an observer's choices hold only the donors it may name.
donors = {code: all_names.get(code, code) for code in ch.donors}
contributions = {contribution_key(c): f"{donors.get(c.donor, c.donor)} {c.reference}"
                 for c in ch.contributions if c.donor in donors}  # fmt: skip
positions = {pid: title for pid, title, _new in ch.positions}
saved = {s.name: s.scenario for s in scenarios.list_scenarios(user)}
years = list(ch.years)
ad_hoc = user.role is not Role.OBSERVER  # observers read the baseline and shared scenarios only


def _donor(code: str) -> str:
    return NONE if code == NONE else donors.get(code, code)


st.html("<style>"
        "[data-testid='stMainBlockContainer'] {padding-top: 3.4rem; padding-bottom: 0;}"
        "[data-testid='stMain'] h1 {font-size: 1.7rem; padding: 0 0 0.2rem 0;}"
        "[data-testid='stMain'] p, [data-testid='stMain'] label {font-size: 1.15rem;}"
        # selected values as large as their labels
        "[data-testid='stMain'] [data-testid='stSelectbox'] input "
        "{font-size: 1.15rem !important;}"
        "[data-testid='stMain'] [data-testid='stSliderThumbValue'],"
        "[data-testid='stMain'] [data-testid='stSliderTickBarMin'],"
        "[data-testid='stMain'] [data-testid='stSliderTickBarMax'] "
        "{font-size: 1.15rem !important;}"
        "[data-testid='stMain'] [data-testid='stMetricValue'] * {font-size: 2.2rem "
        "!important; font-weight: 600;}"
        "[data-testid='stMain'] [data-testid='stCaptionContainer'] p {font-size: 1rem;}"
        "[data-testid='stMain'] [data-testid='stVerticalBlock'] {gap: 0.45rem;}"
        "</style>")  # fmt: skip


def _scenario() -> Scenario:
    """The scenario the controls describe, on top of the chosen start (two controls a row)."""
    c1, c2 = st.columns(2)
    start = c1.selectbox("Start from", [BASELINE, *saved], key="mt_start")
    base = saved.get(start, Scenario(BASELINE))
    if not ad_hoc:
        return base
    cutoff = c2.slider("Probability cut-off %", 0, 100, 0, 5, key="mt_cutoff")
    d1, d2 = st.columns(2)
    out = d1.selectbox("Donor out", [NONE, *ch.donors], key="mt_out", format_func=_donor)
    late = d2.selectbox("Donor delayed", [NONE, *ch.donors], key="mt_late",
                        format_func=_donor)  # fmt: skip
    e1, e2 = st.columns(2)
    currency = e1.selectbox("Currency", list(ch.currencies), key="mt_currency",
                            index=list(ch.currencies).index("EUR") if "EUR" in ch.currencies
                            else 0)  # fmt: skip
    years_late = e2.slider("Delay (years)", 0, 3, 1, key="mt_years", disabled=late == NONE)
    shock = st.slider("Exchange-rate shock %", -30, 30, 0, 5, key="mt_shock")
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
    """Controls on the left, figures and the chart on the right; a control change re-runs only
    this fragment."""
    left, right = st.columns([2, 3], gap="medium")
    with left:
        mode = st.radio("Count", list(COUNTING), format_func=COUNTING.get, horizontal=True,
                        key="mt_mode", index=1)  # fmt: skip
        chart = st.radio("Chart", CHARTS, horizontal=True, key="mt_chart")
        s = _scenario()
        year = years[0]
        if chart == "Planned costs to gap":
            year = st.select_slider("Year", years, key="mt_year",
                                    value=2026 if 2026 in years else years[0])  # fmt: skip
    with right:
        _figures(s, mode, chart, year)


def _caption(r: scenarios.ScenarioResult, mode: str, year: int | None = None) -> str:
    """The chart's caption: the year shown (if one), the assumptions applied and the counting
    mode, wrapped to the chart's width (each line escaped for Plotly)."""
    text = assumptions_caption(r.assumptions, donors, contributions, positions,
                               r.hidden_assumptions)  # fmt: skip
    text = f"Assumptions: {text} · counting {COUNTING[mode].lower()}"
    if year is not None:
        text = f"{year} · {text}"
    return "<br>".join(plot_text(line) for line in textwrap.wrap(text, CAPTION_CHARS))


def _figures(s: Scenario, mode: str, chart: str, year: int) -> None:
    r = scenario_cache.result(user, s)
    req = {y: r.funding[mode][y].total.requirement_cents for y in years}
    funded = {y: r.funding[mode][y].total.funded_cents for y in years}
    gap = sum(req.values()) - sum(funded.values())
    m1, m2, m3 = st.columns([1.35, 0.9, 1.15])
    m1.metric(REQUIREMENT, format_millions(from_cents(sum(req.values()))),
              help=f"{format_usd(from_cents(sum(req.values())))}. {REQUIREMENT_HELP}")
    m1.caption("What the plans cost, July 2024 – June 2029")
    m2.metric("Gap", format_millions(from_cents(gap)), help=format_usd(from_cents(gap)))
    m2.caption(f"Requirement minus money {COUNTING[mode].lower()} that may pay it")
    m3.metric("Chance every year covered", f"{r.monte_carlo.cover_all * 100:.0f}%")
    m3.caption(f"Share of {r.monte_carlo.draws:,} random draws of the pipeline that cover "
               "every year")  # fmt: skip
    caption = _caption(r, mode, year if chart == "Planned costs to gap" else None)
    lines = caption.count("<br>") + 1
    # Plotly sets a title of several lines, anchored at its top, about 10 px too high: its first
    # line was cut off at the chart's top edge; 10 px more keep it whole.
    extra = 0 if lines == 1 else 10
    # The caption as the chart's title, merged into the chart's layout as it is built (one
    # layout, not a plotly update after it: bench/meeting_load.py).
    layout = {"title": {"text": caption, "font": {"size": BIG - 2}, "x": 0, "xanchor": "left",
                        "yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 4 + extra}},
              "margin": {"t": 14 + 22 * lines + extra}}  # fmt: skip
    if chart == "Coverage by year":
        fig = charts_scenarios.coverage(req, funded, years, None, HEIGHT, BIG, layout=layout)
    elif chart == "Planned costs to gap":
        fig = charts_scenarios.waterfall(r.waterfalls[year], f"{year}", HEIGHT, BIG,
                                         layout=layout)  # fmt: skip
    elif chart == "Monte Carlo":
        fig = charts_scenarios.fan(r.monte_carlo, req, None, HEIGHT, BIG, layout=layout)
    else:
        # the result's donors are already those this reader may see (observers: the aggregate);
        # many donors: the legend in a column beside the bars, not under them; every year
        layout |= {"legend": {"orientation": "v", "x": 1.01, "y": 1, "yanchor": "top",
                              "font": {"size": BIG - 4}},
                   "xaxis": {"tickmode": "array", "tickvals": [str(y) for y in years]}}
        fig = charts_scenarios.by_donor(r.by_donor[mode], years, None, HEIGHT, BIG, all_names,
                                        layout=layout)  # fmt: skip
    st.plotly_chart(fig, config={"displayModeBar": False}, key="mt_fig")
    if r.note:  # an observer: what is withheld from these figures, and why
        st.caption(md(r.note))
    if chart == "Monte Carlo":
        st.caption(charts_scenarios.FAN_MEANING)
    if chart == "By donor":  # the bars count every tranche; the gap counts what may pay
        counted = sum(r.funding[mode][y].counted_cents for y in years)
        unused = sum(r.funding[mode][y].unused_cents for y in years)
        st.caption(md(f"Bars: money counted {COUNTING[mode].lower()}, every tranche, "
                      f"{format_millions(from_cents(counted))}; minus "
                      f"{format_millions(from_cents(unused))} not usable in its year "
                      "(earmarked to other needs, or beyond them) = "
                      f"{format_millions(from_cents(sum(funded.values())))} funded, the figure "
                      "the gap uses."))
    envelope = format_millions(sum(ch.envelopes.values()))
    st.caption(md(requirement_note(years, sorted(r.versions), envelope)))
    rates = ", ".join(f"{c} {v.usd_per_unit}" for c, v in sorted(r.rates.items()) if c != "USD")
    as_of = max((v.as_of for v in r.rates.values()), default=None)
    st.caption(md(f"Rates (USD per unit, as of {as_of:%d %b %Y}): {rates}. "
                  f"{versions_note(user, r.versions)} Monte Carlo {r.monte_carlo.draws:,} draws."))


st.title("Meeting mode")
meeting()
