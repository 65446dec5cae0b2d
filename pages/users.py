"""Users (administrators): add accounts, change roles, deactivate, unlock, reset passwords."""

import pandas as pd
import streamlit as st

from rpsee.domain.roles import Permission, Role
from rpsee.services import accounts, sso
from rpsee.ui import auth, cache
from rpsee.ui.text import md

user = auth.require(Permission.MANAGE_USERS)
st.title("Users")
# Steering Committee members represent jurisdictions (positions only for those)
member_codes = [j.code for j in cache.reference(user).jurisdictions if not j.regional]
jur_names = {j.code: j.name for j in cache.reference(user).jurisdictions}

users = accounts.list_users(user)
st.dataframe(
    pd.DataFrame(
        {
            "Username": [u.username for u in users],
            "Name": [u.name for u in users],
            "Role": [Role(u.role).label if u.role else "Awaiting approval" for u in users],
            "Signs in by": ["Single sign-on" if u.sso else "Password" for u in users],
            "Jurisdictions": [", ".join(jur_names.get(c, c) for c in u.jurisdictions)
                              for u in users],
            "Active": [u.active for u in users],
            "Locked until (UTC)": [
                u.locked_until.strftime("%Y-%m-%d %H:%M") if u.locked_until else "" for u in users
            ],
            "Created (UTC)": [u.created_at.strftime("%Y-%m-%d") for u in users],
        }
    ),
    hide_index=True,
    width="stretch",
)

roles = [r.value for r in Role]
ADD_FIELDS = ("add_username", "add_name", "add_email", "add_password")


def _add_user() -> None:
    """Runs before the page: on success clear the whole form, on error only the password."""
    state = st.session_state
    try:
        added = accounts.add_user(
            user,
            state.get("add_username", ""),
            state.get("add_name", ""),
            state.get("add_role", roles[0]),
            state.get("add_password", ""),
            state.get("add_email", ""),
            jurisdictions=state.get("add_jurisdictions", []),
        )
    except accounts.AccountError as exc:
        state["add_error"] = md(str(exc))
    else:
        state["add_done"] = (
            f"Added **{md(added.username)}** ({md(added.name)}) as "
            f"**{Role(added.role).label}**. Share the initial password with them privately."
        )
        for key in ADD_FIELDS:
            state[key] = ""
        state["add_role"] = roles[0]
        state["add_jurisdictions"] = []
    state["add_password"] = ""  # never kept, never shown again


pending = [u for u in users if u.role is None and u.active]
tab_names = ["Add a user", "Change a user"]
if pending:
    tab_names.insert(0, f"Approve sign-ins ({len(pending)})")
tabs = st.tabs(tab_names)
add_tab, change_tab = tabs[-2], tabs[-1]
if pending:
    with tabs[0]:
        st.caption("People who signed in by single sign-on for the first time. Give each a role "
                   "to let them in (audited), or deactivate the account on *Change a user*.")
        names = {u.username: f"{u.name} ({u.email or u.username})" for u in pending}
        who = st.selectbox("Account", list(names), format_func=names.get, key="approve_who")
        role = st.selectbox("Role", roles, format_func=lambda r: Role(r).label,
                            key="approve_role")  # fmt: skip
        picked = []
        if role == "psc_member":
            picked = st.multiselect("Jurisdictions", member_codes, format_func=jur_names.get,
                                    key="approve_jur")  # fmt: skip
        donor = None
        if role == "observer":
            donor = st.text_input("Donor code (data/donors.yaml), e.g. SWE", key="approve_donor")
        if st.button("Approve", key="approve_button", type="primary"):
            try:
                sso.approve(user, who, role, donor=donor, jurisdictions=picked)
            except accounts.AccountError as exc:
                st.error(md(str(exc)))
            else:
                st.session_state["approve_done"] = (
                    f"Approved **{md(names[who])}** as **{Role(role).label}**: they are signed in "
                    "at their next page run."
                )
                st.rerun()
