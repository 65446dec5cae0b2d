"""The audit trail in the users' language: names, field labels, USD amounts, safe CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest

from rpsee.domain.audit_view import (
    Names,
    RawEntry,
    action_label,
    entity_name,
    readable,
    safe_cell,
    to_csv,
)
from rpsee.store.audit import same_value

AT = datetime(2026, 3, 4, 9, 15, 30)
NAMES = Names(
    workplans={1: (2026, 1)},
    activities={7: "2026-1.1-003"},
    rates={3: ("P4", "VIE")},
    targets={9: (2026, "area", "2")},
    target_modes={9: "usd"},
    offices={"VIE": "Vienna", "SAR": "Sarajevo"},
    categories={"TRAVEL": "Travel"},
)


def entry(action: str, entity: str, entity_id: str, old=None, new=None) -> RawEntry:  # noqa: ANN001
    return RawEntry(AT, "demo.finance", action, entity, entity_id, old, new)


@pytest.mark.parametrize(
    ("entity", "entity_id", "name"),
    [
        ("activity", "1/2026-1.1-003", "Activity 2026-1.1-003 (workplan 2026, version 1)"),
        ("activity_budget", "7/TRAVEL", "Budget of activity 2026-1.1-003: Travel"),
        ("staff_cost_rate", "3", "Cost rate P4 Vienna"),
        ("envelope_year", "2026", "Envelope 2026"),
        ("allocation_target", "9", "Allocation target 2026 area 2"),
        ("app_user", "demo.planner", "User demo.planner"),
        ("workplan", "1", "Workplan 2026, version 1"),
        ("planning_setting", "psc_rate_percent", "Setting: Programme support cost rate (%)"),
        ("vacancy_factor", "2027", "Vacancy factor 2027"),
        ("position_plan", "P_014", "Staffing plan of position P_014"),
        ("office", "SAR", "Office Sarajevo"),
    ],
)
def test_plain_entity_names(entity: str, entity_id: str, name: str) -> None:
    assert entity_name(entity, entity_id, NAMES) == name


def test_a_cost_rate_change_reads_in_usd_with_the_pages_field_name() -> None:
    [row] = readable(
        [entry("staff_cost_rates:update", "staff_cost_rate", "3",
               {"annual_cents": 15_000_000, "updated_by": "system"},
               {"annual_cents": 15_500_050, "updated_by": "demo.finance"})],
        NAMES,
    )  # fmt: skip
    assert row.entity == "Cost rate P4 Vienna" and row.entity_type == "Cost rate"
    assert row.changes == "Annual cost: USD 150,000.00 → USD 155,000.50"
    assert row.what == "Changed (cost rates saved)" and row.when == "2026-03-04 09:15:30"


def test_activity_fields_use_the_grid_labels_and_bookkeeping_is_not_a_change() -> None:
    [row] = readable(
        [entry("workplan_save:update", "activity", "1/2026-1.1-003",
               {"title": "Old", "lead_office": "VIE", "updated_at": "2026-01-01T00:00:00"},
               {"title": "New", "lead_office": "SAR", "updated_at": "2026-03-04T09:15:30"})],
        NAMES,
    )  # fmt: skip
    assert row.changes == "Title: Old → New; Lead office: Vienna → Sarajevo"


def test_a_removed_rate_is_named_from_its_own_snapshot() -> None:
    rows = readable([entry("staff_cost_rates:delete", "staff_cost_rate", "44",
                           {"id": 44, "grade": "G5", "duty_station": "SAR",
                            "annual_cents": 4_000_000}, None)], NAMES)  # fmt: skip
    assert rows[0].entity == "Cost rate G5 Sarajevo"
    assert "Annual cost: USD 40,000.00" in rows[0].changes
    assert rows[0].what == "Removed (cost rates saved)"


def test_targets_read_as_usd_or_percent_and_envelopes_in_usd() -> None:
    rows = readable([
        entry("allocation_targets:update", "allocation_target", "9",
              {"value": "2200000"}, {"value": "2200000.50"}),
        entry("allocation_targets:insert", "allocation_target", "10",
              None, {"id": 10, "year": 2027, "dimension": "office", "key": "SAR",
                     "mode": "percent", "value": "12.5"}),
        entry("envelope:update", "envelope_year", "2026",
              {"amount_cents": 1_100_000_000}, {"amount_cents": 1_100_000_005}),
    ], NAMES)  # fmt: skip
    assert rows[0].changes == "Target: USD 2,200,000.00 → USD 2,200,000.50"
    assert rows[1].entity == "Allocation target 2027 office Sarajevo"
    assert "Target: 12.5%" in rows[1].changes
    assert rows[2].changes == "Envelope: USD 11,000,000.00 → USD 11,000,000.05"


def test_a_usd_target_update_reads_in_usd_when_its_mode_is_known() -> None:
    [row] = readable([entry("allocation_targets:update", "allocation_target", "9",
                            {"mode": "percent", "value": "20"},
                            {"mode": "usd", "value": "2200000"})], NAMES)  # fmt: skip
    assert row.changes == "Given in: percent → usd; Target: 20% → USD 2,200,000.00"


def test_users_never_show_the_password_hash_and_roles_read_as_labels() -> None:
    [row] = readable([entry("user_add:insert", "app_user", "j.doe", None,
                            {"username": "j.doe", "role": "psc_member",
                             "password_hash": "(set)", "active": True})], NAMES)  # fmt: skip
    assert row.entity == "User j.doe"
    assert row.changes == (
        "Username: j.doe; Role: Steering Committee (PSC) member; Password: (set); Active: yes"
    )


def test_action_labels() -> None:
    assert action_label("seed_reference:insert") == "Added (data load)"
    assert action_label("login_refused_locked") == "Login refused: account locked"
    assert action_label("workplan_save:delete") == "Removed (workplan saved)"


@pytest.mark.parametrize("text", ["=1+2", "+SUM(A1)", "-3", "@cmd", "\t=1"])
def test_formula_like_cells_are_defused(text: str) -> None:
    assert safe_cell(text) == "'" + text
    assert safe_cell("Cost rate P4 Vienna") == "Cost rate P4 Vienna"


def test_csv_has_the_view_columns_and_no_live_formula() -> None:
    rows = readable([entry("workplan_save:update", "activity", "1/2026-1.1-003",
                           {"title": "Old"}, {"title": "=HYPERLINK(\"x\")"}),
                     RawEntry(AT, "=cmd|' /C calc'!A0", "login", "app_user", "x", None,
                              {"event": "login"})], NAMES)  # fmt: skip
    parsed = list(csv.reader(io.StringIO(to_csv(rows))))
    assert parsed[0] == ["When (UTC)", "Who", "What", "Entity type", "Entity", "Changes"]
    assert parsed[1][5] == 'Title: Old → =HYPERLINK("x")'  # not at the start: harmless
    assert parsed[2][1] == "'=cmd|' /C calc'!A0"
    assert all(not cell.startswith(("=", "+", "-", "@")) for line in parsed for cell in line)


@pytest.mark.parametrize(
    ("old", "new", "numeric", "same"),
    [
        (None, "", False, True),
        ("", None, False, True),
        (100, 100, False, True),
        (100, 101, False, False),
        ("13", "13.0", True, True),
        ("13", "13.0", False, False),  # a code "1.10" is not "1.1"
        ("gross", "net", True, False),
        (True, 1, False, True),
        (False, None, False, False),
        ("2.5", "2.50", True, True),
    ],
)
def test_same_value(old, new, numeric: bool, same: bool) -> None:  # noqa: ANN001
    assert same_value(old, new, numeric) is same


def test_an_update_of_only_who_and_when_is_not_listed() -> None:
    rows = readable([
        entry("workplan_save:update", "activity", "1/2026-1.1-003",
              {"updated_by": "system"}, {"updated_by": "demo.planner"}),
        entry("workplan_save:update", "activity_budget", "7/TRAVEL",
              {"amount_cents": 100}, {"amount_cents": 250}),
    ], NAMES)  # fmt: skip
    assert [(r.entity, r.changes) for r in rows] == [
        ("Budget of activity 2026-1.1-003: Travel", "Amount: USD 1.00 → USD 2.50")
    ]


def test_the_version_in_use_names_the_workplan() -> None:
    [row] = readable([entry("workplan_in_use:update", "workplan_in_use", "2026",
                            {"workplan_id": 1}, {"workplan_id": 2})],
                     Names(workplans={1: (2026, 1), 2: (2026, 2)}))  # fmt: skip
    assert row.entity == "Workplan in use for 2026" and row.entity_type == "Workplan"
    assert row.changes == (
        "Version in use: workplan 2026, version 1 → workplan 2026, version 2"
    )


def test_tranches_read_in_the_contributions_currency_never_as_usd() -> None:
    rows = readable([
        entry("seed_demo_pipeline:insert", "contribution", "5", None,
              {"id": 5, "donor_code": "EU", "reference": "IPA 2024", "currency": "EUR",
               "status": "hard"}),
        entry("pipeline_save:update", "contribution_tranche", "5/2026",
              {"amount_cents": 100_000_000}, {"amount_cents": 125_000_050}),
        entry("exchange_rate:insert", "exchange_rate", "EUR/2026-01-01", None,
              {"currency": "EUR", "as_of": "2026-01-01", "usd_per_unit": "1.08"}),
    ])  # fmt: skip
    assert rows[0].entity == "Contribution EU IPA 2024" and rows[0].entity_type == "Contribution"
    assert rows[1].entity == "Tranche 2026 of contribution EU IPA 2024"
    assert rows[1].changes == "Amount: EUR 1,000,000.00 → EUR 1,250,000.50"
    assert "USD 1" not in rows[1].changes
    assert rows[2].entity == "Exchange rate EUR as of 2026-01-01"
    assert rows[2].changes == "Currency: EUR; As of: 2026-01-01; USD per unit: 1.08"


def test_a_reopening_reads_with_its_reason() -> None:
    [row] = readable(
        [entry("staff_period_reopen:update", "closed_period", "1",
               {"closed_through": "2025-06", "reason": "", "updated_by": "demo.finance"},
               {"closed_through": "2025-02", "reason": "HR record corrected",
                "updated_by": "demo.finance"})],
        NAMES,
    )  # fmt: skip
    assert (row.entity, row.entity_type) == ("Closed months of the staff costs", "Closed months")
    assert row.what == "Changed (closed months reopened)"
    assert row.changes == ("Closed through: 2025-06 → 2025-02; Reason for reopening: – → "
                           "HR record corrected")  # fmt: skip
