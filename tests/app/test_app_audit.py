"""Audit trail page: readable rows, filters by user, dates and entity type, CSV of the view."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import planning
from rpsee.store.uow import UnitOfWork

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)


def _audit_page(app_for, role: str = "finance"):
    at = app_for(role).run()
    at.switch_page("pages/audit.py").run()
    assert not at.exception
    return at


def test_rows_name_things_plainly_and_filters_narrow_them(app_for, app_db) -> None:
    with UnitOfWork(url=app_db) as uow:
        ref = uow.reference.load()
    s = planning.settings(PLANNER, url=app_db)
    planning.save_envelope(PLANNER, {2026: s.envelopes[2026] + Decimal("0.05")}, s.basis,
                           s.rate_percent, ref, url=app_db)  # fmt: skip
    at = _audit_page(app_for)
    table = at.dataframe[0].value
    assert list(table.columns) == ["When (UTC)", "Who", "What", "Entity type", "Entity",
                                   "Changes"]  # fmt: skip
    tables = ("activity", "activity_budget", "envelope_year", "staff_cost_rate", "app_user",
              "allocation_target", "planning_setting", "position_plan", "programme_figure")
    assert not table["Entity"].str.startswith(tables).any()  # no table names
    assert table["Entity"].str[0].str.isupper().all()
    at.selectbox(key="audit_who").select("demo.planner").run()
    table = at.dataframe[0].value
    assert set(table["Who"]) == {"demo.planner"}  # the planner's: also the demo meeting's steps
    [row] = [r for r in table.to_dict("records") if r["Entity type"] == "Envelope"]
    assert row["Entity"] == "Envelope 2026" and row["Entity type"] == "Envelope"
    assert row["Changes"] == "Envelope: USD 11,000,000.00 → USD 11,000,000.05"
    at.selectbox(key="audit_who").select("").run()
    at.selectbox(key="audit_type").select("Cost rate").run()
    table = at.dataframe[0].value
    assert len(table) > 0 and set(table["Entity type"]) == {"Cost rate"}
    assert table["Entity"].str.startswith("Cost rate ").all()
    assert at.get("download_button")[0].proto.label == "Download these entries (CSV)"


def test_psc_members_do_not_see_the_trail(app_for) -> None:
    at = app_for("psc_member").run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/audit.py")
