"""My account: change my password (ends my sessions everywhere)."""

import streamlit as st

from rpsee.services import accounts
from rpsee.ui import auth
from rpsee.ui.text import md

user = auth.require()
st.title("My account")
st.markdown(f"**{md(user.name)}** · {md(user.username)} · {user.role.label}")

with st.form("change_password", clear_on_submit=True):
    st.header("Change password")
    current = st.text_input("Current password", type="password")
    new = st.text_input(
        "New password",
        type="password",
        help="At least 10 characters, mixing letters with digits or symbols.",
    )
    repeat = st.text_input("Repeat the new password", type="password")
    submitted = st.form_submit_button("Change password")
if submitted:
    if new != repeat:
        st.error("Repeat the new password: it differs from the new password.")
    else:
        try:
            accounts.change_own_password(user, current, new)
        except accounts.AccountError as exc:
            st.error(md(str(exc)))
        else:
            st.success("Password changed. Your sessions have ended everywhere; log in again.")
            st.rerun()
