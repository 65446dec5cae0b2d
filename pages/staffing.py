"""Staffing: the 20 positions as the plan funds them, their standard costs, the costing from
July 2024 and its reconciliation with the programme document, and what-ifs."""

from dataclasses import replace
from decimal import Decimal

import pandas as pd
import streamlit as st

from rpsee.domain import staffing_tables
from rpsee.domain.money import format_amount, format_usd
from rpsee.domain.periods import CLOSED_RULE, month_name
from rpsee.domain.roles import Permission, PermissionDenied
from rpsee.domain.staffing import (
    SPLIT_RULE,
    VACANCY_RULE,
    RateEffect,
    Reconciliation,
    defer,
    drop,
    move,
    regrade,
)
from rpsee.services import StoreError, staffing
from rpsee.ui import auth, cache, clicks, tables
from rpsee.ui.text import md, refused

user = auth.require()
ref = cache.reference(user)
can_plan = user.can(Permission.EDIT_PLANS)
can_rate = user.can(Permission.EDIT_COST_RATES)
can_close = user.can(Permission.CLOSE_PERIODS)
data = staffing.load(user)
costing = staffing.costing(data.plans, data.rates, ref)
years = costing.years() or list(ref.figures.cycle_years)
areas = [(a.code, f"{a.code}. {a.short_name}") for a in ref.areas]
offices = {o.code: o.name for o in ref.offices}

st.title("Staffing")
flash = st.session_state.pop("staff_flash", None)
if flash:
    st.success(flash)



MINUS = "\u2212"  # a minus sign, not a hyphen: the line never breaks between it and "USD"


def _reconciliation_line(r: Reconciliation, label: str = "Reconciliation") -> str:
    return (f"**{label}, {r.start} to {r.end}:** computed standard cost "
            f"{format_usd(r.computed)} · programme document {format_usd(r.document)} · "
            f"**difference {format_usd(r.difference).replace('-', MINUS, 1)}**")  # fmt: skip


# The reconciliation line: never hidden.
vacancy_in_period = sum((costing.vacancy_total(y) for y in years), Decimal(0))
with st.container(border=True):
    st.markdown(_reconciliation_line(staffing.reconciliation(costing, ref)))
    st.caption(f"Standard costs of the funded months, before the vacancy deduction of "
               f"{format_usd(vacancy_in_period)} over the cycle, which is shown separately (a "
               "budget line is not a filled post).")  # fmt: skip
    if data.closed_through:
        st.caption(f"Actuals: the staff costs are closed through "
                   f"{month_name(data.closed_through)} ({md(data.closed_changed)}); changes "
                   "that would rewrite those months wait until finance reopens the period.")
outside = staffing.outside_period(data.plans, ref)
if outside:
    st.warning("Outside the costing period (months not costed):\n\n"
               + "\n".join(f"- {md(w)}" for w in outside))  # fmt: skip
if costing.missing_rates:
    st.error("No standard cost for: " + "; ".join(
        f"{md(p)} ({md(g)} at {md(offices.get(s, s))})"
        for p, g, s in sorted(costing.missing_rates))
        + ". These months are costed at zero until finance adds the rate.")  # fmt: skip

tabs = st.tabs(["Costs", "Positions", "Cost rates", "Closed months", "What if"], key="staff_tab",
               on_change="rerun")  # fmt: skip


def _costs() -> None:
    # Six years and the cycle fit beside the label at 1280 px; the label takes what they leave
    # (full names on click).
    wide = {"label_px": 130, "box_px": tables.MAIN_PX}
    tables.show(staffing_tables.by_year(costing, years), **wide)
    st.caption(f"Vacancy deduction: {VACANCY_RULE} Rounding: {SPLIT_RULE}")
    tables.show(staffing_tables.by_area(costing, years, ref), **wide)
    tables.show(staffing_tables.by_office(costing, years, ref), **wide)
    tables.show(staffing_tables.by_position(costing, years, data.plans), **wide)


