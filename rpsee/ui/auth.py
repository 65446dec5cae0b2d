"""Login by streamlit-authenticator, with the server-side checks the library lacks.

Every run re-reads the account from the database: an inactive account, or a session opened before
the account's sessions were ended (logout, password change, deactivation), is logged out at once.
The library's cookie is only trusted when it was issued after the last such revocation.

The login cookie is read from the request (`st.context.cookies`), by the library and by this
module; the library's cookie component is only drawn to set or delete it (`_CookieComponent`), so
the login page of a visitor without a cookie draws no component (no extra run when it answers, and
Streamlit does not load pandas and pyarrow for it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import extra_streamlit_components as stx
import jwt
import streamlit as st
import streamlit_authenticator as stauth
from extra_streamlit_components.CookieManager import _component_func as _cookie_component
from streamlit_authenticator.models import cookie_model

from rpsee import config
from rpsee.domain.roles import CurrentUser, Permission
from rpsee.services import accounts
from rpsee.services.bootstrap import DEMO_PASSWORD, DEMO_USERS
from rpsee.services.passwords import unmatchable_hash
from rpsee.ui import sso as sso_ui
from rpsee.ui.startup import ensure_started, secrets_cookie_key

AUTH_AT = "rpsee_auth_at"
PASSWORD_LOGIN = "rpsee_password_login"
ENDED = "rpsee_session_ended"
COOKIE_PENDING = "rpsee_cookie_pending"


def cookie_name() -> str:
    """One cookie per checkout, so two apps on one host do not overwrite each other's."""
    return "rpsee_auth_" + hashlib.sha256(str(config.state_dir()).encode()).hexdigest()[:8]


_HIDE_COOKIE_FRAME = """<style>
div[data-testid="stElementContainer"]:has(iframe[title*="CookieManager"]) {display: none;}
</style>"""


def _register_cookie_component() -> None:
    """Register the cookie component with the running server before drawing it. Streamlit
    registers a component only when its module is imported during a page run; `rpsee serve`
    imports this module before the first run (rpsee.ui.server), and an unregistered component's
    files answer 404, so the login cookie was never set there."""
    from streamlit import runtime

    if not runtime.exists():
        return
    registry = runtime.get_instance().component_registry
    if registry.get_component_path(_cookie_component.name) is None:
        registry.register_component(_cookie_component)


class _CookieComponent(stx.CookieManager):
    """The library's cookie manager, drawn only when a cookie is set or deleted. The library's
    own draws a component on construction to read every cookie, which nothing uses: the login
    cookie is read from the request."""

    def __init__(self, key: str = "init") -> None:  # noqa: ARG002  (the library's signature)
        self.cookies: dict = {}

    def cookie_manager(self, **kwargs: object) -> object:
        st.html(_HIDE_COOKIE_FRAME)  # the cookie component is invisible work, not a page element
        _register_cookie_component()
        return _cookie_component(**kwargs)

    def delete(self, cookie: str, key: str = "delete") -> None:
        self.cookies.setdefault(cookie, None)  # the library's delete expects it read first
        super().delete(cookie, key)


cookie_model.stx = SimpleNamespace(CookieManager=_CookieComponent)  # the only name it uses


def _authenticator(credentials: dict) -> stauth.Authenticate:
    """Built per run from the database: never cached, never shared between sessions."""
    return stauth.Authenticate(
        credentials,
        cookie_name=cookie_name(),
        cookie_key=config.cookie_key(secrets_cookie_key()),
        cookie_expiry_days=config.LOGIN_POLICY.cookie_expiry_days,
        auto_hash=False,
        login_sleep_time=0,
    )


def _naive_utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC).replace(tzinfo=None)


class _AnyName(dict):
    """The library's user table, answering for every name typed: an unknown name gets an
    entry whose hash nobody can match, so it costs the same bcrypt check as a wrong password
    and its failure is counted (and audited) like any other."""

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(name)

    def __missing__(self, name: str) -> dict:
        entry = {"name": "", "email": "", "password": unmatchable_hash(), "roles": [],
                 "unknown": True}  # fmt: skip
        self[name] = entry
        return entry


