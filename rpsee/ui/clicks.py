"""Button clicks that a stopped run cannot lose.

A browser event starts a new run at once and stops the running one at its next Streamlit call;
a data editor re-sends its state a moment after each edit, so the run a click started (the only
run in which `st.button` returns True) can be stopped before it acts, and the click is lost.
Here the button's callback, which runs before the page (no Streamlit call there can stop it),
queues the click in the session, and the first run that gets to the action takes it, once.
"""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

CLICK_TTL_S = 30.0  # an older click is dropped: the user has left the page or moved on


def queue(key: str) -> None:
    """Queue a click under `key` (a button's `on_click`)."""
    st.session_state[key] = time.monotonic()


def queued(key: str) -> bool:
    """Whether a click is queued under `key` (without taking it)."""
    at = st.session_state.get(key)
    return at is not None and time.monotonic() - at <= CLICK_TTL_S


def take(key: str) -> bool:
    """Take the click queued under `key`: True once per click (one run of several running at
    once gets it), False when none is queued or it is older than `CLICK_TTL_S`."""
    at = st.session_state.pop(key, None)
    return at is not None and time.monotonic() - at <= CLICK_TTL_S


def drop(key: str) -> None:
    """Forget a queued click (it was answered another way)."""
    st.session_state.pop(key, None)


def button(label: str, *, key: str, where: Any = st, **kwargs: Any) -> bool:  # noqa: ANN401
    """`where.button(label)` whose click survives a run stopped before it is read: True once per
    click, in the first run that draws the button after it. Act on it at once (no Streamlit call
    before the write), so a run stopped after this call has either acted or left nothing."""
    flag = f"{key}:click"
    where.button(label, key=key, on_click=queue, args=(flag,), **kwargs)
    if kwargs.get("disabled"):  # a click queued before the button was disabled is not acted on
        drop(flag)
        return False
    return take(flag)
