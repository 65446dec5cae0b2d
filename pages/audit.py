"""Audit trail: every change, who made it and when, in the words and amounts the pages use."""

from datetime import date

import pandas as pd
import streamlit as st

from rpsee.domain.audit_view import ENTITY_TYPES, to_csv
from rpsee.domain.roles import Permission
from rpsee.services import audit_log
from rpsee.ui import auth

LIMIT = 2000

user = auth.require(Permission.VIEW_AUDIT)
st.title("Audit trail")
st.caption("Every change to the plans, settings, cost rates, users and reference data: who made "
           "it, when (UTC), and the values before and after. Amounts in USD.")  # fmt: skip

c1, c2, c3 = st.columns([1, 1, 1])
who = c1.selectbox(
    "User", ["", *audit_log.actors(user)], format_func=lambda u: u or "Everyone", key="audit_who"
)
kind = c2.selectbox(
    "Entity type", ["", *ENTITY_TYPES], format_func=lambda t: t or "All", key="audit_type"
)
days = c3.date_input(
    "Dates (UTC)", value=(), max_value=date.today(), key="audit_days", format="YYYY-MM-DD",
    help="Pick the first and the last day; leave empty for all dates",
)  # fmt: skip
first_day = days[0] if len(days) >= 1 else None
last_day = days[1] if len(days) == 2 else first_day

where = audit_log.AuditFilter(who or None, first_day, last_day, kind or None)
rows = audit_log.rows(user, where, limit=LIMIT)
frame = pd.DataFrame(
    {
        "When (UTC)": [r.when for r in rows],
        "Who": [r.who for r in rows],
        "What": [r.what for r in rows],
        "Entity type": [r.entity_type for r in rows],
        "Entity": [r.entity for r in rows],
        "Changes": [r.changes for r in rows],
    }
)
st.dataframe(
    frame,
    hide_index=True,
    width="stretch",
    height=600,
    column_config={
        "When (UTC)": st.column_config.TextColumn(width=150),
        "Changes": st.column_config.TextColumn(width="large"),
    },
)
shown = f"the newest {LIMIT:,}" if len(rows) == LIMIT else f"{len(rows):,}"
st.caption(f"Showing {shown} entries matching the filters, newest first.")
st.download_button(
    "Download these entries (CSV)",
    data=lambda: to_csv(rows),  # built on click, from exactly the rows shown
    on_click="ignore",
    file_name="rpsee-audit-trail.csv",
    mime="text/csv",
    icon=":material/download:",
    disabled=not rows,
)
