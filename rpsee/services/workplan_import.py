"""Excel round trip of a workplan: export, and an upload previewed before it is applied."""

from __future__ import annotations

from dataclasses import dataclass

from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.roles import CurrentUser, Permission, require, require_workplan_export
from rpsee.domain.workplan import Activity, ActivityDiff, Workplan, diff_activities
from rpsee.domain.workplan_rules import RowError
from rpsee.reports import workplan_excel
from rpsee.services.workplans import SaveResult, WorkplanEdit, WorkplanError, save
from rpsee.store.uow import UnitOfWork


def export(user: CurrentUser, plan: Workplan, activities: list[Activity],
           ref: ProgrammeReference, url: str | None = None) -> bytes:  # fmt: skip
    """The workbook of `plan`; who may export depends on the role and on the status the plan
    has in the database (PermissionDenied otherwise)."""
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        row = uow.workplans.get_row(plan.id)
        if row is None:
            raise WorkplanError(f"Workplan {plan.id} does not exist.")
        require_workplan_export(user, row.status)
    return workplan_excel.build(plan, activities, ref)


@dataclass(frozen=True)
class ImportPreview:
    """What an upload would do, computed against the lines (and their versions) as loaded."""

    diff: ActivityDiff | None
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return self.diff is not None and not self.errors


def preview(user: CurrentUser, plan: Workplan, current: list[Activity], data: bytes,
            ref: ProgrammeReference) -> ImportPreview:  # fmt: skip
    """Read the upload and compare it with the lines as loaded; nothing is saved here.

    Raises `workplan_excel.WorkbookError` when the file is not a workplan workbook at all.
    """
    require(user, Permission.EDIT_PLANS)
    result = workplan_excel.read(data, ref, plan.year)
    known = {a.code for a in current}
    errors = list(result.errors)
    for a, row in zip(result.activities, result.rows, strict=True):
        if a.code and a.code not in known:
            errors.append(RowError(row, f"cell A{row[4:]} (Code)",
                                   f"{workplan_excel.shown(a.code)} is not a line of this "
                                   "workplan: leave Code empty for a new line"))  # fmt: skip
    if errors:
        return ImportPreview(None, errors)
    return ImportPreview(diff_activities(current, result.activities), [])


def as_edit(diff: ActivityDiff, remove_missing: bool = False) -> WorkplanEdit:
    """The save request for a previewed diff (versions as loaded: later changes conflict).
    Lines missing from the file are removed only when `remove_missing`."""
    missing = diff.removed if remove_missing else []
    return WorkplanEdit(
        added=list(diff.added),
        changed=[new for _old, new, _changes in diff.changed],
        removed=[(a.id, a.version, a.code) for a in missing if a.id is not None],
    )


def apply(user: CurrentUser, plan: Workplan, previewed: ImportPreview, ref: ProgrammeReference,
          url: str | None = None, remove_missing: int | None = None) -> SaveResult:  # fmt: skip
    """Save exactly what was previewed. Each line is checked against its version at preview
    time: a line a colleague saved since then is a conflict (both values shown), never reverted.

    Lines of the workplan that are not in the file are kept, unless the planner asked to remove
    them and confirmed their number: `remove_missing` must equal that number.
    """
    require(user, Permission.EDIT_PLANS)
    if not previewed.ok or previewed.diff is None:
        raise WorkplanError("Only a preview without problems can be applied.")
    missing = len(previewed.diff.removed)
    if remove_missing is not None and remove_missing != missing:
        raise WorkplanError(f"You confirmed removing {remove_missing} line(s), but {missing} "
                            "line(s) of the workplan are not in the file: nothing was changed.")
    edit = as_edit(previewed.diff, remove_missing=remove_missing is not None)
    if edit.empty:
        raise WorkplanError("Nothing to apply: the file changes no line (the lines missing "
                            "from it are kept unless you ask to remove them).")
    return save(user, plan.id, edit, ref, url=url)
