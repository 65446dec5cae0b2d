"""Indicator progress on SQLite and PostgreSQL: planners enter values per period with their
source, corrections keep the history, entries that would count twice are refused (also when two
processes enter the same period at once), ratings refuse a stale change; submitting a workplan
freezes the progress report of the year it reviews, which later entries never change and which
observers read once it was given to the Committee."""

from __future__ import annotations

import multiprocessing as mp
from datetime import date
from decimal import Decimal

import pytest

from rpsee.domain.review.progress import Status
from rpsee.domain.review.report import Rating, report_diff
from rpsee.domain.roles import CurrentUser, PermissionDenied, Role
from rpsee.services import progress, workplans
from rpsee.services.demo import seed_demo_workplans
from rpsee.services.progress import ActualForm, Evidence, ProgressRefused
from rpsee.store.scenarios import FrozenRecordError
from rpsee.store.uow import UnitOfWork
from rpsee.store.workplans import RACE_WINDOW_ENV
from tests.committee import submit_read

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)
FINANCE = CurrentUser("demo.finance", "F", Role.FINANCE)
PSC = CurrentUser("demo.psc", "S", Role.PSC_MEMBER)
OBSERVER = CurrentUser("demo.observer", "O", Role.OBSERVER, donor="EU")
TODAY = date(2026, 12, 6)
H2_2024 = (date(2024, 7, 1), date(2024, 12, 31))
Y2025 = (date(2025, 1, 1), date(2025, 12, 31))


def _form(value: object, sex: str | None = "female", period: tuple = H2_2024,
          where: str | None = "ALB", code: str = "1.1.a", **kw) -> ActualForm:  # fmt: skip
    return ActualForm(code, period[0], period[1], where, sex, value,
                      kw.pop("source", "Training report, Tirana"), **kw)  # fmt: skip


def _status(url: str, code: str, as_of: date) -> tuple[Decimal | None, Status]:
    found = next(p for p in progress.progress(PLANNER, as_of, url=url) if p.spec.code == code)
    return found.actual, found.status


def test_values_add_up_by_period_and_sex_with_their_source(db: str) -> None:
    progress.enter_actual(PLANNER, _form("60"), TODAY, url=db)
    progress.enter_actual(PLANNER, _form("40", sex="male"), TODAY, url=db)
    saved = progress.enter_actual(PLANNER, _form("25", period=Y2025,
                                                 evidence=Evidence("list.pdf", b"%PDF-1.4 x")),
                                  TODAY, url=db)  # fmt: skip
    actual, status = _status(db, "1.1.a", date(2026, 1, 1))
    # 1.1.a adds up from zero: 60 + 40 + 25 = 125 facilitators trained by 31 Dec 2025. Expected
    # on 1 Jan 2026: 250 x 549 / 913 days (1 Jul 2024 -> 1 Jan 2026 of 1 Jul 2024 -> 31 Dec
    # 2026) = 150.33; 125 / 150.33 = 83.15%: at risk (60% to under 85%).
    assert actual == Decimal("125")
    assert status is Status.AT_RISK
    assert progress.evidence(FINANCE, saved.id, url=db).data == b"%PDF-1.4 x"
    assert [a.source for a in progress.actuals(PSC, "1.1.a", url=db)] == [
        "Training report, Tirana"] * 3


@pytest.mark.parametrize(("form", "field"), [
    (_form("1.000"), "Value"),
    (_form("-5"), "Value"),
    (_form("12", sex=None), "Sex"),
    (_form("12", where="XXX"), "Jurisdiction"),
    (_form("12", period=(date(2026, 7, 1), date(2026, 12, 31))), "Period to"),
    (_form("12", source="  "), "Source"),
])  # fmt: skip
def test_bad_values_are_refused_naming_the_field(db: str, form: ActualForm, field: str) -> None:
    with pytest.raises(ProgressRefused, match=f"Indicator 1.1.a, {field}"):
        progress.enter_actual(PLANNER, form, TODAY, url=db)
    assert progress.actuals(PLANNER, url=db) == []