def _positions() -> None:
    frame = pd.DataFrame({
        "ID": [p.position_id for p in data.plans],
        "Title": [p.title for p in data.plans],
        "New": [p.is_new for p in data.plans],
        "Grade": [p.grade for p in data.plans],
        "Duty station": [p.duty_station for p in data.plans],
        "Start": [p.start for p in data.plans],
        "End": [p.end for p in data.plans],
        **{label: [float(p.split.get(code, 0)) for p in data.plans] for code, label in areas},
        "Split total": [float(sum(p.split.values(), Decimal(0))) for p in data.plans],
        "Dropped": [p.dropped for p in data.plans],
    })  # fmt: skip
    cc = st.column_config
    config = {
        "ID": cc.TextColumn(pinned=True),
        "Title": cc.TextColumn(width=260, pinned=True, help="The position's title as in the "
                               "programme document (hover a cell for the whole title)"),
        "Duty station": cc.SelectboxColumn(options=list(offices), format_func=offices.get),
        "Start": cc.TextColumn(help="YYYY-MM: when the position is funded (new positions: "
                               "when recruited)"),  # checked by the service, named
        "End": cc.TextColumn(help="YYYY-MM: the last funded month. Months outside the costing "
                             f"period ({ref.figures.cycle_start} to {ref.figures.cycle_end}) "
                             "are not costed"),
        "Split total": cc.NumberColumn(disabled=True, format="%.2f"),
        **{label: cc.NumberColumn(min_value=0, max_value=100, format="%.2f")
           for _c, label in areas},
    }  # fmt: skip
    st.caption("Time split in percent of each position's time by thematic area; it must add "
               "up to 100.")  # fmt: skip
    edited = st.data_editor(frame, hide_index=True, width="stretch", key="staff_plans",
                            disabled=["ID", "Title", "New", "Split total"] if can_plan else True,
                            column_config=config, height=740)  # fmt: skip
    if not can_plan:
        st.caption("Read only: planners change position plans.")
        return
    changed = []
    for plan, (_i, row) in zip(data.plans, edited.iterrows(), strict=True):
        split = {code: Decimal(repr(float(row[label]))) for code, label in areas
                 if row[label] and row[label] == row[label]}  # fmt: skip
        new = replace(plan, grade=str(row["Grade"]).strip(), duty_station=row["Duty station"],
                      start=str(row["Start"]).strip(), end=str(row["End"]).strip(),
                      split=split, dropped=bool(row["Dropped"]))  # fmt: skip
        if new != plan:
            changed.append(new)
    try:  # before the save: a change that rewrites closed months is said at once
        refusal = staffing.closed_refusal(data.plans, changed, data.rates, data.closed_through,
                                          ref)  # fmt: skip
    except (ValueError, ArithmeticError):  # a month or share that is not one: the save names it
        refusal = ""
    notice = st.empty()
    if refusal:
        notice.error(md(refusal))
    if clicks.button("Save position plans", key="staff_save_plans", type="primary"):
        if not changed:
            st.info("Nothing to save: every position plan is as saved.")
            return
        try:
            count = staffing.save_plans(user, changed, ref)
        except (staffing.StaffingError, StoreError, PermissionDenied) as exc:
            notice.empty()  # the refusal below says it (once)
            st.error(refused(getattr(exc, "problems", None), exc))
        else:
            st.session_state["staff_flash"] = (
                f"Saved {count} position plan(s)." if count else
                "Nothing saved: the plans you changed were already saved with these values.")
            st.rerun()


