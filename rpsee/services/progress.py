"""Indicator progress: planners enter actual values per period (and jurisdiction, sex) with
their source, correct them (history kept) and rate outputs; finance, members and the
secretariat read the live figures; observers read the reports frozen for the Committee."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache
from hashlib import sha256

from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError

from rpsee.domain.money import quoted
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.review.indicators import (
    IndicatorSpec,
    Interval,
    StatusRule,
    load_rule,
    load_specs,
)
from rpsee.domain.review.progress import (
    Actual,
    ActualError,
    IndicatorProgress,
    assess_all,
    overlapping,
    read_actual,
)
from rpsee.domain.review.report import (
    ProgressReport,
    Rating,
    build_report,
    check_rating,
    content_hash,
    from_json,
    to_json,
)
from rpsee.domain.roles import SUBMITTED_STATUSES, CurrentUser, Permission, Role, require
from rpsee.store.audit import utcnow
from rpsee.store.data_files import read_yaml
from rpsee.store.models import IndicatorRow
from rpsee.store.review_models import (
    EvidenceFileRow,
    IndicatorActualRow,
    OutputRatingRow,
    ProgressReportRow,
)
from rpsee.store.uow import StoreError, UnitOfWork
from rpsee.store.workplans import race_window

MONITORING_FILE = "monitoring.yaml"
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


class ProgressRefused(ValueError):
    """An entry, correction or rating refused; the message names the field."""


@dataclass(frozen=True)
class Evidence:
    name: str
    data: bytes


@dataclass(frozen=True)
class ActualForm:
    """What a planner typed for one value: kept as typed until read against the spec."""

    indicator_code: str
    period_start: object
    period_end: object
    jurisdiction: str | None
    sex: str | None
    value: object
    source: str
    evidence: Evidence | None = None


@dataclass(frozen=True)
class ReportRecord:
    id: int
    year: int
    number: int
    workplan_id: int | None
    as_of: date
    frozen_at: object
    frozen_by: str
    content_hash: str
    report: ProgressReport


@cache
def _monitoring() -> dict:
    return read_yaml(MONITORING_FILE)


def specs(ref: ProgrammeReference) -> dict[str, IndicatorSpec]:
    """The indicators' monitoring specs (data/monitoring.yaml) for this reference: pure
    reading of settings, no user data."""
    return load_specs(_monitoring(), ref)


def rule() -> StatusRule:
    """The status rule (data/monitoring.yaml), with its wording for the page and the pack."""
    return load_rule(_monitoring())


def _actual(r: IndicatorActualRow) -> Actual:
    return Actual(r.indicator_code, r.period_start, r.period_end, r.jurisdiction_code, r.sex,
                  Decimal(r.value), r.source, r.entered_by, r.entered_at, r.id,
                  r.replaces_id)  # fmt: skip


def _key(a: Actual) -> str:
    return "|".join((a.indicator_code, a.period_start.isoformat(), a.period_end.isoformat(),
                     a.jurisdiction or "", a.sex or ""))  # fmt: skip


def actuals(user: CurrentUser, indicator_code: str | None = None,
            url: str | None = None) -> list[Actual]:  # fmt: skip
    """Every entry with its corrections (history), oldest first."""
    require(user, Permission.VIEW_LIVE_PROGRESS)
    with UnitOfWork(url=url) as uow:
        return [_actual(r) for r in uow.review.actuals(indicator_code)]


def evidence(user: CurrentUser, actual_id: int, url: str | None = None) -> Evidence | None:
    """The file uploaded as the source of an entry, if any."""
    require(user, Permission.VIEW_LIVE_PROGRESS)
    with UnitOfWork(url=url) as uow:
        row = uow.session.get(IndicatorActualRow, actual_id)
        file = uow.review.evidence(row.evidence_id) if row and row.evidence_id else None
        return Evidence(file.name, file.data) if file else None


def _lock_indicator(uow: UnitOfWork, code: str) -> None:
    """Entries of one indicator are written one at a time: a no-op write on its reference row
    (a row lock on PostgreSQL, the write lock on SQLite), so the overlap check below sees every
    entry committed before."""
    uow.session.execute(update(IndicatorRow).where(IndicatorRow.code == code)
                        .values(code=IndicatorRow.code))  # fmt: skip


def _read(form: ActualForm, spec: IndicatorSpec, user: CurrentUser, ref: ProgrammeReference,
          today: date, replaces: int | None) -> Actual:  # fmt: skip
    try:
        return read_actual(
            spec, period_start=form.period_start, period_end=form.period_end,
            jurisdiction=form.jurisdiction or None, sex=form.sex or None, value=form.value,
            source=form.source, entered_by=user.username, entered_at=utcnow(),
            jurisdictions=[j.code for j in ref.jurisdictions if j.code != "REG"],
            cycle=ref.figures.cycle_days, today=today, replaces=replaces)  # fmt: skip
    except ActualError as exc:
        raise ProgressRefused(f"Indicator {spec.code}, {_FIELD.get(exc.field, exc.field)}: "
                              f"{exc.message}") from None  # fmt: skip


_FIELD = {"period_start": "Period from", "period_end": "Period to", "jurisdiction": "Jurisdiction",
          "sex": "Sex", "value": "Value", "source": "Source", "entered_by": "Entered by"}


def _store(uow: UnitOfWork, a: Actual, form: ActualForm, user: CurrentUser) -> Actual:
    evidence_id = None
    if form.evidence is not None:
        data = form.evidence.data
        if len(form.evidence.name) > 200:  # kept as given, never cut
            raise ProgressRefused(f"Evidence file: its name has {len(form.evidence.name)} "
                                  "characters; at most 200 (rename the file)")  # fmt: skip
        if not data or len(data) > MAX_EVIDENCE_BYTES:
            raise ProgressRefused(f"Evidence file {quoted(form.evidence.name)}: empty or over "
                                  f"{MAX_EVIDENCE_BYTES // (1024 * 1024)} MB")  # fmt: skip
        file = uow.review.add(EvidenceFileRow(
            name=form.evidence.name, sha256=sha256(data).hexdigest(), size=len(data),
            data=data, uploaded_by=user.username, uploaded_at=a.entered_at))  # fmt: skip
        evidence_id = file.id
    row = uow.review.add(IndicatorActualRow(
        indicator_code=a.indicator_code, period_start=a.period_start, period_end=a.period_end,
        jurisdiction_code=a.jurisdiction, sex=a.sex, value=str(a.value), source=a.source,
        evidence_id=evidence_id, replaces_id=a.replaces, current_key=_key(a),
        entered_by=a.entered_by, entered_at=a.entered_at))  # fmt: skip
    return replace(a, id=row.id)


def _spec(ref: ProgrammeReference, code: str) -> IndicatorSpec:
    found = specs(ref).get(code)
    if found is None:
        raise ProgressRefused(f"Indicator: {quoted(code)} is not an indicator of the logframe")
    return found


def _overlap_check(uow: UnitOfWork, a: Actual, spec: IndicatorSpec) -> None:
    if spec.interval is Interval.PER_EVENT and a.replaces is None:
        same = _key(a)
        clash = next((x for x in uow.review.actuals(a.indicator_code) if x.current_key == same),
                     None)  # fmt: skip
        if clash is not None:
            raise ProgressRefused(f"Indicator {a.indicator_code}: an entry for the same dates, "
                                  f"jurisdiction and sex exists (by {clash.entered_by}): it "
                                  "would count twice; correct it instead")  # fmt: skip
        return
    other = overlapping(a, [_actual(r) for r in uow.review.actuals(a.indicator_code)])
    if other is not None:
        raise ProgressRefused(
            f"Indicator {a.indicator_code}, Period: {a.period_start} to {a.period_end} overlaps "
            f"the entry for {other.period_start} to {other.period_end}"
            f"{' (' + other.jurisdiction + ')' if other.jurisdiction else ''} entered by "
            f"{other.entered_by}: it would count twice; correct that entry instead")


def enter_actual(user: CurrentUser, form: ActualForm, today: date | None = None,
                 url: str | None = None) -> Actual:  # fmt: skip
    """Record one actual value; refused (naming the field) when it cannot be read exactly or
    would count twice with an entry already made."""
    return enter_actuals(user, [form], today, url=url)[0]


def enter_actuals(user: CurrentUser, forms: Sequence[ActualForm], today: date | None = None,
                  url: str | None = None) -> list[Actual]:  # fmt: skip
    """Record several values in one transaction (all or none), each checked as `enter_actual`
    checks one (against the entries saved and those before it in `forms`)."""
    require(user, Permission.ENTER_PROGRESS)
    with UnitOfWork(actor=user.username, action="progress_enter", url=url) as uow:
        ref = uow.reference.load()
        known = specs(ref)
        saved = []
        for form in forms:
            spec = known.get(form.indicator_code) or _spec(ref, form.indicator_code)
            a = _read(form, spec, user, ref, today or date.today(), None)
            _lock_indicator(uow, spec.code)
            race_window()
            _overlap_check(uow, a, spec)
            saved.append(_store(uow, a, form, user))
        uow.commit()
        return saved


def correct_actual(user: CurrentUser, actual_id: int, form: ActualForm,
                   today: date | None = None, url: str | None = None) -> Actual:  # fmt: skip
    """Replace an entry by a corrected one (the replaced entry stays in the history). Refused
    when the entry was corrected meanwhile (by someone else): correct the current one."""
    require(user, Permission.ENTER_PROGRESS)
    with UnitOfWork(actor=user.username, action="progress_correct", url=url) as uow:
        ref = uow.reference.load()
        _lock_indicator(uow, form.indicator_code)
        old = uow.review.lock_actual(actual_id)
        if old is None or old.indicator_code != form.indicator_code:
            raise ProgressRefused(f"Entry {actual_id}: not found for indicator "
                                  f"{form.indicator_code}")  # fmt: skip
        if old.current_key is None:
            by = [r for r in uow.review.actuals(old.indicator_code) if r.replaces_id == old.id]
            who = f" by {by[0].entered_by} at {by[0].entered_at:%Y-%m-%d %H:%M} UTC" if by else ""
            raise ProgressRefused(f"Entry {actual_id}: already corrected{who}; reload and "
                                  "correct the current entry")  # fmt: skip
        spec = _spec(ref, old.indicator_code)
        a = _read(form, spec, user, ref, today or date.today(), old.id)
        race_window()
        old.current_key = None
        uow.session.flush()
        _overlap_check(uow, a, spec)
        saved = _store(uow, a, form, user)
        uow.commit()
        return saved


def progress(user: CurrentUser, as_of: date, url: str | None = None) -> list[IndicatorProgress]:
    """Every indicator's progress by `as_of`, from the live entries."""
    require(user, Permission.VIEW_LIVE_PROGRESS)
    with UnitOfWork(url=url) as uow:
        ref = uow.reference.load()
        rows = [_actual(r) for r in uow.review.actuals()]
    return assess_all(specs(ref).values(), rows, as_of, rule())


