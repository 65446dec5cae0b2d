"""Funding scenarios: the requirement against the pipeline under saved assumptions; funding
counted three ways, the gap and what it means, cut lines, up to four scenarios side by side,
frozen records for the Steering Committee pack. Planners and finance edit; planners freeze;
PSC members and observers read (observers: the scenarios planners shared, computed from the
redacted pipeline; the note says what is withheld)."""

import json
from dataclasses import replace
from decimal import Decimal

import streamlit as st

from rpsee.domain.funding import REQUIREMENT, REQUIREMENT_HELP
from rpsee.domain.funding_plan import MODE_LABELS, MODES
from rpsee.domain.money import (
    AmountError,
    format_usd,
    from_cents,
    parse_percent,
)
from rpsee.domain.pipeline import STATUS_LABELS
from rpsee.domain.roles import Permission, PermissionDenied, Role
from rpsee.domain.scenario import Scenario, several_uncertain
from rpsee.domain.scenario_tables import (
    breakdown_table,
    comparison_table,
    counted_to_funded_table,
    cut_table,
    delta_table,
    reconciliation_table,
    shortfall_table,
    years_table,
)
from rpsee.domain.tables import footnotes_for
from rpsee.domain.visibility import versions_note
from rpsee.services import scenario_sharing, scenarios
from rpsee.services.scenarios import ScenarioRefused
from rpsee.ui import auth, cache, charts_scenarios, compare_charts, scenario_cache, tables
from rpsee.ui.scenario_editor import CORRELATION_HELP, editor
from rpsee.ui.text import md, refused

BASELINE = "Baseline (the pipeline and plans as they are)"
CORRELATION_MEANING = CORRELATION_HELP  # one wording: the editor's
CHART = {"displayModeBar": False}

user = auth.require(Permission.VIEW_SCENARIOS)
ref = cache.reference(user)
donors = {d.code: d.name for d in ref.donors}  # code -> name, as the pipeline page shows them
# The shortfall lists' label column: with priority, area and three amounts, the Missing column
# still fits at 1280 px (at 320 px it was cut mid-number).
SHORTFALL_LABEL_PX = 250
ch = scenario_cache.choices(user)
saved = {s.name: s for s in scenarios.list_scenarios(user)}
area_names = {a.code: ref.area_label(a.code) for a in ref.areas}
office_names = ref.office_names()
years = list(ch.years)

st.title("Funding scenarios")
flash = st.session_state.pop("sc_flash", None)
if flash:
    st.success(flash)

options = [BASELINE, *saved]
if "sc_pick_next" in st.session_state:
    st.session_state["sc_pick"] = st.session_state.pop("sc_pick_next")
if st.session_state.get("sc_pick") not in options:
    st.session_state["sc_pick"] = BASELINE
p1, p2, p3 = st.columns([5, 4, 3])
pick = p1.selectbox("Scenario", options, key="sc_pick")
mode = p2.radio("Count funding", MODES, index=1, format_func=MODE_LABELS.get, horizontal=True,
                key="sc_mode")  # fmt: skip
loaded = saved.get(pick)
scenario = loaded.scenario if loaded else Scenario(BASELINE)
own_rho = float(scenario.donor_correlation)
# Observers read saved scenarios as saved (an assumption of their own is refused); the others
# may try another correlation here, not saved (planners and finance save it under Edit).
rho = p3.slider(
    "Correlation within a donor", 0.0, 1.0, own_rho, 0.1, format="%.1f",
    key=f"sc_corr_{loaded.id if loaded else 0}_{loaded.version if loaded else 0}",
    disabled=user.role is Role.OBSERVER, help=f"Monte Carlo: {CORRELATION_MEANING}")  # fmt: skip
if round(rho, 1) != round(own_rho, 1):
    scenario = replace(scenario, donor_correlation=Decimal(str(round(rho, 1))))
if loaded and loaded.hidden_assumptions:
    st.info(f"{loaded.hidden_assumptions} assumption(s) of this scenario concern other donors' "
            "confidential contributions and are not listed.")  # fmt: skip
result = scenario_cache.result(user, scenario)
if result.note:
    st.info(md(result.note))
