"""Lost updates: a save overtaken by a colleague's just before it checks and writes, conflict
messages in the page's words, and an Excel upload applied exactly as previewed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal
from io import BytesIO

import pytest

from rpsee.services import workplan_import, workplans
from rpsee.services.workplans import WorkplanConflict, WorkplanEdit
from rpsee.store.workplans import WorkplanRepository
from tests.store import test_store_workplans as base
from tests.unit.test_domain_workplan import act

PLANNER, OTHER = base.PLANNER, base.OTHER
ref = base.ref  # the fixture


@pytest.fixture
def plan(db: str, ref):  # noqa: ANN001, ANN201
    plan = workplans.start_draft(PLANNER, 2026, ref, url=db)
    lines = [
        act("", "2.3", {"TRAVEL": "18500.00", "CONTRACTUAL": "5.00"}, jur=("ALB", "MKD"),
            months=(3, 4)),
        act("", "5.4", {"TRANSFERS": "45000.50"}, jur=("REG",), months=(1, 12)),
    ]  # fmt: skip
    workplans.save(PLANNER, plan.id, WorkplanEdit(added=lines), ref, url=db)
    return plan


@pytest.fixture
def overtaken(monkeypatch) -> Iterator[Callable[[Callable[[], None]], None]]:  # noqa: ANN001
    """`overtaken(colleague_saves)`: the planner's next save, at the last moment a colleague can
    still come first (just before it locks the version's year; from then on it checks and
    writes alone: a colleague's save waits, see test_workflow_races.py), first lets the
    colleague save in their own session and transaction, as if they were a moment quicker."""
    pending: list[Callable[[], None]] = []
    lock_year = WorkplanRepository.lock_year

    def colleague_first(repo: WorkplanRepository, year: int) -> None:
        if pending and repo.session.info.get("actor") == PLANNER.username:
            pending.pop()()
        lock_year(repo, year)

    monkeypatch.setattr(WorkplanRepository, "lock_year", colleague_first)
    yield pending.append


def test_a_colleague_saving_just_before_the_save_is_a_conflict(db, plan, ref,
                                                               overtaken) -> None:  # noqa: ANN001
    mine = workplans.activities(PLANNER, plan.id, url=db)
    overtaken(lambda: workplans.save(OTHER, plan.id, WorkplanEdit(changed=[replace(
        mine[0], budget={**mine[0].budget, "CONTRACTUAL": Decimal("50005.00")})]), ref, url=db))
    with pytest.raises(WorkplanConflict) as info:
        workplans.save(PLANNER, plan.id, WorkplanEdit(changed=[replace(
            mine[0], budget={**mine[0].budget, "CONTRACTUAL": Decimal("7.50")})]), ref, url=db)
    [conflict] = info.value.conflicts
    assert (conflict.code, conflict.field) == (mine[0].code, "Contractual")
    assert (conflict.theirs, conflict.yours) == ("USD 50,005.00", "USD 7.50")
    assert conflict.by == OTHER.username
    text = str(info.value)
    assert "Decimal" not in text and "{" not in text and "USD 50,005.00" in text
    now = workplans.activities(PLANNER, plan.id, url=db)
    assert now[0].budget["CONTRACTUAL"] == Decimal("50005.00")  # the colleague's save stands


def test_removing_a_line_a_colleague_just_saved_is_a_conflict_not_a_traceback(
        db, plan, ref, overtaken) -> None:  # noqa: ANN001
    mine = workplans.activities(PLANNER, plan.id, url=db)
    overtaken(lambda: workplans.save(OTHER, plan.id, WorkplanEdit(changed=[replace(
        mine[1], jurisdictions=("ALB",), start_month=2)]), ref, url=db))
    with pytest.raises(WorkplanConflict) as info:
        workplans.save(PLANNER, plan.id, WorkplanEdit(
            removed=[(mine[1].id, mine[1].version, mine[1].code)]), ref, url=db)  # fmt: skip
    [conflict] = info.value.conflicts
    assert (conflict.code, conflict.field, conflict.theirs, conflict.yours) == (
        mine[1].code, "Line", "changed", "removed")
    assert [a.code for a in workplans.activities(PLANNER, plan.id, url=db)] == [
        mine[0].code, mine[1].code]


def test_conflict_messages_use_the_page_labels_and_values(db, plan, ref) -> None:  # noqa: ANN001
    mine = workplans.activities(PLANNER, plan.id, url=db)
    workplans.save(OTHER, plan.id, WorkplanEdit(changed=[replace(
        mine[0], jurisdictions=("SRB",), start_month=5, end_month=5)]), ref, url=db)
    with pytest.raises(WorkplanConflict) as info:
        workplans.save(PLANNER, plan.id, WorkplanEdit(changed=[replace(
            mine[0], notes="Mine")]), ref, url=db)  # fmt: skip
    shown = {(c.field, c.theirs, c.yours) for c in info.value.conflicts}
    assert ("Jurisdictions", "SRB", "ALB, MKD") in shown
    assert ("Start", "May", "Mar") in shown and ("End", "May", "Apr") in shown
    assert ("Notes", "–", "Mine") in shown
    assert "('ALB'" not in str(info.value)


def _upload_with_title(plan, ref, code: str, title: str) -> bytes:  # noqa: ANN001
    from openpyxl import load_workbook

    lines = workplans.activities(PLANNER, plan.id)
    book = load_workbook(BytesIO(workplan_import.export(PLANNER, plan, lines, ref)))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    col_code, col_title = header.index("Code") + 1, header.index("Title") + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, col_code).value == code:
            sheet.cell(row, col_title).value = title
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_upload_applies_what_was_previewed_and_never_reverts_a_colleague(
        db, plan, ref, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("DATABASE_URL", db)
    lines = workplans.activities(PLANNER, plan.id, url=db)
    data = _upload_with_title(plan, ref, lines[0].code, "Renamed in Excel")
    previewed = workplan_import.preview(PLANNER, plan, lines, data, ref)
    assert previewed.ok and len(previewed.diff.changed) == 1
    # a colleague adds USD 50,000 to CONTRACTUAL between the preview and Apply
    workplans.save(OTHER, plan.id, WorkplanEdit(changed=[replace(lines[0], budget={
        **lines[0].budget, "CONTRACTUAL": Decimal("50005.00")})]), ref, url=db)  # fmt: skip
    with pytest.raises(WorkplanConflict) as info:
        workplan_import.apply(PLANNER, plan, previewed, ref, url=db)
    shown = {(c.field, c.theirs, c.yours) for c in info.value.conflicts}
    assert ("Contractual", "USD 50,005.00", "USD 5.00") in shown
    assert ("Title", lines[0].title, "Renamed in Excel") in shown
    now = workplans.activities(PLANNER, plan.id, url=db)
    assert now[0].budget["CONTRACTUAL"] == Decimal("50005.00") and now[0].title == lines[0].title


def test_upload_preview_without_a_colleague_applies(db, plan, ref, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("DATABASE_URL", db)
    lines = workplans.activities(PLANNER, plan.id, url=db)
    data = _upload_with_title(plan, ref, lines[1].code, "Renamed in Excel")
    previewed = workplan_import.preview(PLANNER, plan, lines, data, ref)
    saved = workplan_import.apply(PLANNER, plan, previewed, ref, url=db)
    assert saved.changed == [lines[1].code]
    assert workplans.activities(PLANNER, plan.id, url=db)[1].title == "Renamed in Excel"