def ratings(user: CurrentUser, year: int, url: str | None = None) -> list[tuple[Rating, int]]:
    """The outputs rated for `year`, each with its row version (for a change)."""
    require(user, Permission.VIEW_LIVE_PROGRESS)
    with UnitOfWork(url=url) as uow:
        return [(Rating(r.output_code, r.rating, r.narrative), r.version)
                for r in uow.review.ratings(year)]  # fmt: skip


def rate_output(user: CurrentUser, year: int, rating: Rating, version: int | None,
                url: str | None = None) -> None:  # fmt: skip
    """Set an output's rating and narrative for a year; `version`: the row version read (None
    for a first rating). Refused when someone else changed it meanwhile."""
    rate_outputs(user, year, [(rating, version)], url=url)


def rate_outputs(user: CurrentUser, year: int, ratings: Sequence[tuple[Rating, int | None]],
                 url: str | None = None) -> None:  # fmt: skip
    """`rate_output` for several outputs in one transaction (all or none)."""
    require(user, Permission.ENTER_PROGRESS)
    for rating, _version in ratings:
        problems = check_rating(rating.rating, rating.narrative)
        if problems:
            raise ProgressRefused(f"Output {rating.output_code}: " + "; ".join(problems))
    try:
        with UnitOfWork(actor=user.username, action="progress_rate", url=url) as uow:
            outputs = {o.code for o in uow.reference.load().outputs}
            for rating, version in ratings:
                _rate(uow, user, year, rating, version, outputs)
            race_window()
            uow.commit()
    except StaleDataError:
        raise ProgressRefused("An output's rating was changed since you read it; "
                              "reload") from None  # fmt: skip
    except StoreError as exc:
        if not exc.clash:
            raise
        # a first rating of the year that a colleague made a moment before: one row per
        # output and year, so theirs stands and nothing of this batch was saved
        first = ", ".join(r.output_code for r, v in ratings if v is None)
        raise ProgressRefused(f"Output {first}: rated for {year} by a colleague a moment ago; "
                              "nothing was saved: reload to see their rating, then change "
                              "it if need be") from None  # fmt: skip