if loaded and user.can(Permission.FREEZE_SCENARIOS):
    share = st.toggle("Shared with donor observers", loaded.shared,
                      key=f"sc_share_{loaded.id}_{loaded.version}",
                      help="Observers read only shared scenarios; a scenario that singles out "
                           "a donor's confidential money cannot be shared.")  # fmt: skip
    if share != loaded.shared:
        try:
            scenario_sharing.set_shared(user, loaded.id, loaded.version, share)
        except (ScenarioRefused, PermissionDenied) as exc:
            st.error(refused(getattr(exc, "problems", None), exc))
        else:
            st.session_state["sc_flash"] = (f"{pick}: " + ("shared with donor observers."
                                            if share else "no longer shared with observers."))
            st.rerun()
rates = ", ".join(f"{c} {r.usd_per_unit} ({r.as_of:%d %b %Y})" for c, r in
                  sorted(result.rates.items()) if c != "USD")  # fmt: skip
shocked = ", ".join(f"{c} {v:+}%" for c, v in result.rates_shocked.items())
st.caption(
    f"{versions_note(user, result.versions)} USD per unit: {rates}"
    + (f" (shocked: {shocked})" if shocked else "")
    + ". Probability defaults: "
    + ", ".join(f"{STATUS_LABELS.get(k, k).split(' (')[0]} {v}%" for k, v in ch.defaults.items())
    + "."
    f" Monte Carlo: {result.monte_carlo.draws:,} draws, seed {result.monte_carlo.seed}.")
several = several_uncertain(ch.contributions, ch.defaults)
st.caption(
    f"Correlation within a donor {rho:.1f}"
    + ("" if round(rho, 1) == round(own_rho, 1) else
       f" (tried here, not saved; the scenario has {own_rho:.1f})")
    + f": {CORRELATION_MEANING} It moves the Monte Carlo's P10–P90 band and chances, not its "
    "mean, and only for donors with more than one uncertain contribution ("
    + (md(", ".join(donors.get(d, d) for d in several)) or "none in this pipeline") + ").")
if result.unmatched:
    st.warning("Assumptions that name nothing in the pipeline or plans today (not applied): "
               + "; ".join(md(u) for u in result.unmatched))  # fmt: skip


def _requirement(r: scenarios.ScenarioResult) -> dict[int, int]:
    return {y: r.funding[mode][y].total.requirement_cents for y in r.years}


def _results() -> None:
    req = sum(_requirement(result).values())
    funded = sum(result.funding[mode][y].total.funded_cents for y in years)
    # Two by two: four metrics in a row cut the amounts ("USD 27,52…") at 1280 px.
    (m1, m2), (m3, m4) = st.columns(2), st.columns(2)
    m1.metric(f"{REQUIREMENT} (cycle)", format_usd(from_cents(req), cents=False),
              help=REQUIREMENT_HELP)
    m2.metric(f"Funded ({MODE_LABELS[mode].lower()})", format_usd(from_cents(funded), cents=False))
    m3.metric("Gap", format_usd(from_cents(req - funded), cents=False))
    m4.metric("Chance every year covered", f"{result.monte_carlo.cover_all * 100:.1f}%",
              help="Monte Carlo: share of draws in which the money that materialises covers "
                   "every year's requirement, honouring earmarks")  # fmt: skip
    tables.show(years_table(result.funding, mode, "By year (USD)"))
    tables.show(reconciliation_table(result.funding, mode, "From planned costs to the "
                                     f"{REQUIREMENT.lower()} (USD)", ch.support_rate))
    tables.show(counted_to_funded_table(result.funding, mode, "From money counted (the "
                                        "pipeline, by donor) to funded (USD)"))
    if 2024 in years and ch.envelopes.get(2024) is not None:
        hard = sum(v for (_d, y), v in result.by_donor["hard"].items() if y == 2024)
        st.caption(f"Calendar year 2024: hard pipeline {format_usd(from_cents(hard), cents=False)}"
                   " (Global Programme segments included) against the 2024 envelope of "
                   f"{format_usd(ch.envelopes[2024], cents=False)} for July–December only: the "
                   "pipeline also pays January–June 2024 (the previous cycle) and Global "
                   "Programme work, so the two do not compare one to one.")  # fmt: skip
    # One chart a row: beside the fan, a dozen donors' legend took the by-donor chart's height
    # (a squashed plot, a legend scrolling inside it) at 1280 px.
    st.plotly_chart(charts_scenarios.fan(result.monte_carlo, _requirement(result),
                                         "Monte Carlo: funding P10–P90"), config=CHART)
    st.caption(f"Monte Carlo: {result.monte_carlo.draws:,} simulated outcomes of the pipeline, "
               "each contribution materialising or not at its probability. "
               + charts_scenarios.FAN_MEANING)
    st.plotly_chart(charts_scenarios.by_donor(result.by_donor[mode], years,
                                              f"By donor ({MODE_LABELS[mode].lower()})",
                                              names=donors),
                    config=CHART)  # fmt: skip
    year = st.selectbox("Year", years, index=years.index(2026) if 2026 in years else 0,
                        key="sc_year")  # fmt: skip
    st.plotly_chart(charts_scenarios.waterfall(result.waterfalls[year],
                                               f"{year}: planned costs to gap"), config=CHART)
    f = result.funding[mode][year]
    tables.show(breakdown_table(f"{year} by thematic area", "Thematic area", f.areas,
                                area_names), label_px=170)  # fmt: skip
    labels = [office_names.get(c.key, c.key) for c in f.offices]
    tables.show(breakdown_table(f"{year} by office (activities by lead office, staff by duty "
                                "station)", "Office", f.offices, office_names,
                                footnotes_for(labels, ref.jurisdiction_footnotes())),
                label_px=170)  # fmt: skip


