"""app.py on a database nobody prepared: the login page gets the schema and the accounts, the pages
after login the programme's data as well (as when the server prepares beside its start)."""

from __future__ import annotations

import streamlit as st
from streamlit.testing.v1 import AppTest

from rpsee.store.db import dispose
from rpsee.store.uow import UnitOfWork
from tests.app.conftest import APP, TIMEOUT, log_in


def test_login_page_then_overview_on_an_unprepared_database(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("RPSEE_MODE", "demo")
    st.cache_data.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
        assert not at.exception
        assert [t.label for t in at.text_input] == ["Username", "Password"]
        with UnitOfWork(url=url) as uow:
            assert uow.users.get("demo.planner") is not None  # the login can succeed
            assert uow.workplans.list() == []  # the data waits for a page after login
        at = log_in(AppTest.from_file(APP, default_timeout=TIMEOUT), "demo.planner").run()
        assert not at.exception
        assert at.title[0].value == "Regional Programme for South-Eastern Europe 2024–2029"
        assert at.metric[0].value == "USD 11M"  # the envelope the data step seeded
        with UnitOfWork(url=url) as uow:
            assert len(uow.workplans.list()) == 2
    finally:
        dispose(url)