def _rate(uow: UnitOfWork, user: CurrentUser, year: int, rating: Rating, version: int | None,
          outputs: set[str]) -> None:  # fmt: skip
    if rating.output_code not in outputs:
        raise ProgressRefused(f"Output: {quoted(rating.output_code)} is not an output")
    row = uow.review.rating(rating.output_code, year)
    if (row is None) != (version is None) or (row is not None and row.version != version):
        raise ProgressRefused(f"Output {rating.output_code}: the rating was changed by "
                              f"{row.updated_by if row else 'someone'} since you read "
                              "it; reload")  # fmt: skip
    if row is None:
        uow.review.add(OutputRatingRow(output_code=rating.output_code, year=year,
                                       rating=rating.rating, narrative=rating.narrative,
                                       updated_by=user.username, updated_at=utcnow()))
    else:
        row.rating, row.narrative = rating.rating, rating.narrative
        row.updated_by, row.updated_at = user.username, utcnow()


def live_report(user: CurrentUser, year: int, as_of: date,
                url: str | None = None) -> ProgressReport:  # fmt: skip
    """The report as it would be frozen now: live entries and ratings."""
    require(user, Permission.VIEW_LIVE_PROGRESS)
    with UnitOfWork(url=url) as uow:
        return _live(uow, year, as_of)


