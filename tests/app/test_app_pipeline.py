"""The Donor pipeline page through AppTest, by role: who sees what, who edits what, and the
observer's aggregate of other donors' confidential contributions."""

from __future__ import annotations

import pytest

from rpsee.domain.pipeline import OTHER_CONFIDENTIAL
from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import pipeline

PSC = CurrentUser("demo.psc", "PSC", Role.PSC_MEMBER)


def _open(app_for, role: str, tab: str | None = None):  # noqa: ANN001, ANN202
    at = app_for(role).run()
    at.switch_page("pages/pipeline.py").run()
    if tab:
        at.session_state["pipeline_tab"] = tab
        at.run()
    assert not at.exception, at.exception
    return at


def _usd_table(at):  # noqa: ANN001, ANN202
    return next(d.value for d in at.dataframe if "2024 USD" in d.value.columns)


def _all_text(at) -> str:  # noqa: ANN001
    frames = "\n".join(d.value.to_string() for d in at.dataframe)
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return (frames + "\n" + "\n".join(parts)).replace("\\", "")  # markdown escapes removed


@pytest.mark.parametrize("role", ["planner", "finance", "psc_member", "observer", "admin"])
def test_every_reader_sees_the_pipeline_with_its_rates(app_for, role: str) -> None:  # noqa: ANN001
    at = _open(app_for, role)
    assert at.title[0].value == "Donor pipeline"
    frame = _usd_table(at)
    assert frame["Donor"].iloc[-1] == "Total"
    assert frame["2024 USD"].iloc[-1] == 8_100_000.00  # only hard money in 2024
    assert frame["2025 USD"].iloc[-1] == 8_300_000.00
    assert "USD at: EUR 1.0705 (2024-06-28)" in _all_text(at)
    assert "ILLUSTRATIVE" in _all_text(at)


@pytest.mark.parametrize(("role", "edits", "rates"), [
    ("planner", True, False), ("finance", True, True), ("psc_member", False, False),
    ("observer", False, False), ("admin", False, False),
])  # fmt: skip
def test_editing_controls_only_for_the_roles_that_edit(app_for, role: str, edits: bool,  # noqa: ANN001
                                                       rates: bool) -> None:  # fmt: skip
    at = _open(app_for, role)
    assert ("Add or change" in [t.label for t in at.tabs]) is edits  # no editing tab to read
    if edits:
        at.session_state["pipeline_tab"] = "Add or change"
        at.run()
        assert "Save contribution" in [b.label for b in at.button]
    at.session_state["pipeline_tab"] = "Exchange rates"
    at.run()
    assert ("Save rate" in [b.label for b in at.button]) is rates
    assert not at.exception


def test_the_observer_sees_other_donors_confidential_money_only_as_an_aggregate(
    app_for, app_db  # noqa: ANN001
) -> None:
    hidden = [c for c in pipeline.contributions(PSC, url=app_db)
              if c.confidential and c.donor != "AUT"]  # fmt: skip
    assert hidden
    at = _open(app_for, "observer")
    frame = _usd_table(at)
    assert OTHER_CONFIDENTIAL in set(frame["Donor"])
    text = _all_text(at)
    for c in hidden:
        assert c.reference not in text
    assert "Italy" not in set(frame["Donor"]) and "Austria" in set(frame["Donor"])
    # the disclosure rule: Italy's money grouped with two more donors', and said why
    assert "Türkiye: regional training" not in text  # a complement: its hard money is grouped
    assert any("Disclosure rule" in i.value for i in at.info)
    psc = _usd_table(_open(app_for, "psc_member"))
    assert OTHER_CONFIDENTIAL not in set(psc["Donor"]) and "Italy" in set(psc["Donor"])
    for year in ("2024 USD", "2025 USD", "Cycle USD"):  # the same totals for both
        assert frame[year].iloc[-1] == psc[year].iloc[-1]


def test_a_planner_adds_a_contribution_and_a_bad_one_is_refused_by_field(
    app_for, app_db  # noqa: ANN001
) -> None:
    before = len(pipeline.contributions(PSC, url=app_db))
    at = _open(app_for, "planner", "Add or change")
    at.text_input(key="pl_None_0_ref").input("SIDA 2026 new agreement")
    at.text_input(key="pl_None_0_2026").input("1,000,000.00")
    at.text_input(key="pl_None_0_p").input("120")
    next(b for b in at.button if b.label == "Save contribution").click().run()
    assert any("Probability" in e.value and "120" in e.value for e in at.error)
    assert len(pipeline.contributions(PSC, url=app_db)) == before
    at.text_input(key="pl_None_0_p").input("")
    next(b for b in at.button if b.label == "Save contribution").click().run()
    assert not at.exception
    assert any("Contribution saved." in s.value for s in at.success)
    added = [c for c in pipeline.contributions(PSC, url=app_db)
             if c.reference == "SIDA 2026 new agreement"]  # fmt: skip
    assert len(added) == 1 and str(added[0].tranches[2026]) == "1000000.00"
