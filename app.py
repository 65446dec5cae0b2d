"""RPSEE Planner entry point: start-up, login, then the pages the user's role may see."""

import streamlit as st

from rpsee.services import StoreError
from rpsee.ui.auth import login_gate, set_pending_cookie
from rpsee.ui.nav import pages_for, sidebar, sidebar_state, url_paths
from rpsee.ui.startup import ensure_accounts, ensure_started
from rpsee.ui.style import inject as inject_style

st.set_page_config(page_title="RPSEE Planner", layout="wide")
inject_style()  # contrast and focus (README, Accessibility), the login page included
navigation = None
try:  # a dropped connection or driver error anywhere: a message, never a traceback
    ensure_accounts()  # all the login page reads
    user = login_gate(url_paths())
    ensure_started()  # the programme's data, for the pages after login
    navigation = st.navigation(pages_for(user))
    st.set_page_config(initial_sidebar_state=sidebar_state(navigation.url_path))
    sidebar(user)
    navigation.run()
except StoreError as exc:
    message = str(exc)
    if navigation is None:  # failed before the pages: one page says so (never pages/ itself)

        def unavailable() -> None:
            st.error(message)

        st.navigation([st.Page(unavailable, title="RPSEE Planner")], position="hidden").run()
    else:
        st.error(message)
set_pending_cookie()