def _cookie() -> tuple[str, float] | None | bool:
    """The browser's login cookie as (username, expiry timestamp); None if there is none,
    False if it is not one this app signed (wrong key or algorithm, fields missing)."""
    token = st.context.cookies.get(cookie_name()) if st.context.cookies else None
    if not token:
        return None
    try:
        payload = jwt.decode(token, config.cookie_key(secrets_cookie_key()), algorithms=["HS256"])
        name, expires = payload["username"], float(payload["exp_date"])
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        return False
    return (name, expires) if isinstance(name, str) else False


def _cookie_acceptable(known: set[str]) -> bool:
    """False for a login cookie the app would not issue now: bad signature or algorithm,
    missing fields, expired, or naming an account that is not active."""
    cookie = _cookie()
    if cookie is None:
        return True
    return bool(cookie) and cookie[0] in known and cookie[1] > datetime.now(UTC).timestamp()


def _cookie_issued_at() -> datetime | None:
    """When the browser's login cookie was issued (its expiry minus its lifetime)."""
    cookie = _cookie()
    if not cookie:
        return None
    return _naive_utc(cookie[1]) - timedelta(days=config.LOGIN_POLICY.cookie_expiry_days)


def _forget_session() -> None:
    for key in ("authentication_status", "username", "name", "email", "roles", AUTH_AT):
        st.session_state.pop(key, None)


ENDED_MESSAGES = {
    "revoked": "Your session has ended (logged out, password changed or account deactivated).",
    "idle": "Your session has ended after {idle} minutes without activity.",
    "absolute": "Your session has ended: sessions last at most {hours} hours.",
}


def current_user() -> CurrentUser | None:
    """The logged-in user, checked against the database on this run; None if not logged in.
    A single sign-on (st.user) starts the session here and gets the same checks."""
    if not st.session_state.get("authentication_status"):
        sso_ui.adopt_sign_in()
    if not st.session_state.get("authentication_status"):
        return None
    check = accounts.check_session(st.session_state.get("username"), st.session_state.get(AUTH_AT))
    if check.user is None:
        _forget_session()
        st.session_state[ENDED] = check.ended_because or "revoked"
        st.session_state["logout"] = True  # the library then ignores the (revoked) cookie
        if sso_ui.is_sso_session():
            sso_ui.session_ended()
    else:
        st.session_state.pop(sso_ui.SSO_NOTICE, None)  # said on the login page, not after a logout
    return check.user


def _on_password_login(_details: dict) -> None:
    st.session_state[PASSWORD_LOGIN] = True


def _login_header() -> None:
    st.title("RPSEE Planner")
    # An h2, drawn as a subtitle (rpsee/ui/style.py): the login form's own heading is the
    # library's h3, so the heading order has no gap.
    with st.container(key="login_subtitle"):
        st.header("UNODC Regional Programme for South-Eastern Europe 2024–2029 · planning tool",
                  anchor=False)  # fmt: skip
    reason = st.session_state.pop(ENDED, None)
    if reason:
        policy = config.LOGIN_POLICY
        text = ENDED_MESSAGES.get(str(reason), ENDED_MESSAGES["revoked"])
        st.info(text.format(idle=policy.idle_minutes, hours=policy.max_session_hours)
                + " Please log in again.")  # fmt: skip


def _demo_banner() -> None:
    rows = "\n".join(f"| `{u}` | {role} | {name} |" for u, name, role in DEMO_USERS)
    st.warning(
        "**Demo data.** This instance runs on illustrative demo data, not the office's records. "
        f"Log in with one of these demo accounts; the password of each is `{DEMO_PASSWORD}`.\n\n"
        "| Username | Role | Who |\n|---|---|---|\n" + rows,
        icon=":material/science:",
    )


def login_gate(url_paths: Sequence[str] = ()) -> CurrentUser:
    """Return the logged-in user, or draw the login page and stop the run.

    Before login every page's URL (`url_paths`, the default page first) leads to the login form,
    nothing else: so opening `/workplan` on a fresh load shows the login form there, and the
    workplan page after login (Streamlit knows a page by its URL path). The navigation stays
    hidden: no page name is shown to a visitor who is not logged in, and after login the role's
    navigation decides again which pages exist.
    """
    user = current_user()
    if user is not None:
        return user
    paths = list(url_paths) or ["login"]
    st.navigation(
        [
            st.Page(_login_page, title="Log in", url_path=path, default=i == 0)
            for i, path in enumerate(paths)
        ],
        position="hidden",
    )
    _login_page()
    st.stop()
    raise RuntimeError("unreachable")  # st.stop() raises


