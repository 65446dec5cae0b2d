"""RPSEE Planner entry point: start-up, login, then the pages the user's role may see."""

import streamlit as st

from rpsee.services import StoreError
from rpsee.ui.auth import login_gate, set_pending_cookie
from rpsee.ui.nav import pages_for, sidebar, url_paths
from rpsee.ui.startup import ensure_accounts, ensure_started

st.set_page_config(page_title="RPSEE Planner", layout="wide")
ensure_accounts()  # all the login page reads
user = login_gate(url_paths())
ensure_started()  # the programme's data, for the pages after login
navigation = st.navigation(pages_for(user))
sidebar(user)
try:
    navigation.run()
except StoreError as exc:  # a dropped connection or driver error: a message, never a traceback
    st.error(str(exc))
set_pending_cookie()
