"""The scenario editor (planners and finance): assumptions as form controls, amounts and percents
typed as text and read by parse_amount / parse_percent; refused whole, naming the field."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from rpsee.domain.money import AmountError, format_amount, is_blank, parse_amount, parse_percent
from rpsee.domain.pipeline import STATUS_LABELS
from rpsee.domain.roles import CurrentUser, PermissionDenied
from rpsee.domain.scenario import Scenario, ScenarioError, contribution_key
from rpsee.domain.scenario_tables import position_effect_table
from rpsee.services import StoreError, scenarios
from rpsee.services.scenarios import Choices, SavedScenario, ScenarioConflict, ScenarioRefused
from rpsee.ui import cache, clicks, scenario_cache, tables
from rpsee.ui.text import refused

MAX_DELAY_YEARS = 5
MAX_DEFER_MONTHS = 72
PREVIEW_DRAWS = 100  # the position preview reads the requirement only, not the Monte Carlo
CORRELATION_HELP = ("0 = each contribution materialises or fails on its own; 1 = a donor's "
                    "contributions all materialise or fail together.")


def _percent(value: object, field: str, problems: list[str], low: int = 0,
             high: int = 100, row: str | None = None) -> Decimal:  # fmt: skip
    try:
        return parse_percent(value, field=field, row=row, low=Decimal(low), high=Decimal(high),
                             blank=Decimal(0))  # fmt: skip
    except AmountError as exc:
        problems.append(str(exc))
        return Decimal(0)


def _contribution_frame(ch: Choices, s: Scenario, names: dict[str, str]) -> pd.DataFrame:
    rows = []
    for c in ch.contributions:
        key = contribution_key(c)
        rows.append({
            "Key": key, "Contribution": f"{names.get(c.donor, c.donor)}: {c.reference}",
            "Status": STATUS_LABELS[c.status].split(" (")[0],
            "Amount": f"{c.currency} {format_amount(c.total)}",
            "Probability %": str(s.probability[key]) if key in s.probability else "",
            "New amount": format_amount(s.amount[key]) if key in s.amount else "",
            "Delay (years)": int(s.delays.get(key, 0)),
        })  # fmt: skip
    return pd.DataFrame(rows)


def _read(ch: Choices, name: str, texts: dict[str, str], donors_out: list[str],
          donor_delays: pd.DataFrame, contribs: pd.DataFrame, shocks: pd.DataFrame,
          positions: dict[str, Any], correlation: float
          ) -> tuple[Scenario | None, list[str]]:  # fmt: skip
    problems: list[str] = []
    probability, amount, delays, fx = {}, {}, {}, {}
    for r in contribs.to_dict("records"):
        row = f"Contribution {r['Contribution']}"
        if not is_blank(r["Probability %"]):
            probability[r["Key"]] = _percent(r["Probability %"], "Probability %", problems,
                                             row=row)  # fmt: skip
        if not is_blank(r["New amount"]):
            try:
                amount[r["Key"]] = parse_amount(r["New amount"], field="New amount", row=row)
            except AmountError as exc:
                problems.append(str(exc).replace("USD ", ""))
        if int(r["Delay (years)"] or 0):
            delays[r["Key"]] = int(r["Delay (years)"])
    for r in donor_delays.to_dict("records"):
        if int(r["Delay (years)"] or 0):
            delays[r["Key"]] = int(r["Delay (years)"])
    for r in shocks.to_dict("records"):
        if not is_blank(r["Shock %"]):
            fx[r["Currency"]] = _percent(r["Shock %"], f"Exchange-rate shock {r['Currency']}",
                                         problems, low=-90, high=200)  # fmt: skip
    cutoff = _percent(texts["cutoff"], "Probability cut-off %", problems)
    cut = _percent(texts["cut"], "Requirement cut %", problems)
    envelope = _percent(texts["envelope"], "Envelope change %", problems, low=-100, high=100)
    if problems:
        return None, problems
    try:
        return Scenario(name.strip(), probability, amount, tuple(donors_out), cutoff, delays, fx,
                        cut, envelope_change_percent=envelope,
                        donor_correlation=Decimal(str(round(correlation, 1))),
                        **positions), []  # fmt: skip
    except ScenarioError as exc:
        return None, [str(exc)]


def _positions(ch: Choices, start: Scenario, k: str) -> dict[str, Any]:
    """Positions deferred (each by its own months) or dropped, and the rules for every new
    position, as the Scenario's fields."""
    names = {p: f"{p} {t}{' (new)' if new else ''}" for p, t, new in ch.positions}
    chosen = st.multiselect("Positions deferred", list(names),
                            [p for p in start.deferred_positions if p in names],
                            format_func=names.get, key=f"{k}_defer",
                            help="Each chosen position starts later by its own months")  # fmt: skip
    deferred = {}
    for p in chosen:
        months = st.number_input(f"{p}: deferred by (months)", 0, MAX_DEFER_MONTHS,
                                 start.deferred_positions.get(p, 6), key=f"{k}_dm_{p}")  # fmt: skip
        if months:
            deferred[p] = int(months)
    dropped = st.multiselect("Positions dropped", list(names),
                             [p for p in start.dropped_positions if p in names],
                             format_func=names.get, key=f"{k}_drop")  # fmt: skip
    defer_new = st.number_input("Defer every other new position (months)", 0, MAX_DEFER_MONTHS,
                                start.defer_new_months, key=f"{k}_dn")  # fmt: skip
    drop_new = st.checkbox("Drop every new position", start.drop_new_positions,
                           key=f"{k}_dropnew")  # fmt: skip
    return {"deferred_positions": deferred, "defer_new_months": int(defer_new),
            "dropped_positions": tuple(dropped), "drop_new_positions": bool(drop_new)}


