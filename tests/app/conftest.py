"""AppTest harness: a fresh SQLite database per test and a fixture that logs a user in.

`app_for(role)` returns an AppTest of app.py whose session is logged in as the demo user of that
role, the same way a real login leaves the session: `authentication_status`, `username` and the
time the session was authenticated (checked against the database on every run).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from rpsee.domain.roles import CurrentUser, Role
from rpsee.services.bootstrap import prepare
from rpsee.store.audit import utcnow
from rpsee.store.db import dispose
from rpsee.ui.auth import AUTH_AT

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
DEMO = {
    "planner": "demo.planner",
    "psc_member": "demo.psc",
    "finance": "demo.finance",
    "admin": "demo.admin",
    "observer": "demo.observer",
}
TIMEOUT = 30


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """One demo database prepared for the session (demo workplans, pipeline, review data):
    each test starts from a copy of it, then `prepare` runs on the copy as on any start."""
    path = tmp_path_factory.mktemp("template") / "demo.sqlite"
    url = f"sqlite:///{path}"
    prepare(url)
    dispose(url)  # closed: the write-ahead log is folded into the file
    return path


@pytest.fixture
def app_db(tmp_path, monkeypatch, demo_template: Path) -> Iterator[str]:
    path = tmp_path / "app.sqlite"
    shutil.copyfile(demo_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    prepare(url)
    # Page caches are keyed by the database's data version, which starts alike in every fresh
    # test database: without this, a page could show lines cached from an earlier test's database.
    st.cache_data.clear()
    yield url
    dispose(url)


def log_in(at: AppTest, username: str) -> AppTest:
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state[AUTH_AT] = utcnow()
    return at


@pytest.fixture
def app_for(app_db: str) -> Callable[[str | None], AppTest]:
    def make(role: str | None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        if role is not None:
            log_in(at, DEMO[role])
        return at

    return make


def give_the_committee_2027(url: str) -> None:
    """Submit the demo's 2027 draft (the plan in preparation; 2026 is already approved): from
    then on donor observers read it, and the 2026 progress report is frozen with it."""
    from rpsee.services import workplans
    from tests.committee import submit_read

    planner = CurrentUser("demo.planner", "Planner", Role.PLANNER)
    [plan] = [p for p in workplans.list_workplans(planner, url=url) if p.year == 2027]
    assert plan.editable, plan.label  # the demo's draft in preparation
    submit_read(planner, plan.id, url=url)
