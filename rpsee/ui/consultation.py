"""The workplan page's line on sharing a draft with Committee members for consultation."""

from __future__ import annotations

import streamlit as st

from rpsee.domain.roles import CurrentUser, Permission, PermissionDenied
from rpsee.domain.workplan import Workplan
from rpsee.services import consultation
from rpsee.ui import flash
from rpsee.ui.text import md

SHARE_LABEL = "Shared with Committee members for consultation"
SHARE_HELP = ("Committee members read the versions submitted to the Steering Committee and the "
              "drafts shared with them here; donor observers never read a draft.")


def share_line(user: CurrentUser, plan: Workplan, notice, where) -> None:  # noqa: ANN001
    """A planner's toggle on a draft; for a Committee member, a caption on a shared draft
    (drawn in the container `where`)."""
    if plan.status != "draft":
        return
    if not user.can(Permission.EDIT_PLANS):
        if plan.shared:
            where.caption("A draft in preparation, shared with Committee members for consultation: "
                       "it is not before the Steering Committee yet.")
        return
    shared = where.toggle(SHARE_LABEL, value=plan.shared, key=f"wp_share_{plan.id}_{plan.shared}",
                       help=SHARE_HELP)  # fmt: skip
    if shared == plan.shared:
        return
    try:
        consultation.set_shared(user, plan.id, shared)
    except (consultation.ConsultationError, PermissionDenied) as exc:
        notice.error(md(str(exc)))
    else:
        flash.say(
            f"The {plan.year} workplan, version {plan.version_no} (draft) is now shared with "
            "Committee members for consultation." if shared else
            f"The {plan.year} workplan, version {plan.version_no} (draft) is no longer shared "
            "with Committee members.")  # fmt: skip
        st.rerun()
