"""Annual workplans: the grid of activities, totals, checks, timeline, copy forward and Excel."""

import threading

import pandas as pd
import streamlit as st

from rpsee.domain.money import format_usd
from rpsee.domain.roles import Permission, PermissionDenied, may_export_workplan
from rpsee.domain.visibility import reads_drafts
from rpsee.domain.workplan_totals import grand_total
from rpsee.services import StoreError, programme, workplans
from rpsee.ui import (
    auth,
    cache,
    clicks,
    marker_views,
    tables,
    workplan_copy,
    workplan_excel_view,
    workplan_views,
)
from rpsee.ui import flash as flash_message
from rpsee.ui.consultation import share_line
from rpsee.ui.text import md, refused
from rpsee.ui.version_label import default_version, version_label, year_select
from rpsee.ui.workplan_grid import (
    amount_widths,
    blank_line,
    column_config,
    column_order,
    editor_frame,
    fold,
    headers_note,
    lines_key,
    new_draft,
    overlay_is_saved,
    read_changes,
    row_keys,
    show_conflicts,
    show_totals,
    to_frame,
    unsaved_table,
    with_edits,
)
from rpsee.ui.workplan_reconcile import reconcile, saved_text
from rpsee.ui.workplan_views import header_line

user = auth.require()
ref = cache.reference(user)
can_edit = user.can(Permission.EDIT_PLANS)


@st.cache_data(max_entries=16, show_spinner=False)
def _activities(_user, workplan_id: int, data_version: int):  # noqa: ANN001, ANN202
    return workplans.activities(_user, workplan_id)


st.title("Annual workplans")
plans = workplans.list_workplans(user)
flash = flash_message.current()
notice = st.container()  # always drawn, so a message here never moves (and resets) the grid

if not plans:
    st.info("No workplan yet." if reads_drafts(user) else
            "No workplan version has been submitted to the Steering Committee yet.")
    if can_edit:
        year = year_select("Year", ref.figures.cycle_years, key="wp_empty_year")
        if st.button("Start an empty draft"):
            workplans.start_draft(user, int(year), ref)
            st.rerun()
    st.stop()

labels = {p.id: version_label(p) for p in plans}
if "wp_select_next" in st.session_state:  # a draft just created: open it
    st.session_state["wp_selected"] = st.session_state.pop("wp_select_next")
opening = plans.index(default_version(plans, ref.figures.cycle_years, preparing=can_edit))
plan_id = st.selectbox("Workplan", list(labels), index=opening, format_func=labels.get,
                       key="wp_selected",
                       help="The version marked “in use” is the one every page uses")  # fmt: skip
plan = next(p for p in plans if p.id == plan_id)
used = workplans.in_use_by_year(user).get(plan.year)  # observers: a version given the PSC
if used is not None and used.id != plan.id:
    note, button = st.columns([4, 1], vertical_alignment="center")
    note.caption(f"Not in use: the other pages use {version_label(used)}.")
    year_approved = any(p.year == plan.year and p.status == "approved" for p in plans)
    if year_approved and plan.status != "approved":
        note.caption(f"The {plan.year} workplan is approved: this version is used once it is "
                     "approved itself.")  # fmt: skip
    elif can_edit and button.button("Use this version", key="wp_use_version"):
        try:
            workplans.set_in_use(user, plan.id)
        except workplans.WorkplanError as exc:
            notice.error(md(str(exc)))
        else:
            flash_message.say(f"Every page now uses the {plan.label}.")
            st.rerun()
editable = can_edit and plan.editable
# A browser event starts a new run at once, in a new thread (fast reruns), and the old run stops
# at its next Streamlit call: a save's run may still be writing while this run reads the plan.
# The save holds this lock while it writes: wait for it, so this run sees the stored lines.
guard = st.session_state.setdefault("wp_save_guard", threading.Lock())
if guard.acquire(timeout=30):
    guard.release()
version = programme.data_version()
activities = _activities(user, plan.id, version)  # the lines as stored now

# The grid edits a snapshot of the lines taken when the plan was opened (with each line's
# version), so a colleague's save never resets pending edits; the save checks each line.
snap_key = f"wp_snapshot_{plan.id}"
lines, loaded = activities, version
if editable:
    snapshot = st.session_state.setdefault(snap_key, (activities, version))
    lines, loaded = snapshot


def _pairs(some: list) -> list[tuple[int, int]]:  # noqa: ANN001
    return [(a.id, a.version) for a in some]


moved_on = _pairs(lines) != _pairs(activities)