def test_an_entry_that_would_count_twice_is_refused(db: str) -> None:
    # 1.2.a is reported yearly: an overlapping period would count twice
    progress.enter_actual(PLANNER, _form("2", sex=None, code="1.2.a", period=Y2025), TODAY,
                          url=db)  # fmt: skip
    with pytest.raises(ProgressRefused, match="overlaps the entry for 2025-01-01 to 2025-12-31"):
        progress.enter_actual(PLANNER, _form("1", sex=None, code="1.2.a", period=(
            date(2025, 7, 1), date(2026, 6, 30))), TODAY, url=db)  # fmt: skip
    # 1.1.a is reported after each training: events may share dates, not the same entry twice
    progress.enter_actual(PLANNER, _form("60"), TODAY, url=db)
    progress.enter_actual(PLANNER, _form("7", period=(date(2024, 10, 1), date(2024, 10, 3))),
                          TODAY, url=db)  # fmt: skip
    with pytest.raises(ProgressRefused, match="count twice"):
        progress.enter_actual(PLANNER, _form("60"), TODAY, url=db)
    assert len(progress.actuals(PLANNER, url=db)) == 3


def test_only_planners_enter_and_observers_read_no_live_figures(db: str) -> None:
    for who in (PSC, FINANCE, OBSERVER, None):
        with pytest.raises(PermissionDenied):
            progress.enter_actual(who, _form("60"), TODAY, url=db)
    with pytest.raises(PermissionDenied):
        progress.progress(OBSERVER, TODAY, url=db)
    with pytest.raises(PermissionDenied):
        progress.actuals(OBSERVER, url=db)


def test_a_correction_keeps_the_history_and_counts_once(db: str) -> None:
    first = progress.enter_actual(PLANNER, _form("60"), TODAY, url=db)
    fixed = progress.correct_actual(PLANNER, first.id, _form("66", source="Corrected list"),
                                    TODAY, url=db)  # fmt: skip
    assert fixed.replaces == first.id
    history = progress.actuals(PLANNER, "1.1.a", url=db)
    assert [(a.value, a.replaces) for a in history] == [(Decimal("60"), None),
                                                        (Decimal("66"), first.id)]
    assert _status(db, "1.1.a", date(2025, 1, 1))[0] == Decimal("66")
    with pytest.raises(ProgressRefused, match="already corrected by demo.planner"):
        progress.correct_actual(PLANNER, first.id, _form("70"), TODAY, url=db)


def _enter(url: str, value: str, start, out) -> None:  # noqa: ANN001
    start.wait(timeout=60)
    try:
        progress.enter_actual(PLANNER, _form(value), TODAY, url=url)
        out.put("ok")
    except ProgressRefused as exc:
        out.put(f"refused: {exc}")
    except Exception as exc:  # noqa: BLE001  (reported to the test)
        out.put(f"escaped {type(exc).__name__}: {exc}")


def test_two_entries_of_one_period_at_once_leave_one(db: str, monkeypatch) -> None:  # noqa: ANN001
    ctx = mp.get_context("spawn")
    start, out = ctx.Barrier(2), ctx.Queue()
    monkeypatch.setenv(RACE_WINDOW_ENV, "300")
    procs = [ctx.Process(target=_enter, args=(db, v, start, out)) for v in ("60", "61")]
    for p in procs:
        p.start()
    results = sorted(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=30)
    assert results[0] == "ok" and results[1].startswith("refused: ") and "twice" in results[1]
    assert len(progress.actuals(PLANNER, url=db)) == 1


