"""Expenditure from the ERP (Umoja extracts): finance keeps the WBS mapping, previews an
extract (every row it cannot read or map named) and applies it on confirmation, replacing the
months it holds; everybody who reads the programme reads what was spent (observers: other
donors' confidential grants as one aggregate)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from rpsee.domain.disclosure import OTHER_CONFIDENTIAL
from rpsee.domain.money import format_usd, from_cents, to_cents
from rpsee.domain.pipeline import rate_table
from rpsee.domain.review.expenditure import (
    ExpenditureLine,
    ExtractPreview,
    WbsMapping,
    check_mapping,
    read_extract,
)
from rpsee.domain.roles import CurrentUser, Permission, Role, require
from rpsee.services import pipeline
from rpsee.services.expenditure_files import read_rows
from rpsee.store.audit import utcnow
from rpsee.store.review import LINE_COLUMNS
from rpsee.store.review_models import ExpenditureImportRow, WbsMappingRow
from rpsee.store.uow import StoreError, UnitOfWork
from rpsee.store.workplans import race_window

SIGNED = "hard"  # the pipeline status of a signed agreement: the grants spending is booked to


class ExpenditureRefused(ValueError):
    """An extract or a mapping that cannot be applied; `problems` name row and column."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ImportRecord:
    id: int
    filename: str
    sha256: str
    rows: int
    periods: tuple[str, ...]
    total_usd: Decimal
    imported_by: str
    imported_at: datetime
    replaced_lines: int = 0

    @property
    def summary(self) -> str:
        months = f"{self.periods[0]} to {self.periods[-1]}" if self.periods else "no month"
        return (f"{self.filename}: {self.rows:,} line(s), {months}, "
                f"{format_usd(self.total_usd)}")  # fmt: skip


def _mapping(uow: UnitOfWork) -> dict[str, WbsMapping]:
    return {r.wbs: WbsMapping(r.wbs, r.output_code, r.office_code, r.jurisdiction_code)
            for r in uow.review.mappings()}  # fmt: skip


def wbs_mapping(user: CurrentUser, url: str | None = None) -> dict[str, WbsMapping]:
    """The WBS elements and where their spending belongs (output, office, jurisdiction)."""
    require(user, Permission.VIEW_LIVE_PROGRESS)
    with UnitOfWork(url=url) as uow:
        return _mapping(uow)


def map_wbs(user: CurrentUser, mapping: WbsMapping, url: str | None = None) -> WbsMapping:
    """Add or change where one WBS element's spending belongs; refused naming the field."""
    return map_many(user, [mapping], url=url)[0]


def map_many(user: CurrentUser, mappings: Sequence[WbsMapping],
             url: str | None = None) -> list[WbsMapping]:  # fmt: skip
    """`map_wbs` for several elements in one transaction (all or none)."""
    require(user, Permission.IMPORT_EXPENDITURE)
    try:
        return _map_many(user, mappings, url)
    except StoreError as exc:
        if not exc.clash:
            raise
        # a colleague mapped one of these elements first, a moment before: mapping is "add
        # or change", so this one is applied over theirs, as it would be a second later
        return _map_many(user, mappings, url)


def _map_many(user: CurrentUser, mappings: Sequence[WbsMapping],
              url: str | None) -> list[WbsMapping]:  # fmt: skip
    done = []
    with UnitOfWork(actor=user.username, action="wbs_map", url=url) as uow:
        ref = uow.reference.load()
        for mapping in mappings:
            wbs = mapping.wbs.strip()
            if not wbs or len(wbs) > 40:
                raise ExpenditureRefused(["WBS element: give the element's code (up to 40 "
                                          "characters)"])  # fmt: skip
            mapping = replace(mapping, wbs=wbs)
            problems = check_mapping(mapping, ref)
            if problems:
                raise ExpenditureRefused([f"WBS element {wbs}: {p}" for p in problems])
            _write_mapping(uow, mapping, user)
            done.append(mapping)
        race_window()
        uow.commit()
    return done


