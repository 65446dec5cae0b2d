"""The server's start: the database prepared beside it, the later pages' modules imported after the
first page run and never during one, every run through app.py."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
import time

from streamlit.runtime.pages_manager import PagesManager

from rpsee.services import prepare_process
from rpsee.ui import server


def test_the_app_modules_and_the_pages_libraries_are_imported() -> None:
    names = server.import_app_modules()
    wanted = ("pandas", "streamlit_authenticator", "plotly.graph_objects", "rpsee.ui.auth",
              "rpsee.ui.nav", "rpsee.services.audit_log", "rpsee.domain.audit_view",
              "rpsee.domain.montecarlo")  # fmt: skip
    for name in wanted:
        assert name in names and name in sys.modules
    assert "rpsee.__main__" not in names and "rpsee.ui.server" not in names


def test_each_import_first_waits_for_its_turn() -> None:
    calls: list[int] = []
    names = server.import_app_modules(before_each=lambda: calls.append(1))
    assert len(calls) == len(names) > 50


def test_the_login_pages_modules_are_loaded_beside_the_preparation() -> None:
    assert {"rpsee.ui.auth", "rpsee.ui.nav"} <= set(server.FIRST_PAGE)
    # The login page draws no custom component, so Streamlit does not need these for it.
    assert not {"pandas", "pyarrow"} & set(server.FIRST_PAGE)


def test_what_is_imported_beside_streamlits_import_does_not_import_streamlit() -> None:
    """Two threads importing Streamlit at once can deadlock (seen: `_DeadlockError`)."""
    names = ", ".join(server.FIRST_PAGE_WITHOUT_STREAMLIT)
    code = f"import sys, {names}; assert 'streamlit' not in sys.modules, 'streamlit imported'"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_server_starts_a_child_to_prepare_unless_prepared_here(monkeypatch) -> None:  # noqa: ANN001
    started: list[tuple[str, str]] = []
    monkeypatch.setattr(prepare_process, "start", lambda url, mode: started.append((url, mode)))
    monkeypatch.setattr(server, "_start", lambda name, target: None)
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/served.sqlite")
    monkeypatch.setenv("RPSEE_MODE", "demo")
    monkeypatch.setattr(server, "_started", set())
    monkeypatch.setattr(server, "_reported", set())
    server.start_preparing()
    assert started == [("sqlite:////tmp/served.sqlite", "demo")]
    monkeypatch.setattr(server, "_reported", {"a report"})  # production: prepared before
    server.start_preparing()
    assert len(started) == 1


def _page_run(seconds: float) -> threading.Thread:
    """A thread named like Streamlit's script thread, alive for `seconds`."""
    run = threading.Thread(target=time.sleep, args=(seconds,), name=server.SCRIPT_THREAD)
    run.start()
    return run


def test_imports_wait_while_a_page_runs() -> None:
    assert not server.pages_running()
    run = _page_run(0.3)
    start = time.monotonic()
    server.wait_while_pages_run(limit_s=5)
    waited = time.monotonic() - start
    assert not run.is_alive() and 0.2 <= waited < 2


def test_a_long_page_run_does_not_starve_the_imports() -> None:
    run = _page_run(1.5)
    start = time.monotonic()
    server.wait_while_pages_run(limit_s=0.2)
    waited = time.monotonic() - start
    assert run.is_alive() and 0.15 <= waited < 1.0
    run.join()


def test_the_later_imports_start_once_the_first_page_run_has_ended() -> None:
    start = time.monotonic()
    threading.Timer(0.2, lambda: _page_run(0.3)).start()
    server.wait_for_first_run(limit_s=5, settle_s=0.4)
    assert 0.85 <= time.monotonic() - start < 2.5  # 0.2 s until the run, 0.3 s of run, 0.4 s
    assert not server.pages_running()


def test_without_a_visitor_the_later_imports_start_anyway() -> None:
    start = time.monotonic()
    server.wait_for_first_run(limit_s=0.3)
    assert 0.25 <= time.monotonic() - start < 1.5


def test_the_first_run_goes_through_the_entry_point(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(PagesManager, "uses_pages_directory", True)
    server.use_entry_point_from_first_run()
    assert PagesManager.uses_pages_directory is False


def test_loaded_objects_are_left_out_of_later_collections() -> None:
    before = gc.get_freeze_count()
    try:
        server.freeze_imported_objects()
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