def test_a_rating_changed_meanwhile_is_refused(db: str) -> None:
    progress.rate_output(PLANNER, 2025, Rating("1.1", "On track", "Trainings held."), None,
                         url=db)  # fmt: skip
    [(rating, version)] = progress.ratings(PSC, 2025, url=db)
    assert rating == Rating("1.1", "On track", "Trainings held.")
    progress.rate_output(PLANNER, 2025, Rating("1.1", "Off track", "Late."), version, url=db)
    with pytest.raises(ProgressRefused, match="changed"):
        progress.rate_output(PLANNER, 2025, Rating("1.1", "On track", "Mine."), version, url=db)
    with pytest.raises(ProgressRefused, match="Rating: choose one of"):
        progress.rate_output(PLANNER, 2025, Rating("1.2", "Great", ""), None, url=db)
    with pytest.raises(ProgressRefused, match="Narrative: 1,501 characters"):
        progress.rate_output(PLANNER, 2025, Rating("1.2", "On track", "x" * 1501), None, url=db)


def _rate(url: str, narrative: str, start, out) -> None:  # noqa: ANN001
    start.wait(timeout=60)
    try:
        progress.rate_output(PLANNER, 2025, Rating("1.1", "On track", narrative), None, url=url)
        out.put("ok")
    except ProgressRefused as exc:
        out.put(f"refused: {exc}")
    except Exception as exc:  # noqa: BLE001  (reported to the test)
        out.put(f"escaped {type(exc).__name__}: {exc}")


def test_two_first_ratings_of_one_output_at_once_leave_one(db: str, monkeypatch) -> None:  # noqa: ANN001
    ctx = mp.get_context("spawn")
    start, out = ctx.Barrier(2), ctx.Queue()
    monkeypatch.setenv(RACE_WINDOW_ENV, "300")  # both find no rating before either writes
    procs = [ctx.Process(target=_rate, args=(db, n, start, out)) for n in ("Mine.", "Theirs.")]
    for p in procs:
        p.start()
    results = sorted(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=30)
    assert results[0] == "ok", results
    assert results[1] == ("refused: Output 1.1: rated for 2025 by a colleague a moment ago; "
                          "nothing was saved: reload to see their rating, then change it if "
                          "need be")  # fmt: skip
    [(rating, _version)] = progress.ratings(PLANNER, 2025, url=db)
    assert rating.narrative in ("Mine.", "Theirs.")


def test_submitting_freezes_the_report_the_committee_reads(db: str) -> None:
    seed_demo_workplans(db)
    plan = next(p for p in workplans.list_workplans(PLANNER, url=db) if p.year == 2026)
    progress.enter_actual(PLANNER, _form("60"), TODAY, url=db)
    progress.rate_output(PLANNER, 2025, Rating("1.1", "On track", "Trainings held."), None,
                         url=db)  # fmt: skip
    assert progress.reports(OBSERVER, url=db) == []
    submit_read(PLANNER, plan.id, url=db)
    frozen = progress.report_of(OBSERVER, plan.id, url=db)
    assert frozen is not None and (frozen.year, frozen.number) == (2025, 1)
    row = next(r for r in frozen.report.rows if r.indicator_code == "1.1.a")
    assert row.actual == "60"
    progress.enter_actual(PLANNER, _form("40", sex="male"), TODAY, url=db)  # after submission
    again = progress.report_of(PSC, plan.id, url=db)
    assert again.report == frozen.report and again.content_hash == frozen.content_hash
    live = progress.live_report(PLANNER, 2025, frozen.as_of, url=db)
    diff = report_diff(frozen.report, live)
    assert ("1.1.a", "Actual", "60", "100") in [r.cells for r in diff.rows]
    with UnitOfWork(actor="x", action="tamper", url=db) as uow, pytest.raises(FrozenRecordError):
        uow.review.report(frozen.id).body = "{}"
        uow.session.flush()


def test_an_evidence_file_name_too_long_is_refused_not_cut(db: str) -> None:
    form = _form("60", evidence=Evidence("e" * 197 + ".pdf", b"%PDF-1.4 x"))
    with pytest.raises(ProgressRefused, match="Evidence file: its name has 201 characters"):
        progress.enter_actual(PLANNER, form, TODAY, url=db)
    assert progress.actuals(PLANNER, url=db) == []