def _gap() -> None:
    year = st.selectbox("Year", years, index=years.index(2026) if 2026 in years else 0,
                        key="sc_gap_year")  # fmt: skip
    short = result.shortfalls[mode]
    st.caption("The funding plan pays essential lines first, then high, medium and low, "
               "honouring earmarks and tranche years. What stays unfunded or partly funded "
               f"({MODE_LABELS[mode].lower()}), in direct costs:")  # fmt: skip
    tables.show(shortfall_table(f"{year}: unfunded and partly funded", short, year, area_names),
                label_px=SHORTFALL_LABEL_PX)  # fmt: skip
    paid: dict[str, int] = {}
    for a in result.allocations[mode]:
        if a.year == year:
            paid[a.donor] = paid.get(a.donor, 0) + a.cents
    from rpsee.domain.tables import breakdown

    tables.show(breakdown(f"{year}: who pays (direct costs)", "Donor",
                          [(donors.get(d, d), from_cents(c)) for d, c in sorted(paid.items())],
                          share=True))  # fmt: skip


def _cut() -> None:
    st.caption("A cut line answers: if only this share of the year's planned costs were funded, "
               "what would go? The money funds the essential activities and positions first, "
               "then high, medium and low priority; what it does not reach falls below the "
               "line (the one straddling it is partly funded).")  # fmt: skip
    c1, c2 = st.columns(2)
    text = c1.text_input("Funding level (% of the planned costs)", "70", key="sc_level")
    year = c2.selectbox("Year", years, index=years.index(2026) if 2026 in years else 0,
                        key="sc_cut_year")  # fmt: skip
    try:
        level = parse_percent(text, field="Funding level", high=Decimal(1000))
    except AmountError as exc:
        st.error(md(str(exc)))
        return
    cut = scenarios.cut_lines(user, scenario, level)[year]
    tables.show(cut_table(cut))
    tables.show(shortfall_table("Below the line", cut.below, year, area_names),
                label_px=SHORTFALL_LABEL_PX)  # fmt: skip