def _rates() -> None:
    st.caption("Annual standard cost per grade or band and duty station, in USD of "
               f"{data.rates.base_year}, escalated each 1 January. The demo rates are "
               "assumptions of the order of the UN Secretariat's standard salary costs "
               "(salary, post adjustment, common staff costs), for finance to replace with "
               "the year's.")  # fmt: skip
    frame = pd.DataFrame({
        "Grade": [r.grade for r in data.rate_lines],
        "Duty station": [r.duty_station for r in data.rate_lines],
        "Annual cost (USD)": [format_amount(r.annual) for r in data.rate_lines],
        "Changed by": [r.updated_by for r in data.rate_lines],
        "Changed (UTC)": [f"{r.updated_at:%Y-%m-%d %H:%M}" for r in data.rate_lines],
    })  # fmt: skip
    edited = st.data_editor(
        frame,
        hide_index=True,
        width="stretch",
        key="staff_rates",
        num_rows="dynamic" if can_rate else "fixed",
        disabled=["Changed by", "Changed (UTC)"] if can_rate else True,
        column_config={
            "Duty station": st.column_config.SelectboxColumn(options=list(offices),
                                                             format_func=offices.get),
            "Annual cost (USD)": st.column_config.TextColumn(
                alignment="right", help="USD a year, e.g. 182,400.00 (a point for decimals)"),
        },
    )
    c1, c2 = st.columns([1, 3])
    escalation = c1.text_input("Escalation per year (%)", str(data.rates.escalation_percent),
                               disabled=not can_rate,
                               help=f"0 to 50, a point for decimals (e.g. 2.5). Last changed "
                                    f"{data.escalation_changed}")  # fmt: skip
    vac_frame = pd.DataFrame(
        {
            "Year": [str(y) for y in ref.figures.cycle_years],
            "Vacancy factor (%)": [
                str(data.rates.vacancy_percent.get(y, Decimal(0))) for y in ref.figures.cycle_years
            ],
        }
    )
    vac = c2.data_editor(vac_frame, hide_index=True, key="staff_vacancy",
                         disabled=["Year"] if can_rate else True,
                         column_config={"Vacancy factor (%)": st.column_config.TextColumn(
                             alignment="right", help="0 to 100, e.g. 7.5")})  # fmt: skip
    c2.caption(VACANCY_RULE)
    if not can_rate:
        st.caption("Read only: finance keeps the cost rates.")
        return
    lines = [(str(r["Grade"] or ""), r["Duty station"], r["Annual cost (USD)"])
             for _i, r in edited.iterrows()]  # fmt: skip
    vacancy = {int(y): v for y, v in zip(vac["Year"], vac["Vacancy factor (%)"], strict=True)}
    st.markdown("**Effect before saving**")
    try:
        effect = staffing.preview_rates(user, data, lines, escalation, vacancy, ref)
    except (staffing.StaffingError, StoreError, PermissionDenied) as exc:
        st.error(refused(getattr(exc, "problems", None), exc).replace("Nothing was saved",
                                                                      "No preview"))  # fmt: skip
        return
    if not effect.changed:
        st.caption("Change a rate, the escalation or a vacancy factor: each year's staff cost "
                   "and the reconciliation are shown here, now and after, before you save.")
        return
    _rate_effect(effect)
    if effect.warnings:
        st.warning("Check these rates before you confirm (they look implausible):\n\n"
                   + "\n".join(f"- {md(w)}" for w in effect.warnings))  # fmt: skip
    if effect.closed_refusal:
        st.error(md(effect.closed_refusal) + " Reopen it on the Closed months tab.")
        return
    confirmed = st.checkbox("I have checked the effect above: save these cost rates",
                            key="staff_rates_confirm")  # fmt: skip
    if clicks.button("Save cost rates", key="staff_save_rates", type="primary",
                     disabled=not confirmed):
        try:
            staffing.save_rates(user, lines, escalation, vacancy, ref)
        except (staffing.StaffingError, StoreError, PermissionDenied) as exc:
            st.error(refused(getattr(exc, "problems", None), exc))
        else:
            st.session_state.pop("staff_rates_confirm", None)
            st.session_state["staff_flash"] = "Cost rates saved."
            st.rerun()


def _rate_effect(effect: RateEffect) -> None:
    """Each year's staff cost and the reconciliation, now and with the rates as typed."""
    tables.show(staffing_tables.what_if(effect.before, effect.after, effect.years(),
                                        now="Staff cost charged, now",
                                        changed="With these rates"), title=False)  # fmt: skip
    st.markdown(_reconciliation_line(effect.reconciliation_before, "Now") + "  \n"
                + _reconciliation_line(effect.reconciliation_after, "With these rates"))


