"""The approval pack on the Steering Committee page: the selected version with the frozen
scenarios chosen, built on click with its progress shown, then offered for download."""

from __future__ import annotations

import logging

import streamlit as st

from rpsee.domain.roles import (
    OBSERVER_EDITION,
    CurrentUser,
    Permission,
    PermissionDenied,
    pack_edition,
)
from rpsee.domain.workplan import Workplan
from rpsee.services import pack, scenarios
from rpsee.ui.text import md

LOG = logging.getLogger(__name__)
KEY = "rv_pack"  # session state: (workplan id, scenario ids, PackFiles) of the last pack built


def file_name(plan: Workplan, edition: str, kind: str = "pdf") -> str:
    tail = "_observer" if edition == OBSERVER_EDITION else ""
    return f"RPSEE_pack_{plan.year}_v{plan.version_no}{tail}.{kind}"


def show(user: CurrentUser, plan: Workplan) -> None:
    st.header("Approval pack")
    edition = pack_edition(user, plan.status)
    if edition is None:
        st.caption("The pack of a draft is for planners and finance; it is for everyone once "
                   "the version is submitted to the Steering Committee.")  # fmt: skip
        return
    chosen: list[int] = []
    if user.can(Permission.VIEW_SCENARIOS):
        frozen = {f.id: f"{f.name} (frozen {f.frozen_at:%Y-%m-%d %H:%M} UTC)"
                  for f in scenarios.frozen_scenarios(user)}  # fmt: skip
        chosen = st.multiselect("Frozen scenarios in the pack", list(frozen),
                                format_func=frozen.get, max_selections=4,
                                placeholder=None if frozen else "No frozen scenario yet",
                                key=f"rv_pack_scenarios_{plan.id}")  # fmt: skip
        if not frozen:
            st.caption("A scenario can go into the pack once it is frozen (Funding scenarios "
                       "page, Frozen tab).")
    note = " (observer edition: other donors' confidential money as one aggregate)" if (
        edition == OBSERVER_EDITION) else ""  # fmt: skip
    st.caption(f"A PDF for the members: {md(plan.label)}{note}, with the tables and charts of "
               "this version and the scenarios chosen; beside it, the accessible edition for "
               "screen readers: the same content as one web page (HTML), its charts as "
               "tables.")  # fmt: skip
    if st.button("Build the approval pack", key="rv_pack_build"):
        _build(user, plan, chosen)
    built = st.session_state.get(KEY)
    if built and built[0] == plan.id and built[1] == tuple(chosen):
        pdf_col, html_col = st.columns(2)
        pdf_col.download_button("Download the approval pack (PDF)", built[2].pdf,
                                file_name=file_name(plan, edition), mime="application/pdf",
                                type="primary", key="rv_pack_download")  # fmt: skip
        html_col.download_button("Download the accessible edition (HTML)", built[2].html,
                                 file_name=file_name(plan, edition, "html"),
                                 mime="text/html", key="rv_pack_download_html")  # fmt: skip


def _build(user: CurrentUser, plan: Workplan, chosen: list[int]) -> None:
    st.session_state.pop(KEY, None)
    with st.status("Building the approval pack…", expanded=True) as status:
        bar = st.progress(0.0, text="Starting")
        try:
            files = pack.build_editions(user, plan.id, chosen,
                                        progress=lambda f, what: bar.progress(f, text=what))
        except PermissionDenied as exc:
            status.update(label="The approval pack was not built", state="error")
            st.error(f"The approval pack was not built: {md(str(exc))}")
            return
        except Exception:  # noqa: BLE001  said plainly to the user, the details to the log
            LOG.exception("approval pack of workplan %s failed", plan.id)
            status.update(label="The approval pack could not be built", state="error")
            st.error("The approval pack could not be built: an unexpected error, recorded in "
                     "the server log. Nothing was changed; try again or tell the "
                     "administrator.")  # fmt: skip
            return
        status.update(label=f"Approval pack ready (PDF {len(files.pdf) // 1024} KB, accessible "
                            f"edition {len(files.html) // 1024} KB)", state="complete",
                      expanded=False)  # fmt: skip
    st.session_state[KEY] = (plan.id, tuple(chosen), files)
