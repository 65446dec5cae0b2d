"""Envelope & allocation and Staffing pages through AppTest, per role."""

from __future__ import annotations

import pytest

from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import staffing

FINANCE = CurrentUser("demo.finance", "F", Role.FINANCE)


def _open(app_for, role: str, page: str, tab: str | None = None):  # noqa: ANN001, ANN202
    at = app_for(role).run()
    at.switch_page(f"pages/{page}.py").run()
    if tab:
        at.session_state[f"{'staff' if page == 'staffing' else 'alloc'}_tab"] = tab
        at.run()
    assert not at.exception, at.exception
    return at


def _costs_2026(at) -> str:  # noqa: ANN001
    frame = next(d.value for d in at.dataframe if "2026" in d.value.columns)
    return frame.loc[frame["Staff cost"] == "Total: charged", "2026"].iloc[0]


def test_finance_edits_a_rate_and_the_costs_change(app_for, app_db) -> None:  # noqa: ANN001
    at = _open(app_for, "finance", "staffing")
    before = _costs_2026(at)
    at.session_state["staff_tab"] = "Cost rates"
    at.run()
    rates = at.session_state  # the rates editor: change the P4 Istanbul line (row 0 sorted)
    data = staffing.load(FINANCE, url=app_db)
    row = next(i for i, r in enumerate(data.rate_lines) if (r.grade, r.duty_station) ==
               ("P4", "IST"))  # fmt: skip
    rates["staff_rates"] = {"edited_rows": {row: {"Annual cost (USD)": "252,000.00"}},
                            "added_rows": [], "deleted_rows": []}  # fmt: skip
    at.run()
    at.checkbox(key="staff_rates_confirm").check().run()  # after the preview of the effect
    next(b for b in at.button if b.label == "Save cost rates").click().run()
    assert not at.exception
    assert any("Cost rates saved." in s.value for s in at.success)
    at.session_state["staff_tab"] = "Costs"
    at.run()
    after = _costs_2026(at)
    assert after != before
    line = next(r for r in staffing.load(FINANCE, url=app_db).rate_lines
                if (r.grade, r.duty_station) == ("P4", "IST"))  # fmt: skip
    assert (str(line.annual), line.updated_by) == ("252000.00", "demo.finance")


@pytest.mark.parametrize("role", ["planner", "psc_member"])
def test_others_cannot_edit_rates(app_for, role: str) -> None:  # noqa: ANN001
    at = _open(app_for, role, "staffing", "Cost rates")
    assert not [b for b in at.button if b.label == "Save cost rates"]
    assert any("finance keeps the cost rates" in c.value for c in at.caption)


def test_psc_member_only_reads_allocation_and_positions(app_for) -> None:  # noqa: ANN001
    at = _open(app_for, "psc_member", "allocation")
    assert at.title[0].value == "Envelope and allocation"
    assert not [b for b in at.button if b.label.startswith("Save")]
    assert at.get("plotly_chart")
    at = _open(app_for, "psc_member", "staffing", "Positions")
    assert not [b for b in at.button if b.label.startswith("Save")]
    assert any("planners change position plans" in c.value for c in at.caption)


@pytest.mark.parametrize(("role", "told"), [("planner", True), ("psc_member", False),
                                            ("observer", False), ("finance", False)])
def test_only_planners_are_told_how_to_set_a_target(app_for, role: str, told: bool) -> None:  # noqa: ANN001
    at = _open(app_for, role, "allocation", "Targets")
    captions = " ".join(c.value for c in at.caption)
    assert "A target is a share" in captions
    assert ("Leave a value empty for no target" in captions) is told


def test_allocation_by_year_shows_the_comparison_and_warnings(app_for) -> None:  # noqa: ANN001
    at = _open(app_for, "planner", "allocation", "By year")
    at.selectbox(key="alloc_year").set_value(2027).run()  # it opens on the year being implemented
    areas = next(d.value for d in at.dataframe if "Headroom" in d.value.columns)
    assert list(areas["Thematic area"])[-3:] == [
        "Subtotal: targets", "Unallocated", "Total"]
    # 2027 demo shares add up to 98% of USD 11,000,000: 10,780,000 allocated, 220,000 not.
    assert list(areas["Allocated"])[-3:] == [10_780_000.0, 220_000.0, 11_000_000.0]
    assert areas["Headroom"].iloc[-1] == pytest.approx(
        areas["Headroom"].iloc[:-3].sum() + 220_000.0, abs=0.005)
    assert any("add up to 98%" in m.value for m in at.markdown)
    assert [m.label for m in at.metric][:2] == ["Envelope", "Planned"]


