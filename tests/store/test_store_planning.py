"""Envelope, targets, cost rates and position plans on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from rpsee.domain.roles import CurrentUser, PermissionDenied, Role
from rpsee.services import planning, staffing, workplans
from rpsee.services.demo import seed_demo_workplans
from rpsee.services.planning_seed import seed_demo_targets, seed_planning
from rpsee.store.uow import UnitOfWork

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)
FINANCE = CurrentUser("demo.finance", "F", Role.FINANCE)
PSC = CurrentUser("demo.psc", "S", Role.PSC_MEMBER)


@pytest.fixture
def ref(db: str):  # noqa: ANN201
    seed_planning(db)
    with UnitOfWork(url=db) as uow:
        return uow.reference.load()


def test_planning_defaults_from_data(db: str, ref) -> None:  # noqa: ANN001
    assert seed_planning(db) is False  # idempotent: never overwrites
    s = planning.settings(PSC, url=db)
    # both half years of the July 2024 - June 2029 cycle: USD 55M in all
    assert s.envelopes[2024] == s.envelopes[2029] == Decimal("5500000.00")
    assert sum(s.envelopes.values()) == Decimal("55000000.00")
    assert (s.basis, s.rate_percent) == ("gross", Decimal("13"))
    data = staffing.load(PSC, url=db)
    assert len(data.plans) == 20
    assert all(sum(p.split.values()) == 100 for p in data.plans)
    new = [p for p in data.plans if p.is_new]
    assert len(new) == 7 and all(p.start > "2024-07" for p in new)
    assert data.rates.escalation_percent == Decimal("2")
    costing = staffing.costing(data.plans, data.rates, ref)
    assert not costing.missing_rates
    total = costing.gross_between("2024-07", "2029-06")
    assert Decimal("9000000") < total < Decimal("13000000")  # same order as the document's


def test_finance_edits_rates_others_cannot(db: str, ref) -> None:  # noqa: ANN001
    data = staffing.load(FINANCE, url=db)
    lines = [(r.grade, r.duty_station, r.annual) for r in data.rate_lines]
    before = staffing.costing(data.plans, data.rates, ref).net_total(2026)
    bumped = [(g, s, a + 12000 if (g, s) == ("P4", "IST") else a) for g, s, a in lines]
    staffing.save_rates(FINANCE, bumped, "2", {2026: "5"}, ref, url=db)
    after_data = staffing.load(FINANCE, url=db)
    after = staffing.costing(after_data.plans, after_data.rates, ref).net_total(2026)
    # two P4s in Istanbul: +12,000 x 1.02^2 each, less 5% vacancy
    assert after - before == (Decimal(2 * 12000) * Decimal("1.0404") * Decimal("0.95")).quantize(
        Decimal("0.01")
    )
    line = next(r for r in after_data.rate_lines if (r.grade, r.duty_station) == ("P4", "IST"))
    assert line.updated_by == "demo.finance"
    with pytest.raises(PermissionDenied):
        staffing.save_rates(PLANNER, bumped, "2", {}, ref, url=db)
    with pytest.raises(PermissionDenied):
        staffing.save_rates(PSC, bumped, "2", {}, ref, url=db)


def test_bad_rates_are_refused_whole(db: str, ref) -> None:  # noqa: ANN001
    data = staffing.load(FINANCE, url=db)
    lines = [(r.grade, r.duty_station, r.annual) for r in data.rate_lines]
    bad = [*lines, ("P5", "PAR", "-3"), ("", "IST", "abc")]
    with pytest.raises(staffing.StaffingError) as info:
        staffing.save_rates(FINANCE, bad, "2", {2027: "120"}, ref, url=db)
    text = " | ".join(info.value.problems)
    assert "unknown office 'PAR'" in text
    assert "(P5 at PAR), Annual cost: '-3' is negative: this amount must be zero or more" in text
    assert "Grade: is missing" in text and "Annual cost: 'abc' is not a number" in text
    assert "Vacancy 2027: '120' is out of range: type a percentage from 0 to 100" in text
    assert len(staffing.load(FINANCE, url=db).rate_lines) == len(lines)


def test_planner_edits_plans_with_checks_and_versions(db: str, ref) -> None:  # noqa: ANN001
    plans = staffing.load(PLANNER, url=db).plans
    p014 = next(p for p in plans if p.position_id == "P_014")
    deferred = replace(p014, start="2026-07")
    assert staffing.save_plans(PLANNER, [deferred], ref, url=db) == 1
    with pytest.raises(staffing.StaffingError, match="changed by demo.planner"):
        staffing.save_plans(PLANNER, [replace(p014, start="2027-01")], ref, url=db)  # stale
    fresh = next(p for p in staffing.load(PLANNER, url=db).plans if p.position_id == "P_014")
    bad = replace(fresh, split={"5": Decimal(80)}, duty_station="VIE")
    sc = next(p for p in plans if p.position_id == "SC_001")
    with pytest.raises(staffing.StaffingError) as info:
        staffing.save_plans(PLANNER, [bad, replace(sc, duty_station="VIE")], ref, url=db)
    text = " | ".join(info.value.problems)
    assert "P_014, Time split: adds up to 80%" in text
    assert "SC_001, Duty station: a service contract cannot be placed at a headquarters" in text
    with pytest.raises(PermissionDenied):
        staffing.save_plans(FINANCE, [fresh], ref, url=db)
    with UnitOfWork(url=db) as uow:
        entry = uow.audit.recent(limit=1, entity="position_plan")[0]
    assert entry.old_values == {
        "start": "2026-01",
        "updated_at": entry.old_values["updated_at"],
        "updated_by": "system",
    }
    assert entry.new_values["start"] == "2026-07"


def test_envelope_and_targets(db: str, ref) -> None:  # noqa: ANN001
    planning.save_envelope(PLANNER, {2024: "6000000", 2025: 11000000.5}, "net", "7", ref, url=db)
    s = planning.settings(PLANNER, url=db)
    assert s.envelopes[2024] == Decimal("6000000.00") and s.envelopes[2025] == Decimal(
        "11000000.50"
    )
    assert (s.basis, s.rate_percent) == ("net", Decimal("7"))
    with pytest.raises(planning.PlanningError) as info:
        planning.save_envelope(PLANNER, {2026: "-1", 2031: "5"}, "gross", "13", ref, url=db)
    assert info.value.problems == [
        "Envelope 2026: '-1' is negative: this amount must be zero or more (type 1 if you mean "
        "a positive one)",
        "Envelope 2031: outside the programme cycle",
    ]
    assert planning.settings(PLANNER, url=db).basis == "net"  # nothing of it was saved
    planning.save_targets(
        PLANNER,
        2026,
        "area",
        [("1", "percent", 15), ("2", "usd", "4000000"), ("3", "percent", None)],
        ref,
        url=db,
    )
    targets = planning.settings(PLANNER, url=db).targets
    assert [(t.key, t.mode, t.value) for t in targets] == [
        ("1", "percent", Decimal("15")),
        ("2", "usd", Decimal("4000000")),
    ]
    with pytest.raises(planning.PlanningError) as info:
        planning.save_targets(PLANNER, 2026, "office", [("IST", "usd", "-5"), ("PAR", "usd", "1")],
                              ref, url=db)  # fmt: skip
    assert info.value.problems == [
        "2026 · Office IST: '-5' is negative: this amount must be zero or more (type 5 if you "
        "mean a positive one)",
        "2026 · Office PAR: unknown office",
    ]
    with pytest.raises(PermissionDenied):
        planning.save_targets(PSC, 2026, "area", [], ref, url=db)


def test_year_comparison_adds_up_both_ways(db: str, ref) -> None:  # noqa: ANN001
    seed_demo_workplans(db)
    seed_demo_targets(db)
    s = planning.settings(PLANNER, url=db)
    data = staffing.load(PLANNER, url=db)
    costing = staffing.costing(data.plans, data.rates, ref)
    lines = workplans.lines_in_use(PLANNER, url=db)
    c = planning.compare_year(2027, s, lines[2027], costing, ref)
    for rows, total in ((c.areas, c.area_total), (c.offices, c.office_total)):
        assert sum(r.planned for r in rows) == total.planned
        assert sum(r.support_costs for r in rows) == total.support_costs
    assert c.area_total.planned == c.office_total.planned
    assert c.area_total.staff == costing.net_total(2027)
    assert sum(c.heat.values()) == c.area_total.activities + c.area_total.staff
    cells = {w.cell for w in c.warnings}
    assert "2027 · Thematic area shares" in cells  # the demo's 98%
