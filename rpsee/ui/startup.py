"""Process-wide start-up (migrations, reference data), run once per process and database."""

from __future__ import annotations

import streamlit as st

from rpsee import config
from rpsee.services.bootstrap import StartupReport, prepare_once, production_problems
from rpsee.ui.text import md


@st.cache_resource(show_spinner="Preparing the database ...")
def _prepared(url: str, mode: str) -> StartupReport:
    return prepare_once(url)  # waits for the server's own preparation if it is still running


def secrets_cookie_key() -> str | None:
    try:
        auth = st.secrets.get("auth") or {}
        return auth.get("cookie_key")
    except Exception:  # no secrets.toml: Streamlit raises when it is read
        return None


def ensure_started() -> StartupReport:
    """Prepare the database; in production stop with a clear message if it may not start."""
    try:
        url = config.database_url()
        mode = config.mode()
        report = _prepared(url, mode)
        if mode == "production":
            problems = production_problems(url)
            try:
                config.cookie_key(secrets_cookie_key())
                problems = [p for p in problems if "cookie" not in p.lower()]
            except config.ConfigError:
                pass
            if problems:
                raise config.ConfigError("\n".join(problems))
    except config.ConfigError as exc:
        st.error("RPSEE Planner cannot start in production mode:\n\n"
                 + "\n\n".join(md(line) for line in str(exc).splitlines()))
        st.stop()
    return report
