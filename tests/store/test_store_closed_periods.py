"""Closed periods on SQLite and PostgreSQL: finance closes and reopens (audited, with a reason);
a plan or rate change that would rewrite a closed month is refused whole, naming the position."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rpsee.domain.roles import CurrentUser, PermissionDenied, Role
from rpsee.services import staffing
from rpsee.services.planning_seed import seed_planning
from rpsee.store.uow import UnitOfWork

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)
FINANCE = CurrentUser("demo.finance", "F", Role.FINANCE)
PSC = CurrentUser("demo.psc", "S", Role.PSC_MEMBER)
ADMIN = CurrentUser("demo.admin", "A", Role.ADMIN)


@pytest.fixture
def ref(db: str):  # noqa: ANN201
    seed_planning(db)
    with UnitOfWork(url=db) as uow:
        return uow.reference.load()


def _plan(url: str, pid: str):  # noqa: ANN202
    return next(p for p in staffing.load(PLANNER, url=url).plans if p.position_id == pid)


def _rate_lines(url: str) -> list[tuple[str, str, object]]:
    return [(r.grade, r.duty_station, r.annual) for r in staffing.load(FINANCE, url=url).rate_lines]


def test_nothing_is_closed_at_first_and_only_finance_closes_or_reopens(db: str, ref) -> None:  # noqa: ANN001
    assert staffing.load(PSC, url=db).closed_through is None
    for who in (PLANNER, PSC, ADMIN, None):
        with pytest.raises(PermissionDenied):
            staffing.close_period(who, "2025-06", ref, url=db)
    assert staffing.close_period(FINANCE, "2025-06", ref, url=db) is True
    assert staffing.close_period(FINANCE, "2025-06", ref, url=db) is False  # already
    data = staffing.load(PLANNER, url=db)
    assert data.closed_through == "2025-06"
    assert data.closed_changed.startswith("by demo.finance at ")
    for who in (PLANNER, PSC, ADMIN, None):
        with pytest.raises(PermissionDenied):
            staffing.reopen_period(who, None, "A correction", ref, url=db)
    assert staffing.load(PLANNER, url=db).closed_through == "2025-06"


def test_bad_closing_months_are_refused_naming_the_field(db: str, ref) -> None:  # noqa: ANN001
    for bad, said in (("2025-13", "is not a month"), ("June", "is not a month"),
                      ("2024-06", "outside the costing period"),
                      ("2099-01", "outside the costing period")):  # fmt: skip
        with pytest.raises(staffing.StaffingError, match=f"Closed through: .*{said}"):
            staffing.close_period(FINANCE, bad, ref, url=db)
    staffing.close_period(FINANCE, "2025-06", ref, url=db)
    with pytest.raises(staffing.StaffingError, match="would reopen months"):
        staffing.close_period(FINANCE, "2025-03", ref, url=db)  # closing never reopens
    assert staffing.load(FINANCE, url=db).closed_through == "2025-06"


def test_a_plan_change_rewriting_a_closed_month_is_refused_and_nothing_saved(db: str,
                                                                           ref) -> None:  # noqa: ANN001
    staffing.close_period(FINANCE, "2025-06", ref, url=db)
    p001, sc001 = _plan(db, "P_001"), _plan(db, "SC_001")
    # P_001 funded from July 2024: a start in March 2025 empties closed months from July 2024;
    # SC_001's change (a later end, open months only) would pass alone, but the save is whole
    with pytest.raises(staffing.StaffingError) as info:
        staffing.save_plans(PLANNER, [replace(sc001, end="2028-12"),
                                      replace(p001, start="2025-03")], ref, url=db)  # fmt: skip
    text = str(info.value)
    assert "P_001" in text and "from July 2024" in text and "SC_001" not in text
    assert "actuals through June 2025" in text and "Finance must reopen" in text
    assert _plan(db, "P_001") == p001 and _plan(db, "SC_001") == sc001  # nothing saved
    # a split change rewrites 2024, wholly closed
    with pytest.raises(staffing.StaffingError, match="split over thematic areas"):
        staffing.save_plans(PLANNER, [replace(sc001, split={"3": 50, "1": 50})], ref, url=db)
    # the change of open months alone is saved
    assert staffing.save_plans(PLANNER, [replace(sc001, end="2028-12")], ref, url=db) == 1


def test_a_rate_change_rewriting_a_closed_month_is_refused_and_nothing_saved(db: str,
                                                                           ref) -> None:  # noqa: ANN001
    staffing.close_period(FINANCE, "2025-06", ref, url=db)
    lines = _rate_lines(db)
    data = staffing.load(FINANCE, url=db)
    bumped = [(g, s, "250000" if (g, s) == ("P4", "IST") else a) for g, s, a in lines]
    with pytest.raises(staffing.StaffingError) as info:
        staffing.save_rates(FINANCE, bumped, data.rates.escalation_percent, {}, ref, url=db)
    assert "P_001" in str(info.value) and "July 2024" in str(info.value)
    effect = staffing.preview_rates(FINANCE, data, bumped, data.rates.escalation_percent, {}, ref)
    assert "P_001" in effect.closed_refusal and "Finance must reopen" in effect.closed_refusal
    # escalation reaches January 2025 (closed), the 2024 vacancy factor wholly closed 2024
    with pytest.raises(staffing.StaffingError, match="from January 2025"):
        staffing.save_rates(FINANCE, lines, "3", {}, ref, url=db)
    with pytest.raises(staffing.StaffingError, match="vacancy deduction"):
        staffing.save_rates(FINANCE, lines, data.rates.escalation_percent, {2024: "12"}, ref,
                            url=db)  # fmt: skip
    after = staffing.load(FINANCE, url=db)
    assert (after.rates, after.rate_lines) == (data.rates, data.rate_lines)  # nothing saved
    # a factor of an open year is saved
    staffing.save_rates(FINANCE, lines, data.rates.escalation_percent, {2027: "6"}, ref, url=db)
    assert str(staffing.load(FINANCE, url=db).rates.vacancy_percent[2027]) == "6"


def test_reopening_takes_a_reason_is_audited_and_lets_the_change_through(db: str, ref) -> None:  # noqa: ANN001
    staffing.close_period(FINANCE, "2025-06", ref, url=db)
    p001 = _plan(db, "P_001")
    with pytest.raises(staffing.StaffingError, match="Reason: say why"):
        staffing.reopen_period(FINANCE, None, "  ", ref, url=db)
    with pytest.raises(staffing.StaffingError, match="reopens nothing"):
        staffing.reopen_period(FINANCE, "2025-06", "Correction", ref, url=db)
    staffing.reopen_period(FINANCE, "2025-02", "P_001 started late: HR record", ref, url=db)
    data = staffing.load(PLANNER, url=db)
    assert (data.closed_through, data.reopen_reason) == ("2025-02", "P_001 started late: HR record")
    with pytest.raises(staffing.StaffingError, match="P_001 .*from July 2024"):
        staffing.save_plans(PLANNER, [replace(p001, start="2025-03")], ref, url=db)
    staffing.reopen_period(FINANCE, "", "Restatement of 2024", ref, url=db)
    assert staffing.load(PLANNER, url=db).closed_through is None
    assert staffing.save_plans(PLANNER, [replace(p001, start="2025-03")], ref, url=db) == 1
    with pytest.raises(staffing.StaffingError, match="nothing to reopen"):
        staffing.reopen_period(FINANCE, None, "Again", ref, url=db)
    with UnitOfWork(url=db) as uow:
        trail = uow.audit.recent(entity="closed_period")
    assert [(e.actor, e.action, (e.new_values or {}).get("reason")) for e in trail[:3]] == [
        ("demo.finance", "staff_period_reopen:update", "Restatement of 2024"),
        ("demo.finance", "staff_period_reopen:update", "P_001 started late: HR record"),
        ("demo.finance", "staff_period_close:insert", ""),
    ]


def test_a_close_waits_for_a_plan_save_that_checked_before_it(db: str, ref, monkeypatch) -> None:  # noqa: ANN001
    """The planner's save has checked that nothing is closed and not yet committed when finance
    closes the months it changes: the close waits for the save (no closed month is rewritten
    after it was closed), then closes; the saved plan and the closed month are both there."""
    import threading
    import time

    checked, done = threading.Event(), {}
    real = staffing.closed_refusal

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        result = real(*args, **kwargs)
        checked.set()
        time.sleep(0.6)  # the close is tried meanwhile
        return result

    monkeypatch.setattr(staffing, "closed_refusal", slow)
    p001 = _plan(db, "P_001")

    def save() -> None:
        staffing.save_plans(PLANNER, [replace(p001, start="2025-03")], ref, url=db)
        done["save"] = time.monotonic()

    def close() -> None:
        assert checked.wait(10)
        staffing.close_period(FINANCE, "2025-06", ref, url=db)
        done["close"] = time.monotonic()

    threads = [threading.Thread(target=save), threading.Thread(target=close)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert set(done) == {"save", "close"}, done
    assert done["close"] >= done["save"]  # the close waited for the save's lock
    assert _plan(db, "P_001").start == "2025-03"
    assert staffing.load(FINANCE, url=db).closed_through == "2025-06"
