"""A database that fails while the app runs: the page says so in words, nothing is saved, the
grid's pending edits stay on screen, and no exception reaches Streamlit."""

from __future__ import annotations

from rpsee.services import workplans
from tests.app.test_app_workplan import PLANNER, _button, _edit, _open, plan  # noqa: F401
from tests.store.test_store_failures import _Failing


def test_a_save_that_meets_a_database_failure_keeps_the_edits(app_for, app_db, plan) -> None:  # noqa: ANN001, F811
    at = _open(app_for, "planner")
    before = workplans.activities(PLANNER, plan.id, url=app_db)
    key = _edit(at, {0: {"Title": "Typed while the database fails"}})
    with _Failing(app_db) as failing:
        _button(at, "Save").click().run()
    assert failing.attempted and not at.exception, at.exception
    assert any("nothing was saved" in e.value for e in at.error), [e.value for e in at.error]
    assert workplans.activities(PLANNER, plan.id, url=app_db) == before
    assert at.session_state[key]["edited_rows"] == {0: {"Title": "Typed while the database "
                                                                  "fails"}}  # fmt: skip
    assert "Unsaved: 1 changed, 0 new, 0 removed" in [c.value for c in at.caption]
    _button(at, "Save").click().run()  # the database is back: the same edits save
    assert not at.exception, at.exception
    assert workplans.activities(PLANNER, plan.id, url=app_db)[0].title == ("Typed while the "
                                                                          "database fails")


def test_a_page_whose_reads_fail_shows_a_message_not_a_traceback(app_for, app_db,
                                                                 plan) -> None:  # noqa: ANN001, F811
    """Through app.py (as `rpsee serve` runs every run): the database stops answering after
    start-up (once per process), as a logged-in session opens the app; the run after works."""
    assert not app_for("planner").run().exception  # start-up done
    at = app_for("planner")
    with _Failing(app_db, every=True):
        at.run()
    assert not at.exception, at.exception
    assert any("could not be reached" in e.value for e in at.error), [e.value for e in at.error]
    at.run()  # back: the app works again
    assert not at.exception and not at.error, at.exception
