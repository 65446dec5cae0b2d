#!/usr/bin/env python3
"""Set-up and task runner that needs only Python 3.11: `python3 dev.py run|test|bench|lint`.

Creates `.venv` beside this file, installs the project with its dev extras when
`pyproject.toml` changed since the last install, then runs the task inside it.
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


def _fingerprint() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_env() -> None:
    """Create the virtual environment and install dependencies if needed (idempotent)."""
    if sys.version_info < (3, 11):
        sys.exit(f"RPSEE Planner needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PY.exists():
        print("Creating .venv ...", flush=True)
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        return
    print("Installing dependencies into .venv (first run only) ...", flush=True)
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.check_call(pip + ["--upgrade", "pip"])
    subprocess.check_call(pip + ["-e", f"{ROOT}[dev]"])
    STAMP.write_text(_fingerprint())


def main(argv: list[str]) -> int:
    task = argv[0] if argv else "help"
    rest = argv[1:]
    if task not in {"run", "test", "bench", "lint"}:
        print(__doc__)
        return 0 if task == "help" else 2
    ensure_env()
    os.chdir(ROOT)
    if task == "run":
        cmd = [str(PY), "-m", "rpsee", "serve", *rest]
    elif task == "test":
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
