"""The server caps glibc's malloc arenas (rpsee.malloc_arenas), unless the operator set it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from rpsee import malloc_arenas


def test_the_operators_setting_stands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert malloc_arenas.limit() is False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux's")
def test_the_cap_is_set_in_a_fresh_process() -> None:
    # a child: mallopt changes the process for good
    code = ("import os; os.environ.pop('MALLOC_ARENA_MAX', None); "
            "from rpsee import malloc_arenas; print(malloc_arenas.limit())")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
