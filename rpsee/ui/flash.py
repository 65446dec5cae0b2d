"""The workplan page's message on the last action (saved, applied, created, shared).

It stays until the next edit or until another workplan is opened: a run that follows at once
(the grid's editor re-sends its state a moment after a redraw) must not wipe it."""

from __future__ import annotations

import streamlit as st

TEXT, PLAN = "wp_flash", "wp_flash_plan"


def say(text: str) -> None:
    """Set the message the next run shows (on the workplan it opens)."""
    st.session_state[TEXT] = text
    st.session_state.pop(PLAN, None)


def current() -> str | None:
    return st.session_state.get(TEXT)


def keep(plan_id: int, pending: bool) -> str | None:
    """The message still to show on `plan_id`, or None once an edit is pending or another
    workplan is open (the message is then dropped)."""
    text = st.session_state.get(TEXT)
    if text and not pending and st.session_state.setdefault(PLAN, plan_id) == plan_id:
        return text
    st.session_state.pop(TEXT, None)
    st.session_state.pop(PLAN, None)
    return None