if done := st.session_state.pop("approve_done", None):
    st.success(done, icon=":material/check_circle:")
with add_tab:
    if done := st.session_state.pop("add_done", None):
        st.success(done, icon=":material/check_circle:")
    if error := st.session_state.pop("add_error", None):
        st.error(error)
    with st.form("add_user", clear_on_submit=False):
        c1, c2 = st.columns(2)
        c1.text_input(
            "Username", key="add_username", help="Lower-case letters, digits, '.', '_' or '-'"
        )
        c2.text_input("Full name", key="add_name")
        c1.text_input("E-mail (optional)", key="add_email")
        c2.selectbox("Role", roles, format_func=lambda r: Role(r).label, key="add_role")
        c2.multiselect(
            "Jurisdictions (Steering Committee members only)", member_codes,
            format_func=jur_names.get, key="add_jurisdictions",
            help="A member records positions only for these.",
        )
        c1.text_input(
            "Initial password",
            type="password",
            key="add_password",
            help="At least 10 characters; share it with the user privately.",
        )
        st.form_submit_button("Add user", on_click=_add_user)

with change_tab:
    full_names = {u.username: f"{u.name} ({u.username})" for u in users}
    target = st.selectbox("User", [u.username for u in users], format_func=full_names.get,
                          key="users_target")  # fmt: skip
    chosen = next((u for u in users if u.username == target), None)
    if chosen is not None and chosen.role is None:
        st.info("This account awaits approval (see *Approve sign-ins*); it can be deactivated.")
        if st.button("Deactivate" if chosen.active else "Activate", key="users_pending_active"):
            accounts.set_active(user, chosen.username, not chosen.active)
            st.rerun()
    elif chosen is not None:
        c1, c2, c3 = st.columns(3)
        with c1:
            new_role = st.selectbox(
                "Role",
                roles,
                index=roles.index(chosen.role),
                format_func=lambda r: Role(r).label,
                key=f"users_role_{chosen.username}",  # opens on that user's role
            )
            picked = []
            if new_role == "psc_member":
                picked = st.multiselect(
                    "Jurisdictions", member_codes, default=list(chosen.jurisdictions),
                    format_func=jur_names.get, key=f"users_jur_{chosen.username}",
                    help="The member records positions only for these.",
                )
            if st.button("Save role", disabled=new_role == chosen.role):
                try:
                    accounts.set_role(user, chosen.username, new_role, jurisdictions=picked)
                except accounts.AccountError as exc:
                    st.error(md(str(exc)))
                else:
                    st.rerun()
            same = tuple(picked) == chosen.jurisdictions
            if chosen.role == "psc_member" == new_role and st.button(
                    "Save jurisdictions", disabled=same, key="users_save_jur"):  # fmt: skip
                try:
                    accounts.set_jurisdictions(user, chosen.username, picked)
                except accounts.AccountError as exc:
                    st.error(md(str(exc)))
                else:
                    st.rerun()
        with c2:
            label = "Deactivate (ends sessions)" if chosen.active else "Activate"
            if st.button(label, key="users_active"):
                try:
                    accounts.set_active(user, chosen.username, not chosen.active)
                except accounts.AccountError as exc:
                    st.error(md(str(exc)))
                else:
                    st.rerun()
            if st.button("Unlock", disabled=chosen.locked_until is None, key="users_unlock"):
                accounts.unlock(user, chosen.username)
                st.rerun()
        if chosen.sso:
            c3.caption("Signs in by single sign-on: no password here.")
        else:
            with c3, st.form("reset_password", clear_on_submit=True):
                new_password = st.text_input("New password", type="password")
                if st.form_submit_button("Reset password (ends sessions)"):
                    try:
                        accounts.reset_password(user, chosen.username, new_password)
                    except accounts.AccountError as exc:
                        st.error(md(str(exc)))
                    else:
                        st.success(f"Password of {md(chosen.username)} reset.")
