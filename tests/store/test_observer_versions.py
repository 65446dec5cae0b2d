"""Donor observers read only the versions the Steering Committee has been given, and members'
positions and comments only once the Committee has decided (rpsee/domain/visibility.py), through
every service that reads a version, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from rpsee.domain.roles import CurrentUser, PermissionDenied, Role
from rpsee.services import export_inputs, pack, positions, workflow, workplans
from rpsee.services.demo import seed_demo_workplans
from rpsee.store.uow import UnitOfWork
from tests.committee import decide_read, submit_read

PLANNER = CurrentUser("demo.planner", "Planner", Role.PLANNER)
PSC = CurrentUser("demo.psc", "Member", Role.PSC_MEMBER)
OBSERVER = CurrentUser("demo.observer", "Observer", Role.OBSERVER, donor="AUT")


@pytest.fixture
def ref(db: str):  # noqa: ANN201
    seed_demo_workplans(db)
    with UnitOfWork(url=db) as uow:
        return uow.reference.load()


def _version(db: str, year: int):  # noqa: ANN202
    return next(p for p in workplans.list_workplans(PLANNER, url=db) if p.year == year)


def test_observer_reads_no_draft(db: str, ref) -> None:  # noqa: ANN001
    """The demo's 2026 and 2027 workplans are drafts: an observer sees no version, reads no
    line, no review, no diff, no pack and no year's lines in use; a planner sees them all."""
    drafts = workplans.list_workplans(PLANNER, url=db)
    assert drafts and all(p.status == "draft" for p in drafts)
    assert workplans.list_workplans(OBSERVER, url=db) == []
    assert workplans.in_use_by_year(OBSERVER, url=db) == {}
    assert workplans.lines_in_use(OBSERVER, url=db) == {}
    assert set(workplans.lines_in_use(PLANNER, url=db)) == {p.year for p in drafts}
    plan = _version(db, 2026)
    for call in (lambda: workplans.activities(OBSERVER, plan.id, url=db),
                 lambda: workplans.last_saved(OBSERVER, plan.id, url=db),
                 lambda: workflow.review(OBSERVER, plan.id, url=db),
                 lambda: workflow.version_diff(OBSERVER, plan.id, _version(db, 2027).id, ref,
                                               url=db),
                 lambda: export_inputs.read(OBSERVER, plan.id, url=db),
                 lambda: pack.build_pack(OBSERVER, plan.id, url=db)):  # fmt: skip
        with pytest.raises(PermissionDenied, match="draft in preparation|may not download"):
            call()
    with pytest.raises(Exception, match="no version yet"):
        pack.version_of(OBSERVER, 2026, url=db)
    # members read the draft shared with them for consultation (the 2027 one), not the other
    assert workplans.activities(PSC, _version(db, 2027).id, url=db)
    with pytest.raises(PermissionDenied, match="draft in preparation"):
        workplans.activities(PSC, plan.id, url=db)


def test_observer_reads_given_versions_and_deliberation_once_decided(db: str, ref) -> None:  # noqa: ANN001
    plan = _version(db, 2026)
    submit_read(PLANNER, plan.id, url=db)
    code = workplans.activities(PSC, plan.id, url=db)[0].code
    workflow.comment(PSC, plan.id, "activity", code, "Why so much?", ref, url=db)
    positions.record_position(PSC, plan.id, "object", "ALB", "Too much.", ref, url=db)

    # submitted: the observer reads the version, its lines and its pack, not the deliberation
    assert [p.id for p in workplans.list_workplans(OBSERVER, url=db)] == [plan.id]
    assert workplans.in_use_by_year(OBSERVER, url=db)[2026].id == plan.id
    assert len(workplans.lines_in_use(OBSERVER, url=db)[2026]) == len(
        workplans.activities(PLANNER, plan.id, url=db))
    seen = workflow.review(OBSERVER, plan.id, url=db)
    assert seen.deliberation_withheld and seen.positions == [] and seen.threads == []
    full = workflow.review(PSC, plan.id, url=db)
    assert not full.deliberation_withheld and full.positions and full.threads

    # a revision made during the meeting is a draft: the observer still reads the submitted one
    revised = workflow.start_revision(PLANNER, plan.id, ref, url=db)
    observed = workplans.list_workplans(OBSERVER, url=db)
    assert revised.id not in [p.id for p in observed]
    assert workplans.in_use_by_year(OBSERVER, url=db)[2026].id == plan.id

    # decided (the revision approved, the original superseded): positions and names shown
    decide_read(PLANNER, revised.id, "approved", url=db)
    after = workflow.review(OBSERVER, plan.id, url=db)
    assert not after.deliberation_withheld
    assert [p.position for p in after.positions] == ["object"]
    assert after.threads and after.threads[0].comment.author_name
    assert workplans.in_use_by_year(OBSERVER, url=db)[2026].id == revised.id
    assert pack.version_of(OBSERVER, 2026, url=db).id == revised.id