def _compare() -> None:
    chosen = st.multiselect("Scenarios to compare (up to four)", options,
                            default=options[: min(3, len(options))], max_selections=4,
                            key="sc_compare")  # fmt: skip
    if not chosen:
        st.info("Choose one to four scenarios.")
        return
    picked = [saved[n].scenario if n in saved else Scenario(BASELINE) for n in chosen]
    results = [scenario_cache.result(user, s) for s in picked]
    span = st.radio("Over", ["Cycle", *map(str, years)], horizontal=True, key="sc_cmp_span")
    over = years if span == "Cycle" else [int(span)]
    short = ["Baseline" if n == BASELINE else n for n in chosen]
    side = comparison_table(f"Side by side ({span.lower()}; gap and cover "
                            f"{MODE_LABELS[mode].lower()})", short, [r.funding for r in results],
                            [r.monte_carlo.cover_all for r in results], over, mode)  # fmt: skip
    tables.show(side, label_px=150)
    others = [i for i, n in enumerate(chosen) if n != BASELINE]
    if others:
        base = scenario_cache.result(user, Scenario(BASELINE))
        base_row = comparison_table("", ["Baseline"], [base.funding],
                                    [base.monte_carlo.cover_all], over, mode).rows[0]
        picked_rows = replace(side, rows=tuple(side.rows[i] for i in others))
        tables.show(delta_table(f"Δ against the baseline ({span.lower()})", picked_rows,
                                base_row), label_px=150)  # fmt: skip
    gaps = [{y: r.funding[mode][y].total.gap_cents for y in years} for r in results]
    st.plotly_chart(charts_scenarios.gaps(chosen, gaps, years,
                                          f"Gap by year ({MODE_LABELS[mode].lower()})"),
                    config=CHART)  # fmt: skip
    st.header("Per scenario", anchor=False)
    st.caption("One row per chart, one column per scenario; the columns of a row share their "
               "y-axis (USD million), so heights compare.")  # fmt: skip
    year = st.selectbox("Waterfall year", years, index=years.index(2026) if 2026 in years
                        else 0, key="sc_cmp_year")  # fmt: skip
    _row(f"Planned costs to gap, {year} (hard, then soft)", short,
         compare_charts.waterfalls([r.waterfalls[year] for r in results]), "wf")
    figs, colours = compare_charts.by_donor([r.by_donor[mode] for r in results], years, donors)
    _row(f"By donor and year ({MODE_LABELS[mode].lower()})", short, figs, "donor")
    st.html(compare_charts.legend_html(colours))
    _row("Monte Carlo: funding per year", short,
         compare_charts.fans([(r.monte_carlo, _requirement(r)) for r in results]), "fan")
    st.caption(charts_scenarios.FAN_MEANING)


def _row(title: str, names: list[str], figs: list, key: str) -> None:
    """One chart per scenario, side by side, under the row's title."""
    st.markdown(f"**{md(title)}**")
    for i, (col, name, fig) in enumerate(zip(st.columns(len(figs)), names, figs, strict=True)):
        col.html(compare_charts.header_html(name))
        col.plotly_chart(fig, config=CHART, key=f"sc_cmp_{key}_{i}")


def _frozen() -> None:
    if user.can(Permission.FREEZE_SCENARIOS):
        label = pick if loaded else "the baseline"
        if st.button(f"Freeze {label} for the Steering Committee pack", key="sc_freeze",
                     help="An immutable record of its inputs and results (never changed)"):
            try:
                s = scenario if loaded else Scenario("Baseline")
                scenarios.freeze(user, s, loaded.id if loaded else None)
            except (ScenarioRefused, PermissionDenied) as exc:
                st.error(refused(getattr(exc, "problems", None), exc))
            else:
                st.session_state["sc_flash"] = f"{label} frozen."
                st.rerun()
    records = scenarios.frozen_scenarios(user)
    if not records:
        st.caption("No frozen scenario yet. A frozen scenario keeps a scenario's assumptions "
                   "and results as they were, never changed, for the Steering Committee's "
                   "approval pack.")
        return
    for f in records:
        status = "intact" if f.intact else ":red[CHANGED since it was frozen]"
        c1, c2 = st.columns([4, 1])
        c1.markdown(f"**{md(f.name)}**, frozen {f.frozen_at:%Y-%m-%d %H:%M} UTC by "
                    f"{md(f.frozen_by)} · SHA-256 `{f.content_hash[:16]}…` · {status}")
        if f.body.get("disclosure_note"):  # an observer's edition: what it withholds, and why
            c1.caption(md(f.body["disclosure_note"]))
        c2.download_button("JSON", json.dumps(f.body, indent=1, ensure_ascii=False),
                           file_name=f"scenario-{f.id}.json", mime="application/json",
                           key=f"sc_frozen_{f.id}")  # fmt: skip


labels = ["Results", "What the gap means", "Cut lines", "Compare", "Frozen"]
can_edit = user.can(Permission.EDIT_SCENARIOS)
if can_edit:
    labels.append("Edit")
tabs = st.tabs(labels, key="sc_tab", on_change="rerun")
for tab, draw in zip(tabs, [_results, _gap, _cut, _compare, _frozen], strict=False):
    if tab.open:
        with tab:
            draw()
if can_edit and tabs[-1].open:
    with tabs[-1]:
        st.caption("Changes apply on save. Start from the scenario chosen above; “Save as new” "
                   "keeps the original.")  # fmt: skip
        editor(user, ch, scenario, loaded)