def set_pending_cookie() -> None:
    """After a password login, give the browser its login cookie. Called at the end of the run,
    so the cookie component does not shift the page's elements (and its re-run redraws none)."""
    if st.session_state.pop(COOKIE_PENDING, False) and current_user() is not None:
        _authenticator({"usernames": {}}).cookie_controller.set_cookie()


def _refused_message() -> str:
    """The same answer for an unknown name, a wrong password and a locked account."""
    policy = config.LOGIN_POLICY
    return (
        "Username or password is incorrect, or the account is locked: "
        f"{policy.max_failures} failed attempts in a row lock an account for "
        f"{policy.lockout_minutes} minutes (an administrator can unlock it sooner)."
    )


def _login_page() -> None:
    if sso_ui.pending_page():
        return
    credentials = accounts.login_credentials()
    known = set(credentials["usernames"])
    bad_cookie = not _cookie_acceptable(known)
    if bad_cookie:
        st.session_state["logout"] = True  # the library then ignores that cookie
    authenticator = _authenticator(credentials)
    credentials["usernames"] = _AnyName(credentials["usernames"])  # the library's own table
    left, _right = st.columns([2, 3])
    with left:
        _login_header()
        if sso_ui.configured():
            sso_ui.sign_in_button()
            st.caption("Or log in with a local account (demo accounts, the break-glass "
                       "administrator):")  # fmt: skip
        try:
            authenticator.login(
                location="main",
                key="rpsee-login",
                callback=_on_password_login,
                fields={
                    "Form name": "Log in",
                    "Username": "Username",
                    "Password": "Password",
                    "Login": "Log in",
                },
            )
        except (stauth.LoginError, jwt.PyJWTError, KeyError, TypeError, ValueError):
            if st.session_state.get("logout"):
                raise  # not the cookie: a real fault
            st.session_state["logout"] = True  # a cookie it could not read: ask for a login
            _forget_session()
            st.rerun()
        if bad_cookie:
            authenticator.cookie_controller.delete_cookie()
        for username, entry in list(credentials["usernames"].items()):
            if entry.get("failed_login_attempts"):
                accounts.record_failed_login(username)
        status = st.session_state.get("authentication_status")
        if status:
            username = st.session_state["username"]
            if st.session_state.pop(PASSWORD_LOGIN, False):
                st.session_state[AUTH_AT] = accounts.record_login(username)
                st.session_state[COOKIE_PENDING] = True
            else:
                st.session_state[AUTH_AT] = _cookie_issued_at()
            if current_user() is not None:
                st.rerun()
            authenticator.cookie_controller.delete_cookie()
            st.info("That login has ended. Please log in again.")
        elif status is False:
            st.error(_refused_message())
        if config.mode() == "demo":
            _demo_banner()


def require(permission: Permission = Permission.VIEW_PROGRAMME) -> CurrentUser:
    """First line of every page: the page checks the role itself, whatever the navigation shows."""
    user = current_user()
    if user is None:
        # Only reached when the page runs without the entry point: the first run of a fresh
        # server process, which Streamlit gives to the `pages/` file the URL names. The login
        # form is drawn here, and after login the entry point opens this page.
        from rpsee.ui.nav import url_paths

        ensure_started()
        st.warning("Please log in to see this page.")
        login_gate(url_paths())
    if not user.can(permission):
        st.error(f"Your role ({user.role.label}) does not give access to this page.")
        st.stop()
    return user  # type: ignore[return-value]


def logout_everywhere(user: CurrentUser) -> None:
    """End this user's sessions in every browser, then clear this one (a single sign-on's
    identity cookie too: `st.logout`)."""
    accounts.end_sessions(user)
    single_sign_on = sso_ui.is_sso_session()
    _forget_session()
    st.session_state["logout"] = True
    if single_sign_on:
        sso_ui.log_out()