def _closed() -> None:
    """Through which month the staff costs are actuals; finance closes and reopens."""
    if data.closed_through:
        st.markdown(f"**Closed through {month_name(data.closed_through)}** "
                    f"({md(data.closed_changed)})")  # fmt: skip
    else:
        st.markdown("**No month is closed.**")
    if data.reopen_reason:
        st.caption(f"Reason of the last reopening: {md(data.reopen_reason)}")
    st.caption(CLOSED_RULE)
    if not can_close:
        st.caption("Read only: finance closes and reopens months.")
        return
    c1, c2 = st.columns(2)
    with c1:
        through = st.text_input("Close through (YYYY-MM)", key="staff_close_through",
                                help="A month that has ended, e.g. 2025-06: its costs and all "
                                     "before it become actuals")  # fmt: skip
        if clicks.button("Close the months", key="staff_close"):
            try:
                done = staffing.close_period(user, through, ref)
            except (staffing.StaffingError, StoreError, PermissionDenied) as exc:
                st.error(refused(getattr(exc, "problems", None), exc))
            else:
                st.session_state["staff_flash"] = (
                    f"Closed through {month_name(through.strip())}." if done else
                    "Nothing changed: those months were closed already.")  # fmt: skip
                st.rerun()
    if not data.closed_through:
        return
    with c2:
        keep = st.text_input("Keep closed through (YYYY-MM, blank: reopen every month)",
                             key="staff_reopen_through")  # fmt: skip
        reason = st.text_area("Reason for reopening", key="staff_reopen_reason",
                              max_chars=staffing.REASON_LIMIT)  # fmt: skip
        if clicks.button("Reopen", key="staff_reopen"):
            try:
                staffing.reopen_period(user, keep, reason, ref)
            except (staffing.StaffingError, StoreError, PermissionDenied) as exc:
                st.error(refused(getattr(exc, "problems", None), exc))
            else:
                st.session_state["staff_flash"] = "Reopened; the audit trail records the reason."
                st.rerun()


def _what_if() -> None:
    st.caption("Try a change and see each year's staff cost at once. Nothing is saved here.")
    ids = [p.position_id for p in data.plans]
    labels = {p.position_id: f"{p.position_id} · {p.title[:60]}" for p in data.plans}
    c1, c2 = st.columns(2)
    pid = c1.selectbox("Position", ids, format_func=labels.get, key="wi_position")
    plan = next(p for p in data.plans if p.position_id == pid)
    months = c2.number_input("Defer the start by (months)", 0, 60, 0, key="wi_defer")
    c3, c4, c5 = st.columns(3)
    station = c3.selectbox("Duty station", list(offices), index=list(offices).index(
        plan.duty_station), format_func=offices.get, key=f"wi_station_{pid}")  # fmt: skip
    grades = sorted({g for g, _s in data.rates.annual} | {plan.grade})
    grade = c4.selectbox("Grade or band", grades, index=grades.index(plan.grade),
                         key=f"wi_grade_{pid}")  # fmt: skip
    dropped = c5.toggle("Drop the position", key=f"wi_drop_{pid}")
    changed = plan
    if months:
        changed = defer(changed, int(months))
    if station != plan.duty_station:
        changed = move(changed, station)
    if grade != plan.grade:
        changed = regrade(changed, grade)
    if dropped:
        changed = drop(changed)
    scenario = [changed if p.position_id == pid else p for p in data.plans]
    after = staffing.costing(scenario, data.rates, ref)
    tables.show(staffing_tables.what_if(costing, after, years))
    st.markdown(f"**Cycle effect:** {format_usd(after.net_total() - costing.net_total())}")
    if changed != plan:  # a what-if may rewrite months already closed: say so, as a save would
        refusal = staffing.closed_refusal(data.plans, [changed], data.rates, data.closed_through,
                                          ref)  # fmt: skip
        if refusal:
            st.warning(md(refusal) + " As a plan change it would need finance to reopen them "
                       "first (Closed months tab).")  # fmt: skip
    for warning in staffing.outside_period([changed], ref):
        st.warning(md(warning))
    if after.missing_rates - costing.missing_rates:
        st.warning("No standard cost for that grade at that duty station: the months are costed "
                   "at zero. Add the rate on the Cost rates tab.")  # fmt: skip


for tab, body in zip(tabs, (_costs, _positions, _rates, _closed, _what_if), strict=True):
    with tab:
        if tab.open:
            body()
