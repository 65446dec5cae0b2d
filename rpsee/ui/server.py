"""The app server with the first run's work done before it accepts connections.

Streamlit imports an app's modules on the first script run, so the first visitor used to wait for
pandas, Plotly, SQLAlchemy, the authenticator and the app's own modules. `python -m rpsee serve`
(or `python -m rpsee.ui.server [streamlit options]`) imports them, prepares the database, and only
then starts Streamlit in the same process.
"""

from __future__ import annotations

import gc
import importlib
import pkgutil
import sys
import threading
from collections.abc import Sequence

from rpsee import config

# What the pages import, heaviest first (measured: pandas, the authenticator, SQLAlchemy).
LIBRARIES = (
    "pandas",
    "streamlit_authenticator",
    "sqlalchemy.orm",
    "plotly.graph_objects",
    "openpyxl",
    "streamlit.web.cli",
)
_NOT_AT_START = ("__main__", "rpsee.ui.server")


def import_app_modules() -> list[str]:
    """Import the libraries the pages use and every module of the app; return their names."""
    import rpsee

    names = list(LIBRARIES) + [
        m.name
        for m in pkgutil.walk_packages(rpsee.__path__, "rpsee.")
        if not m.name.endswith(_NOT_AT_START)
    ]
    for name in names:
        importlib.import_module(name)
    return names


_importing: list[threading.Thread] = []


def start_imports() -> None:
    """Import the app's modules in the background, e.g. while the database is prepared (password
    hashing and SQLite release the interpreter lock, so the two overlap)."""
    if not _importing:
        _importing.append(threading.Thread(target=import_app_modules, daemon=True))
        _importing[0].start()


def use_entry_point_from_first_run() -> None:
    """Streamlit runs the `pages/` file a URL names on a process's first run, before the entry
    point's navigation ever ran: make every run go through the entry point (login, roles)."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


def freeze_imported_objects() -> None:
    """Leave what is loaded so far (libraries, app modules) out of later garbage collections:
    Streamlit collects garbage after every script run, and walking every object of pandas, Plotly
    and SQLAlchemy each time took longer than the run of most pages (measured: 0.2-0.8 s)."""
    gc.collect()
    gc.freeze()


def warm_up() -> None:
    """Everything the first run would otherwise do first: imports and the database."""
    from rpsee.services.bootstrap import prepare

    start_imports()
    prepare()
    _importing[0].join()
    use_entry_point_from_first_run()
    freeze_imported_objects()


def main(options: Sequence[str] | None = None) -> int:
    """Warm up, then run Streamlit on the app with these `streamlit run` options."""
    warm_up()
    from streamlit.web import cli

    args = ["run", str(config.ROOT / "app.py"), *(sys.argv[1:] if options is None else options)]
    return int(cli.main(args=args, prog_name="streamlit", standalone_mode=False) or 0)


if __name__ == "__main__":
    sys.exit(main())