def test_reconciliation_line_is_always_shown(app_for) -> None:  # noqa: ANN001
    at = _open(app_for, "psc_member", "staffing")
    text = " ".join(m.value for m in at.markdown)
    assert "programme document USD 11,582,088.60" in text and "difference" in text


def test_planner_defers_a_position_on_the_positions_tab(app_for, app_db) -> None:  # noqa: ANN001
    at = _open(app_for, "planner", "staffing", "Positions")
    planner = CurrentUser("demo.planner", "P", Role.PLANNER)
    plans = staffing.load(planner, url=app_db).plans
    row = next(i for i, p in enumerate(plans) if p.position_id == "P_014")
    at.session_state["staff_plans"] = {"edited_rows": {row: {"Start": "2026-07"}},
                                       "added_rows": [], "deleted_rows": []}  # fmt: skip
    at.run()
    next(b for b in at.button if b.label == "Save position plans").click().run()
    assert not at.exception
    assert any("Saved 1 position plan(s)." in s.value for s in at.success)
    after = next(p for p in staffing.load(planner, url=app_db).plans if p.position_id == "P_014")
    assert after.start == "2026-07"


def test_a_bad_split_is_refused_naming_the_position(app_for, app_db) -> None:  # noqa: ANN001
    at = _open(app_for, "planner", "staffing", "Positions")
    at.session_state["staff_plans"] = {"edited_rows": {0: {"1. Drugs": 90.0}},
                                       "added_rows": [], "deleted_rows": []}  # fmt: skip
    at.run()
    next(b for b in at.button if b.label == "Save position plans").click().run()
    messages = [e.value.replace("\\", "") for e in at.error]  # markdown escapes removed
    assert any("P_001, Time split: adds up to 170" in m for m in messages), messages


GRADE = "[*P*](https://e)"  # 16 characters, as long as a grade may be


def test_a_hostile_grade_shows_as_typed_for_every_role(app_for, app_db) -> None:  # noqa: ANN001
    from dataclasses import replace

    planner = CurrentUser("demo.planner", "P", Role.PLANNER)
    data = staffing.load(planner, url=app_db)
    plan = next(p for p in data.plans if p.position_id == "P_001")
    ref = staffing_ref(app_db)
    assert staffing.save_plans(planner, [replace(plan, grade=GRADE)], ref, url=app_db) == 1
    for role in ("planner", "psc_member", "finance", "admin"):
        at = _open(app_for, role, "staffing")
        shown = [e.value for e in at.error if "No standard cost" in e.value]
        assert shown, role
        assert "\\[\\*P\\*\\]\\(https\u2060\\://e\\)" in shown[0]
        assert "*P*" not in shown[0] and "](" not in shown[0]


def staffing_ref(url: str):  # noqa: ANN201
    from rpsee.store.uow import UnitOfWork

    with UnitOfWork(url=url) as uow:
        return uow.reference.load()


def test_an_unreadable_end_month_is_refused_naming_position_and_field(app_for, app_db) -> None:  # noqa: ANN001
    at = _open(app_for, "planner", "staffing", "Positions")
    at.session_state["staff_plans"] = {"edited_rows": {0: {"End": "2029-13"}},
                                       "added_rows": [], "deleted_rows": []}  # fmt: skip
    at.run()
    next(b for b in at.button if b.label == "Save position plans").click().run()
    messages = [e.value.replace("\\", "") for e in at.error]
    assert any("P_001, End: '2029-13' is not a month: use YYYY-MM" in m for m in messages), \
        messages
    assert not [s.value for s in at.success]


def test_saving_unchanged_plans_says_nothing_changed(app_for) -> None:  # noqa: ANN001
    at = _open(app_for, "planner", "staffing", "Positions")
    next(b for b in at.button if b.label == "Save position plans").click().run()
    assert any("Nothing to save" in i.value for i in at.info)
    assert not any("Saved 0" in s.value for s in at.success)
