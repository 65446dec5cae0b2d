"""Pending grid edits the stored plan already holds (a save whose run stopped after the write)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from rpsee.domain.workplan import Activity
from rpsee.ui.workplan_grid import DELETE, blank_line, new_draft
from rpsee.ui.workplan_reconcile import reconcile, saved_text
from tests.unit.test_domain_workplan import REF, act


def _line(n: int, version: int = 1, **values) -> Activity:  # noqa: ANN003
    base = act(f"2026-1.1-00{n}", "1.1", {"TRAVEL": "1000.00"}, months=(3, 4))
    return replace(base, id=n, version=version, **values)


SNAPSHOT = [_line(1), _line(2), _line(3)]


def test_an_edit_the_stored_line_holds_is_settled() -> None:
    draft = new_draft()
    draft["cells"]["2026-1.1-002"] = {"Title": "Saved title", "Travel": "1,500.00"}
    stored = [_line(1), _line(2, 2, title="Saved title", budget={"TRAVEL": Decimal("1500.00")}),
              _line(3)]  # fmt: skip
    found = reconcile(draft, SNAPSHOT, stored, REF, 2026)
    assert found.changed == ["2026-1.1-002"] and not found.added and not found.removed
    assert draft["cells"] == {}
    assert [(a.id, a.version) for a in found.lines] == [(1, 1), (2, 2), (3, 1)]
    assert found.lines[1].title == "Saved title" and not found.rows_changed


def test_a_line_with_one_cell_not_stored_stays_pending_whole() -> None:
    draft = new_draft()
    cells = {"Title": "Saved title", "Notes": "Not saved yet"}
    draft["cells"]["2026-1.1-002"] = dict(cells)
    stored = [_line(1), _line(2, 2, title="Saved title"), _line(3)]
    found = reconcile(draft, SNAPSHOT, stored, REF, 2026)
    assert not found.found
    assert draft["cells"]["2026-1.1-002"] == cells  # the save checks it against version 1
    assert found.lines[1].version == 1


def test_a_cell_that_changes_nothing_is_not_taken_for_a_save() -> None:
    """The browser keeps showing cells it sent before a save; a colleague then saves the line."""
    draft = new_draft()
    draft["cells"]["2026-1.1-001"] = {"Title": SNAPSHOT[0].title}
    stored = [_line(1, 2, notes="A colleague's note"), _line(2), _line(3)]
    found = reconcile(draft, SNAPSHOT, stored, REF, 2026)
    assert not found.found and found.lines[0].version == 1
    assert "2026-1.1-001" in draft["cells"]


def test_an_unmoved_line_is_left_alone() -> None:
    draft = new_draft()
    draft["cells"]["2026-1.1-003"] = {"Title": "Pending"}
    found = reconcile(draft, SNAPSHOT, SNAPSHOT, REF, 2026)
    assert not found.found and draft["cells"] == {"2026-1.1-003": {"Title": "Pending"}}


def test_a_ticked_line_that_is_gone_is_settled_and_one_removed_by_others_is_not() -> None:
    draft = new_draft()
    draft["cells"]["2026-1.1-001"] = {DELETE: True}
    draft["cells"]["2026-1.1-003"] = {"Title": "Mine"}
    found = reconcile(draft, SNAPSHOT, [_line(2)], REF, 2026)
    assert found.removed == ["2026-1.1-001"] and found.rows_changed
    assert [a.code for a in found.lines] == ["2026-1.1-002", "2026-1.1-003"]
    assert draft["cells"] == {"2026-1.1-003": {"Title": "Mine"}}  # the save reports it


def test_a_new_line_the_plan_now_holds_is_settled_with_its_code() -> None:
    draft = new_draft()
    wanted = {**blank_line(REF), "Title": "Workshop", "Output": "1.1", "Jurisdictions": ["ALB"],
              "Lead office": "BEG", "Start": "Mar", "End": "Apr", "Travel": "2,000.00"}  # fmt: skip
    other = {**wanted, "Title": "Not saved"}
    draft["new"] += [dict(wanted), dict(other), blank_line(REF)]
    added = replace(act("2026-1.1-004", "1.1", {"TRAVEL": "2000.00"}, months=(3, 4)),
                    id=4, version=1, title="Workshop", position_id=None)  # fmt: skip
    found = reconcile(draft, SNAPSHOT, [*SNAPSHOT, added], REF, 2026)
    assert found.added == ["2026-1.1-004"] and found.rows_changed
    assert [a.code for a in found.lines][-1] == "2026-1.1-004"
    assert [r["Title"] for r in draft["new"]] == ["Not saved", None]  # the rest stays


def test_saved_text_names_the_first_five_codes() -> None:
    assert saved_text(1, [], 0) == "Saved: 1 changed, 0 added, 0 removed."
    codes = [f"2026-1.1-00{n}" for n in range(1, 7)]
    assert saved_text(0, codes, 2) == ("Saved: 0 changed, 6 added (2026-1.1-001, 2026-1.1-002, "
                                       "2026-1.1-003, 2026-1.1-004, 2026-1.1-005…), 2 removed.")
