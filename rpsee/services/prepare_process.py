"""The database prepared in a child process beside the server's start (`rpsee serve`).

The child (`python -m rpsee.services.prepare_process`, the database URL and the mode in its
environment) runs the two steps of `bootstrap.prepare` -- the schema and the accounts, then the
programme's data -- on the machine's other core, without holding the server's interpreter lock
while the server starts and the browser loads the front end. It reports each step once done, as
one line on its standard output: `rpsee-prepared <step> <count>`.

The server registers the child (`start`) before it starts listening; `bootstrap.accounts_once` and
`bootstrap.prepare_once` then wait for the child's report of their step instead of preparing the
database themselves, so no page reads a database the child has not prepared. A child that ends
without reporting a step is dropped: the caller prepares in its own process (and meets the fault
itself if it lasts). This module is light (no SQLAlchemy): the server imports it before anything.
"""

from __future__ import annotations

import atexit
import gc
import os
import subprocess
import sys
import threading
from collections.abc import Sequence

PREFIX = "rpsee-prepared"
STEPS = ("accounts", "data")


class PreparationFailed(RuntimeError):
    """The child ended without reporting a step."""


class PreparingProcess:
    """A child process preparing one database in one mode (see the module's doc)."""

    def __init__(self, url: str, mode: str, command: Sequence[str] | None = None) -> None:
        self.url, self.mode = url, mode
        self._reported: dict[str, int] = {}
        self._lock = threading.Lock()  # one reader of the child's output at a time
        env = {**os.environ, "DATABASE_URL": url, "RPSEE_MODE": mode}
        self._proc = subprocess.Popen(
            list(command or [sys.executable, "-m", __name__]),
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        atexit.register(self.stop)

    def result(self, step: str) -> int:
        """The count the child reported for `step`, waiting for its report; PreparationFailed if
        it ended without one."""
        with self._lock:
            while step not in self._reported:
                line = self._proc.stdout.readline() if self._proc.stdout else ""
                if not line:
                    code = self._proc.wait()
                    raise PreparationFailed(
                        f"The database preparation process ended (exit code {code}) "
                        f"without preparing the {step}."
                    )
                words = line.split()
                if len(words) == 3 and words[0] == PREFIX and words[1] in STEPS:
                    self._reported[words[1]] = int(words[2])
                else:
                    sys.stdout.write(line)  # not a report: pass it on to the terminal
            if len(self._reported) == len(STEPS):
                self._proc.wait()
            return self._reported[step]

    def stop(self) -> None:
        """End the child if it still runs (the server stops): each step commits whole or not."""
        if self._proc.poll() is None:
            self._proc.terminate()
            self._proc.wait()


_children: dict[tuple[str, str], PreparingProcess] = {}


def start(url: str, mode: str, command: Sequence[str] | None = None) -> PreparingProcess:
    """Start a child preparing `url` in `mode`; until it is dropped, the preparation's callers
    in this process wait for its reports."""
    child = _children[(url, mode)] = PreparingProcess(url, mode, command)
    return child


def running(url: str, mode: str) -> PreparingProcess | None:
    """The child preparing `url` in `mode`, if there is one."""
    return _children.get((url, mode))


def drop(child: PreparingProcess) -> None:
    """Stop waiting for `child` (it failed): the callers prepare in their own process."""
    if _children.get((child.url, child.mode)) is child:
        del _children[(child.url, child.mode)]


def main() -> int:
    """The child: both steps on the database of the environment, each reported once done (no
    garbage collection: a short-lived process, mostly importing)."""
    gc.disable()
    from rpsee import config
    from rpsee.services.bootstrap import prepare_accounts, prepare_data

    url = config.database_url()
    for step, run in (("accounts", prepare_accounts), ("data", prepare_data)):
        print(PREFIX, step, run(url), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
