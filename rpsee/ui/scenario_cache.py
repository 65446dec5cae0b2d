"""Cached scenario results, keyed by (data version, assumptions hash, reader's role and donor):
a meeting-mode control change recomputes only the scenario that changed, and any write anywhere
makes every result stale at once.

Results stay in `st.cache_data` (pickled, about 150 KB each with the Monte Carlo draws), not as
live objects in `st.cache_resource`: tried under load (bench/meeting_load.py, 30 sessions), 64
live results made Streamlit's full garbage collection after every run (`runner.postScriptGC`)
walk their objects, and a change cost more than the copy it saved."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from rpsee import config
from rpsee.domain.montecarlo import DRAWS
from rpsee.domain.roles import CurrentUser, Permission, Role, require
from rpsee.domain.scenario import Scenario
from rpsee.services import programme, scenarios


def _reader(role: str, donor: str | None) -> CurrentUser:
    return CurrentUser("cache", "cache", Role(role), donor)


@st.cache_data(max_entries=64, show_spinner=False)
def _result(data_version: int, url_key: str, role: str, donor: str | None, key: str,
            assumptions: str, draws: int) -> scenarios.ScenarioResult:  # fmt: skip
    return scenarios.evaluate(_reader(role, donor), Scenario.from_json(assumptions), draws=draws)


def result(user: CurrentUser, scenario: Scenario, draws: int = DRAWS) -> scenarios.ScenarioResult:
    """The scenario's figures for this user (checked on every call)."""
    require(user, Permission.VIEW_SCENARIOS)
    plain = replace(scenario, name="")
    r = _result(programme.data_version(), config.database_url(), user.role.value, user.donor,
                scenarios.assumptions_hash(plain), plain.to_json(), draws)  # fmt: skip
    return replace(r, name=scenario.name)


@st.cache_data(max_entries=8, show_spinner=False)
def _choices(data_version: int, url_key: str, role: str, donor: str | None) -> scenarios.Choices:
    return scenarios.choices(_reader(role, donor))


def choices(user: CurrentUser) -> scenarios.Choices:
    require(user, Permission.VIEW_SCENARIOS)
    return _choices(programme.data_version(), config.database_url(), user.role.value, user.donor)
