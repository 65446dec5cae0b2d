"""The Excel tab: download the workplan; upload a filled workbook, preview, then apply exactly
what was previewed (checked against the versions the preview was computed from)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.roles import CurrentUser, Permission, PermissionDenied, may_export_workplan
from rpsee.domain.workplan import Activity, ActivityDiff, Workplan
from rpsee.domain.workplan_labels import describe_change
from rpsee.reports.finance_workbook import file_name
from rpsee.reports.workplan_excel import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB, SHEET, WorkbookError
from rpsee.services import (
    StoreError,
    finance_exports,
    iati,
    scenarios,
    workplan_import,
    workplans,
)
from rpsee.services.finance_exports import CSV_MIME, XLSX_MIME
from rpsee.services.iati import XML_MIME
from rpsee.ui import flash
from rpsee.ui.text import md
from rpsee.ui.workplan_grid import amount_text, category_label, show_conflicts


def _finance_downloads(user: CurrentUser, plan: Workplan) -> None:
    """Planners and finance: the budget tables of this version as a workbook, and its
    activity list as CSV (both built on click, by the checked services)."""
    st.markdown("**Finance exports** of this version")
    frozen = {f.id: f"{f.name} (frozen {f.frozen_at:%Y-%m-%d %H:%M} UTC)"
              for f in scenarios.frozen_scenarios(user)}  # fmt: skip
    scenario = st.selectbox("Frozen scenario in the workbook", [None, *frozen],
                            format_func=lambda i: "No frozen scenario: the baseline"
                            if i is None else frozen[i],
                            key=f"wp_fin_scenario_{plan.id}")  # fmt: skip
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        "Budget tables (.xlsx)", icon=":material/table_view:", on_click="ignore",
        data=lambda: finance_exports.build_workbook(user, plan.id, scenario),
        file_name=file_name(plan.year, plan.version_no, "xlsx"), mime=XLSX_MIME,
        help="A sheet per table of the pages (allocation, staffing, pipeline, workplan "
             "totals, every activity), with a cover naming the version and exchange rates",
    )  # fmt: skip
    c2.download_button(
        "Activities (.csv)", icon=":material/download:", on_click="ignore",
        data=lambda: finance_exports.activities_csv(user, plan.id),
        file_name=file_name(plan.year, plan.version_no, "csv"), mime=CSV_MIME,
        help="One row per activity, codes and plain amounts (UTF-8 with BOM) for other systems",
    )  # fmt: skip
    c3.download_button(
        "IATI 2.03 file (.xml)", icon=":material/public:", on_click="ignore",
        data=lambda: iati.export(user), file_name="RPSEE_iati_activities.xml", mime=XML_MIME,
        help="The whole programme for IATI publishing (every year's version in use, the "
             "pipeline's hard money, delivery, markers, results); confidential donors as one "
             "aggregate. Check it with `python -m rpsee export iati` before publishing.",
    )  # fmt: skip


def _budget(a: Activity, ref: ProgrammeReference) -> str:
    return "; ".join(f"{category_label(k, ref)} {amount_text(v)}" for k, v in a.budget.items())


def panel(user: CurrentUser, plan: Workplan, activities: list[Activity],
          ref: ProgrammeReference, editable: bool) -> None:  # fmt: skip
    if may_export_workplan(user, plan.status):
        st.download_button(
            "Download the workplan (.xlsx)", icon=":material/download:",
            data=lambda: workplan_import.export(user, plan, activities, ref),  # built on click
            on_click="ignore",
            file_name=f"RPSEE_workplan_{plan.year}_v{plan.version_no}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )  # fmt: skip
    if user.can(Permission.EXPORT_WORKPLANS):
        _finance_downloads(user, plan)
    if not editable:
        return
    st.caption("Coded columns have drop-down lists. Leave Code empty for a new line. Lines you "
               "delete from the file are kept unless you ask to remove them after the preview. "
               f"At most {MAX_UPLOAD_MB} MB.")  # fmt: skip
    gen = st.session_state.setdefault(f"wp_upload_gen_{plan.id}", 0)
    upload = st.file_uploader("Upload a filled workbook", type=["xlsx"],
                              key=f"wp_upload_{plan.id}_{gen}")  # fmt: skip
    preview_key = f"wp_preview_{plan.id}"
    if upload is None:
        st.session_state.pop(preview_key, None)
        return
    # The preview is computed once per uploaded file, against the lines (and versions) as they
    # are now, and kept: Apply saves exactly that, so a colleague's later save is a conflict.
    kept = st.session_state.get(preview_key)
    if kept is None or kept[0] != upload.file_id:
        try:
            if upload.size > MAX_UPLOAD_BYTES:  # before reading it
                raise WorkbookError(f"The file is {upload.size / 2**20:.1f} MB: a workplan "
                                    f"workbook is at most {MAX_UPLOAD_MB} MB.")  # fmt: skip
            result = workplan_import.preview(user, plan, activities, upload.getvalue(), ref)
        except WorkbookError as exc:
            st.error(f"{md(str(exc))} Nothing was changed.")
            return
        kept = st.session_state[preview_key] = (upload.file_id, result)
    result = kept[1]
    if not result.ok:
        st.error(f"{len(result.errors)} problem(s) in the workbook's '{SHEET}' sheet; nothing "
                 "was changed:")
        st.dataframe(pd.DataFrame([(e.row, e.field, e.message) for e in result.errors],
                                  columns=["Row", "Cell", "Problem"]),
                     hide_index=True, width="stretch")  # fmt: skip
        return
    diff = result.diff
    if diff.empty:
        st.success("The workbook matches the workplan: nothing to change.")
        return
    _show_preview(diff, ref)
    remove = _removal_choice(plan, len(diff.removed), gen)
    if st.button("Apply these changes", type="primary"):
        if remove is False:
            st.error(f"Type {len(diff.removed)} in the box to confirm removing the lines not in "
                     "the file, or untick the box to keep them. Nothing was changed.")  # fmt: skip
            return
        try:
            saved = workplan_import.apply(user, plan, result, ref, remove_missing=remove)
        except workplans.WorkplanConflict as exc:
            st.error("Someone saved some of these lines after you uploaded the workbook; nothing "
                     "was applied. Compare, then upload again to apply your file to the "
                     "latest lines:")  # fmt: skip
            show_conflicts(exc.conflicts)
        except (workplans.WorkplanError, StoreError, PermissionDenied) as exc:
            st.error(md(str(exc)))
        else:
            st.session_state[f"wp_upload_gen_{plan.id}"] = gen + 1
            st.session_state.pop(preview_key, None)
            flash.say(f"Applied the workbook: {len(saved.added)} added, "
                                            f"{len(saved.changed)} changed, "
                                            f"{len(saved.removed)} removed.")  # fmt: skip
            st.rerun()


def _show_preview(diff: ActivityDiff, ref: ProgrammeReference) -> None:
    names = {c.code: c.name for c in ref.cost_categories}
    st.markdown(f"**Preview:** {len(diff.added)} to add, {len(diff.changed)} to change"
                + (f"; {len(diff.removed)} line(s) of the workplan are not in the file (kept "
                   "unless you ask below to remove them)." if diff.removed else "."))  # fmt: skip
    if diff.added:
        st.markdown("To add")
        st.dataframe(pd.DataFrame([(ref.output_label(a.output_code, 50), a.title, _budget(a, ref))
                                   for a in diff.added],
                                  columns=["Output", "Title", "Budget (USD)"]), hide_index=True,
                     width="stretch")  # fmt: skip
    if diff.changed:
        st.markdown("To change")
        st.dataframe(pd.DataFrame(
            [(old.code, *row) for old, _new, changes in diff.changed for c in changes
             for row in describe_change(c, names)],
            columns=["Line", "Field", "Now", "From the workbook"]), hide_index=True,
            width="stretch")  # fmt: skip
    if diff.removed:
        st.markdown("Not in the file (kept unless you ask to remove them)")
        st.dataframe(
            pd.DataFrame([(a.code, a.title) for a in diff.removed], columns=["Line", "Title"]),
            hide_index=True,
            width="stretch",
        )


def _removal_choice(plan: Workplan, missing: int, gen: int) -> int | None | bool:
    """None: keep the lines not in the file (the default); their number when the planner
    ticked the box and typed that number; False when ticked but not confirmed."""
    if not missing or not st.checkbox(f"Also remove the {missing} line(s) not in the file",
                                      key=f"wp_upload_remove_{plan.id}_{gen}"):  # fmt: skip
        return None
    typed = st.text_input(f"Type {missing} to confirm removing {missing} line(s)",
                          key=f"wp_upload_confirm_{plan.id}_{gen}")  # fmt: skip
    return int(typed.strip()) if typed.strip().isdigit() else False
