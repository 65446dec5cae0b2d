"""The programme's calendar and staffing rules on the Overview and Staffing pages."""

from __future__ import annotations

from decimal import Decimal

from rpsee.domain.money import format_usd
from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import staffing
from rpsee.store.data_files import load_reference
from rpsee.store.uow import UnitOfWork


def test_overview_says_the_envelopes_agree_with_the_document(app_for) -> None:  # noqa: ANN001
    at = app_for("psc_member").run()
    assert not at.exception, at.exception
    cycle = next(m for m in at.metric if m.label == "Cycle envelope (document)")
    assert (cycle.value, cycle.delta) == ("USD 55M", "USD 55M by year, agrees")
    captions = " ".join(c.value for c in at.caption)
    assert "add up to USD 55,000,000.00: the document's total" in captions
    assert "2029 January–June" in captions


def _open_staffing(app_for, role: str, tab: str | None = None):  # noqa: ANN001, ANN202
    at = app_for(role).run()
    at.switch_page("pages/staffing.py").run()
    if tab:
        at.session_state["staff_tab"] = tab
        at.run()
    assert not at.exception, at.exception
    return at


def test_staffing_warns_of_a_position_past_the_period(app_for, app_db) -> None:  # noqa: ANN001
    at = _open_staffing(app_for, "psc_member")
    assert not [w for w in at.warning if "costing period" in w.value]
    # A plan saved while the cycle still ran to December 2029 (or written to the database).
    with UnitOfWork(actor="test", action="test", url=app_db) as uow:
        uow.planning.plan_rows()["P_001"].end = "2029-12"
        uow.commit()
    at = _open_staffing(app_for, "psc_member")
    text = " ".join(w.value.replace("\\", "") for w in at.warning)
    assert "P_001 (Regional Representative for South-Eastern Europe) runs to 2029-12" in text
    assert "6 month(s) are not costed" in text


def test_the_vacancy_rule_is_stated_where_the_factor_is_shown(app_for) -> None:  # noqa: ANN001
    at = _open_staffing(app_for, "finance", "Cost rates")
    assert any("never deducted twice" in c.value for c in at.caption)
    at = _open_staffing(app_for, "psc_member")
    assert any(c.value.startswith("Vacancy deduction: The vacancy factor") for c in at.caption)
    assert any("rounded to the cent once" in c.value and "lowest thematic area number" in c.value
               for c in at.caption)  # the rounding rule and its tie order, stated


def test_a_what_if_deferral_past_the_period_is_warned(app_for) -> None:  # noqa: ANN001
    at = _open_staffing(app_for, "planner", "What if")
    at.selectbox(key="wi_position").set_value("P_014").run()
    at.number_input(key="wi_defer").set_value(48).run()  # 2026-01 + 48 months = 2030-01
    text = " ".join(w.value.replace("\\", "") for w in at.warning)
    assert "P_014" in text and "starts 2030-01, after the costing period" in text


def test_finance_sees_a_rate_change_before_saving(app_for, app_db) -> None:  # noqa: ANN001
    finance = CurrentUser("demo.finance", "F", Role.FINANCE)
    data = staffing.load(finance, url=app_db)
    ref = load_reference()
    before = staffing.costing(data.plans, data.rates, ref)
    at = _open_staffing(app_for, "finance", "Cost rates")
    assert not [b for b in at.button if b.label == "Save cost rates"]  # nothing changed yet
    row = next(i for i, r in enumerate(data.rate_lines) if (r.grade, r.duty_station) ==
               ("P4", "IST"))  # fmt: skip
    at.session_state["staff_rates"] = {"edited_rows": {row: {"Annual cost (USD)": "252,000.00"}},
                                       "added_rows": [], "deleted_rows": []}  # fmt: skip
    at.run()
    assert not at.exception, at.exception
    frame = next(d.value for d in at.dataframe if "With these rates" in d.value.columns)
    y2026 = frame.loc[frame["Year"] == "2026"].iloc[0]
    assert y2026["Staff cost charged, now"] == float(before.net_total(2026))
    # two P4s in Istanbul (P_001, P_002): +12,000 x 1.02^2 each, less 5% vacancy = 23,721.12
    assert y2026["Effect"] == 23_721.12
    assert list(frame["Year"])[-1] == "Total"  # the cycle
    text = " ".join(m.value for m in at.markdown)
    now = staffing.reconciliation(before, ref)
    assert f"**Now, 2024-07 to 2029-06:** computed standard cost {format_usd(now.computed)}" in text
    assert "**With these rates, 2024-07 to 2029-06:**" in text
    assert "programme document USD 11,582,088.60" in text
    save = next(b for b in at.button if b.label == "Save cost rates")
    assert save.disabled  # not before the finance officer confirms
    assert staffing.load(finance, url=app_db).rates == data.rates  # the preview saved nothing
    at.checkbox(key="staff_rates_confirm").check().run()
    next(b for b in at.button if b.label == "Save cost rates").click().run()
    assert any("Cost rates saved." in s.value for s in at.success)
    after = staffing.load(finance, url=app_db)
    assert staffing.costing(after.plans, after.rates, ref).net_total(2026) == (
        before.net_total(2026) + Decimal("23721.12")
    )


def test_a_what_if_that_rewrites_closed_months_says_so(app_for, app_db) -> None:  # noqa: ANN001
    finance = CurrentUser("demo.finance", "F", Role.FINANCE)
    at = _open_staffing(app_for, "planner", "What if")
    at.selectbox(key="wi_position").set_value("P_001").run()
    at.toggle(key="wi_drop_P_001").set_value(True).run()
    assert not [w for w in at.warning if "closed" in w.value]  # nothing closed yet
    staffing.close_period(finance, "2025-06", load_reference(), url=app_db)
    at = _open_staffing(app_for, "planner", "What if")
    at.selectbox(key="wi_position").set_value("P_001").run()
    at.toggle(key="wi_drop_P_001").set_value(True).run()
    text = " ".join(w.value.replace("\\", "") for w in at.warning)
    assert "P_001" in text and "need finance to reopen" in text, text
