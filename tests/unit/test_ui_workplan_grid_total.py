"""A line's Total in the grid follows its unsaved edits (hand-summed), and says `?` while a
budget cell is not an amount."""

from __future__ import annotations

from dataclasses import replace

from rpsee.domain.workplan import Activity
from rpsee.ui.workplan_grid import blank_line, editor_frame, new_draft, row_total, to_frame
from tests.unit.test_domain_workplan import REF, act


def _line(n: int) -> Activity:
    return replace(act(f"2026-1.1-00{n}", "1.1", {"TRAVEL": "1000.00", "STAFF": "250.50"},
                       months=(3, 4)), id=n, version=1)  # fmt: skip


LINES = [_line(1), _line(2)]


def test_an_edited_lines_total_is_the_sum_as_typed() -> None:
    draft = new_draft()
    draft["cells"]["2026-1.1-002"] = {"Travel": "46500"}  # 46,500.00 + 250.50
    frame = editor_frame(to_frame(LINES, REF), LINES, draft, REF)
    assert list(frame["Total"]) == ["1,250.50", "46,750.50"]


def test_a_new_lines_total_and_a_cell_that_is_no_amount() -> None:
    draft = new_draft()
    draft["new"].append({**blank_line(REF), "Travel": "1,000.25", "Supplies": "99.75"})
    draft["cells"]["2026-1.1-001"] = {"Travel": "12,34"}  # a comma as decimal mark: refused
    frame = editor_frame(to_frame(LINES, REF), LINES, draft, REF)
    assert list(frame["Total"]) == ["1,100.00", "?", "1,250.50"]
    assert row_total(blank_line(REF), REF) == "0.00"