def _write_mapping(uow: UnitOfWork, mapping: WbsMapping, user: CurrentUser) -> None:
    values = {"output_code": mapping.output_code, "office_code": mapping.office_code,
              "jurisdiction_code": mapping.jurisdiction, "updated_by": user.username,
              "updated_at": utcnow()}  # fmt: skip
    row = uow.review.mapping(mapping.wbs)
    if row is None:
        uow.review.add(WbsMappingRow(wbs=mapping.wbs, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)


MAX_NAME = 200


def _read(uow: UnitOfWork, data: bytes, filename: str) -> ExtractPreview:
    if len(filename) > MAX_NAME:  # kept with the import as given, never cut
        raise ExpenditureRefused([f"File name: {len(filename)} characters; at most {MAX_NAME} "
                                  "(rename the file)"])  # fmt: skip
    try:
        rows, sha256 = read_rows(data, filename)
    except ValueError as exc:
        raise ExpenditureRefused([f"File {filename}: {exc}"]) from None
    ref = uow.reference.load()
    grants = {c.reference for c in uow.pipeline.contributions() if c.status == SIGNED}
    rates = rate_table(uow.pipeline.rates())
    return read_extract(rows, sha256=sha256, grants=grants, mapping=_mapping(uow), rates=rates,
                        cycle=ref.figures.cycle_days, ref=ref)  # fmt: skip


def preview(user: CurrentUser, data: bytes, filename: str,
            url: str | None = None) -> ExtractPreview:  # fmt: skip
    """What applying this extract would do, with every row it cannot read or map named."""
    require(user, Permission.IMPORT_EXPENDITURE)
    with UnitOfWork(url=url) as uow:
        return _read(uow, data, filename)


def apply(user: CurrentUser, data: bytes, filename: str, sha256: str,
          url: str | None = None) -> ImportRecord:  # fmt: skip
    """Apply the extract previewed as `sha256`: read again under the import lock (so the mapping
    and rates used are those of this moment), refused while any row has a problem; the months
    it holds replace what was imported for them before (no double counting)."""
    require(user, Permission.IMPORT_EXPENDITURE)
    with UnitOfWork(actor=user.username, action="expenditure_import", url=url) as uow:
        ledger = uow.review.lock_ledger()  # PostgreSQL: a row lock; SQLite: the write below
        ledger.imports += 1
        uow.session.flush()
        found = _read(uow, data, filename)
        race_window()
        if found.sha256 != sha256:
            raise ExpenditureRefused([f"File {filename}: it is not the file previewed; preview "
                                      "it again"])  # fmt: skip
        if not found.ok:
            raise ExpenditureRefused([f"Row {p.row}, {p.column}: {p.message}"
                                      for p in found.problems])  # fmt: skip
        now = utcnow()
        periods = tuple(f"{y}-{m:02d}" for y, m in found.periods)
        total = sum((ln.amount_usd for ln in found.lines), Decimal("0.00"))
        row = ExpenditureImportRow(filename=filename, sha256=found.sha256,
                                   rows=len(found.lines), periods=",".join(periods),
                                   total_usd_cents=to_cents(total), imported_by=user.username,
                                   imported_at=now)  # fmt: skip
        gone = uow.review.replace_periods(found.periods, row, [_stored(ln) for ln in found.lines])
        uow.commit()
        return ImportRecord(row.id, row.filename, row.sha256, row.rows, periods, total,
                            user.username, now, gone)  # fmt: skip


def _stored(line: ExpenditureLine) -> dict[str, object]:
    values = {c: getattr(line, c) for c in LINE_COLUMNS if hasattr(line, c)}
    values.update(amount_cents=to_cents(line.amount), amount_usd_cents=to_cents(line.amount_usd),
                  jurisdiction_code=line.jurisdiction)  # fmt: skip
    return values


def imports(user: CurrentUser, url: str | None = None) -> list[ImportRecord]:
    """The extracts applied, newest first: file, hash, who and when, the months replaced."""
    require(user, Permission.VIEW_LIVE_PROGRESS)
    with UnitOfWork(url=url) as uow:
        return [ImportRecord(r.id, r.filename, r.sha256, r.rows,
                             tuple(p for p in r.periods.split(",") if p),
                             from_cents(r.total_usd_cents), r.imported_by, r.imported_at)
                for r in uow.review.imports()]  # fmt: skip


def spent_years(user: CurrentUser, url: str | None = None) -> list[int]:
    """The years with expenditure imported."""
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        return uow.review.line_years()


def spent(user: CurrentUser, year: int | None = None,
          url: str | None = None) -> list[ExpenditureLine]:  # fmt: skip
    """The expenditure lines (of a year) as this user may read them: for an observer, the grants
    of donors whose confidential money is protected from it read as one aggregate."""
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        rows = uow.review.lines(year)
    protected = pipeline.protected_grants(user, url=url) if user.role is Role.OBSERVER else set()
    return [ExpenditureLine(r.row, OTHER_CONFIDENTIAL if r.grant in protected else r.grant, r.wbs,
                            r.fund, r.category, r.currency, r.year, r.month,
                            from_cents(r.amount_cents), from_cents(r.amount_usd_cents),
                            r.output_code, r.office_code, r.jurisdiction_code)
            for r in rows]  # fmt: skip
