"""A scenario that changes nothing is the baseline and may only be named so; the comparison's
"Δ against the baseline" table is each scenario's row minus the baseline's."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from bench.scenario import demo_inputs
from rpsee.domain.scenario import Scenario, changes_nothing, no_change_name_problem
from rpsee.domain.scenario_tables import delta_table
from rpsee.domain.tables import Column, Kind, Row, Table


@pytest.fixture(scope="module")
def base():  # noqa: ANN201
    inputs = demo_inputs(1)
    return replace(inputs, costing=inputs.staff_costing())


def test_no_assumption_or_only_idle_ones_change_nothing(base) -> None:  # noqa: ANN001
    donor = base.contributions[0].donor
    assert changes_nothing(base, Scenario("EU out"))
    assert changes_nothing(base, Scenario("Later", delays={donor: 0}))  # a delay of 0 years
    assert not changes_nothing(base, Scenario("Out", dropped_donors=(donor,)))
    assert not changes_nothing(base, Scenario("Cut", requirement_cut_percent=Decimal(5)))
    assert not changes_nothing(base, Scenario("Tied", donor_correlation=Decimal(1)))


def test_a_name_claiming_a_change_is_refused_naming_the_field(base) -> None:  # noqa: ANN001
    problem = no_change_name_problem(base, Scenario("EU drops out"))
    assert problem.startswith("Name: 'EU drops out' names a change")
    assert "change nothing against the baseline" in problem
    assert no_change_name_problem(base, Scenario("Baseline, November pipeline")) is None
    assert no_change_name_problem(base, Scenario("my BASELINE copy")) is None
    cut = Scenario("EU drops out", dropped_donors=(base.contributions[0].donor,))
    assert no_change_name_problem(base, cut) is None


def test_delta_table_subtracts_the_baseline_row() -> None:
    side = Table("Side by side", (Column("Scenario", Kind.TEXT), Column("Requirement"),
                                  Column("Gap"), Column("Cover %", Kind.PERCENT)),
                 (Row(("Half cut", Decimal("50.00"), Decimal("-10.00"), Decimal("120.0"))),
                  Row(("Tied", Decimal("100.00"), Decimal("40.00"), None))),
                 total=False)  # fmt: skip
    baseline = Row(("Baseline", Decimal("100.00"), Decimal("40.00"), Decimal("60.0")))
    delta = delta_table("Δ against the baseline", side, baseline)
    assert [c.name for c in delta.columns] == ["Scenario", "Δ Requirement", "Δ Gap",
                                               "Δ Cover % (pp)"]  # fmt: skip
    assert [r.cells for r in delta.rows] == [
        ("Half cut", Decimal("-50.00"), Decimal("-50.00"), Decimal("60.0")),
        ("Tied", Decimal("0.00"), Decimal("0.00"), None)]
    assert not delta.total
