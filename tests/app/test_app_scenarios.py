"""The scenario page and meeting mode through AppTest, by role: who sees which page and
controls, figures with the rates and versions they used, saving from the editor, the observer's
masking, and a meeting-mode control that recomputes."""

from __future__ import annotations

import json

import pytest

from rpsee.domain.funding import OTHER_CONTRIBUTIONS
from rpsee.domain.roles import CurrentUser, Role
from rpsee.domain.scenario import Scenario
from rpsee.services import scenarios

PLANNER = CurrentUser("demo.planner", "Planner", Role.PLANNER)
READERS = ["planner", "finance", "psc_member", "observer"]


def _open(app_for, role: str, page: str = "pages/scenarios.py", tab: str | None = None):  # noqa: ANN001, ANN202
    at = app_for(role).run()
    at.switch_page(page).run()
    if tab:
        at.session_state["sc_tab"] = tab
        at.run()
    assert not at.exception, at.exception
    return at


def _text(at) -> str:  # noqa: ANN001
    frames = "\n".join(d.value.to_string() for d in at.dataframe)
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return (frames + "\n" + "\n".join(parts)).replace("\\", "")


@pytest.mark.parametrize("role", READERS)
def test_readers_see_results_with_rates_and_versions(app_for, role: str) -> None:  # noqa: ANN001
    at = _open(app_for, role)
    assert at.title[0].value == "Funding scenarios"
    by_year = at.dataframe[0].value
    assert list(by_year["Year"]) == ["2024", "2025", "2026", "2027", "2028", "2029", "Total"]
    body = by_year.iloc[:-1]
    for col in ("Requirement", "Hard only", "Hard + soft", "Probability-weighted"):
        assert round(body[col].sum(), 2) == round(by_year[col].iloc[-1], 2)
    gap = body["Requirement"] - body["Hard + soft"]
    assert (abs(gap - body["Gap (hard + soft)"]) < 0.005).all()
    caption = _text(at)
    assert "EUR 1.0705" in caption and "version 1" in caption and "10,000 draws" in caption
    tabs = [t.label for t in at.tabs]
    assert ("Edit" in tabs) == (role in ("planner", "finance"))


