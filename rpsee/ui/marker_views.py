"""The Workplans page's Markers tab: the version's budget (and the year's spending) by Gender
Equality Marker, DAC gender and DAC disability code, by thematic area and by office."""

from __future__ import annotations

import streamlit as st

from rpsee.domain.roles import CurrentUser
from rpsee.domain.workplan import Workplan
from rpsee.services import markers
from rpsee.ui import tables
from rpsee.ui.tables import MAIN_PX


def panel(user: CurrentUser, plan: Workplan) -> None:
    found = markers.shares(user, plan.id)
    st.caption("How much of this version's budget serves gender equality and disability "
               "inclusion, by the markers on its lines (cancelled lines left out). The target "
               "shares are the office's own settings, kept by the administrator. Whether each "
               "line's marker is backed by the plan is on the Checks tab.")  # fmt: skip
    by = st.segmented_control("Group by", ["Thematic area", "Office"], default="Thematic area",
                              key=f"mk_by_{plan.id}") or "Thematic area"  # fmt: skip
    index = 0 if by == "Thematic area" else 1
    st.header("Budget", anchor=False)
    for table in found.budget[index::2]:
        tables.show(table, label_px=180, box_px=MAIN_PX)
    st.header(f"Spending {found.year}", anchor=False)
    if not found.delivery:
        st.info(f"No expenditure of {found.year} imported yet: spending by marker code "
                "appears once finance imports it (Delivery page).")  # fmt: skip
        return
    st.caption("Expenditure is booked to an output, not to a line: each amount is shared over "
               "the codes of its output's planned lines in proportion to their budgets.")
    for table in found.delivery[index::2]:
        tables.show(table, label_px=180, box_px=MAIN_PX)
