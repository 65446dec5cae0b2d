"""Staffing page: finance closes months; a change rewriting them is said before the save and the
confirmation; implausible rates are warned of before the confirmation."""

from __future__ import annotations

from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import staffing

FINANCE = CurrentUser("demo.finance", "F", Role.FINANCE)
PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)


def _open(app_for, role: str, tab: str):  # noqa: ANN001, ANN202
    at = app_for(role).run()
    at.switch_page("pages/staffing.py").run()
    at.session_state["staff_tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return at


def _texts(elements) -> list[str]:  # noqa: ANN001
    return [e.value.replace("\\", "") for e in elements]  # markdown escapes removed


def _edit_rate(at, url: str, cell: tuple[str, str], amount: str):  # noqa: ANN001, ANN202
    data = staffing.load(FINANCE, url=url)
    row = next(i for i, r in enumerate(data.rate_lines) if (r.grade, r.duty_station) == cell)
    at.session_state["staff_rates"] = {"edited_rows": {row: {"Annual cost (USD)": amount}},
                                       "added_rows": [], "deleted_rows": []}  # fmt: skip
    return at.run()


def test_finance_closes_months_and_a_planner_is_told_before_saving(app_for, app_db) -> None:  # noqa: ANN001
    at = _open(app_for, "finance", "Closed months")
    assert any("No month is closed." in m for m in _texts(at.markdown))
    at.text_input(key="staff_close_through").input("2025-06").run()
    next(b for b in at.button if b.label == "Close the months").click().run()
    assert not at.exception, at.exception
    assert any("Closed through June 2025." in s for s in _texts(at.success))
    assert staffing.load(FINANCE, url=app_db).closed_through == "2025-06"

    at = _open(app_for, "planner", "Positions")
    assert not [b for b in at.button if b.label == "Close the months"]
    plans = staffing.load(PLANNER, url=app_db).plans
    row = next(i for i, p in enumerate(plans) if p.position_id == "P_001")
    at.session_state["staff_plans"] = {"edited_rows": {row: {"Start": "2025-03"}},
                                       "added_rows": [], "deleted_rows": []}  # fmt: skip
    at.run()
    before_save = _texts(at.error)  # said before the save
    assert any("P_001" in m and "from July 2024" in m and "Finance must reopen" in m
               for m in before_save), before_save  # fmt: skip
    next(b for b in at.button if b.label == "Save position plans").click().run()
    assert not at.success
    refusals = [e for e in _texts(at.error) if "Finance must reopen" in e]
    assert len(refusals) == 1 and refusals[0].startswith("Nothing was saved"), refusals
    assert staffing.load(PLANNER, url=app_db).plans == plans  # nothing saved


def test_planners_read_the_closed_months_only(app_for) -> None:  # noqa: ANN001
    at = _open(app_for, "planner", "Closed months")
    assert any("finance closes and reopens months" in c for c in _texts(at.caption))
    assert not [b for b in at.button if b.label in ("Close the months", "Reopen")]


def test_an_implausible_rate_is_warned_of_before_the_confirmation(app_for, app_db) -> None:  # noqa: ANN001
    at = _open(app_for, "finance", "Cost rates")
    _edit_rate(at, app_db, ("G5", "IST"), "130,000.00")  # Vienna's G5: 118,000.00
    warnings = _texts(at.warning)
    assert any("G5 at Istanbul (IST) costs USD 130,000.00 a year, more than G5 at Vienna (VIE), "
               "USD 118,000.00" in w for w in warnings), warnings  # fmt: skip
    assert at.checkbox(key="staff_rates_confirm")  # the user can still confirm
    at.checkbox(key="staff_rates_confirm").check().run()
    next(b for b in at.button if b.label == "Save cost rates").click().run()
    assert any("Cost rates saved." in s for s in _texts(at.success))


def test_a_rate_rewriting_closed_months_is_refused_before_the_confirmation(app_for,
                                                                         app_db) -> None:  # noqa: ANN001
    ref = staffing_ref(app_db)
    staffing.close_period(FINANCE, "2025-06", ref, url=app_db)
    at = _open(app_for, "finance", "Cost rates")
    _edit_rate(at, app_db, ("P4", "IST"), "252,000.00")
    errors = _texts(at.error)
    assert any("P_001" in e and "actuals through June 2025" in e and "Finance must reopen" in e
               for e in errors), errors  # fmt: skip
    assert not [c for c in at.checkbox if c.key == "staff_rates_confirm"]
    assert not [b for b in at.button if b.label == "Save cost rates"]


def staffing_ref(url: str):  # noqa: ANN201
    from rpsee.services import programme

    return programme.reference(PLANNER, url=url)
