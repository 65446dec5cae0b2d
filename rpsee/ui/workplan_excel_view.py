"""The Excel tab: download the workplan; upload a filled workbook, preview, then apply."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.roles import CurrentUser, PermissionDenied
from rpsee.domain.workplan import FIELD_LABELS, Activity, Workplan
from rpsee.reports.workplan_excel import WorkbookError
from rpsee.services import workplan_import, workplans


def _show(value: object) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, tuple):
        return "; ".join(value)
    return "" if value is None else str(value)


def panel(user: CurrentUser, plan: Workplan, activities: list[Activity],
          ref: ProgrammeReference, editable: bool) -> None:  # fmt: skip
    st.download_button(
        "Download the workplan (.xlsx)", icon=":material/download:",
        data=lambda: workplan_import.export(user, plan, activities, ref),  # built on click
        on_click="ignore",
        file_name=f"RPSEE_workplan_{plan.year}_v{plan.version_no}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )  # fmt: skip
    st.caption("Coded columns have drop-down lists. Leave Code empty for a new line; delete a "
               "row to remove a line.")  # fmt: skip
    if not editable:
        return
    gen = st.session_state.setdefault(f"wp_upload_gen_{plan.id}", 0)
    upload = st.file_uploader("Upload a filled workbook", type=["xlsx"],
                              key=f"wp_upload_{plan.id}_{gen}")  # fmt: skip
    if upload is None:
        return
    try:
        result = workplan_import.preview(user, plan, activities, upload.getvalue(), ref)
    except WorkbookError as exc:
        st.error(f"{exc} Nothing was changed.")
        return
    if not result.ok:
        st.error(f"{len(result.errors)} problem(s) in the workbook; nothing was changed:")
        st.dataframe(pd.DataFrame([(e.row, e.field, e.message) for e in result.errors],
                                  columns=["Row", "Column", "Problem"]),
                     hide_index=True, width="stretch")  # fmt: skip
        return
    diff = result.diff
    if diff.empty:
        st.success("The workbook matches the workplan: nothing to change.")
        return
    st.markdown(f"**Preview:** {len(diff.added)} to add, {len(diff.changed)} to change, "
                f"{len(diff.removed)} to remove.")  # fmt: skip
    if diff.added:
        st.markdown("To add")
        st.dataframe(pd.DataFrame([(a.output_code, a.title, _show(a.budget)) for a in diff.added],
                                  columns=["Output", "Title", "Budget"]), hide_index=True,
                     width="stretch")  # fmt: skip
    if diff.changed:
        st.markdown("To change")
        st.dataframe(pd.DataFrame(
            [(old.code, FIELD_LABELS[c.field], _show(c.old), _show(c.new))
             for old, _new, changes in diff.changed for c in changes],
            columns=["Line", "Field", "Now", "From the workbook"]), hide_index=True,
            width="stretch")  # fmt: skip
    if diff.removed:
        st.markdown("To remove")
        st.dataframe(
            pd.DataFrame([(a.code, a.title) for a in diff.removed], columns=["Line", "Title"]),
            hide_index=True,
            width="stretch",
        )
    if st.button("Apply these changes", type="primary"):
        try:
            saved = workplans.save(user, plan.id, workplan_import.as_edit(diff), ref)
        except workplans.WorkplanConflict as exc:
            st.error("Someone changed these lines since you loaded them; nothing was applied:\n\n"
                     + "\n".join(f"- {c}" for c in exc.conflicts))  # fmt: skip
        except (workplans.WorkplanError, PermissionDenied) as exc:
            st.error(str(exc))
        else:
            st.session_state[f"wp_upload_gen_{plan.id}"] = gen + 1
            st.session_state["wp_flash"] = (f"Applied the workbook: {len(saved.added)} added, "
                                            f"{len(saved.changed)} changed, "
                                            f"{len(saved.removed)} removed.")  # fmt: skip
            st.rerun()
