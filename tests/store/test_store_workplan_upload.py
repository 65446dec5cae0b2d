"""Excel upload: lines missing from the file are kept unless the planner asks to remove them
and confirms their number (a header-only workbook never empties a workplan in one click)."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from rpsee.services import workplan_import, workplans
from rpsee.services.workplans import WorkplanError
from tests.store import test_store_workplan_conflicts as conflicts

PLANNER = conflicts.PLANNER
ref, plan = conflicts.ref, conflicts.plan  # the fixtures


def _header_only(plan, ref, url: str) -> tuple[list, bytes]:  # noqa: ANN001
    lines = workplans.activities(PLANNER, plan.id, url=url)
    book = load_workbook(BytesIO(workplan_import.export(PLANNER, plan, lines, ref, url=url)))
    sheet = book["Workplan"]
    sheet.delete_rows(2, sheet.max_row)
    out = BytesIO()
    book.save(out)
    return lines, out.getvalue()


def test_a_header_only_workbook_keeps_every_line(db: str, plan, ref) -> None:  # noqa: ANN001
    lines, data = _header_only(plan, ref, db)
    previewed = workplan_import.preview(PLANNER, plan, lines, data, ref)
    assert previewed.ok and len(previewed.diff.removed) == len(lines) == 2
    with pytest.raises(WorkplanError, match="Nothing to apply"):
        workplan_import.apply(PLANNER, plan, previewed, ref, url=db)
    with pytest.raises(WorkplanError, match="You confirmed removing 1 line"):
        workplan_import.apply(PLANNER, plan, previewed, ref, url=db, remove_missing=1)
    assert workplans.activities(PLANNER, plan.id, url=db) == lines


def test_lines_are_removed_when_asked_and_the_count_confirmed(db: str, plan, ref) -> None:  # noqa: ANN001
    lines, data = _header_only(plan, ref, db)
    previewed = workplan_import.preview(PLANNER, plan, lines, data, ref)
    saved = workplan_import.apply(PLANNER, plan, previewed, ref, url=db, remove_missing=2)
    assert sorted(saved.removed) == sorted(a.code for a in lines)
    assert workplans.activities(PLANNER, plan.id, url=db) == []


def test_a_changed_line_applies_and_the_missing_one_stays(db: str, plan, ref) -> None:  # noqa: ANN001
    lines = workplans.activities(PLANNER, plan.id, url=db)
    book = load_workbook(BytesIO(workplan_import.export(PLANNER, plan, lines, ref, url=db)))
    sheet = book["Workplan"]
    sheet["B2"] = "Renamed"
    sheet.delete_rows(3)
    out = BytesIO()
    book.save(out)
    previewed = workplan_import.preview(PLANNER, plan, lines, out.getvalue(), ref)
    saved = workplan_import.apply(PLANNER, plan, previewed, ref, url=db)
    assert saved.changed == [lines[0].code] and saved.removed == []
    now = workplans.activities(PLANNER, plan.id, url=db)
    assert [a.title for a in now] == ["Renamed", lines[1].title]


def test_an_unknown_code_is_named_by_its_cell(db: str, plan, ref) -> None:  # noqa: ANN001
    lines = workplans.activities(PLANNER, plan.id, url=db)
    book = load_workbook(BytesIO(workplan_import.export(PLANNER, plan, lines, ref, url=db)))
    book["Workplan"]["A3"] = "2026-9.9-999"
    out = BytesIO()
    book.save(out)
    previewed = workplan_import.preview(PLANNER, plan, lines, out.getvalue(), ref)
    assert [str(e) for e in previewed.errors] == [
        "Row 3, cell A3 (Code): '2026-9.9-999' is not a line of this workplan: leave Code "
        "empty for a new line"]
