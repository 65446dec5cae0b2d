"""The approval pack's domain parts: the annex adds up to the workplan's total
(hand-computed), a frozen record's stored funding reads back as computed, and who may
download which edition of a version's pack."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from rpsee.domain.roles import (
    FULL_EDITION,
    OBSERVER_EDITION,
    CurrentUser,
    PermissionDenied,
    Role,
    pack_edition,
    require_pack,
)
from rpsee.domain.workplan import Activity
from rpsee.domain.workplan_tables import activity_list
from rpsee.store.data_files import load_reference


@pytest.fixture(scope="module")
def ref():  # noqa: ANN201
    return load_reference()


def _line(code: str, output: str, office: str, budget: dict[str, str], status: str = "planned",
          places: tuple[str, ...] = ("ALB",)) -> Activity:  # fmt: skip
    return Activity(code, f"Line {code}", output, places, office, "P_001", 3, 5,
                    {k: D(v) for k, v in budget.items()}, status=status)  # fmt: skip


LINES = [
    _line("a", "1.1", "IST", {"TRAVEL": "100.10", "STAFF": "0.20"}),
    _line("b", "1.2", "SAR", {"TRAVEL": "0.30"}),
    _line("c", "2.1", "IST", {"GOC": "1000.00"}, places=("XKX", "SRB")),
    _line("d", "2.1", "IST", {"GOC": "999.99"}, status="cancelled"),
]


def _cell(table, label: str, column: str):  # noqa: ANN001, ANN202
    i = [c.name for c in table.columns].index(column)
    return next(r.cells[i] for r in table.body() if r.label == label)


def test_the_annex_lists_every_line_and_totals_the_counting_ones(ref) -> None:  # noqa: ANN001
    t = activity_list(LINES, ref)
    assert [r.cells[0] for r in t.rows] == ["a", "b", "c", "d"]
    assert _cell(t, "d", "USD") is None  # cancelled: listed, counted nowhere
    assert _cell(t, "c", "Jurisdictions") == "Kosovo*, Serbia"
    assert _cell(t, "Total", "USD") == D("1100.60")
    assert any("resolution 1244" in f for f in t.footnotes)
    assert not activity_list(LINES[:2], ref).footnotes  # no Kosovo, no footnote


def test_a_frozen_records_funding_reads_back_as_computed() -> None:
    from bench.scenario import demo_inputs
    from rpsee.domain.scenario import Scenario
    from rpsee.domain.scenario_figures import evaluate
    from rpsee.domain.scenario_record import freeze, funding_of

    fig = evaluate(demo_inputs(1))
    record = freeze(Scenario("Pack"), fig, None, datetime(2026, 11, 29, tzinfo=UTC), "x")
    assert funding_of(record.body) == fig.funding
    year = next(iter(fig.funding["hard"]))
    assert funding_of(record.body)["hard"][year].requirement_at_default_cents == (
        fig.funding["hard"][year].requirement_at_default_cents)


def _user(role: Role) -> CurrentUser:
    return CurrentUser("u", "U", role, "AUT" if role is Role.OBSERVER else None)


@pytest.mark.parametrize("status", ["submitted", "approved", "returned", "superseded"])
def test_a_submitted_versions_pack_for_every_reader(status: str) -> None:
    for role in (Role.PLANNER, Role.FINANCE, Role.PSC_MEMBER, Role.ADMIN):
        assert pack_edition(_user(role), status) == FULL_EDITION, role
    assert pack_edition(_user(Role.OBSERVER), status) == OBSERVER_EDITION
    assert pack_edition(None, status) is None


def test_a_drafts_pack_for_planners_and_finance_only() -> None:
    assert pack_edition(_user(Role.PLANNER), "draft") == FULL_EDITION
    assert pack_edition(_user(Role.FINANCE), "draft") == FULL_EDITION
    for role in (Role.PSC_MEMBER, Role.OBSERVER, Role.ADMIN):
        assert pack_edition(_user(role), "draft") is None, role
        with pytest.raises(PermissionDenied, match="approval pack of a draft"):
            require_pack(_user(role), "draft")
    with pytest.raises(PermissionDenied, match="logged in"):
        require_pack(None, "approved")
