"""The app server: listening at once, the database prepared beside it, the later pages'
libraries loaded once the login page is drawn.

`python -m rpsee serve` (or `python -m rpsee.ui.server [streamlit options]`) starts Streamlit in
this process at once. Meanwhile:

- a thread prepares the database in two steps (`bootstrap.prepare_once`): the schema and the
  accounts, which is all the login page reads, then the programme's data (reference data, planning
  defaults, demo data). A page run that arrives first waits for what it reads ("Preparing the
  database ...", "Loading the programme's data ..."): no page reads an unmigrated or unseeded
  database. Between the steps it imports what the login page runs. (Production mode prepares
  both first and refuses to start on problems: see `rpsee.__main__`.)
- another thread imports what only the pages after login use (Plotly's figures, SciPy, openpyxl,
  the app's other modules), after the first page run has ended and never while a page runs, so the
  login page is not slowed down by them; a page that needs one earlier simply imports it itself.
"""

from __future__ import annotations

import gc
import importlib
import pkgutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rpsee import config

if TYPE_CHECKING:
    from rpsee.services.bootstrap import StartupReport

# What the pages import, heaviest first (measured: pandas, the authenticator, SQLAlchemy).
LIBRARIES = (
    "pandas",
    "streamlit_authenticator",
    "sqlalchemy.orm",
    "plotly.graph_objects",
    "openpyxl",
    "streamlit.web.cli",
)
# What the login page runs (app.py's imports); pandas and pyarrow because Streamlit loads them the
# first time a custom component is drawn (the login cookie's).
FIRST_PAGE = ("rpsee.ui.auth", "rpsee.ui.nav")
_NOT_AT_START = ("__main__", "rpsee.ui.server")
SCRIPT_THREAD = "ScriptRunner.scriptThread"  # Streamlit's name for the thread running a page
FIRST_RUN_WAIT_S = 10.0  # no visitor by then: import anyway
PAGE_RUN_WAIT_S = 2.0  # the longest a module waits for running pages before it is imported


def module_names() -> list[str]:
    """The libraries the pages use and every module of the app."""
    import rpsee

    return list(LIBRARIES) + [
        m.name
        for m in pkgutil.walk_packages(rpsee.__path__, "rpsee.")
        if not m.name.endswith(_NOT_AT_START)
    ]


def import_app_modules(before_each: Callable[[], object] = lambda: None) -> list[str]:
    """Import the libraries the pages use and every module of the app; return their names."""
    names = module_names()
    for name in names:
        before_each()
        importlib.import_module(name)
    return names


def pages_running() -> bool:
    return any(t.name == SCRIPT_THREAD for t in threading.enumerate())


def wait_while_pages_run(limit_s: float = PAGE_RUN_WAIT_S) -> None:
    """Give the interpreter to page runs in progress (up to `limit_s`, so imports never starve)."""
    deadline = time.monotonic() + limit_s
    while pages_running() and time.monotonic() < deadline:
        time.sleep(0.02)


def wait_for_first_run(limit_s: float = FIRST_RUN_WAIT_S) -> None:
    """Until a page run has started and ended (the first visitor's login page is drawn), or
    `limit_s` passed without one."""
    deadline = time.monotonic() + limit_s
    seen = False
    while time.monotonic() < deadline:
        running = pages_running()
        if seen and not running:
            return
        seen = seen or running
        time.sleep(0.02)


def prepare_and_report() -> StartupReport:
    """Prepare the database now (once per process) and say so on the terminal, once. Production
    mode calls it before the server starts, so that it can refuse to start."""
    from rpsee.services.bootstrap import prepare_once

    report = prepare_once()
    if report not in _reported:
        _reported.add(report)
        print(report.summary(), flush=True)
    return report


def _prepare_in_background() -> None:
    """The schema and the accounts, then what the login page imports (while the browser loads
    Streamlit's front end; what is loaded so far is left out of the garbage collections after page
    runs), then the programme's data for the pages after login."""
    from rpsee.services.bootstrap import accounts_once

    accounts_once()
    for name in FIRST_PAGE:
        importlib.import_module(name)
    gc.freeze()
    prepare_and_report()


def _import_after_first_run() -> None:
    wait_for_first_run()
    import_app_modules(before_each=wait_while_pages_run)
    wait_while_pages_run()
    freeze_imported_objects()


_started: set[str] = set()
_reported: set[StartupReport] = set()


def _start(name: str, target: Callable[[], object]) -> None:
    if name not in _started:
        _started.add(name)
        threading.Thread(target=target, name=f"rpsee-{name}", daemon=True).start()


def start_preparing() -> None:
    """Prepare the database and load the login page's modules in the background (once per
    process); the login page waits for the accounts, the pages after login for the data."""
    _start("prepare", _prepare_in_background)


def start_imports() -> None:
    """Import the later pages' modules in the background, politely (see the module's doc)."""
    _start("imports", _import_after_first_run)


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


def main(options: Sequence[str] | None = None) -> int:
    """Run Streamlit on the app with these `streamlit run` options, the database prepared and the
    later pages' modules imported beside it."""
    start_preparing()
    from streamlit.web import cli

    use_entry_point_from_first_run()
    start_imports()
    args = ["run", str(config.ROOT / "app.py"), *(sys.argv[1:] if options is None else options)]
    return int(cli.main(args=args, prog_name="streamlit", standalone_mode=False) or 0)


if __name__ == "__main__":
    sys.exit(main())