def test_observer_scenarios_use_the_versions_given_to_the_committee(db: str, ref) -> None:  # noqa: ANN001
    """The funding scenarios' requirement for an observer counts no draft's lines."""
    from rpsee.domain.scenario import Scenario
    from rpsee.services import scenarios

    plan = _version(db, 2026)
    full = scenarios.evaluate(PLANNER, Scenario(), draws=200, url=db)
    seen = scenarios.evaluate(OBSERVER, Scenario(), draws=200, url=db)
    need = {r: {y: f.total.requirement_cents for y, f in x.funding["hard"].items()}
            for r, x in (("full", full), ("seen", seen))}  # fmt: skip
    assert 2026 in full.versions and seen.versions == {}
    assert need["seen"][2026] < need["full"][2026]  # staff costs only: the draft's lines out
    submit_read(PLANNER, plan.id, url=db)
    seen = scenarios.evaluate(OBSERVER, Scenario(), draws=200, url=db)
    assert seen.versions == {2026: "version 1 (submitted)"}
    assert seen.funding["hard"][2026].total.requirement_cents == need["full"][2026]
    assert seen.funding["hard"][2027].total.requirement_cents < need["full"][2027]  # 2027: draft


def test_members_read_what_was_submitted_and_drafts_shared_for_consultation(db: str, ref) -> None:  # noqa: ANN001
    """The demo shares its 2027 draft in preparation with Committee members, not the 2026 one
    (the demo meeting's, when the whole demo is seeded): members list and read the shared one
    only; unshared, it is gone from their list; a submitted version is read as submitted
    (sharing it is refused); observers never read a shared draft."""
    from rpsee.services import consultation

    first, copy = _version(db, 2026), _version(db, 2027)
    assert (first.shared, copy.shared) == (False, True)
    assert [p.id for p in workplans.list_workplans(PSC, url=db)] == [copy.id]
    assert workplans.activities(PSC, copy.id, url=db)
    assert set(workplans.in_use_by_year(PSC, url=db)) == {2027}
    with pytest.raises(PermissionDenied, match="Committee members read the versions submitted"):
        workplans.activities(PSC, first.id, url=db)
    with pytest.raises(PermissionDenied):
        workflow.review(PSC, first.id, url=db)
    assert workplans.list_workplans(OBSERVER, url=db) == []  # shared or not, a draft

    consultation.set_shared(PLANNER, copy.id, False, url=db)
    assert workplans.list_workplans(PSC, url=db) == []
    with pytest.raises(PermissionDenied):
        consultation.set_shared(PSC, first.id, True, url=db)  # members do not share drafts
    consultation.set_shared(PLANNER, first.id, True, url=db)
    assert [p.id for p in workplans.list_workplans(PSC, url=db)] == [first.id]
    consultation.set_shared(PLANNER, first.id, False, url=db)
    consultation.set_shared(PLANNER, copy.id, True, url=db)

    submit_read(PLANNER, first.id, url=db)
    assert {p.id for p in workplans.list_workplans(PSC, url=db)} == {first.id, copy.id}
    assert [p.id for p in workplans.list_workplans(OBSERVER, url=db)] == [first.id]
    with pytest.raises(consultation.ConsultationError, match="only a draft is shared"):
        consultation.set_shared(PLANNER, first.id, True, url=db)
