"""Workflow rules of the Steering Committee cycle (pure): transitions by role and status,
decisions, amendment type against the budget change, comments, positions, meetings, and what
changed between two versions by line identity."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from rpsee.domain.roles import CurrentUser, Role
from rpsee.domain.version_diff import diff_versions
from rpsee.domain.workflow import (
    TRANSITIONS,
    Comment,
    Meeting,
    MemberPosition,
    WorkflowError,
    budget_change_percent,
    check_amendment_type,
    check_comment,
    check_decision,
    check_meeting,
    check_position,
    check_submit,
    check_transition,
    current_positions,
    is_meeting_revision,
    threads,
)
from rpsee.domain.workplan import WORKPLAN_STATUSES, Activity, Workplan, default_in_use

USERS = {r: CurrentUser(f"u.{r.value}", r.value, r) for r in Role}
STATUSES = ("draft", "submitted", "approved", "returned", "superseded")
# action -> (roles allowed, statuses it starts from)
EXPECTED = {
    "edit": ({Role.PLANNER}, {"draft"}),
    "submit": ({Role.PLANNER}, {"draft"}),
    "comment": ({Role.PLANNER, Role.PSC_MEMBER}, {"draft", "submitted"}),
    "resolve": ({Role.PLANNER, Role.PSC_MEMBER}, {"draft", "submitted"}),
    "position": ({Role.PSC_MEMBER}, {"submitted"}),
    "approve": ({Role.PLANNER, Role.ADMIN}, {"submitted", "draft"}),
    "return": ({Role.PLANNER, Role.ADMIN}, {"submitted", "draft"}),
    "revise": ({Role.PLANNER}, {"submitted", "returned"}),
    "amend": ({Role.PLANNER}, {"approved"}),
}


def plan(status: str, id_: int = 1, based_on: int | None = None, year: int = 2026) -> Workplan:
    return Workplan(id_, year, id_, status, based_on)


def line(code: str, amount: str, line_id: str = "", status: str = "planned",
         output: str = "1.1") -> Activity:  # fmt: skip
    return Activity(code, f"Line {code}", output, ("ALB",), "RO", None, 1, 12,
                    {"TRAVEL": Decimal(amount)}, line_id=line_id, status=status)  # fmt: skip


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("status", STATUSES)
def test_transition_table(action: str, role: Role, status: str) -> None:
    roles, froms = EXPECTED[action]
    if role in roles and status in froms:
        assert check_transition(USERS[role], action, plan(status)) is TRANSITIONS[action]
    else:
        with pytest.raises(WorkflowError) as err:
            check_transition(USERS[role], action, plan(status))
        assert err.value.rule == ("role" if role not in roles else "status")


def test_nobody_edits_submitted_or_decided_versions() -> None:
    assert [s for s in WORKPLAN_STATUSES if plan(s).editable] == ["draft"]
    for s in ("submitted", "approved", "returned", "superseded"):
        with pytest.raises(WorkflowError, match=f"is {s}; to edit the lines"):
            check_transition(USERS[Role.PLANNER], "edit", plan(s))


def test_psc_member_cannot_decide() -> None:
    with pytest.raises(WorkflowError, match="may not approve"):
        check_transition(USERS[Role.PSC_MEMBER], "approve", plan("submitted"))


def test_decision_on_a_draft_only_when_revised_in_the_meeting() -> None:
    submitted, revision, lone = plan("submitted", 1), plan("draft", 2, 1), plan("draft", 3)
    versions = [submitted, revision, lone]
    assert is_meeting_revision(revision, versions) and not is_meeting_revision(lone, versions)
    check_decision(revision, versions, "approved", "")
    with pytest.raises(WorkflowError, match="submit it first") as err:
        check_decision(lone, versions, "approved", "")
    assert err.value.rule == "status"
    returned_base = [plan("returned", 1), revision]
    assert not is_meeting_revision(revision, returned_base)  # answer to a return: resubmit


def test_return_needs_reasons_and_outcomes_are_two() -> None:
    versions = [plan("submitted")]
    with pytest.raises(WorkflowError, match="needs the reasons"):
        check_decision(versions[0], versions, "returned", "  ")
    check_decision(versions[0], versions, "returned", "Cut travel")
    with pytest.raises(WorkflowError, match="unknown 'adopted'"):
        check_decision(versions[0], versions, "adopted", "")


def test_one_version_before_the_committee_and_amendments_after_approval() -> None:
    draft = plan("draft", 2)
    with pytest.raises(WorkflowError, match="already before") as err:
        check_submit(draft, [plan("submitted", 1), draft], None, None)
    assert err.value.rule == "one_submitted"
    with pytest.raises(WorkflowError, match="needs its type"):
        check_submit(draft, [plan("approved", 1), draft], None, Decimal(5))
    check_submit(draft, [plan("approved", 1), draft], "budget_up_to_20", Decimal(5))
    check_submit(draft, [plan("approved", 1, year=2025), draft], None, None)  # another year


@pytest.mark.parametrize(("kind", "change", "ok"), [
    ("administrative_correction", "0.00", True),
    ("administrative_correction", "0.01", False),
    ("budget_up_to_20", "20.00", True),
    ("budget_up_to_20", "20.01", False),
    ("budget_over_20", "20.01", True),
    ("budget_over_20", "20.00", False),
    ("change_of_results", "45.00", True),
    ("other", "3.00", True),
])  # fmt: skip
def test_amendment_type_against_budget_change(kind: str, change: str, ok: bool) -> None:
    if ok:
        check_amendment_type(kind, Decimal(change))
    else:
        with pytest.raises(WorkflowError) as err:
            check_amendment_type(kind, Decimal(change))
        assert err.value.rule == "amendment_type" and change in str(err.value)


def test_budget_change_percent_by_line_identity() -> None:
    approved = [line("2026-1.1-001", "600.00"), line("2026-1.1-002", "400.00")]
    # the same budget moved between lines: 100 of 1,000 = 10%, once
    moved = [line("2026-1.1-001", "500.00"), line("2026-1.1-002", "500.00")]
    assert budget_change_percent(approved, moved) == Decimal("10.00")
    # line 001 renamed to a new code keeps its identity: no change at all
    renamed = [line("2026-1.2-005", "600.00", "2026-1.1-001"), approved[1]]
    assert budget_change_percent(approved, renamed) == Decimal("0.00")
    # a new line of 250: +25%; cancelling line 002: -40%
    assert budget_change_percent(approved, [*approved, line("2026-1.1-003", "250")]) == 25
    cancelled = [approved[0], replace(approved[1], status="cancelled")]
    assert budget_change_percent(approved, cancelled) == Decimal("40.00")
    assert budget_change_percent([], [line("x", "1")]) == Decimal("100.00")


def test_positions_and_comments_checks() -> None:
    check_position("endorse", "ALB", ["ALB", "SRB"], "")
    for position, jur, remarks, rule in [("veto", "ALB", "", "position"),
                                         ("endorse", "XXX", "", "jurisdiction"),
                                         ("object", "ALB", " ", "remarks"),
                                         ("endorse_with_comments", "ALB", "", "remarks")]:
        with pytest.raises(WorkflowError) as err:
            check_position(position, jur, ["ALB", "SRB"], remarks)
        assert err.value.rule == rule
    check_comment("Fine", "activity", "2026-1.1-001", ["1"], ["2026-1.1-001"])
    check_comment("Fine", "plan", "", ["1"], [])
    for text, kind, code in [(" ", "plan", ""), ("x", "output", "1.1"), ("a\u202eb", "plan", ""),
                             ("x" * 4001, "plan", ""),
                             ("x", "area", "9"), ("x", "activity", "2026-1.1-002")]:
        with pytest.raises(WorkflowError):
            check_comment(text, kind, code, ["1"], ["2026-1.1-001"])


def test_threads_and_latest_position_per_member() -> None:
    t = [datetime(2026, 3, 1, h) for h in range(6)]
    comments = [Comment(3, 1, 1, "plan", "", "reply 2", "b", "B", t[3]),
                Comment(1, 1, None, "activity", "2026-1.1-001", "q", "a", "A", t[1]),
                Comment(2, 1, 1, "plan", "", "reply 1", "b", "B", t[2]),
                Comment(4, 1, None, "plan", "", "general", "a", "A", t[4], t[5], "p")]
    got = threads(comments)
    assert [x.comment.id for x in got] == [1, 4]
    assert [r.text for r in got[0].replies] == ["reply 1", "reply 2"]
    assert got[1].resolved and not got[0].resolved
    assert got[0].comment.target_label == "Activity 2026-1.1-001"
    positions = [MemberPosition(1, "m1", "M1", "SRB", "object", "no", t[1]),
                 MemberPosition(1, "m1", "M1", "SRB", "endorse", "", t[2]),
                 MemberPosition(1, "m2", "M2", "ALB", "endorse", "", t[0])]
    assert [(p.member, p.position) for p in current_positions(positions)] == [
        ("m2", "endorse"), ("m1", "endorse")]


def test_meeting_record_checks() -> None:
    ok = Meeting("PSC-3", date(2026, 3, 10), "Vienna", "Members")
    assert check_meeting(ok, ["PSC-2"]) == []
    assert check_meeting(ok, ["PSC-3"]) == ["Number: meeting PSC-3 is already recorded."]
    bad = Meeting(" ", date(2026, 3, 10), "", "")
    assert check_meeting(bad, []) == ["Number: required.", "Place: required.",
                                      "Participants: name at least one."]
    hidden = replace(ok, place="Vienna\x07", agenda="1. Budget\n2. Risks")
    assert check_meeting(hidden, []) == [
        "Place: holds a control character (U+0007) at character 7: remove it."]


def test_approved_amendment_becomes_the_default_in_use() -> None:
    versions = [plan("approved", 1), plan("approved", 2, 1), plan("draft", 3, 2)]
    assert default_in_use(versions).id == 2
    assert default_in_use([plan("superseded", 1), plan("draft", 2)]).id == 1


def test_diff_by_line_identity_and_effect_by_area() -> None:
    old = [line("2026-1.1-001", "100.00"), line("2026-1.1-002", "200.00"),
           line("2026-2.1-001", "50.00", output="2.1")]
    new = [replace(line("2026-1.2-004", "150.00", "2026-1.1-001", output="1.2"),
                   title="Line 2026-1.1-001"),
           line("2026-2.1-001", "50.00", output="2.1"),
           line("2026-3.1-001", "70.00", output="3.1")]
    d = diff_versions(old, new, {"1": "Crime", "2": "Justice", "3": "Drugs"},
                      {"TRAVEL": "Travel"})
    assert [a.code for a in d.lines.added] == ["2026-3.1-001"]
    assert [a.code for a in d.lines.removed] == ["2026-1.1-002"]
    (before, after, fields), = d.lines.changed
    assert (before.code, after.code) == ("2026-1.1-001", "2026-1.2-004")
    assert [f.field for f in fields] == ["output_code", "budget"]
    rows = [r.cells for r in d.changes.body()]
    assert ("2026-1.2-004", "Changed", "Code", "2026-1.1-001", "2026-1.2-004") in rows
    assert ("2026-1.2-004", "Changed", "Travel", "USD 100.00", "USD 150.00") in rows
    assert ("2026-3.1-001", "Added", "Total", "–", "USD 70.00") in rows
    by_area = {r.label: r.cells[1:] for r in d.by_area.body()}
    assert by_area["1 Crime"] == (Decimal("300.00"), Decimal("150.00"), Decimal("-150.00"))
    assert by_area["2 Justice"] == (Decimal("50.00"), Decimal("50.00"), Decimal("0.00"))
    assert by_area["3 Drugs"] == (Decimal("0.00"), Decimal("70.00"), Decimal("70.00"))
    assert by_area["Total"] == (Decimal("350.00"), Decimal("270.00"), Decimal("-80.00"))
    assert not diff_versions(old, old, {}, {}).lines.changed