def test_admin_has_no_scenario_pages(app_for) -> None:  # noqa: ANN001
    at = app_for("admin").run()
    for page in ("pages/scenarios.py", "pages/meeting.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


@pytest.mark.parametrize("name", ["scenarios.py", "meeting.py"])
def test_admin_running_the_page_directly_is_refused(app_db: str, name: str) -> None:
    from tests.app.test_app_pages import page

    at = page(name, "admin").run()
    assert not at.exception
    assert any("does not give access" in e.value for e in at.error)
    assert not at.dataframe and not at.metric


def _trace_names(at) -> set[str]:  # noqa: ANN001
    names = set()
    for chart in at.get("plotly_chart"):
        names |= {t.get("name") for t in json.loads(chart.proto.spec)["data"]}
    return names


def test_observer_sees_confidential_money_of_others_only_as_aggregate(app_for) -> None:  # noqa: ANN001
    at = _open(app_for, "observer", tab="What the gap means")
    at.session_state["sc_gap_year"] = 2024
    at.run()
    text = _text(at)
    assert "ITA" not in text and "Italy" not in text
    at.session_state["sc_tab"] = "Results"
    at.run()
    names = _trace_names(at)
    assert OTHER_CONTRIBUTIONS in names and "Austria" in names  # donors by name
    assert not {"ITA", "Italy"} & names
    planner = _open(app_for, "planner")
    assert "Italy" in _trace_names(planner)


def test_planner_saves_a_scenario_from_the_editor_and_a_bad_percent_is_refused(
        app_for, app_db: str) -> None:  # noqa: ANN001
    at = _open(app_for, "planner", tab="Edit")
    at.text_input(key="sc_edit_new_name").input("Cautious")
    at.text_input(key="sc_edit_new_cutoff").input("150")
    at.button(key="sc_edit_new_save").click().run()
    assert "Probability cut-off %: '150' is out of range" in at.error[0].value.replace("\\", "")
    assert scenarios.list_scenarios(PLANNER, url=app_db) == []
    at.text_input(key="sc_edit_new_cutoff").input("50")
    at.button(key="sc_edit_new_save").click().run()
    assert not at.exception, at.exception
    [saved] = scenarios.list_scenarios(PLANNER, url=app_db)
    assert (saved.name, str(saved.scenario.probability_cutoff)) == ("Cautious", "50")
    assert at.session_state["sc_pick"] == "Cautious"


@pytest.mark.parametrize("role", READERS)
def test_meeting_mode_by_role(app_for, role: str) -> None:  # noqa: ANN001
    at = _open(app_for, role, page="pages/meeting.py")
    assert at.title[0].value == "Meeting mode"
    keys = {s.key for s in at.slider}
    assert ("mt_cutoff" in keys) == (role != "observer")
    assert "Rates (USD per unit" in _text(at)


def test_meeting_control_recomputes_the_gap(app_for) -> None:  # noqa: ANN001
    at = _open(app_for, "psc_member", page="pages/meeting.py")
    before = at.metric[1].value
    at.selectbox(key="mt_out").set_value("USA").run()
    assert not at.exception, at.exception
    after = at.metric[1].value
    assert before != after  # the gap grows without the United States' money
    at.radio(key="mt_chart").set_value("By donor").run()
    assert "United States" not in _trace_names(at) and "Austria" in _trace_names(at)
    at.slider(key="mt_shock").set_value(-20).run()
    assert not at.exception, at.exception
    assert at.metric[1].value != after


def test_observer_meeting_mode_shows_the_aggregate(app_for, app_db: str) -> None:  # noqa: ANN001
    at = _open(app_for, "observer", page="pages/meeting.py")
    at.radio(key="mt_chart").set_value("By donor").run()
    assert not at.exception, at.exception
    names = _trace_names(at)
    assert OTHER_CONTRIBUTIONS in names and not {"ITA", "Italy"} & names
    r = scenarios.evaluate(CurrentUser("demo.observer", "O", Role.OBSERVER, "AUT"), Scenario(),
                           draws=200, url=app_db)  # fmt: skip
    assert OTHER_CONTRIBUTIONS in {d for d, _ in r.by_donor["hard_soft"]}


@pytest.mark.parametrize("role", ["planner", "psc_member"])
def test_freeze_button_for_planners_only(app_for, app_db: str, role: str) -> None:  # noqa: ANN001
    at = _open(app_for, role, tab="Frozen")
    buttons = [b for b in at.button if b.key == "sc_freeze"]
    assert bool(buttons) == (role == "planner")
    if role != "planner":
        return
    buttons[0].click().run()
    assert not at.exception, at.exception
    [record] = scenarios.frozen_scenarios(PLANNER, url=app_db)
    assert record.intact and record.frozen_by == "demo.planner"
    assert "intact" in _text(at)


def test_who_pays_names_donors_as_the_pipeline_page_does(app_for) -> None:  # noqa: ANN001
    at = _open(app_for, "psc_member", tab="What the gap means")
    payers = next(d.value for d in at.dataframe if "Donor" in d.value.columns)
    donors = list(payers["Donor"])
    assert "European Union" in donors and "EU" not in donors  # not the bare code
    assert donors[-1] == "Total"


def test_a_save_over_someone_elses_change_is_refused_on_the_page(app_for, app_db: str) -> None:  # noqa: ANN001
    from dataclasses import replace
    from decimal import Decimal

    finance = CurrentUser("demo.finance", "Finance", Role.FINANCE)
    sid = scenarios.save_scenario(PLANNER, Scenario("Shared", probability_cutoff=Decimal(20)),
                                  url=app_db)  # fmt: skip
    at = app_for("planner").run()
    at.switch_page("pages/scenarios.py").run()
    at.session_state["sc_pick"] = "Shared"
    at.session_state["sc_tab"] = "Edit"
    at.run()
    [loaded] = scenarios.list_scenarios(PLANNER, url=app_db)
    scenarios.save_scenario(finance, replace(loaded.scenario, probability_cutoff=Decimal(30)),
                            "", sid, loaded.version, url=app_db)  # fmt: skip
    at.text_input(key=f"sc_edit_{sid}_cutoff").input("40")
    at.button(key=f"sc_edit_{sid}_save").click().run()
    assert not at.exception, at.exception
    assert "changed by demo.finance" in at.error[0].value.replace("\\", "")
    [now] = scenarios.list_scenarios(PLANNER, url=app_db)
    assert now.scenario.probability_cutoff == Decimal(30)
    at.run()  # the form now shows the saved version; a save from it goes through
    assert at.text_input(key=f"sc_edit_{sid}r1_cutoff").value == "30"
    at.text_input(key=f"sc_edit_{sid}r1_cutoff").input("40")
    at.button(key=f"sc_edit_{sid}r1_save").click().run()
    assert not at.exception and not at.error
    [now] = scenarios.list_scenarios(PLANNER, url=app_db)
    assert (now.scenario.probability_cutoff, now.version) == (Decimal(40), 3)
