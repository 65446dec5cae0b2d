"""The image's files, without a container daemon: a folder laid out as deploy/Dockerfile's COPY
instructions lay out /app (and its scripts in /usr/local/bin), run as the container runs it:
production mode, settings from the image's environment, secrets from files through the entry
point. It prepares the database, accepts an administrator, says it is ready and serves (its
health check answers), so the image holds everything the app reads at run time."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.deploy.topology import DEPLOY, ROOT, free_port
from tests.e2e.conftest import stop

DOCKERFILE = DEPLOY / "Dockerfile"


def _instructions() -> list[str]:
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _image_env() -> dict[str, str]:
    """The final stage's ENV (the last FROM onwards), as KEY=VALUE pairs."""
    lines = _instructions()
    final = max(i for i, ln in enumerate(lines) if ln.startswith("FROM "))
    env: dict[str, str] = {}
    for line in lines[final:]:
        if line.startswith("ENV "):
            env.update(pair.split("=", 1) for pair in line[4:].split())
    return env


def _lay_out(root: Path) -> tuple[Path, Path]:
    """Copy what the final stage's COPY instructions copy: (app folder, bin folder)."""
    app, tools = root / "app", root / "bin"
    app.mkdir()
    tools.mkdir()
    for line in _instructions():
        if not line.startswith("COPY ") or "--from=" in line:
            continue
        parts = [p for p in line.split()[1:] if not p.startswith("--")]
        *sources, target = parts
        for source in sources:
            src = ROOT / source
            if target.startswith("/usr/local/bin/"):
                dest = tools / target.rsplit("/", 1)[1]
            elif target.endswith("/"):
                dest = app / target.removeprefix("./") / src.name
            else:
                dest = app / target
            dest.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(src, dest)
    return app, tools


def test_the_images_files_prepare_and_serve_in_production_mode(tmp_path: Path) -> None:
    app, tools = _lay_out(tmp_path)
    assert {p.name for p in app.iterdir()} == {"app.py", "pyproject.toml", ".streamlit", "pages",
                                               "rpsee", "data", "migrations"}  # fmt: skip
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    for name in ("rpsee_cookie_key", "streamlit_cookie_secret"):
        (secrets / name).write_text(os.urandom(24).hex() + "\n")
    image = _image_env()
    assert image["RPSEE_MODE"] == "production"
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("RPSEE_", "STREAMLIT_", "DATABASE_URL", "PYTHON"))}  # fmt: skip
    port = free_port()
    env = {**keep, **image,
           "PATH": f"{tools}:{Path(sys.executable).parent}:{os.environ['PATH']}",
           "PYTHONPATH": str(app), "RPSEE_STATE_DIR": str(tmp_path / "state"), "PORT": str(port),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
           "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",  # the image's 0.0.0.0, kept off the network
           "RPSEE_COOKIE_KEY_FILE": str(secrets / "rpsee_cookie_key"),
           "STREAMLIT_SERVER_COOKIE_SECRET_FILE": str(secrets / "streamlit_cookie_secret"),
           "RPSEE_BCRYPT_ROUNDS": "4"}  # fmt: skip
    entry = [str(tools / "rpsee-entrypoint")]

    def run(*command: str, extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([*entry, *command], env={**env, **(extra or {})}, cwd=app,
                              capture_output=True, text=True, timeout=300)  # fmt: skip

    where = run("python", "-c", "import rpsee; print(rpsee.__file__)")
    assert where.stdout.strip() == str(app / "rpsee" / "__init__.py"), where.stdout + where.stderr
    seeded = run("python", "-m", "rpsee", "seed")  # the `prepare` service
    assert seeded.returncode == 0, seeded.stderr
    refused = run("python", "-m", "rpsee", "check")
    assert refused.returncode == 1 and "No active administrator" in refused.stdout
    added = run("python", "-m", "rpsee", "users", "add", "ops.admin", "--role", "admin", "--name",
                "Ops Admin", extra={"RPSEE_NEW_PASSWORD": "a-long-operator-password-2026"})
    assert added.returncode == 0, added.stderr
    ready = run("python", "-m", "rpsee", "check")
    assert ready.returncode == 0 and "Ready for production mode." in ready.stdout, ready.stdout

    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115
    serve = subprocess.Popen([*entry, "python", "-m", "rpsee", "serve"], env=env, cwd=app,
                             stdout=log, stderr=subprocess.STDOUT)  # fmt: skip  (the image's CMD)
    try:
        deadline = time.monotonic() + 120
        while True:
            health = subprocess.run([str(tools / "rpsee-healthcheck")], env=env,
                                    capture_output=True, timeout=30)  # fmt: skip
            if health.returncode == 0:
                break
            assert serve.poll() is None and time.monotonic() < deadline, (
                (tmp_path / "serve.log").read_text(errors="replace"))
            time.sleep(0.5)
    finally:
        stop(serve, timeout=20)
        log.close()
    output = (tmp_path / "serve.log").read_text(errors="replace")
    assert "production mode" in output, output
