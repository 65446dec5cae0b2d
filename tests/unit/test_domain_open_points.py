"""The open points a planner confirms before submitting, and the rule that refuses a submit."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rpsee.domain.open_points import NO_ACTIVITY, check_read, open_points
from rpsee.domain.workflow import WorkflowError
from rpsee.store.data_files import load_reference
from tests.unit.test_domain_workplan import act

REF = load_reference()
JURS = tuple(j.code for j in REF.jurisdictions)


def _full() -> list:
    """One funded line per output, covering every jurisdiction: no open point."""
    return [act(f"2026-{o.code}-001", o.code, {"TRAVEL": "100"}, jur=JURS) for o in REF.outputs]


def test_a_clean_workplan_has_none_and_needs_no_confirmation() -> None:
    points = open_points(_full(), REF)
    assert len(points) == 0
    check_read("Plan", points, None)


def test_points_list_the_checks_findings_in_order() -> None:
    lines = _full()
    lines[0] = replace(lines[0], budget={})
    lines[1] = replace(lines[1], position_id=None)
    points = open_points(lines[2:] + lines[:2], REF)
    assert [(p.check, p.what.split(" ")[0]) for p in points.points] == [
        ("Activity without budget", lines[0].code),
        ("Activity without responsible position", lines[1].code)]
    assert not points.blocking


def test_unconfirmed_or_changed_points_are_refused() -> None:
    lines = _full()
    lines[0] = replace(lines[0], budget={})
    points = open_points(lines, REF)
    assert len(points) == 1
    with pytest.raises(WorkflowError, match="1 open point"):
        check_read("The 2026 workplan version 1", points, None)
    check_read("The 2026 workplan version 1", points, points.key)
    lines[1] = replace(lines[1], position_id=None)
    later = open_points(lines, REF)
    assert later.key != points.key
    with pytest.raises(WorkflowError, match="changed since you read them .now 2"):
        check_read("The 2026 workplan version 1", later, points.key)


def test_a_workplan_with_nothing_counted_cannot_be_submitted_even_when_read() -> None:
    lines = [replace(a, status="cancelled") for a in _full()]
    points = open_points(lines, REF)
    assert points.blocking and points.points[0].check == NO_ACTIVITY
    with pytest.raises(WorkflowError, match="cannot be submitted: Workplan without"):
        check_read("Plan", points, points.key)
    assert open_points([], REF).blocking
