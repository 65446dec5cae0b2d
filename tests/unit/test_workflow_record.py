"""Rules that keep the Committee record consistent (pure): the refusal of a second decision or
submission, the version in use while a year has an approved version, members' jurisdictions,
positions per member and jurisdiction, and positions recorded on a member's behalf."""

from __future__ import annotations

from datetime import datetime

import pytest

from rpsee.domain.workflow import (
    Decision,
    MemberPosition,
    WorkflowError,
    already_decided,
    already_submitted,
    check_in_use,
    check_member_jurisdictions,
    check_position,
    current_positions,
)
from rpsee.domain.workplan import Workplan, mark_in_use

KNOWN = ["ALB", "BIH", "MNE", "MKD", "SRB", "XKX", "TUR"]


def plan(status: str, id_: int, version_no: int | None = None, year: int = 2026) -> Workplan:
    return Workplan(id_, year, version_no or id_, status, None)


def test_a_second_decision_names_the_first_one() -> None:
    first = Decision(7, "returned", "Cut travel.", None, "jdoe", datetime(2026, 3, 10, 14, 5))
    err = already_decided(plan("returned", 7, 2), first, "Jane Doe")
    assert err.rule == "already_decided"
    assert str(err) == ("The 2026 workplan version 2 is already decided (returned) by Jane Doe "
                        "at 14:05 UTC on 2026-03-10; nothing was recorded. Reload to see the "
                        "decision.")  # fmt: skip
    via = already_decided(plan("superseded", 7, 2), first, "Jane Doe", plan("approved", 8, 3))
    assert "already decided through version 3 (returned) by Jane Doe at 14:05 UTC" in str(via)
    sent = already_submitted(plan("submitted", 7, 2), "Ana", datetime(2026, 3, 1, 9, 0))
    assert (sent.rule, str(sent)) == ("already_submitted", "The 2026 workplan version 2 is "
                                      "already submitted, by Ana at 09:00 UTC on 2026-03-01; "
                                      "nothing was changed.")  # fmt: skip


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "superseded"])
def test_only_an_approved_version_is_used_while_the_year_has_one(status: str) -> None:
    versions = [plan("approved", 1), plan(status, 2)]
    with pytest.raises(WorkflowError, match="version 1.: the pages keep using it until "
                       "version 2 is approved itself"):  # fmt: skip
        check_in_use(versions[1], versions)
    check_in_use(versions[0], versions)  # approved: fine
    check_in_use(plan(status, 3), [plan(status, 3), plan("approved", 4, year=2027)])  # other year
    # pages never use the unapproved one, even if it was stored as the choice
    used = [p.id for p in mark_in_use(versions, {2026: 2}) if p.in_use]
    assert used == [1]
    assert [p.id for p in mark_in_use([plan(status, 2)], {2026: 2}) if p.in_use] == [2]


def test_the_chosen_approved_version_stays_in_use() -> None:
    versions = [plan("approved", 1), plan("approved", 2), plan("draft", 3)]
    assert [p.id for p in mark_in_use(versions, {2026: 1}) if p.in_use] == [1]
    assert [p.id for p in mark_in_use(versions, {}) if p.in_use] == [2]


def test_members_jurisdictions_are_known_ones() -> None:
    assert check_member_jurisdictions([" alb", "MNE", "ALB"], KNOWN) == ["ALB", "MNE"]
    with pytest.raises(WorkflowError, match="unknown REG, XX; use one of ALB, BIH"):
        check_member_jurisdictions(["REG", "XX"], KNOWN)
    with pytest.raises(WorkflowError, match="represents at least one"):
        check_member_jurisdictions(["", " "], KNOWN)


def test_a_position_only_for_the_members_jurisdictions() -> None:
    check_position("endorse", "MNE", KNOWN, "", represents=("MNE", "SRB"), member_name="Ana")
    with pytest.raises(WorkflowError, match="Ana represents MNE, SRB, not ALB"):
        check_position("endorse", "ALB", KNOWN, "", represents=("SRB", "MNE"), member_name="Ana")
    with pytest.raises(WorkflowError, match="Ana represents no jurisdiction yet"):
        check_position("endorse", "ALB", KNOWN, "", represents=(), member_name="Ana")
    check_position("endorse", "ALB", KNOWN, "")  # no member given: any known jurisdiction


def test_latest_position_per_member_and_jurisdiction_and_who_recorded_it() -> None:
    t = [datetime(2026, 3, 1, h) for h in range(4)]
    rows = [MemberPosition(1, "m1", "M1", "SRB", "object", "no", t[0]),
            MemberPosition(1, "m1", "M1", "MNE", "endorse", "", t[1]),
            MemberPosition(1, "m1", "M1", "SRB", "endorse", "", t[2], "sec", "Secretary")]
    got = current_positions(rows)
    assert [(p.jurisdiction, p.position) for p in got] == [("MNE", "endorse"), ("SRB", "endorse")]
    assert got[0].recorded_note == ""
    assert got[1].recorded_note == "recorded by Secretary on behalf of M1"
