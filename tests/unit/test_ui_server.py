"""The server's warm-up: what the first run needs is imported, every run goes through app.py."""

from __future__ import annotations

import gc
import sys

from streamlit.runtime.pages_manager import PagesManager

from rpsee.ui import server


def test_the_app_modules_and_the_pages_libraries_are_imported() -> None:
    names = server.import_app_modules()
    wanted = ("pandas", "streamlit_authenticator", "plotly.graph_objects", "rpsee.ui.auth",
              "rpsee.ui.nav", "rpsee.services.audit_log", "rpsee.domain.audit_view")  # fmt: skip
    for name in wanted:
        assert name in names and name in sys.modules
    assert "rpsee.__main__" not in names and "rpsee.ui.server" not in names


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
