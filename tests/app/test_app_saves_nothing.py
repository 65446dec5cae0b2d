"""A save that writes nothing says why, never "Saved 0"."""

from __future__ import annotations

from tests.app.test_app_workplan import _colleague_saves, _edit, _open, plan  # noqa: F401


def test_a_grid_save_a_colleague_already_made_says_nothing_was_saved(
        app_for, app_db, plan) -> None:  # noqa: ANN001, F811
    at = _open(app_for, "planner")
    _edit(at, {0: {"Title": "The same title"}})
    _colleague_saves(app_db, plan, 0, title="The same title")
    at.run()
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception, at.exception
    assert any("Nothing saved: every line you edited already has these values" in s.value
               for s in at.success), [s.value for s in at.success]  # fmt: skip
    assert not any("Saved: 0" in s.value for s in at.success)