# Pending edits live in a draft kept by line code (`wp_draft_<plan>`): each run first copies the
# editor's latest cells into it (rows named by the keys the editor was last drawn with), so
# edits survive filters, added lines and other users' saves. The editor has fixed rows and the
# same key across saves, so the browser keeps its scroll position (Streamlit identifies a keyed
# fixed-rows editor by key and column schema; one that may add rows, by its data too).
gen_key, draft_key, rows_key = (f"wp_{n}_{plan.id}" for n in ("gen", "draft", "rows"))
gen = st.session_state.setdefault(gen_key, 0)
draft = st.session_state.setdefault(draft_key, new_draft()) if editable else new_draft()
drawn_key, drawn_rows = st.session_state.get(rows_key, ("", []))
if editable and drawn_key == f"wp_editor_{plan.id}_{gen}" and drawn_key in st.session_state:
    fold(draft, st.session_state[drawn_key], drawn_rows)  # not after a restart: a new editor

# A run can be stopped at any Streamlit call when the browser sends a newer event (the editor
# sends its state again a moment after each edit, and a click outside it sends it too), also
# just after the save's database write: then the draft and the old snapshot are still here.
# Whatever the stored lines already hold is not pending: drop it from the draft and bring those
# lines of the snapshot up to date.
last = workplans.last_saved(user, plan.id) if editable and moved_on else None
if editable and moved_on:
    found = reconcile(draft, lines, activities, ref, plan.year)
    if found.found:
        lines, moved_on = found.lines, _pairs(found.lines) != _pairs(activities)
        if not moved_on:
            lines, loaded = activities, version
        st.session_state[snap_key] = (lines, loaded)
        if found.rows_changed:  # other rows: a new editor (the edits are folded)
            gen = st.session_state[gen_key] = gen + 1
        if flash:  # the save's own message is shown
            pass
        elif last and last.actor == user.username:  # my save, its run stopped after the write
            notice.success(saved_text(len(found.changed), found.added, len(found.removed)))
        else:
            notice.info(f"Your edits to {len(found.changed) + len(found.removed)} line(s) and "
                        f"{len(found.added)} new line(s) are already in the stored plan "
                        "(saved the same by a colleague): nothing left to save there.")

# The grid's buttons act through callbacks, which run before the page (no Streamlit call there
# can stop them), so a click is never lost to a run stopped early (the editor re-sends its state
# a moment after an edit, and that starts a new run at once). Discard acts in its callback; Add
# line and Save are queued there and performed by the first run that gets to them, once.
save_key, add_key = f"wp_save_queued_{plan.id}", f"wp_add_queued_{plan.id}"
if editable and clicks.take(add_key):  # after the fold: the edits are kept
    gen = st.session_state[gen_key] = gen + 1  # other rows: a new editor
    draft["new"].append(blank_line(ref))
changes = read_changes(draft, lines, ref, plan.year)
pending = changes.pending or bool(draft["new"])
if not changes.pending:
    clicks.drop(save_key)  # nothing left to save (found saved, or discarded)
if flash := flash_message.keep(plan.id, pending):
    notice.success(flash)


def _restart(snapshot: bool = True) -> None:
    """Drop the draft (and the snapshot): the editor starts afresh under a new key."""
    st.session_state[gen_key] = st.session_state.get(gen_key, 0) + 1
    st.session_state.pop(draft_key, None)
    if snapshot:
        st.session_state.pop(snap_key, None)


if moved_on and last is not None and not pending and last.actor == user.username:  # an upload
    _restart(snapshot=False)
    gen, draft = gen + 1, st.session_state.setdefault(draft_key, new_draft())
    st.session_state[snap_key] = (activities, version)
    lines, loaded, moved_on = activities, version, False
    changes = read_changes(draft, lines, ref, plan.year)

areas = {a.code: f"{a.code}. {a.short_name}" for a in ref.areas}
names = ref.jurisdiction_names()
offices = ref.office_names()
bar = st.container(horizontal=True, vertical_alignment="center")
with bar.popover("Filter lines", icon=":material/filter_list:",
                 help="Show some lines only; filtering keeps your unsaved edits"):  # fmt: skip
    f_area = st.multiselect("Thematic area", list(areas), format_func=areas.get)
    f_output = st.multiselect("Output", [o.code for o in ref.outputs],
                              format_func=lambda c: ref.output_label(c, 60))  # fmt: skip
    f_office = st.multiselect("Lead office", list(offices), format_func=offices.get)
    f_place = st.multiselect("Jurisdiction", list(names), format_func=names.get)
    f_priority = st.multiselect("Priority", ["essential", "high", "medium", "low"])
figures = bar.container()
share_line(user, plan, notice, bar)

