"""The Copy forward tab: pick lines, preview the new version, confirm, create."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from rpsee.domain.money import AmountError, format_usd, parse_percent
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.roles import CurrentUser, Permission, PermissionDenied
from rpsee.domain.workplan import Activity, Workplan
from rpsee.domain.workplan_copy import (
    CONTINUING,
    NOT_COPIED_BY_DEFAULT,
    PLANNED_AGAIN,
    CopyPreview,
    default_picks,
    months_text,
)
from rpsee.services import StoreError, workplans
from rpsee.ui import clicks, flash, tables
from rpsee.ui.text import md
from rpsee.ui.version_label import version_label

MONEY = st.column_config.NumberColumn(format="%,.2f", help="USD")
MADE = "wp_copy_made"  # the version a copy just created (its tab asks where to copy it first)


def _target_name(plan: Workplan, year: int) -> str:
    return (f"{year}: a new version of this year's workplan" if year == plan.year
            else f"{year}: next year's workplan")  # fmt: skip


def panel(user: CurrentUser, plan: Workplan, activities: list[Activity], ref: ProgrammeReference,
          plans: list[Workplan]) -> None:  # fmt: skip
    """The tab's body for the workplan `plan` (its lines `activities`; `plans`: every version)."""
    if not user.can(Permission.EDIT_PLANS):
        st.caption("Planners can start next year's draft, or a new version, from this workplan.")
        return
    targets = [y for y in (plan.year + 1, plan.year) if y in ref.figures.cycle_years]
    just_made = st.session_state.get(MADE) == plan.id
    if just_made:  # no next year's button where the Create button was: a double click hits none
        st.info(f"The {md(version_label(plan))} was just created from a copy. To copy it "
                "forward in turn, pick where to copy it first.")  # fmt: skip
    target = st.radio("Copy into", targets, format_func=lambda y: _target_name(plan, y),
                      horizontal=True, key=f"wp_copy_target_{plan.id}",
                      index=None if just_made else 0)  # fmt: skip
    if target is None:
        return
    st.session_state.pop(MADE, None)
    same_year = target == plan.year
    _existing([p for p in plans if p.year == target], target)
    if same_year:
        st.markdown("Every line is copied as it is (code, status, months), unless you untick it.")
    else:
        st.markdown(
            f"Lines keep their number ({plan.year}-1.1-003 becomes {target}-1.1-003). Planned "
            "and ongoing lines are ticked; ongoing ones continue. Completed and cancelled lines "
            "stay behind unless you tick them: they are then planned again."
        )
    picked_codes = _pick(plan, activities, target, same_year)
    typed = st.text_input("Uplift (%)", "0", key=f"wp_copy_uplift_{plan.id}",
                          help="-100 to 100, a point for decimals (e.g. 3 or 2.5); applied to "
                               "every budget line, rounded to the cent")  # fmt: skip
    try:
        uplift = parse_percent(typed, field="Uplift (%)", low=Decimal(-100), high=Decimal(100))
        preview = workplans.preview_draft(user, target, ref, plan.id, picked_codes, uplift)
    except (AmountError, workplans.WorkplanError, PermissionDenied) as exc:
        st.error(f"{md(str(exc))} Nothing was created.")
        return
    _show(preview, ref)
    _create(user, preview, ref, uplift)


def _pick(plan: Workplan, activities: list[Activity], target: int, same_year: bool) -> list[str]:
    ticked = set(default_picks(activities, same_year))
    choice = pd.DataFrame({
        "Copy": [a.code in ticked for a in activities],
        "Code": [a.code for a in activities],
        "Title": [a.title for a in activities],
        "Status": [a.status for a in activities],
        "Months": [months_text(a.start_month, a.end_month) for a in activities],
        "Budget": [float(a.total) for a in activities],
    })  # fmt: skip
    picked = st.data_editor(choice, hide_index=True, width="stretch", height=260,
                            disabled=["Code", "Title", "Status", "Months", "Budget"],
                            column_config={"Budget": MONEY, "Title": st.column_config.TextColumn(
                                width="large")},
                            key=f"wp_copy_{plan.id}_{target}")  # fmt: skip
    return [c for c, keep in zip(picked["Code"], picked["Copy"], strict=True) if keep]