def _live(uow: UnitOfWork, year: int, as_of: date) -> ProgressReport:
    ref = uow.reference.load()
    rows = [_actual(r) for r in uow.review.actuals()]
    rated = [Rating(r.output_code, r.rating, r.narrative) for r in uow.review.ratings(year)]
    return build_report(year, as_of, assess_all(specs(ref).values(), rows, as_of, rule()), rated,
                        rule())  # fmt: skip


def freeze(uow: UnitOfWork, actor: str, year: int, as_of: date,
           workplan_id: int | None) -> ProgressReportRow:  # fmt: skip
    """Inside a caller's unit of work (the submission of a workplan version): freeze the live
    report of `year` as the next numbered report of that year."""
    report = _live(uow, year, as_of)
    body = to_json(report)
    number = 1 + max((r.number for r in uow.review.reports(year)), default=0)
    row = ProgressReportRow(year=year, number=number, workplan_id=workplan_id, as_of=as_of,
                            frozen_at=utcnow(), frozen_by=actor, content_hash=content_hash(body),
                            body=body)  # fmt: skip
    return uow.review.add(row)


def _record(r: ProgressReportRow, uow: UnitOfWork) -> ReportRecord:
    """The frozen report, who froze it named by name and role."""
    return ReportRecord(r.id, r.year, r.number, r.workplan_id, r.as_of, r.frozen_at,
                        uow.users.person(r.frozen_by), r.content_hash, from_json(r.body))


def reports(user: CurrentUser, year: int | None = None,
            url: str | None = None) -> list[ReportRecord]:  # fmt: skip
    """The frozen reports (of a year), oldest first: observers only those given to the
    Committee with a version submitted to it."""
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        rows = uow.review.reports(year)
        if user.role is Role.OBSERVER:
            status = {p.id: p.status for p in uow.workplans.list()}
            rows = [r for r in rows if status.get(r.workplan_id) in SUBMITTED_STATUSES]
        return [_record(r, uow) for r in rows]


def report_of(user: CurrentUser, workplan_id: int,
              url: str | None = None) -> ReportRecord | None:  # fmt: skip
    """The report frozen with a workplan version (what the Committee saw with it)."""
    found = [r for r in reports(user, url=url) if r.workplan_id == workplan_id]
    return found[-1] if found else None
