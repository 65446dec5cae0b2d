"""Audit trail: every change, who made it and when, with old and new values."""

import json

import pandas as pd
import streamlit as st

from rpsee.domain.roles import Permission
from rpsee.services import audit_log
from rpsee.ui import auth

user = auth.require(Permission.VIEW_AUDIT)
st.title("Audit trail")
entity = st.selectbox(
    "Entity",
    [
        "",
        "activity",
        "activity_budget",
        "workplan",
        "app_user",
        "position",
        "output",
        "indicator",
        "programme_figure",
        "thematic_area",
    ],
    format_func=lambda e: e or "All",
)
entries = audit_log.recent_entries(user, limit=500, entity=entity)


def _fmt(values: dict | None) -> str:
    return json.dumps(values, ensure_ascii=False) if values else ""


st.dataframe(
    pd.DataFrame(
        {
            "When (UTC)": [e.at.strftime("%Y-%m-%d %H:%M:%S") for e in entries],
            "Who": [e.actor for e in entries],
            "Action": [e.action for e in entries],
            "Entity": [e.entity for e in entries],
            "Record": [e.entity_id for e in entries],
            "Old values": [_fmt(e.old_values) for e in entries],
            "New values": [_fmt(e.new_values) for e in entries],
        }
    ),
    hide_index=True,
    width="stretch",
    height=600,
)
st.caption(f"The newest {len(entries)} entries.")
