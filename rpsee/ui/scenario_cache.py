"""Cached scenario results, keyed by (data version, assumptions hash, reader's role and donor):
a meeting-mode control change recomputes only the scenario that changed, and any write anywhere
makes every result stale at once.

The results are kept as objects shared by every session of the process (`st.cache_resource`),
not pickled and unpickled per read as `st.cache_data` does: a result is about 150 KB pickled
(the Monte Carlo draws), and its copy cost about 10 ms of the interpreter per meeting-mode
change, the store on a recompute and the load on every read, under one lock for all sessions
(bench/meeting_load.py). Readers must not change a result: `result()` hands out a shallow copy
with the caller's scenario name, and no page changes the figures inside it."""

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


@st.cache_resource(max_entries=64, show_spinner=False)
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
