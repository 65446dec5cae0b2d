"""Single sign-on in the page: Streamlit's `st.login` / `st.user` (OpenID Connect), turned into
the app's own session (the same checks as a password login: rpsee.ui.auth.current_user).

Streamlit keeps the identity provider's claims in a signed cookie (`st.user`); this module
hands them to `rpsee.services.sso.sign_in`, which finds or creates the account and says whether
it is signed in, awaiting approval or refused. The session then starts at the ID token's issue
time, so the absolute time-out counts from the sign-in, and the idle time-out, deactivation,
role changes and "log out everywhere" apply at the next page run as for a password login.
"""

from __future__ import annotations

import streamlit as st

from rpsee import config
from rpsee.domain.sso import Outcome
from rpsee.services import sso
from rpsee.ui import sso_routes
from rpsee.ui.text import md

# `rpsee serve` installs it at start; here too for `streamlit run app.py` (Streamlit's routes look
# the wrapped functions up at each request, and a callback only follows a page run's st.login).
sso_routes.install()

SSO_SESSION = "rpsee_sso_session"  # the ID token's issue time of this session's SSO sign-in
SSO_SEEN = "rpsee_sso_seen"  # this browser session has been through a sign-in once
SSO_OUTCOME = "rpsee_sso_outcome"  # (outcome, name) when not signed in: pending or refused
SSO_ENDED = "rpsee_sso_ended"  # issue time of a token whose session has ended: not adopted again
SSO_NOTICE = "rpsee_sso_notice"  # (notice, why) the redirect's query said, kept once read

# Why the identity provider's answer was refused (set by rpsee.ui.sso_routes on the redirect);
# only these fixed texts are ever shown.
REFUSALS = {
    "signature": "the answer's signature does not match the identity provider's keys (it was "
    "altered, or signed with a key the app does not know)",
    "expired": "the answer has expired",
    "audience": "the answer was issued for another application",
    "provider": "the identity provider reported an error or the sign-in was cancelled",
    "other": "the answer could not be verified",
}


def _auth() -> dict:
    try:
        auth = st.secrets.get("auth") or {}
        return auth.to_dict() if hasattr(auth, "to_dict") else dict(auth)
    except Exception:  # noqa: BLE001  no secrets file: Streamlit raises when it is read
        return {}


def configured() -> bool:
    """Whether `[auth]` in Streamlit's secrets names an identity provider."""
    return config.sso_configured(_auth())


def _client_id(provider: object) -> str:
    """The client id the app is registered with at the provider that signed this person in."""
    auth = _auth()
    section = auth.get(str(provider)) if provider and provider != "default" else None
    return str((section if isinstance(section, dict) else auth).get("client_id") or "")


def _claims() -> dict | None:
    info = st.user.to_dict()
    return dict(info) if info.get("is_logged_in") else None


def adopt_sign_in() -> None:
    """If the browser brings an identity provider's sign-in (st.user), start the app's session
    for its account (`authentication_status`, `username`, the session's start), or note that it
    awaits approval or is refused. A token whose session has ended is not adopted again."""
    if not configured():
        return
    claims = _claims()
    if claims is None:
        return
    if st.session_state.get(SSO_ENDED) is not None and st.session_state[SSO_ENDED] == claims.get(
        "iat"
    ):
        return
    first = not st.session_state.get(SSO_SEEN)
    st.session_state[SSO_SEEN] = True
    result = sso.sign_in(claims, client_id=_client_id(claims.get("provider")),
                         first_in_session=first)  # fmt: skip
    if result.outcome is Outcome.SIGNED_IN:
        from rpsee.ui.auth import AUTH_AT

        st.session_state.pop(SSO_OUTCOME, None)
        st.session_state["authentication_status"] = True
        st.session_state["username"] = result.username
        st.session_state["name"] = result.name
        st.session_state[AUTH_AT] = result.signed_in_at
        st.session_state[SSO_SESSION] = claims.get("iat")
    else:
        st.session_state[SSO_OUTCOME] = (result.outcome.value, result.name, result.message)


def is_sso_session() -> bool:
    return st.session_state.get(SSO_SESSION) is not None


def session_ended() -> None:
    """The app's session of this SSO sign-in has ended (revoked, idle, too old): the same
    token is not adopted again; signing in anew gives a new one."""
    st.session_state[SSO_ENDED] = st.session_state.pop(SSO_SESSION, None)


def log_out() -> None:
    """End the app's session (Streamlit deletes its identity cookie). The identity provider's
    own session is left as it is (rpsee.ui.sso_routes), and the login page says so."""
    st.session_state.pop(SSO_SESSION, None)
    st.logout()


def _notice() -> tuple[str, str]:
    """What the sign-in routes' redirect said (`?sso=...&why=...`), taken out of the address so
    that a reload or a bookmark does not say it again; kept for this session until the next
    sign-in."""
    notice = st.query_params.get("sso")
    if notice is not None:
        st.session_state[SSO_NOTICE] = (str(notice), str(st.query_params.get("why") or ""))
        for key in ("sso", "why"):
            if key in st.query_params:
                del st.query_params[key]
    return st.session_state.get(SSO_NOTICE, ("", ""))


def sign_in_button() -> None:
    """The single sign-on button of the login page, with what the last attempt led to."""
    notice, why = _notice()
    if notice == "signed-out":
        st.info(
            "You are signed out of RPSEE Planner. You are still signed in at your organisation's "
            "identity provider (e.g. Microsoft): sign out there, or close the browser, to end that "
            "too."
        )
    elif notice == "refused":
        reason = REFUSALS.get(why, REFUSALS["other"])
        st.error(f"Single sign-on was refused: {reason}. You are not signed in. Try again; if it "
                 "happens again, tell your administrator.")  # fmt: skip
    outcome = st.session_state.get(SSO_OUTCOME)
    if outcome and outcome[0] == Outcome.REFUSED.value:
        if outcome[2]:  # the claims: unusable, or for another application
            st.error(f"Single sign-on was refused: {md(outcome[2])} You are not signed in.")
        else:
            st.error(f"**{md(outcome[1] or 'This account')}** may not use RPSEE Planner: the "
                     "account is deactivated. Ask an administrator.")  # fmt: skip
    if st.button("Sign in with your organisation account", key="rpsee_sso_login",
                 icon=":material/login:", type="primary"):  # fmt: skip
        for key in (SSO_OUTCOME, SSO_ENDED, SSO_NOTICE):
            st.session_state.pop(key, None)
        st.login()


def pending_page() -> bool:
    """Draw the "awaiting approval" page if this session's sign-in awaits it; True if drawn."""
    outcome = st.session_state.get(SSO_OUTCOME)
    if not outcome or outcome[0] != Outcome.PENDING.value:
        return False
    st.title("RPSEE Planner")
    st.warning(
        f"You are signed in as **{md(outcome[1])}**, but your account awaits approval: an "
        "administrator gives it a role on the Users page. Then choose *Check again*.",
        icon=":material/hourglass_top:",
    )
    left, right = st.columns([1, 4])
    if left.button("Check again", key="rpsee_sso_check"):
        st.rerun()
    if right.button("Sign out", key="rpsee_sso_signout"):
        st.session_state.pop(SSO_OUTCOME, None)
        st.logout()
    return True

