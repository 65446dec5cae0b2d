"""The decision brief: positions by jurisdiction, objections, open threads, and the rule that an
approval over an objection or an open thread needs the brief confirmed as read."""

from __future__ import annotations

from datetime import datetime

import pytest

from rpsee.domain.decision_brief import check_brief_read, decision_brief
from rpsee.domain.workflow import Comment, MemberPosition, Thread, WorkflowError

PLACES = {"ALB": "Albania", "MNE": "Montenegro", "SRB": "Serbia"}
AT = datetime(2026, 11, 3, 10, 0)


def pos(member: str, jur: str, position: str, minute: int = 0) -> MemberPosition:
    return MemberPosition(1, member, member.title(), jur, position, "why",
                          AT.replace(minute=minute))  # fmt: skip


def thread(cid: int, resolved: bool = False) -> Thread:
    c = Comment(cid, 1, None, "plan", "", "text", "m", "M", AT,
                AT if resolved else None, "p" if resolved else None)  # fmt: skip
    return Thread(c, ())


def test_positions_are_grouped_by_jurisdiction_with_objections_and_open_threads() -> None:
    brief = decision_brief([pos("zora", "ALB", "endorse"), pos("ana", "ALB", "object"),
                            pos("ivo", "XKX", "endorse_with_comments")],
                           [thread(1), thread(2, resolved=True)], PLACES)  # fmt: skip
    assert [(j.code, j.name, [p.member for p in j.positions]) for j in brief.jurisdictions] == [
        ("ALB", "Albania", ["ana", "zora"]), ("MNE", "Montenegro", []),
        ("SRB", "Serbia", []), ("XKX", "XKX", ["ivo"])]
    assert brief.jurisdictions[0].objects and not brief.jurisdictions[3].objects
    assert [p.member for p in brief.objections] == ["ana"]
    assert [t.comment.id for t in brief.open_threads] == [1]
    assert brief.without_position == ["Montenegro", "Serbia"]
    assert brief.summary.startswith("1 objection(s), 1 open comment thread(s), 2 jurisdiction")


def test_approving_over_an_objection_needs_the_brief_read() -> None:
    brief = decision_brief([pos("ana", "ALB", "object")], [], PLACES)
    with pytest.raises(WorkflowError, match="1 objection.*confirm you have read it"):
        check_brief_read("Version 1", brief, "approved", None)
    check_brief_read("Version 1", brief, "approved", brief.key)
    check_brief_read("Version 1", brief, "returned", None)  # returning needs no confirmation


def test_a_brief_that_changed_since_it_was_read_is_refused() -> None:
    read = decision_brief([pos("ana", "ALB", "endorse")], [thread(1)], PLACES)
    now = decision_brief([pos("ana", "ALB", "object", minute=5)], [thread(1)], PLACES)
    with pytest.raises(WorkflowError, match="changed since you read it .now 1 objection"):
        check_brief_read("Version 1", now, "approved", read.key)


def test_nothing_to_give_pause_needs_no_confirmation() -> None:
    brief = decision_brief([pos("ana", "ALB", "endorse")], [thread(1, resolved=True)], PLACES)
    assert not brief.needs_confirmation
    check_brief_read("Version 1", brief, "approved", None)


def test_a_decision_names_the_person_and_role_not_the_account() -> None:
    from rpsee.domain.roles import person_label
    from rpsee.domain.workflow import Decision

    d = Decision(7, "approved", "", None, "jdoe", AT, "Jane Doe", "planner")
    assert d.decided_by_label == "Jane Doe, Programme planner"
    assert person_label("Ana Petrović", "psc_member") == "Ana Petrović, Committee member"
    # an account since removed: its name is all the record has
    assert Decision(7, "approved", "", None, "jdoe", AT).decided_by_label == "jdoe"
    assert person_label("X", "no-such-role") == "X"
