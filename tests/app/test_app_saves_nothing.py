"""A save that writes nothing says why, never "Saved 0"."""

from __future__ import annotations

from tests.app.test_app_workplan import _colleague_saves, _edit, _open, plan  # noqa: F401


def test_a_grid_save_a_colleague_already_made_says_nothing_is_left_to_save(
        app_for, app_db, plan) -> None:  # noqa: ANN001, F811
    """The colleague's identical save is found on the next run: the edit is folded into the
    stored plan, the page says so, and Save has nothing to write (never "Saved 0")."""
    at = _open(app_for, "planner")
    _edit(at, {0: {"Title": "The same title"}})
    _colleague_saves(app_db, plan, 0, title="The same title")
    at.run()
    assert not at.exception, at.exception
    assert any("already in the stored plan (saved the same by a colleague): nothing left to save"
               in i.value for i in at.info), [i.value for i in at.info]  # fmt: skip
    assert next(b for b in at.button if b.label == "Save").disabled
    assert not any("Saved: 0" in s.value for s in at.success)
