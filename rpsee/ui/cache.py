"""Per-process caches of what pages read on every run, keyed by the data version (the newest
audit entry), so any write anywhere makes them stale at once."""

from __future__ import annotations

import streamlit as st

from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.roles import CurrentUser, Permission, require
from rpsee.services import programme


@st.cache_data(max_entries=8, show_spinner=False)
def _reference(data_version: int, url_key: str) -> ProgrammeReference:
    from rpsee.domain.roles import SYSTEM

    return programme.reference(SYSTEM)


def reference(user: CurrentUser) -> ProgrammeReference:
    """The programme reference for a user allowed to read it (checked on every call)."""
    from rpsee import config

    require(user, Permission.VIEW_PROGRAMME)
    return _reference(programme.data_version(), config.database_url())
