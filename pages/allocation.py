"""Envelope and allocation: the USD 11M a year split across thematic areas and offices,
against what the workplans and the staffing plan charge."""

from decimal import Decimal

import pandas as pd
import streamlit as st

from rpsee.domain import chart_specs
from rpsee.domain.allocation_tables import cycle_table, year_lines, year_table
from rpsee.domain.envelope import target_amounts, unallocated
from rpsee.domain.money import format_amount, format_usd
from rpsee.domain.roles import Permission, PermissionDenied
from rpsee.services import StoreError, planning, workplans
from rpsee.ui import auth, cache, charts_planning, clicks, tables
from rpsee.ui.text import md, refused
from rpsee.ui.version_label import year_select

user = auth.require()
ref = cache.reference(user)
can_edit = user.can(Permission.EDIT_PLANS)
view = cache.planning_view(user)
settings = view.settings
years = list(ref.figures.cycle_years)

st.title("Envelope and allocation")
basis_text = ("gross: it includes programme support costs" if settings.basis == "gross" else
              "net: programme support costs come on top")  # fmt: skip
st.caption(f"Envelope basis {basis_text}; programme support cost rate "
           f"{settings.rate_percent}%. Planned = workplan activities + staff costs charged"
           + (" + programme support costs." if settings.basis == "gross" else "."))  # fmt: skip
flash = st.session_state.pop("alloc_flash", None)
if flash:
    st.success(flash)

comparisons = view.comparisons
warnings = [w for c in comparisons.values() for w in c.warnings]
if warnings:
    with st.expander(f"{len(warnings)} warning(s) to look at", expanded=True, icon="⚠️"):
        for w in warnings:
            st.markdown(f"- **{md(w.cell)}**: {md(w.message)}")

tab_cycle, tab_year, tab_targets = st.tabs(["Cycle", "By year", "Targets"], key="alloc_tab",
                                           on_change="rerun")  # fmt: skip


def _cycle() -> None:
    rows = []
    for y in years:
        c = comparisons[y]
        t = c.area_total
        rows.append({"year": y, "envelope": c.envelope, "staff": t.staff,
                     "activities": t.activities, "support": t.support_costs,
                     "planned": t.planned, "unallocated": c.unallocated})  # fmt: skip
    st.plotly_chart(charts_planning.stacked_years(rows), width="stretch",
                    config={"displayModeBar": False})  # fmt: skip
    tables.show(cycle_table(year_lines({y: comparisons[y] for y in years}),
                            support_counts=settings.basis == "gross"))  # fmt: skip
    st.caption("Headroom: the part of a year's envelope not yet planned (envelope minus "
               "planned); negative (−) where the plan exceeds the envelope.")
    table = pd.DataFrame({
        "Year": [str(r["year"]) for r in rows],
        "Envelope": [format_amount(r["envelope"]) for r in rows],
    })  # fmt: skip
    edited = table
    if can_edit:
        st.markdown("**Envelopes** (USD; planners can change any year)")
        edited = st.data_editor(
            table, hide_index=True, key="alloc_envelopes", disabled=["Year"], width=360,
            column_config={"Envelope": st.column_config.TextColumn(
                alignment="right", width=160,
                help="USD, e.g. 11,000,000.00 (a point for decimals)")})  # fmt: skip
    total = sum((r["envelope"] for r in rows), Decimal(0))
    doc = ref.figures.cycle_envelope
    st.markdown(
        f"**Cycle:** envelopes {format_usd(total)} against the document's "
        f"{format_usd(doc)} for the cycle: difference {format_usd(total - doc)}. "
        f"Planned {format_usd(sum((r['planned'] for r in rows), Decimal(0)))}."
    )
    if can_edit:
        c1, c2, c3 = st.columns([1, 1, 2])
        basis = c1.radio(
            "Envelope basis",
            ["gross", "net"],
            index=["gross", "net"].index(settings.basis),
            horizontal=True,
            help="Gross: the envelope includes programme support costs",
        )
        rate = c2.text_input("Programme support cost rate (%)", str(settings.rate_percent),
                             help="0 to 50, a point for decimals (e.g. 13 or 7.5)")  # fmt: skip
        if clicks.button("Save envelope settings", key="alloc_save_envelope", where=c3,
                         type="primary"):
            values = dict(zip([int(y) for y in edited["Year"]], edited["Envelope"], strict=True))
            try:
                planning.save_envelope(user, values, basis, rate, ref)
            except (planning.PlanningError, StoreError, PermissionDenied) as exc:
                st.error(refused(getattr(exc, "problems", None), exc))
            else:
                st.session_state["alloc_flash"] = "Envelope settings saved."
                st.rerun()