shown = [
    a for a in lines
    if (not f_area or a.area_code in f_area) and (not f_output or a.output_code in f_output)
    and (not f_office or a.lead_office in f_office)
    and (not f_place or set(a.jurisdictions) & set(f_place))
    and (not f_priority or a.priority in f_priority)
]  # fmt: skip
signature = "|".join(",".join(f) for f in (f_area, f_output, f_office, f_place, f_priority))
if st.session_state.setdefault(f"wp_filter_{plan.id}", signature) != signature:
    st.session_state[f"wp_filter_{plan.id}"] = signature  # other rows: a new editor
    gen = st.session_state[gen_key] = gen + 1
editor_key = f"wp_editor_{plan.id}_{gen}"
filtered = len(shown) != len(lines)


@st.cache_data(max_entries=16, show_spinner=False)
def _frame(workplan_id: int, data_version: int, shown_key: str, _shown, _ref):  # noqa: ANN001, ANN202
    return to_frame(_shown, _ref)


frame = _frame(plan.id, loaded, lines_key(shown), shown, ref)  # a snapshot may mix versions
shown_now = with_edits(shown, changes.edit)  # the lines shown, unsaved edits included
widths = amount_widths(shown_now, ref)

active = [f"{label}: {len(chosen)}" for label, chosen in (
    ("area", f_area), ("output", f_output), ("office", f_office), ("jurisdiction", f_place),
    ("priority", f_priority)) if chosen]  # fmt: skip
figures.markdown(header_line([
    ("Activities" + (" (filtered)" if filtered else ""),
     f"{len(shown)}" + (f" of {len(lines)}" if filtered else "")),
    ("Budget" + (" (filtered)" if filtered else "")
     + (" (with unsaved edits)" if changes.pending else ""), format_usd(grand_total(shown_now))),
    ("Status", plan.status.title()),
]) + (f"  \n:gray[Filtered by {', '.join(active)}]" if active else ""))  # fmt: skip

with st.container():  # always drawn: a notice appearing here never moves the grid
    if editable and moved_on:
        who = f" by {md(last.actor)} at {last.at:%H:%M} UTC" if last else ""
        if pending:
            st.info(f"This workplan was changed{who} since you opened it — your edits are kept; "
                    "saving will check each line.", icon=":material/sync_problem:")  # fmt: skip
        else:
            note, reload = st.columns([5, 1], vertical_alignment="center")
            note.info(f"This workplan was changed{who} since you opened it.",
                      icon=":material/sync:")  # fmt: skip
            reload.button("Reload", icon=":material/refresh:", on_click=_restart)

# Only the open tab runs (on_change="rerun"): editing the grid does not redraw the timeline.
# Copy forward is for planners; the Excel tab for those who may upload or export.
TABS = {"Activities": True, "Totals": True, "Checks": True, "Markers": True, "Timeline": True,
        "Copy forward": can_edit,
        "Excel": can_edit or may_export_workplan(user, plan.status)}  # fmt: skip
tabs = dict(zip([t for t, show in TABS.items() if show],
                st.tabs([t for t, show in TABS.items() if show], key="wp_tab",
                        on_change="rerun"), strict=True))  # fmt: skip


