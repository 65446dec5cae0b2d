"""Process-wide start-up, run once per process and database: the schema and the accounts before
the login page, the programme's data before the pages after login."""

from __future__ import annotations

import streamlit as st

from rpsee import config
from rpsee.services.bootstrap import StartupReport, accounts_once, prepare_once, production_problems
from rpsee.ui.text import md


# Both wait for the server's own preparation (rpsee.ui.server) if it is still running.
@st.cache_resource(show_spinner="Preparing the database ...")
def _accounts(url: str, mode: str) -> int:
    return accounts_once(url)


@st.cache_resource(show_spinner="Loading the programme's data ...")
def _prepared(url: str, mode: str) -> StartupReport:
    return prepare_once(url)


def secrets_cookie_key() -> str | None:
    try:
        auth = st.secrets.get("auth") or {}
        return auth.get("cookie_key")
    except Exception:  # no secrets.toml: Streamlit raises when it is read
        return None


def ensure_accounts() -> None:
    """The schema migrated and the accounts there (all the login page reads); in production stop
    with a clear message if it may not start."""
    try:
        url = config.database_url()
        mode = config.mode()
        _accounts(url, mode)
        if mode == "production":
            problems = production_problems(url)
            try:
                config.cookie_key(secrets_cookie_key())
                problems = [p for p in problems if "cookie signing key" not in p.lower()]
            except config.ConfigError:
                pass
            if problems:
                raise config.ConfigError("\n".join(problems))
    except config.ConfigError as exc:
        st.error("RPSEE Planner cannot start in production mode:\n\n"
                 + "\n\n".join(md(line) for line in str(exc).splitlines()))
        st.stop()


def ensure_started() -> StartupReport:
    """Everything the pages read: the accounts (`ensure_accounts`), then the programme's data."""
    ensure_accounts()
    return _prepared(config.database_url(), config.mode())
