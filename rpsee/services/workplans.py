"""Workplan use cases: list, open, preview and start a draft (empty or copied), save an edit,
the version in use of each year."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm.exc import StaleDataError

from rpsee.domain.money import AmountError, parse_percent
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.roles import CurrentUser, Permission, require
from rpsee.domain.text_rules import shown
from rpsee.domain.visibility import readable, reads_drafts, require_version, version_per_year
from rpsee.domain.workflow import WorkflowError, check_in_use
from rpsee.domain.workplan import (
    FIELD_LABELS,
    Activity,
    Workplan,
    field_changes,
    next_code,
)
from rpsee.domain.workplan_copy import CopyPreview, preview_copy
from rpsee.domain.workplan_labels import describe_change
from rpsee.domain.workplan_rules import Codebook, RowError, parse_row
from rpsee.services import pipeline
from rpsee.store.audit import utcnow
from rpsee.store.models import WorkplanRow
from rpsee.store.uow import StoreError, UnitOfWork
from rpsee.store.workplans import (
    LastChange,
    race_window,
    to_activity,
    to_workplan,
    write_activity,
)


class WorkplanError(ValueError):
    """A workplan request that cannot be carried out; the message says why."""


class WorkplanInvalid(WorkplanError):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s): " + "; ".join(str(e) for e in errors[:5]))


@dataclass(frozen=True)
class Conflict:
    """A line someone else changed (or deleted) after it was loaded: the field as the page
    labels it, both values as the page shows them (amounts in USD)."""

    code: str
    field: str
    theirs: str
    yours: str
    by: str | None
    at: datetime | None

    def __str__(self) -> str:
        who = f" by {self.by} at {self.at:%Y-%m-%d %H:%M} UTC" if self.by and self.at else ""
        return f"{self.code}, {self.field}: saved {self.theirs}{who}; yours {self.yours}"


class WorkplanConflict(WorkplanError):
    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        super().__init__(f"{len(conflicts)} conflicting change(s): " + "; ".join(
            str(c) for c in conflicts[:5]))  # fmt: skip


@dataclass
class WorkplanEdit:
    """What a user changed since loading: new lines, changed lines (with the version they
    loaded) and removed lines (id, loaded version, code)."""

    added: list[Activity] = field(default_factory=list)
    changed: list[Activity] = field(default_factory=list)
    removed: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


@dataclass(frozen=True)
class SaveResult:
    added: list[str]
    changed: list[str]
    removed: list[str]


def list_workplans(user: CurrentUser, url: str | None = None) -> list[Workplan]:
    """The versions the user reads (donor observers: those given to the Committee)."""
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        return readable(user, uow.workplans.list())


def _readable_version(uow: UnitOfWork, user: CurrentUser, workplan_id: int) -> None:
    """PermissionDenied if the user may not read this version (a draft, for an observer)."""
    if reads_drafts(user):
        return
    plan = next((p for p in uow.workplans.list() if p.id == workplan_id), None)
    if plan is not None:
        require_version(user, plan)


def activities(user: CurrentUser, workplan_id: int, url: str | None = None) -> list[Activity]:
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        _readable_version(uow, user, workplan_id)
        lines = uow.workplans.activities(workplan_id)
    return pipeline.lines_seen(user, lines, url)


def last_saved(user: CurrentUser, workplan_id: int, url: str | None = None) -> LastChange | None:
    """Who last saved a line of this workplan, and when (for "changed by X at HH:MM")."""
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        _readable_version(uow, user, workplan_id)
        return uow.workplans.last_line_change(workplan_id)


def check(activity: Activity, ref: ProgrammeReference, year: int, row: str) -> list[RowError]:
    """Re-check a parsed line against the reference (services never trust the page)."""
    raw = {f: getattr(activity, f) for f in FIELD_LABELS if f != "budget"}
    raw.update({f"budget_{k}": v for k, v in activity.budget.items()})
    book = Codebook.for_year(ref, year)
    unknown = [k for k in activity.budget if k not in book.categories]
    errors = [RowError(row, "Budget", f"unknown cost category {shown(k)}") for k in unknown]
    # what is saved is the line as given: a float (NaN included) is not taken for a blank
    names = {c.code: c.name for c in ref.cost_categories}
    errors += [RowError(row, f"Budget – {names.get(k, k)}", f"{shown(v)} is not an exact amount "
                        "(give it as text or a Decimal, e.g. 46500.00)")
               for k, v in activity.budget.items() if isinstance(v, float)]  # fmt: skip
    whole = ("start_month", "end_month", "gem", "dac_gender", "dac_disability")
    errors += [RowError(row, FIELD_LABELS[f], f"{shown(getattr(activity, f))} is not a whole "
                        "number") for f in whole if isinstance(getattr(activity, f), float)]
    return errors + parse_row(raw, row, book)[1]


def _label(a: Activity, fallback: str) -> str:
    return f"Row {a.code}" if a.code else fallback


def save(user: CurrentUser, workplan_id: int, edit: WorkplanEdit, ref: ProgrammeReference,
         url: str | None = None) -> SaveResult:  # fmt: skip
    """Apply an edit in one transaction: all of it, or (on any error or conflict) none of it.

    A line saved by someone else between the version check and the write (the database
    reports it as `StaleDataError`) is checked again, so it is reported as a conflict; new lines
    whose codes a colleague's save took meanwhile are numbered again once. A database failure
    is a `StoreError` with a message (nothing saved)."""
    require(user, Permission.EDIT_PLANS)
    for attempt in range(2):
        try:
            return _save_once(user, workplan_id, edit, ref, url)
        except StaleDataError:
            continue
        except StoreError as exc:  # a colleague's lines took the new codes a moment before
            if not exc.clash or attempt:
                raise
    codes = [a.code for a in edit.changed] + [code for _id, _v, code in edit.removed]
    raise WorkplanConflict([Conflict(code, "Line", "changed by someone else meanwhile",
                                     "your edit", None, None) for code in codes])  # fmt: skip


def _save_once(user: CurrentUser, workplan_id: int, edit: WorkplanEdit,
               ref: ProgrammeReference, url: str | None) -> SaveResult:  # fmt: skip
    now = utcnow()
    with UnitOfWork(actor=user.username, action="workplan_save", url=url) as uow:
        # the version's status is read (and stays) locked: a submit waits for this save, or
        # this save sees "submitted" and refuses
        plan = uow.workplans.lock_version(workplan_id)
        if plan is None:
            raise WorkplanError(f"Workplan {workplan_id} does not exist.")
        if plan.status != "draft":
            raise WorkplanError(f"The {plan.year} workplan version {plan.version_no} is "
                                f"{plan.status}: only a draft can be edited.")  # fmt: skip
        errors: list[RowError] = []
        for i, a in enumerate(edit.added, start=1):
            errors += check(a, ref, plan.year, f"New row {i}")
        for a in edit.changed:
            errors += check(a, ref, plan.year, _label(a, "Row"))
        if errors:
            raise WorkplanInvalid(errors)

        ids = [a.id for a in edit.changed if a.id is not None] + [r[0] for r in edit.removed]
        rows = uow.workplans.activity_rows(ids)
        foreign = [code for act_id, _v, code in edit.removed
                   if act_id in rows and rows[act_id].workplan_id != workplan_id]  # fmt: skip
        if foreign:
            raise WorkplanError(f"Line {', '.join(foreign)}: not a line of the {plan.year} "
                                f"workplan version {plan.version_no}; nothing was saved."
                                )  # fmt: skip
        conflicts: list[Conflict] = []
        for a in edit.changed:
            row = rows.get(a.id) if a.id is not None else None
            if row is None or row.workplan_id != workplan_id:
                conflicts.append(Conflict(a.code, "Line", "removed", "changed", None, None))
            elif row.version != a.version:
                conflicts += _conflicts(uow, workplan_id, to_activity(row), a, ref)
        for act_id, version, code in edit.removed:
            row = rows.get(act_id)
            if row is not None and row.version != version:
                last = uow.workplans.last_change(workplan_id, code)
                conflicts.append(Conflict(code, "Line", "changed", "removed",
                                          last.actor if last else None,
                                          last.at if last else None))  # fmt: skip
        if conflicts:
            raise WorkplanConflict(conflicts)

        # a flush here or at commit that finds a line saved meanwhile (StaleDataError) is
        # retried by `save`, whose second check reports it as a conflict
        # before deleting, so a removed line's number stays used; only when lines are added
        race_window()
        lineage = uow.workplans.lineage_of_codes() if edit.added else {}
        taken = {*lineage, *lineage.values()}  # numbers of any line, any year or version
        result = SaveResult([], [], [])
        for a in edit.changed:
            row = rows[a.id]
            if field_changes(to_activity(row), a):
                write_activity(row, a, user.username, now)
                result.changed.append(row.code)
        for act_id, _version, code in edit.removed:
            if act_id in rows:
                uow.session.delete(rows[act_id])
                result.removed.append(code)
        for a in edit.added:
            code = a.code if a.code and a.code not in taken and a.code.startswith(
                f"{plan.year}-") else next_code(plan.year, a.output_code, taken)  # fmt: skip
            taken.add(code)
            uow.workplans.add_activity(workplan_id, _with_code(a, code), user.username, now)
            result.added.append(code)
        uow.commit()
        return result


def _with_code(a: Activity, code: str) -> Activity:
    return replace(a, code=code, id=None, version=None, line_id=code)


def _conflicts(uow: UnitOfWork, workplan_id: int, theirs: Activity, yours: Activity,
               ref: ProgrammeReference) -> list[Conflict]:  # fmt: skip
    last = uow.workplans.last_change(workplan_id, theirs.code)
    by, at = (last.actor, last.at) if last else (None, None)
    names = {c.code: c.name for c in ref.cost_categories}
    # no changes: they changed it to exactly what you wanted, nothing is lost
    return [Conflict(theirs.code, label, old, new, by, at)
            for c in field_changes(theirs, yours) for label, old, new in describe_change(c, names)]


def _preview(
    uow: UnitOfWork, year: int, ref: ProgrammeReference, copy_from: int,
    codes: list[str] | None, uplift_percent: Decimal,
) -> CopyPreview:  # fmt: skip
    plans = uow.workplans.list()
    source = next((p for p in plans if p.id == copy_from), None)
    if source is None:
        raise WorkplanError(f"Workplan {copy_from} does not exist.")
    existing = [p for p in plans if p.year == year]
    return preview_copy(source, uow.workplans.activities(copy_from), year,
                        ref.figures.months_of(year), existing, uplift_percent,
                        uow.workplans.lineage_of_codes(), codes)  # fmt: skip


def _check_request(year: int, ref: ProgrammeReference, uplift_percent: object) -> Decimal:
    """The uplift as an exact percentage (NaN, infinity and text that is not one refused)."""
    if year not in ref.figures.cycle_years:
        raise WorkplanError(f"Year: {year} is outside the programme cycle.")
    try:
        return parse_percent(uplift_percent, field="Uplift", low=Decimal(-100),
                             high=Decimal(100))  # fmt: skip
    except AmountError as exc:
        raise WorkplanError(f"{exc}.") from None


def preview_draft(
    user: CurrentUser,
    year: int,
    ref: ProgrammeReference,
    copy_from: int,
    codes: list[str] | None = None,
    uplift_percent: Decimal = Decimal(0),
    url: str | None = None,
) -> CopyPreview:
    """What `start_draft` with the same arguments would create (nothing is written)."""
    require(user, Permission.EDIT_PLANS)
    uplift_percent = _check_request(year, ref, uplift_percent)
    with UnitOfWork(url=url) as uow:
        return _preview(uow, year, ref, copy_from, codes, uplift_percent)


def start_draft(
    user: CurrentUser,
    year: int,
    ref: ProgrammeReference,
    copy_from: int | None = None,
    codes: list[str] | None = None,
    uplift_percent: Decimal = Decimal(0),
    confirmed: bool = False,
    use_now: bool = False,
    url: str | None = None,
) -> Workplan:
    """A new draft version for `year`: empty, or copied from another workplan's lines (those in
    `codes`, or by default all of a same-year version's and the planned and ongoing lines of
    another year's; see `copy_forward`), budgets uplifted by `uplift_percent`.

    When `year` already has versions, `confirmed` must say the planner saw them, and the new
    version is used by default only if `use_now`; the first version of a year is always used.
    """
    require(user, Permission.EDIT_PLANS)
    uplift_percent = _check_request(year, ref, uplift_percent)
    with UnitOfWork(actor=user.username, action="workplan_start", url=url) as uow:
        uow.workplans.lock_year(year)
        existing = [p for p in uow.workplans.list() if p.year == year]
        if existing and not confirmed:
            names = "; ".join(_version_text(p) for p in existing)
            raise WorkplanError(f"{year} already has {names}: confirm to add version "
                                f"{existing[-1].version_no + 1}.")  # fmt: skip
        plan = _create_version(uow, user, year, ref, copy_from, codes, uplift_percent,
                               use_now or not existing)  # fmt: skip
        uow.commit()
        return plan


def _create_version(uow: UnitOfWork, user: CurrentUser, year: int, ref: ProgrammeReference,
                    copy_from: int | None, codes: list[str] | None, uplift_percent: Decimal,
                    use_now: bool, amendment_type: str | None = None) -> Workplan:  # fmt: skip
    """A new draft version of `year` in the caller's transaction, which has locked the year
    (see `start_draft`; a draft is never used while the year has an approved version)."""
    now = utcnow()
    approved = [p for p in uow.workplans.list() if p.year == year and p.status == "approved"]
    if use_now and approved:
        raise WorkplanError(f"{year} has an approved version (version {approved[-1].version_no})"
                            ": the pages keep using it until the new draft is approved itself; "
                            "create the draft without using it now.")  # fmt: skip
    race_window()
    lines = []
    if copy_from is not None:
        lines = _preview(uow, year, ref, copy_from, codes, uplift_percent).activities
    row = WorkplanRow(year=year, version_no=uow.workplans.next_version_no(year),
                      status="draft", based_on_id=copy_from, amendment_type=amendment_type,
                      created_at=now, created_by=user.username)  # fmt: skip
    uow.session.add(row)
    uow.session.flush()
    for a in lines:
        uow.workplans.add_activity(row.id, a, user.username, now)
    if use_now:
        uow.workplans.set_in_use(year, row.id, user.username, now)
    return to_workplan(row, use_now)


def _version_text(p: Workplan) -> str:
    return f"version {p.version_no} ({p.status}{', in use' if p.in_use else ''})"


def set_in_use(user: CurrentUser, workplan_id: int, url: str | None = None) -> Workplan:
    """Use this version of its year's workplan on every page from now on (a planner's choice)."""
    require(user, Permission.EDIT_PLANS)
    with UnitOfWork(actor=user.username, action="workplan_in_use", url=url) as uow:
        row = uow.workplans.lock_version(workplan_id)
        if row is None:
            raise WorkplanError(f"Workplan {workplan_id} does not exist.")
        try:
            check_in_use(to_workplan(row), uow.workplans.list())
        except WorkflowError as exc:
            raise WorkplanError(str(exc)) from None
        race_window()
        uow.workplans.set_in_use(row.year, row.id, user.username, utcnow())
        uow.commit()
        return to_workplan(row, in_use=True)


def in_use_by_year(user: CurrentUser, url: str | None = None) -> dict[int, Workplan]:
    """The version of each year's workplan that the user's pages use by default (donor
    observers: the version the Committee was given, see `version_per_year`)."""
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        return version_per_year(user, uow.workplans.list())


def lines_in_use(user: CurrentUser, url: str | None = None) -> dict[int, list[Activity]]:
    """The lines of each year's version in use (what allocation and staffing compare against;
    donor observers: the versions given to the Committee)."""
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        used = version_per_year(user, uow.workplans.list()).values()
        lines = {p.year: uow.workplans.activities(p.id) for p in used}
    return {y: pipeline.lines_seen(user, a, url) for y, a in lines.items()}