def _grid_tab() -> None:
    rows = editor_frame(frame, shown, draft, ref) if editable else frame
    if editable:  # how the next run reads this editor's rows
        st.session_state[rows_key] = (editor_key, row_keys(shown, draft))
    st.data_editor(
        rows, key=editor_key, hide_index=True, width="stretch",
        height=min(38 + 35 * (len(rows) + 1), 640), column_order=column_order(ref, editable),
        num_rows="fixed", disabled=not editable,
        column_config=column_config(ref, plan.year, editable, widths),
    )  # fmt: skip
    show_totals(shown_now, ref, plan.year, f"Totals of the {len(shown)} line(s) shown"
                + (", with unsaved edits" if changes.pending else "")
                + " (cancelled lines count in no total)", widths)  # fmt: skip
    if not editable:
        st.caption("Read only: " + ("your role cannot edit workplans." if not can_edit else
                                    f"this workplan is {plan.status}."))  # fmt: skip
    else:
        edit = changes.edit
        summary = (f"{len(edit.changed)} changed, {len(edit.added)} new, "
                   f"{len(edit.removed)} removed")  # fmt: skip
        c1, c2, c3, c4 = st.columns([1, 1.3, 1.2, 3.5], vertical_alignment="center")
        c1.button("Save", type="primary", disabled=not changes.pending, icon=":material/save:",
                  on_click=clicks.queue, args=(save_key,))  # fmt: skip
        c2.button("Discard edits", disabled=not pending, on_click=_restart)
        c3.button("Add line", icon=":material/add:", on_click=clicks.queue, args=(add_key,),
                  help="A new line at the top of the grid; it is added when you save")
        c4.caption(f"Unsaved: {summary}" if changes.pending else "No unsaved edits.")
        if not edit.empty:
            with st.expander(f"Review your unsaved edits ({summary}): amounts as they will "
                             "be saved"):  # fmt: skip
                tables.show(unsaved_table(edit, lines, ref), title=False)
        st.caption("To delete a line, tick its Delete box (after the budget columns): it goes "
                   "when you save. Unsaved edits live in this browser's session on one server: "
                   "save before leaving; if the connection to the server is lost (a restart, "
                   "a server taken out of service) they are lost, saved lines never are.")
        for row, blank in changes.missing:
            st.warning(f"{md(row)} is missing {md(', '.join(blank))}: fill in these columns "
                       "to add it.")  # fmt: skip
        if changes.errors:
            clicks.drop(save_key)  # the click is answered: nothing was saved
            st.error(f"{len(changes.errors)} problem(s) to fix before saving (nothing was saved):")
            st.dataframe(pd.DataFrame([(e.row, e.field, e.message) for e in changes.errors],
                                      columns=["Row", "Field", "Problem"]),
                         hide_index=True, width="stretch")  # fmt: skip
        elif clicks.queued(save_key):
            try:
                with guard:  # one run saves a queued click, once; the others wait for it here
                    if not clicks.take(save_key):
                        st.rerun()  # saved meanwhile by a newer run: show what it saved
                    shows = st.session_state.get(editor_key)
                    result = workplans.save(user, plan.id, edit, ref)
            except workplans.WorkplanConflict as exc:
                st.error("Someone else saved some of these lines after you opened them. Nothing "
                         "was saved; your edits are still on screen. Compare, then discard and "
                         "redo, or keep editing:")  # fmt: skip
                show_conflicts(exc.conflicts)
            except workplans.WorkplanInvalid as exc:
                st.error(refused(exc.errors))
            except (workplans.WorkplanError, StoreError, PermissionDenied) as exc:
                st.error(md(str(exc)))  # nothing saved; the draft keeps the edits on screen
            else:
                # The message first: the run may stop at any Streamlit call from here on,
                # and the next run finds what was saved (reconcile). The grid is redrawn in
                # place with the saved lines (keeping its scroll) unless its rows changed or a
                # cell the browser still shows as edited was saved differently meanwhile: then
                # a new editor.
                flash_message.say(
                    saved_text(len(result.changed), result.added, len(result.removed))
                    if result.added or result.changed or result.removed else
                    "Nothing saved: every line you edited already has these values (saved "
                    "the same by you or a colleague).")  # fmt: skip
                saved = workplans.activities(user, plan.id)
                if result.added or result.removed or not overlay_is_saved(
                        shows, row_keys(shown, draft), saved, ref, plan.year):  # fmt: skip
                    st.session_state[gen_key] = gen + 1
                st.session_state.pop(draft_key, None)
                st.session_state.pop(snap_key, None)
                st.rerun()
    st.caption("Amounts in USD. Budget columns: " + headers_note(ref))
    workplan_views.jurisdiction_notes(shown, ref)


def _totals_tab() -> None:
    if filtered:
        st.caption(f"Totals of the {len(shown)} filtered activities.")
    workplan_views.totals(shown, ref)


def _checks_tab() -> None:
    workplan_views.checks(lines, ref)


def _markers_tab() -> None:
    marker_views.panel(user, plan)


def _time_tab() -> None:
    st.plotly_chart(workplan_views.timeline(shown, ref, plan.year), width="stretch",
                    config={"displayModeBar": False})  # fmt: skip
    workplan_views.jurisdiction_notes(shown, ref)


def _copy_tab() -> None:
    workplan_copy.panel(user, plan, activities, ref, plans)


def _excel_tab() -> None:
    workplan_excel_view.panel(user, plan, activities, ref, editable)


BODIES = {"Activities": _grid_tab, "Totals": _totals_tab, "Checks": _checks_tab,
          "Markers": _markers_tab, "Timeline": _time_tab, "Copy forward": _copy_tab,
          "Excel": _excel_tab}  # fmt: skip
for name, tab in tabs.items():
    with tab:
        # the grid also runs (hidden) while it holds unsaved edits: a widget that is not drawn
        # loses its state, so looking at another tab would wipe the edits
        if tab.open or (name == "Activities" and pending):
            BODIES[name]()