def _year() -> None:
    year = year_select("Year", years, key="alloc_year", in_use=workplans.in_use_by_year(user))
    c = comparisons[year]
    count, budget = view.lines_by_year.get(year, (0, Decimal(0)))
    m1, m2, m3 = st.columns(3)  # three, so that USD 11,000,000 fits at 1280 px
    m1.metric("Envelope", format_usd(c.envelope, cents=False))
    m2.metric("Planned", format_usd(c.area_total.planned, cents=False))
    m3.metric(
        "Headroom" if c.unallocated >= 0 else "Over the envelope",
        format_usd(abs(c.unallocated), cents=False),
        help="Headroom: the part of the envelope not yet planned (envelope minus planned: "
        "activities, staff and support costs)." if c.unallocated >= 0 else
        "How far the thematic areas' plans exceed the envelope (planned minus envelope).",
    )
    if count:
        st.caption(f"{count} workplan lines with activity budgets of {format_usd(budget)}, "
                   f"from the version in use of the {year} workplan.")  # fmt: skip
    else:
        st.caption(f"No workplan lines for {year} yet: planned holds staff costs and their "
                   "programme support costs only.")  # fmt: skip
    area_names = {a.code: ref.area_label(a.code) for a in ref.areas}
    office_names = ref.office_names()
    tables.show(year_table("By thematic area", "Thematic area", c.areas, c.envelope, area_names,
                           dimension="thematic area",
                           helps={a.code: a.name for a in ref.areas}), label_px=170)  # fmt: skip
    tables.show(year_table("By office (activities by lead office, staff by duty station)",
                           "Office", c.offices, c.envelope, office_names, dimension="office",
                           helps=ref.office_labels()), label_px=170)  # fmt: skip
    st.caption(ref.office_legend())
    st.markdown("**Planned direct costs, thematic area × office** "
                f"({chart_specs.THOUSAND}, {chart_specs.THOUSAND_ROUNDING})")
    st.plotly_chart(charts_planning.heat_map(
        c.heat, [(a.code, f"{a.code}. {a.short_name}") for a in ref.areas],
        list(office_names.items())), width="stretch",
        config={"displayModeBar": False})  # fmt: skip


MODES = {"percent": "Percent of the envelope", "usd": "USD"}  # value saved -> what reads


def _target_text(target) -> str:  # noqa: ANN001
    return str(target.value) if target.mode == "percent" else format_amount(target.value)


def _targets() -> None:
    year = year_select("Year", years, key="alloc_target_year")
    envelope = settings.envelopes.get(year, Decimal(0))
    how = " Leave a value empty for no target." if can_edit else ""  # planners' instruction
    st.caption(f"Envelope {year}: {format_usd(envelope)}. A target is a share (percent of the "
               f"envelope) or an amount in USD.{how}")  # fmt: skip
    for dimension, label, keys in (
        ("area", "Thematic area", [(a.code, f"{a.code}. {a.name}") for a in ref.areas]),
        ("office", "Office", list(ref.office_names().items())),
    ):
        current = {t.key: t for t in settings.targets
                   if t.year == year and t.dimension == dimension}  # fmt: skip
        frame = pd.DataFrame({
            "Code": [k for k, _n in keys], label: [n for _k, n in keys],
            "Mode": [current[k].mode if k in current else "percent" for k, _n in keys],
            "Value": [_target_text(current[k]) if k in current else "" for k, _n in keys],
        })  # fmt: skip
        st.markdown(f"**{label} targets, {year}**")
        edited = st.data_editor(
            frame, hide_index=True, width="stretch", key=f"alloc_t_{dimension}_{year}",
            disabled=["Code", label] if can_edit else True,
            column_config={"Mode": st.column_config.SelectboxColumn(
                               options=list(MODES), format_func=MODES.get),
                           "Value": st.column_config.TextColumn(
                               alignment="right", help="Percent (e.g. 33.33) or USD (e.g. "
                               "2,200,000.00), a point for decimals")})  # fmt: skip
        saved = [t for t in current.values()]
        amounts = sum(target_amounts(saved, envelope).values(), Decimal(0))
        st.caption(f"Saved {label.lower()} targets: {format_usd(amounts)} of the envelope "
                   f"({len(saved)} of {len(keys)} set); unallocated "
                   f"{format_usd(unallocated(saved, envelope))}.")  # fmt: skip
        if can_edit and clicks.button(f"Save {label.lower()} targets",
                                      key=f"alloc_save_{dimension}"):
            rows = list(zip(edited["Code"], edited["Mode"], edited["Value"], strict=True))
            try:
                planning.save_targets(user, year, dimension, rows, ref)
            except (planning.PlanningError, StoreError, PermissionDenied) as exc:
                st.error(refused(getattr(exc, "problems", None), exc))
            else:
                st.session_state["alloc_flash"] = f"{label} targets for {year} saved."
                st.rerun()


for tab, body in ((tab_cycle, _cycle), (tab_year, _year), (tab_targets, _targets)):
    with tab:
        if tab.open:
            body()