def _position_effect(user: CurrentUser, start: Scenario, positions: dict[str, Any]) -> None:
    """The requirement with and without the position changes on the form (the rest of the
    scenario as it starts), by year; recomputed as the controls change, before any save."""
    none = replace(start, deferred_positions={}, defer_new_months=0, dropped_positions=(),
                   drop_new_positions=False)  # fmt: skip
    mine = replace(none, **positions)
    if mine == none:
        st.caption("No position deferred or dropped.")
        return
    without = scenario_cache.result(user, none, PREVIEW_DRAWS)
    with_them = scenario_cache.result(user, mine, PREVIEW_DRAWS)
    tables.show(position_effect_table(
        "Effect of the position changes on the requirement (USD, support costs at the "
        "default rate)", without.funding["hard"], with_them.funding["hard"]))  # fmt: skip


def editor(user: CurrentUser, ch: Choices, start: Scenario, loaded: SavedScenario | None) -> None:
    """Draw the editor for `start` (a saved scenario when `loaded`); save or delete on click."""
    base = f"sc_edit_{loaded.id if loaded else 'new'}"
    fresh = st.session_state.get(f"{base}_reloads", 0)  # a conflict starts a fresh form
    k = f"{base}r{fresh}" if fresh else base
    # The version the user started editing from: a save checks it, so someone else's save in
    # between (the page re-reads the list on every run) is a conflict, never overwritten.
    version = st.session_state.setdefault(f"{k}_version", loaded.version if loaded else None)
    name = st.text_input("Name", start.name if loaded else "", key=f"{k}_name", max_chars=120)
    description = st.text_area("Description", loaded.description if loaded else "",
                               key=f"{k}_desc", height=70)  # fmt: skip
    c1, c2, c3 = st.columns(3)
    texts = {
        "cutoff": c1.text_input("Probability cut-off %", str(start.probability_cutoff or ""),
                                key=f"{k}_cutoff", help="Leave out contributions counted below "
                                "this probability, e.g. 50"),  # fmt: skip
        "cut": c2.text_input("Requirement cut %", str(start.requirement_cut_percent or ""),
                             key=f"{k}_cut", help="Every activity's budget cut by this percent"),
        "envelope": c3.text_input("Envelope change %", str(start.envelope_change_percent or ""),
                                  key=f"{k}_env", help="e.g. -10 or 5"),  # fmt: skip
    }
    st.markdown("**Donors**")
    d1, d2 = st.columns(2)
    all_names = cache.reference(user).donor_names()  # donors by name, not code
    names = {code: all_names.get(code, code) for code in ch.donors}
    donors_out = d1.multiselect("Donors dropping out", ch.donors,
                                [d for d in start.dropped_donors if d in ch.donors],
                                format_func=names.get, key=f"{k}_out")  # fmt: skip
    correlation = d1.slider("Correlation within a donor (Monte Carlo)", 0.0, 1.0,
                            float(start.donor_correlation), 0.1, format="%.1f", key=f"{k}_corr",
                            help=CORRELATION_HELP)  # fmt: skip
    d1.caption(CORRELATION_HELP)
    donor_delays = d2.data_editor(
        pd.DataFrame({"Key": list(ch.donors), "Donor": [names[d] for d in ch.donors],
                      "Delay (years)": [int(start.delays.get(d, 0)) for d in ch.donors]}),
        hide_index=True, disabled=["Key", "Donor"], key=f"{k}_ddelay", height=220,
        column_config={"Key": None, "Delay (years)": st.column_config.NumberColumn(
            min_value=0, max_value=MAX_DELAY_YEARS, step=1, format="%d")})  # fmt: skip
    st.markdown("**Contributions** (blank: as in the pipeline; amounts in the contribution's "
                "currency)")  # fmt: skip
    contribs = st.data_editor(
        _contribution_frame(ch, start, names), hide_index=True, key=f"{k}_contribs",
        disabled=["Key", "Contribution", "Status", "Amount"],
        column_config={"Key": None,
                       # Widths that fit the editable columns at 1280 px (the contribution's
                       # title, cut, shows whole on hover).
                       "Contribution": st.column_config.TextColumn(width=300),
                       "Status": st.column_config.TextColumn(width=70),
                       "Amount": st.column_config.TextColumn(width=130, alignment="right"),
                       "Probability %": st.column_config.TextColumn(alignment="right"),
                       "New amount": st.column_config.TextColumn(alignment="right"),
                       "Delay (years)": st.column_config.NumberColumn(
                           min_value=0, max_value=MAX_DELAY_YEARS, step=1, format="%d")})
    e1, e2 = st.columns(2)
    shocks = e1.data_editor(
        pd.DataFrame({"Currency": list(ch.currencies),
                      "USD per unit": [str(ch.rates[c].usd_per_unit) for c in ch.currencies],
                      "Shock %": [str(start.fx_shocks.get(c, "")) for c in ch.currencies]}),
        hide_index=True, disabled=["Currency", "USD per unit"], key=f"{k}_fx",
        column_config={"USD per unit": st.column_config.TextColumn(alignment="right"),
                       "Shock %": st.column_config.TextColumn(
            alignment="right", help="+10: the currency buys 10% more USD")})  # fmt: skip
    with e2:
        positions = _positions(ch, start, k)
    _position_effect(user, start, positions)
    b1, b2, b3 = st.columns([1, 1, 2])
    save = clicks.button("Save scenario", key=f"{k}_save", where=b1, type="primary")
    save_new = clicks.button("Save as new", key=f"{k}_savenew", where=b2) if loaded else False
    delete = clicks.button("Delete scenario", key=f"{k}_delete", where=b3) if loaded else False
    if not (save or save_new or delete):
        return
    try:
        if delete and loaded:
            scenarios.delete_scenario(user, loaded.id, version)
            st.session_state.pop(f"{k}_version", None)
            st.session_state["sc_flash"] = f"Scenario “{loaded.name}” deleted."
            st.session_state["sc_pick_next"] = None  # the page shows the baseline
            st.rerun()
        s, problems = _read(ch, name, texts, donors_out, donor_delays, contribs, shocks,
                            positions, correlation)  # fmt: skip
        if s is None:
            st.error(refused(problems))
            return
        same = loaded if save and loaded else None
        scenarios.save_scenario(user, s, description, same.id if same else None,
                                version if same else None)  # fmt: skip
    except ScenarioConflict as exc:
        st.session_state[f"{base}_reloads"] = fresh + 1  # new widgets: the saved version
        st.error(refused(exc.problems) + "\n\nThe form now shows the saved version.")
        return
    except (ScenarioRefused, StoreError, PermissionDenied) as exc:
        st.error(refused(getattr(exc, "problems", None), exc))
        return
    st.session_state.pop(f"{k}_version", None)
    st.session_state["sc_flash"] = f"Scenario “{s.name}” saved."
    st.session_state["sc_pick_next"] = s.name  # the page opens it (before its selectbox)
    st.rerun()