def _show(p: CopyPreview, ref: ProgrammeReference) -> None:
    st.markdown(f"**Preview: {p.target_year} workplan, version {p.version_no}**")
    m1, m2, m3, m4 = st.columns([1, 2, 1, 1])
    m1.metric("Lines", f"{len(p.lines)}", delta=f"{len(p.left_out)} left out",
              delta_color="off", delta_arrow="off")  # fmt: skip
    m2.metric("Total", format_usd(p.total))
    m3.metric("Continuing", f"{p.count(CONTINUING)}", help="Ongoing lines going on")
    m4.metric("Months flagged", f"{len(p.flagged)}",
              help=f"Lines whose months are not all in {p.target_year} "
                   f"({months_text(*_span(ref, p.target_year))})")  # fmt: skip
    names = {a.code: f"{a.code}. {a.short_name}" for a in ref.areas}
    tables.show(p.by_area_table(names), title=False, label_px=220)  # the Total set apart
    if p.flagged:
        st.warning(f"{len(p.flagged)} line(s) have months outside {p.target_year} "
                   f"({months_text(*_span(ref, p.target_year))}): they are moved as "
                   "shown, and their notes say so. Change them after creating, or untick "
                   "them.")  # fmt: skip
        st.dataframe(pd.DataFrame(
            [(c.line.code, c.line.title, c.months_before, c.months_after) for c in p.flagged],
            columns=["Code", "Title", "Months before", f"Months in {p.target_year}"]),
            hide_index=True, width="stretch")  # fmt: skip
    again = [c for c in p.lines if c.how == PLANNED_AGAIN]
    if again:
        st.info("Picked although " + "; ".join(
            f"{c.source.status}: {c.source.code} becomes {c.line.code}, planned"
            for c in again) + ".")  # fmt: skip
    renumbered = [c for c in p.lines if c.renumbered]
    if renumbered:
        st.info("Number already taken by another line, so a new one: " + "; ".join(
            f"{c.source.code} becomes {c.line.code}" for c in renumbered) + ".")  # fmt: skip
    with st.expander(f"The {len(p.lines)} line(s) of the new version"):
        st.dataframe(pd.DataFrame({
            "Code": [c.line.code for c in p.lines],
            "From": [c.source.code for c in p.lines],
            "As": [c.how for c in p.lines],
            "Status": [c.line.status for c in p.lines],
            "Months": [c.months_after for c in p.lines],
            "Budget": [float(c.line.total) for c in p.lines],
        }), hide_index=True, width="stretch", column_config={"Budget": MONEY})  # fmt: skip
    left = [a for a in p.left_out if a.status in NOT_COPIED_BY_DEFAULT]
    if left:
        st.caption(f"Left out: {len(left)} completed or cancelled line(s) ("
                   + ", ".join(a.code for a in left[:8]) + ("…" if len(left) > 8 else "")
                   + ").")  # fmt: skip


def _existing(existing: list[Workplan], year: int) -> None:
    if not existing:
        return
    used = next((e for e in existing if e.in_use), None)
    st.warning(f"{year} already has {len(existing)} version(s):\n\n"
               + "\n".join(f"- {md(version_label(e))}" for e in existing)
               + f"\n\nCopying adds **version {existing[-1].version_no + 1}**"
               + (f"; the pages keep using version {used.version_no} unless you choose "
                  "otherwise below." if used else "."))  # fmt: skip


def _span(ref: ProgrammeReference, year: int) -> tuple[int, int]:
    months = ref.figures.months_of(year)
    return months[0], months[-1]


def _create(user: CurrentUser, p: CopyPreview, ref: ProgrammeReference, uplift: Decimal) -> None:
    confirmed, use_now = False, False  # confirmed only when ticked: the service checks it
    name = f"{p.target_year} workplan, version {p.version_no}"
    if p.needs_confirmation:
        key = f"wp_copy_ok_{p.source.id}_{p.target_year}"
        have = ", ".join(str(e.version_no) for e in p.existing)
        confirmed = st.checkbox(f"{p.target_year} already has version {have}: yes, create "
                                f"version {p.version_no}", key=key)  # fmt: skip
        if not any(e.status == "approved" for e in p.existing):  # else used once approved
            use_now = st.checkbox(f"Use version {p.version_no} from now on (allocation, "
                                  "staffing, overview)", key=f"{key}_use")  # fmt: skip
    label = f"Create the {name} with {len(p.lines)} line(s)"
    # a click counts for the version it names: once that version exists, a second click of a
    # double click (queued under this key) is never taken by the next version's button
    key = f"wp_copy_create_{p.source.id}_{p.target_year}_{p.version_no}"
    if not clicks.button(label, key=key, type="primary",
                         disabled=not (p.lines and (confirmed or not p.needs_confirmation))):
        return
    try:
        new = workplans.start_draft(user, p.target_year, ref, copy_from=p.source.id,
                                    codes=[c.source.code for c in p.lines], uplift_percent=uplift,
                                    confirmed=confirmed, use_now=use_now)  # fmt: skip
    except (workplans.WorkplanError, StoreError, PermissionDenied) as exc:
        st.error(md(str(exc)))
        return
    flash.say(f"Created the {version_label(new)}." + (
        "" if new.in_use else " The pages keep using the version in use; switch above when "
        "ready."))  # fmt: skip
    st.session_state["wp_select_next"] = new.id
    st.session_state[MADE] = new.id
    st.rerun()
