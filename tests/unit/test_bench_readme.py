"""The README's benchmark table: each figure with its value and the aim the issues set."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import run


def test_readme_table_shows_the_aims(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{run.README_START}\nold\n{run.README_END}\nafter\n",
                      encoding="utf-8")  # fmt: skip
    monkeypatch.setattr(run, "README", readme)
    assert run._update_readme({"meeting_control_browser_ms_median": 212.5,
                               "page_open_browser_ms_median_users_10x": 139.8,
                               "bare_rerun_ms_median": 2.29})  # fmt: skip
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("intro\n") and text.endswith("\nafter\n") and "old" not in text
    assert "| figure | value | aim |" in text
    assert "| `meeting_control_browser_ms_median` | 212.5 | < 300 |" in text
    assert "| `page_open_browser_ms_median_users_10x` | 139.8 | < 1000 |" in text
    assert "| `bare_rerun_ms_median` | 2.29 |  |" in text
