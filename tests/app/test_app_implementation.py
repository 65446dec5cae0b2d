"""The implementation review's pages through the real entry point: a planner enters a value and
corrects it on Indicator progress, members read progress without the forms, observers read only
the reports given to the Committee; Delivery shows each role its tabs and the figures of the
service to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rpsee.domain.money import format_usd
from rpsee.domain.roles import CurrentUser, Role
from rpsee.domain.tables import percent_of
from rpsee.services import delivery, progress
from tests.app.conftest import give_the_committee_2027

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)


def _open(app_for, role: str, page: str, tab: str | None = None):  # noqa: ANN001, ANN202
    at = app_for(role).run()
    at.switch_page(page).run()
    if tab:
        at.session_state[page.removeprefix("pages/").removesuffix(".py") + "_tab"] = tab
        at.run()
    assert not at.exception, at.exception
    return at


def _tabs(at) -> list[str]:  # noqa: ANN001
    return [t.label for t in at.tabs]


def _new(url: str, before: list) -> list:  # noqa: ANN001
    """The entries made since `before` (the demo has its own)."""
    seen = {a.id for a in before}
    return [a for a in progress.actuals(PLANNER, url=url) if a.id not in seen]


def test_a_planner_enters_a_value_and_corrects_it(app_for, app_db) -> None:  # noqa: ANN001
    before = progress.actuals(PLANNER, url=app_db)
    at = _open(app_for, "planner", "pages/progress.py", "Enter a value")
    at.selectbox(key="progress_enter_code").set_value("1.2.a").run()
    at.selectbox(key="progress_where").set_value("XKX")
    at.text_input(key="progress_value").input("2")
    at.text_area(key="progress_source").input("Training report <b> & notes")
    at.date_input(key="progress_from").set_value(date(2025, 1, 1))
    at.date_input(key="progress_to").set_value(date(2025, 12, 31))
    next(b for b in at.button if b.label == "Save value").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Saved: 1.2.a, 2 for 2025-01-01 to 2025-12-31."]
    [entry] = _new(app_db, before)
    assert (entry.value, entry.source) == (Decimal("2"), "Training report <b> & notes")

    at.session_state["progress_tab"] = "Entries"
    at.run()
    at.selectbox(key="progress_fix").set_value(entry).run()
    at.text_input[0].input("3")
    next(b for b in at.button if b.label == "Save the correction").click().run()
    assert not at.exception, at.exception
    history = _new(app_db, before)
    assert [(a.value, a.replaces) for a in history] == [(Decimal("2"), None),
                                                        (Decimal("3"), entry.id)]


def test_a_bad_value_is_refused_naming_the_field(app_for, app_db) -> None:  # noqa: ANN001
    before = progress.actuals(PLANNER, url=app_db)
    at = _open(app_for, "planner", "pages/progress.py", "Enter a value")
    at.selectbox(key="progress_enter_code").set_value("1.2.a").run()
    at.text_input(key="progress_value").input("1.000")
    at.text_area(key="progress_source").input("Report")
    next(b for b in at.button if b.label == "Save value").click().run()
    errors = [e.value.replace("\\", "") for e in at.error]  # markdown escapes removed
    assert any("Indicator 1.2.a, Value: '1.000' is not a whole number" in e and
               e.startswith("Nothing was saved") for e in errors), errors  # fmt: skip
    assert _new(app_db, before) == []


def test_members_read_progress_without_the_forms_and_observers_the_reports(app_for) -> None:  # noqa: ANN001
    at = _open(app_for, "psc_member", "pages/progress.py")
    assert _tabs(at) == ["Progress", "Reports given to the Committee", "Entries"]
    statuses = at.dataframe[0].value["Status"].tolist()
    assert len(statuses) == len(progress.specs(progress_ref(at))) and all(statuses)
    at = _open(app_for, "observer", "pages/progress.py")
    assert _tabs(at) == []
    # observers read only the reports given: the page opens on the last year that has one
    # (2025's, given with the 2026 workplan at the demo meeting), not on the year under way
    assert at.selectbox(key="progress_year").value == 2025
    assert not any("No progress report of" in c.value for c in at.caption)
    assert any("progress reports given to the Steering Committee" in c.value for c in at.caption)
    # the given report's tables, frozen, named by who froze it (a person and role, no account)
    report = at.selectbox(key="progress_report_pick")
    assert "by Demo Planner (Regional Representative), Programme planner" in report.format_func(
        report.value)  # fmt: skip
    assert len(at.dataframe) == 2  # the report's indicators and its output ratings, nothing live


def progress_ref(at):  # noqa: ANN001, ANN201
    from rpsee.services import programme

    return programme.reference(PLANNER)


def test_delivery_tabs_by_role_and_figures_to_the_cent(app_for, app_db) -> None:  # noqa: ANN001
    at = _open(app_for, "finance", "pages/delivery.py")
    assert _tabs(at)[-2:] == ["Import", "Imports"]
    year = at.selectbox(key="delivery_year").value
    view = delivery.delivery(PLANNER, year, url=app_db)
    line = next(m.value for m in at.markdown if m.value.startswith("Spent"))
    assert f"Budget **{format_usd(view.budget_total)}**" in line
    assert f"Spent **{format_usd(view.spent_total)}**" in line
    rate = percent_of(view.spent_total, view.budget_total)  # the tables' own rate
    assert f"Delivery **{rate}%**" in line if rate is not None else "Delivery **–**" in line
    assert _tabs(_open(app_for, "psc_member", "pages/delivery.py"))[-1] == "Imports"
    assert "Imports" not in _tabs(_open(app_for, "observer", "pages/delivery.py"))


def test_the_annual_report_is_made_on_click_and_offered(app_for, app_db) -> None:  # noqa: ANN001
    at = _open(app_for, "planner", "pages/progress.py", "Reports given to the Committee")
    at.selectbox(key="progress_year").set_value(2025).run()
    next(b for b in at.button if b.label == "Make the progress report 2025").click().run()
    assert not at.exception, at.exception
    made = at.session_state["progress_appr"]
    assert made[0] == "RPSEE_progress_report_2025.pdf" and made[1].startswith(b"%PDF")
    # Observers read only the reports given to the Committee: the demo's 2025 report was frozen
    # when the 2026 workplan was submitted; none of 2026 until the 2027 draft is submitted.
    observer = CurrentUser("demo.observer", "O", Role.OBSERVER, "AUT")
    assert progress.reports(observer, 2025, url=app_db)
    assert not progress.reports(observer, 2026, url=app_db)
    at = _open(app_for, "observer", "pages/progress.py")
    at.selectbox(key="progress_year").set_value(2026).run()
    next(b for b in at.button if b.label == "Make the progress report 2026").click().run()
    assert any("No progress report of 2026" in i.value for i in at.info)
    assert "progress_appr" not in at.session_state
    at.selectbox(key="progress_year").set_value(2025).run()
    next(b for b in at.button if b.label == "Make the progress report 2025").click().run()
    assert not at.exception, at.exception
    made = at.session_state["progress_appr"]
    assert made[0] == "RPSEE_progress_report_2025.pdf" and made[1].startswith(b"%PDF")
    offered = [b.label for b in at.get("download_button")]
    assert offered == ["Download the progress report 2025 (PDF)"]
    give_the_committee_2027(app_db)  # submitting 2027 freezes the 2026 report: now given
    at = _open(app_for, "observer", "pages/progress.py")
    at.selectbox(key="progress_year").set_value(2026).run()
    next(b for b in at.button if b.label == "Make the progress report 2026").click().run()
    assert not at.exception, at.exception
    assert at.session_state["progress_appr"][0] == "RPSEE_progress_report_2026.pdf"


def test_a_year_without_expenditure_imported_says_so(app_for) -> None:  # noqa: ANN001
    at = _open(app_for, "finance", "pages/delivery.py")
    at.selectbox(key="delivery_year").set_value(2026).run()
    said = [i.value for i in at.info if "No expenditure of 2026 imported yet" in i.value]
    assert said and "Import tab" in said[0]
    at.selectbox(key="delivery_year").set_value(2025).run()  # the demo's extract is of 2025
    assert not [i for i in at.info if "imported yet" in i.value]
