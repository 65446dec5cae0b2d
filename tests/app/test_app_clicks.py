"""Clicks queued by a button's callback: acted on once, by the first run that gets to them."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest


def _page() -> None:
    import streamlit as st

    from rpsee.ui import clicks

    if clicks.button("Save", key="save"):
        st.session_state["saves"] = st.session_state.get("saves", 0) + 1


def _app() -> AppTest:
    at = AppTest.from_function(_page).run()
    assert not at.exception, at.exception
    return at


def test_a_click_acts_once() -> None:
    at = _app()
    at.button(key="save").click().run()
    assert at.session_state["saves"] == 1
    at.run()
    assert at.session_state["saves"] == 1


def test_a_click_whose_run_was_stopped_acts_in_the_next_run() -> None:
    at = _app()
    at.session_state["save:click"] = time.monotonic()  # queued; its run stopped before acting
    at.run()  # a run started by another event: the button's trigger is not in it
    assert at.session_state["saves"] == 1
    at.run()
    assert at.session_state["saves"] == 1


def test_a_stale_click_is_dropped() -> None:
    from rpsee.ui.clicks import CLICK_TTL_S

    at = _app()
    at.session_state["save:click"] = time.monotonic() - CLICK_TTL_S - 1
    at.run()
    assert "saves" not in at.session_state and "save:click" not in at.session_state


def test_a_click_queued_before_the_button_was_disabled_is_dropped() -> None:
    def page() -> None:
        import streamlit as st

        from rpsee.ui import clicks

        if clicks.button("Create", key="make", disabled=st.session_state.get("off", False)):
            st.session_state["made"] = st.session_state.get("made", 0) + 1

    at = AppTest.from_function(page).run()
    at.session_state["off"] = True
    at.session_state["make:click"] = time.monotonic()
    at.run()
    assert "made" not in at.session_state and "make:click" not in at.session_state
    at.session_state["off"] = False
    at.run()  # the dropped click does not come back once the button is enabled
    assert "made" not in at.session_state
