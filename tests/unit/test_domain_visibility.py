"""Which versions a donor observer and a Committee member read, and when they read the
deliberation."""

from __future__ import annotations

import pytest

from rpsee.domain.roles import CurrentUser, PermissionDenied, Role
from rpsee.domain.visibility import (
    readable,
    require_version,
    sees_deliberation,
    version_per_year,
)
from rpsee.domain.workplan import Workplan

OBS = CurrentUser("o", "O", Role.OBSERVER, donor="AUT")
PSC = CurrentUser("m", "M", Role.PSC_MEMBER)


PLANNER = CurrentUser("p", "P", Role.PLANNER)
FINANCE = CurrentUser("f", "F", Role.FINANCE)


def _plans() -> list[Workplan]:
    return [
        Workplan(1, 2025, 1, "approved"),
        Workplan(2, 2025, 2, "draft", based_on_id=1, in_use=False, amendment_type="other"),
        Workplan(3, 2025, 3, "returned"),
        Workplan(4, 2026, 1, "returned"),
        Workplan(5, 2026, 2, "draft", in_use=True, shared=True),  # shared for consultation
        Workplan(6, 2027, 1, "draft", in_use=True),
        Workplan(7, 2028, 1, "submitted", in_use=True),
    ]


def test_observer_reads_versions_given_to_the_committee_only() -> None:
    assert [p.id for p in readable(OBS, _plans())] == [1, 3, 4, 7]  # not even a shared draft
    with pytest.raises(PermissionDenied, match="2026 workplan version 2 is a draft"):
        require_version(OBS, _plans()[4])


def test_members_read_what_was_submitted_and_drafts_shared_for_consultation() -> None:
    assert [p.id for p in readable(PSC, _plans())] == [1, 3, 4, 5, 7]  # not drafts 2 and 6
    assert require_version(PSC, _plans()[4]).id == 5
    with pytest.raises(PermissionDenied, match="2027 workplan version 1 is a draft in "
                       "preparation: Committee members read the versions submitted"):
        require_version(PSC, _plans()[5])
    for preparer in (PLANNER, FINANCE):
        assert [p.id for p in readable(preparer, _plans())] == [1, 2, 3, 4, 5, 6, 7]
    # shared is a draft's state: a submitted version is read whatever its flag says
    assert readable(PSC, [Workplan(8, 2029, 1, "submitted", shared=False)])


def test_the_version_each_year_uses_for_an_observer() -> None:
    plans = _plans()
    plans[0] = Workplan(1, 2025, 1, "approved", in_use=True)
    chosen = {y: p.id for y, p in version_per_year(OBS, plans).items()}
    # 2025: the approved one in use; 2026: the returned one, not the draft in use; 2027: none
    assert chosen == {2025: 1, 2026: 4, 2028: 7}
    # a member: 2026 the shared draft in use; 2027's draft is not shared: no version
    assert {y: p.id for y, p in version_per_year(PSC, plans).items()} == {
        2025: 1, 2026: 5, 2028: 7}
    assert {y: p.id for y, p in version_per_year(PLANNER, plans).items()} == {
        2025: 1, 2026: 5, 2027: 6, 2028: 7}
    # no version in use among those given: the approved one wins over a later returned one
    plans[0] = Workplan(1, 2025, 1, "approved")
    assert version_per_year(OBS, plans)[2025].id == 1


@pytest.mark.parametrize(("status", "shown"), [("submitted", False), ("approved", True),
                                               ("returned", True), ("superseded", True)])
def test_deliberation_once_decided(status: str, shown: bool) -> None:
    plan = Workplan(1, 2026, 1, status)
    assert sees_deliberation(OBS, plan) is shown
    assert sees_deliberation(PSC, plan)


def test_the_versions_note_says_which_versions_each_reader_counts() -> None:
    from rpsee.domain.visibility import versions_note

    planner = CurrentUser("p", "P", Role.PLANNER)
    observer = CurrentUser("o", "O", Role.OBSERVER, "AUT")
    both = {2027: "version 2 (draft)", 2026: "version 1 (approved)"}
    assert versions_note(planner, both) == (
        "Workplans: 2026 version 1 (approved); 2027 version 2 (draft) "
        "(each year's version in use).")
    assert versions_note(planner, {}) == "Workplans: none (each year's version in use)."
    assert "none given to the Steering Committee yet" in versions_note(observer, {})
    assert "staff costs and their support costs only" in versions_note(observer, {})
    assert versions_note(observer, {2026: "version 1 (submitted)"}).startswith(
        "Workplans: 2026 version 1 (submitted) (the versions given to the Steering Committee")
