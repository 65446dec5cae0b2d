#!/usr/bin/env python3
"""Set-up and task runner that needs only Python 3.11: `python3 dev.py run|test|bench|lint|lock`.

Creates `.venv` beside this file and installs exactly the versions in `requirements.lock`
(every package pinned and hash-checked, pip and setuptools included) whenever the lock file or
`pyproject.toml` changed since the last install, then runs the task inside it. `lock`
recompiles `requirements.lock` from `pyproject.toml` (needs network; run it after changing the
dependencies).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".rpsee-installed"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
LOCK = ROOT / "requirements.lock"
TOOLS = ROOT / ".venv-tools"  # pip-tools, kept apart from the project's pinned set


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "requirements.lock", "requirements-build.in"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_env() -> None:
    """Create the virtual environment and install dependencies if needed (idempotent)."""
    if sys.version_info < (3, 11):
        sys.exit(f"RPSEE Planner needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PY.exists():
        print("Creating .venv ...", flush=True)
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        return
    print("Installing the pinned dependencies into .venv (first run only) ...", flush=True)
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.check_call(pip + ["--require-hashes", "-r", str(LOCK)])
    # The project itself: no dependency resolved here (all came from the lock), built with
    # the pinned setuptools rather than whatever an isolated build would fetch.
    subprocess.check_call(pip + ["--no-deps", "--no-build-isolation", "-e", str(ROOT)])
    subprocess.check_call([str(PY), "-m", "pip", "check", "--disable-pip-version-check"])
    STAMP.write_text(_fingerprint())


def lock(extra: list[str]) -> int:
    """Recompile requirements.lock (exact versions and hashes of the whole resolved set);
    pins already in it are kept unless `--upgrade` (or `--upgrade-package NAME`) is given."""
    tools_py = TOOLS / ("Scripts" if os.name == "nt" else "bin") / "python"
    if not tools_py.exists():
        subprocess.check_call([sys.executable, "-m", "venv", str(TOOLS)])
        subprocess.check_call([str(tools_py), "-m", "pip", "install", "-q", "pip-tools"])
    cmd = [str(tools_py), "-m", "piptools", "compile", "--quiet", "--extra", "dev",
           "--generate-hashes", "--allow-unsafe", "--strip-extras", "--no-emit-index-url",
           "--no-emit-find-links", "--output-file", "requirements.lock", *extra,
           "pyproject.toml", "requirements-build.in"]  # fmt: skip
    return subprocess.call(cmd, cwd=ROOT)


OIDC = ROOT / "tests" / "e2e" / "oidc"  # the test OpenID provider (Node, from the npm registry)


def ensure_test_provider() -> None:
    """Install the test OpenID provider's pinned npm packages (`npm ci`) when Node is there
    and its lock changed since; without Node the single sign-on browser tests say so."""
    stamp = OIDC / "node_modules" / ".rpsee-installed"
    lock = (OIDC / "package-lock.json").read_bytes()
    npm = subprocess.run(["which", "npm"], capture_output=True, text=True).stdout.strip()
    if not npm or (stamp.exists() and stamp.read_bytes() == lock):
        return
    print("Installing the test OpenID provider (npm ci) ...", flush=True)
    subprocess.check_call([npm, "ci", "--silent", "--no-audit", "--no-fund"], cwd=OIDC)
    stamp.write_bytes(lock)


def main(argv: list[str]) -> int:
    task = argv[0] if argv else "help"
    rest = argv[1:]
    if task not in {"run", "test", "bench", "lint", "lock"}:
        print(__doc__)
        return 0 if task == "help" else 2
    if task == "lock":
        return lock(rest)
    ensure_env()
    os.chdir(ROOT)
    if task == "run":
        cmd = [str(PY), "-m", "rpsee", "serve", *rest]
    elif task == "test":
        ensure_test_provider()
        cmd = [str(PY), "-m", "pytest", *rest]
    elif task == "bench":
        cmd = [str(PY), "-m", "bench.run", *rest]
    else:
        cmd = [str(PY), "-m", "ruff", "check", ".", *rest]
    if os.name == "nt":
        return subprocess.call(cmd)
    os.execv(cmd[0], cmd)  # the task replaces this process, so signals reach it directly
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
