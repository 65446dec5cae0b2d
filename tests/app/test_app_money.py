"""Amounts typed on the allocation and staffing pages: read exactly or refused by name."""

from __future__ import annotations

from decimal import Decimal

from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import planning, staffing

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)
FINANCE = CurrentUser("demo.finance", "F", Role.FINANCE)


def _open(app_for, role: str, page: str, tab: str):  # noqa: ANN001, ANN202
    at = app_for(role).run()
    at.switch_page(f"pages/{page}.py").run()
    at.session_state[f"{'staff' if page == 'staffing' else 'alloc'}_tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return at


def _errors(at) -> str:  # noqa: ANN001
    return " ".join(e.value.replace("\\", "") for e in at.error)  # markdown escapes removed


def _edit(at, key: str, rows: dict) -> None:  # noqa: ANN001
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.run()


def _click(at, label: str) -> None:  # noqa: ANN001
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def test_envelope_typed_the_european_way_is_refused_then_read_exactly(app_for, app_db) -> None:  # noqa: ANN001
    at = _open(app_for, "planner", "allocation", "Cycle")
    years = list(planning.settings(PLANNER, url=app_db).envelopes)
    row = sorted(years).index(2027)
    before = planning.settings(PLANNER, url=app_db).envelopes[2027]
    _edit(at, "alloc_envelopes", {row: {"Envelope": "11.000.000,05"}})
    at.text_input[0].set_value("12,5").run()
    _click(at, "Save envelope settings")
    text = _errors(at)
    assert "Envelope 2027: '11.000.000,05' uses a comma for decimals" in text
    assert "type 11000000.05" in text
    assert "Programme support cost rate: '12,5' uses a comma for decimals: type 12.5" in text
    assert planning.settings(PLANNER, url=app_db).envelopes[2027] == before
    _edit(at, "alloc_envelopes", {row: {"Envelope": "11,000,000.05"}})
    at.text_input[0].set_value("12.5").run()
    _click(at, "Save envelope settings")
    saved = planning.settings(PLANNER, url=app_db)
    assert saved.envelopes[2027] == Decimal("11000000.05") and saved.rate_percent == Decimal("12.5")


def test_thirds_of_an_odd_envelope_raise_no_false_warning(app_for, app_db) -> None:  # noqa: ANN001
    from rpsee.store.data_files import load_reference

    ref = load_reference()
    planning.save_envelope(PLANNER, {2027: "11,000,000.05"}, "gross", "13", ref, url=app_db)
    at = _open(app_for, "planner", "allocation", "Targets")
    at.selectbox(key="alloc_target_year").set_value(2027).run()
    areas = [a.code for a in ref.areas]
    values = {0: "33.33", 1: "33.33", 2: "33.34", 3: "", 4: ""}
    _edit(at, "alloc_t_area_2027",
          {i: {"Mode": "percent", "Value": v} for i, v in values.items() if i < len(areas)})
    _click(at, "Save thematic area targets")
    assert not at.error, _errors(at)
    at.session_state["alloc_tab"] = "Targets"
    at.run()
    assert any("USD 11,000,000.05 of the envelope (3 of 5 set); unallocated USD 0.00" in c.value
               for c in at.caption)
    shown = " ".join(m.value for m in at.markdown)
    assert "2027 · Thematic area targets" not in shown.replace("\\", "")


def test_cost_rates_and_percentages_refused_by_name(app_for, app_db) -> None:  # noqa: ANN001
    at = _open(app_for, "finance", "staffing", "Cost rates")
    lines = staffing.load(FINANCE, url=app_db).rate_lines
    row = next(i for i, r in enumerate(lines) if (r.grade, r.duty_station) == ("P4", "IST"))
    _edit(at, "staff_rates", {row: {"Annual cost (USD)": "182.400,00"}, row + 1:
                              {"Annual cost (USD)": "-5000"}})  # fmt: skip
    _edit(at, "staff_vacancy", {0: {"Vacancy factor (%)": "1e2"}})
    at.text_input[0].set_value("2,5").run()
    assert not [b for b in at.button if b.label == "Save cost rates"]  # refused at the preview
    text = _errors(at)
    assert "(P4 at IST), Annual cost: '182.400,00' uses a comma for decimals" in text
    assert "type 182400.00" in text
    assert "'-5000' is negative: this amount must be zero or more (type 5000" in text
    assert "'1e2' is in scientific notation" in text
    assert "Escalation: '2,5' uses a comma for decimals: type 2.5" in text
    after = staffing.load(FINANCE, url=app_db).rate_lines
    assert [r.annual for r in after] == [r.annual for r in lines]
