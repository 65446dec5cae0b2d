"""The image's small scripts, run here as the container runs them: the entry point turning
secret files into variables, the scheduled backup loop (a real `rpsee backup` of a SQLite
database, retention, its health check) and the health check against a stand-in server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.deploy.topology import DEPLOY, ROOT

ENTRYPOINT = DEPLOY / "entrypoint.sh"
BACKUP_LOOP = DEPLOY / "backup-loop.sh"
PRINT_ENV = [sys.executable, "-c", "import json, os; print(json.dumps(dict(os.environ)))"]


def _entrypoint(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["sh", str(ENTRYPOINT), *PRINT_ENV], env={"PATH": os.environ["PATH"],
                          **env}, capture_output=True, text=True, timeout=30)  # fmt: skip


def test_the_entrypoint_reads_secret_files_into_variables(tmp_path: Path) -> None:
    import json

    key = tmp_path / "rpsee_cookie_key"
    key.write_text("k" * 48 + "\n")
    secret = tmp_path / "streamlit_cookie_secret"
    secret.write_text("s" * 48)
    password = tmp_path / "db_password"
    password.write_text("pa ss'word$1\n\n")
    result = _entrypoint({"RPSEE_COOKIE_KEY_FILE": str(key),
                          "STREAMLIT_SERVER_COOKIE_SECRET_FILE": str(secret),
                          "PGPASSWORD_FILE": str(password)})  # fmt: skip
    assert result.returncode == 0, result.stderr
    env = json.loads(result.stdout)
    assert env["RPSEE_COOKIE_KEY"] == "k" * 48  # trailing newline dropped
    assert env["STREAMLIT_SERVER_COOKIE_SECRET"] == "s" * 48
    assert env["PGPASSWORD"] == "pa ss'word$1"  # taken as it is: no shell expansion
    assert not any(name.endswith("_FILE") for name in env)
    assert "DATABASE_URL" not in env


def test_the_entrypoint_refuses_two_sources_a_missing_file_and_an_empty_one(
        tmp_path: Path) -> None:  # fmt: skip
    key = tmp_path / "key"
    key.write_text("k" * 48)
    both = _entrypoint({"RPSEE_COOKIE_KEY_FILE": str(key), "RPSEE_COOKIE_KEY": "x" * 48})
    assert both.returncode == 1 and "both RPSEE_COOKIE_KEY and RPSEE_COOKIE_KEY_FILE" in both.stderr
    absent = _entrypoint({"PGPASSWORD_FILE": str(tmp_path / "nothing")})
    assert absent.returncode == 1 and "cannot read PGPASSWORD_FILE" in absent.stderr
    empty = tmp_path / "empty"
    empty.write_text("\n")
    blank = _entrypoint({"STREAMLIT_SERVER_COOKIE_SECRET_FILE": str(empty)})
    assert blank.returncode == 1 and "is empty" in blank.stderr
    assert both.stdout == absent.stdout == blank.stdout == ""  # the command never ran


def _backup_env(tmp_path: Path, folder: Path, interval: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RPSEE_", "DATABASE_URL"))}
    return {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
            "RPSEE_STATE_DIR": str(tmp_path / "state"), "RPSEE_BACKUP_DIR": str(folder),
            "RPSEE_BACKUP_INTERVAL_SECONDS": str(interval), "RPSEE_BACKUP_KEEP_DAYS": "30",
            "RPSEE_PYTHON": sys.executable, "PYTHONPATH": str(ROOT)}  # fmt: skip


def test_the_backup_loop_backs_up_keeps_recent_files_and_says_when_it_is_late(
        tmp_path: Path) -> None:  # fmt: skip
    folder = tmp_path / "backups"
    folder.mkdir()
    env = _backup_env(tmp_path, folder, interval=3600)
    subprocess.run([sys.executable, "-m", "rpsee", "migrate"], env=env, cwd=ROOT, check=True,
                   capture_output=True, timeout=120)  # fmt: skip
    check = ["sh", str(BACKUP_LOOP), "--check"]
    late = subprocess.run(check, env=env, capture_output=True, text=True, timeout=30)
    assert late.returncode == 1 and "no backup" in late.stderr  # none yet: unhealthy
    old = folder / "rpsee-20200101T000000Z.rpsee-backup"
    recent = folder / "rpsee-recent.rpsee-backup"
    for path, days in ((old, 40), (recent, 10)):
        path.write_bytes(b"stand-in")
        stamp = time.time() - days * 86400
        os.utime(path, (stamp, stamp))
    other = folder / "notes.txt"  # not a backup: never deleted
    other.write_text("kept")
    os.utime(other, (time.time() - 90 * 86400,) * 2)
    loop = subprocess.Popen(["sh", str(BACKUP_LOOP)], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        made: list[Path] = []
        while time.monotonic() < deadline and not (made and not old.exists()):
            made = [p for p in folder.glob("rpsee-2*.rpsee-backup") if p != old]
            time.sleep(0.2)
    finally:
        os.killpg(loop.pid, signal.SIGTERM)
        output = loop.communicate(timeout=30)[0]
    assert len(made) == 1, output
    assert made[0].stat().st_mode & 0o077 == 0, "a backup is readable by its owner only"
    assert made[0].stat().st_size > 1000 and made[0].read_bytes()[:2] == b"PK", output
    assert not old.exists() and recent.exists() and other.exists(), output
    healthy = subprocess.run(check, env=env, capture_output=True, text=True, timeout=30)
    assert healthy.returncode == 0, healthy.stderr
    restored = subprocess.run([sys.executable, "-m", "rpsee", "restore", str(made[0])],
                              env={**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'drill.sqlite'}"},
                              cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert restored.returncode == 0 and "Restored" in restored.stdout, restored.stderr


class _Health(BaseHTTPRequestHandler):
    answer = b"ok"

    def do_GET(self) -> None:  # noqa: N802
        body = self.answer if self.path == "/_stcore/health" else b"not found"
        self.send_response(200 if self.path == "/_stcore/health" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_the_health_check_asks_streamlit_on_the_containers_port() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = str(server.server_address[1])
    check = [sys.executable, str(DEPLOY / "healthcheck.py")]
    try:
        ok = subprocess.run(check, env={**os.environ, "PORT": port}, capture_output=True,
                            timeout=30)  # fmt: skip
        _Health.answer = b"starting"
        wrong = subprocess.run(check, env={**os.environ, "PORT": port}, capture_output=True,
                               text=True, timeout=30)  # fmt: skip
    finally:
        _Health.answer = b"ok"
        server.shutdown()
        server.server_close()
    down = subprocess.run(check, env={**os.environ, "PORT": port}, capture_output=True,
                          text=True, timeout=30)  # fmt: skip
    assert ok.returncode == 0
    assert wrong.returncode == 1 and "starting" in wrong.stderr
    assert down.returncode == 1 and "/_stcore/health" in down.stderr
