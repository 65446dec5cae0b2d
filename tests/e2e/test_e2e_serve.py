"""`python -m rpsee serve` on a fresh database, as the quick start runs it: the database is prepared
by a child process while the server starts; the login page waits for its accounts, the overview
for its data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, _free_port, healthy, log_in, settled


def test_serve_prepares_a_fresh_database_beside_the_server(browser) -> None:  # noqa: ANN001
    state = Path(tempfile.mkdtemp(prefix="rpsee-serve-"))
    port = _free_port()
    env = {**os.environ, "RPSEE_STATE_DIR": str(state), "RPSEE_BCRYPT_ROUNDS": "4"}
    env.pop("DATABASE_URL", None)
    env.pop("RPSEE_MODE", None)
    log_path = state / "server.log"
    with open(log_path, "w") as log:
        command = [sys.executable, "-m", "rpsee", "serve", "--port", str(port)]
        proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            if not healthy(url):
                pytest.fail(f"No server:\n{log_path.read_text()}")
            ctx = browser.new_context(viewport={"width": 1400, "height": 1200})
            page = ctx.new_page()
            log_in(page, url, "demo.planner")
            expect(page.get_by_test_id("stSidebarNav")).to_be_visible(timeout=30000)
            settled(page)
            expect(page.get_by_text("South-Eastern Europe", exact=False).first).to_be_visible()
            expect(page.get_by_test_id("stException")).to_have_count(0)
            ctx.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    text = log_path.read_text()
    shutil.rmtree(state, ignore_errors=True)
    assert "demo users created: 5" in text and "reference changes applied: 0" not in text
    assert "Preparing it in the server's process instead" not in text  # the child did it
    assert "Traceback" not in text
