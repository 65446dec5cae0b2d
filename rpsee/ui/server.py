"""The app server: listening at once, the database prepared beside it in a child process, the
later pages' libraries loaded once the login page is drawn.

`python -m rpsee serve` (or `python -m rpsee.ui.server [streamlit options]`) starts at once:

- a child process (`rpsee.services.prepare_process`, started first) prepares the database in two
  steps: the schema and the accounts, which is all the login page reads, then the programme's data
  (reference data, planning defaults, demo data). It runs on the other core and does not hold this
  process's interpreter lock while Streamlit starts and serves the front end. A page run that
  arrives first waits for the child's report of what it reads ("Preparing the database ...",
  "Loading the programme's data ..."): no page reads an unmigrated or unseeded database
  (`bootstrap.accounts_once` / `prepare_once`). If the child fails, the waiting caller prepares in
  this process instead. (Production mode prepares both first, in this process, and refuses to
  start on problems: see `rpsee.__main__`; then no child is started.)
- this process imports Streamlit in its main thread and, beside it in a thread, what the login
  page needs that does not import Streamlit (SQLAlchemy, the models, the account services); that
  thread imports the rest of the login page's modules (`FIRST_PAGE`) as the server starts to
  listen, then waits for the child's reports and prints the summary line.
- another thread imports what only the pages after login use (pandas, Plotly's figures, SciPy,
  openpyxl, the app's other modules), a second after the first page run has ended (the browser
  still fetches the login form's parts of the front end) and never while a page runs, so the
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
# What the login page runs (app.py's imports). Not pandas nor pyarrow: Streamlit loads them the
# first time a custom component is drawn, and the login page draws none (see rpsee.ui.auth).
FIRST_PAGE = ("rpsee.ui.auth", "rpsee.ui.nav")
# Of those, what does not import Streamlit: imported while the main thread imports Streamlit (two
# threads importing Streamlit at once can deadlock), the rest once it is loaded.
FIRST_PAGE_WITHOUT_STREAMLIT = ("rpsee.services.accounts", "rpsee.services.bootstrap", "jwt")
_NOT_AT_START = ("__main__", "rpsee.ui.server")
SCRIPT_THREAD = "ScriptRunner.scriptThread"  # Streamlit's name for the thread running a page
FIRST_RUN_WAIT_S = 10.0  # no visitor by then: import anyway
# After the first run the browser still fetches the login form's parts of the front end from this
# process: imports then would hold the interpreter lock against it (measured: the login page usable
# 0.3 s later on a restart).
SETTLE_S = 1.0
PAGE_RUN_WAIT_S = 2.0  # the longest a module waits for running pages before it is imported
STARTUP_WAIT_S = 30.0  # the longest the login page's imports wait for Streamlit's start


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


def wait_for_first_run(limit_s: float = FIRST_RUN_WAIT_S, settle_s: float = SETTLE_S) -> None:
    """Until a page run has started and ended (the first visitor's login page is drawn) and
    `settle_s` more have passed (the browser fetches from this process what the page's elements
    need), or `limit_s` passed without a run."""
    deadline = time.monotonic() + limit_s
    seen = False
    while time.monotonic() < deadline:
        running = pages_running()
        if seen and not running:
            time.sleep(settle_s)
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
    """The login page's modules: what does not import Streamlit while the main thread imports it
    (two threads importing Streamlit at once can deadlock), the rest once Streamlit's runtime
    exists (importing them earlier reads Streamlit's configuration before the command line's
    options are in it), before a browser can have loaded the front end; what is loaded is then
    left out of the garbage collections after page runs. Then the preparation's report: the
    child process's, or this process's own if it was prepared here or the child failed."""
    for name in FIRST_PAGE_WITHOUT_STREAMLIT:
        importlib.import_module(name)
    _streamlit_loaded.wait(STARTUP_WAIT_S)
    wait_for_runtime()
    for name in FIRST_PAGE:
        importlib.import_module(name)
    gc.freeze()
    prepare_and_report()


def wait_for_runtime(limit_s: float = STARTUP_WAIT_S) -> None:
    """Until Streamlit's runtime exists (the server is about to listen), or `limit_s` passed."""
    from streamlit import runtime

    deadline = time.monotonic() + limit_s
    while not runtime.exists() and time.monotonic() < deadline:
        time.sleep(0.01)


def _import_after_first_run() -> None:
    wait_for_first_run()
    import_app_modules(before_each=wait_while_pages_run)
    wait_while_pages_run()
    freeze_imported_objects()


_started: set[str] = set()
_streamlit_loaded = threading.Event()  # set by `main` once Streamlit is imported
_reported: set[StartupReport] = set()


def _start(name: str, target: Callable[[], object]) -> None:
    if name not in _started:
        _started.add(name)
        threading.Thread(target=target, name=f"rpsee-{name}", daemon=True).start()


def start_preparing() -> None:
    """Prepare the database in a child process, unless this process prepared it already
    (production mode), and load the login page's modules in the background (once per process);
    the login page waits for the accounts, the pages after login for the data."""
    if "prepare" not in _started and not _reported:
        from rpsee.services import prepare_process

        prepare_process.start(config.database_url(), config.mode())
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
    gc.disable()  # imports make no garbage worth looking for (measured: 13% of their time)
    try:
        start_preparing()
        from streamlit.web import cli
    finally:
        gc.enable()
    _streamlit_loaded.set()
    from rpsee.ui import sso_routes

    sso_routes.install()  # single sign-on: refusals said and audited, the app's own logout
    use_entry_point_from_first_run()
    start_imports()
    args = ["run", str(config.ROOT / "app.py"), *(sys.argv[1:] if options is None else options)]
    return int(cli.main(args=args, prog_name="streamlit", standalone_mode=False) or 0)


if __name__ == "__main__":
    sys.exit(main())
