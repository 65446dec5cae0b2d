"""The implementation review's repository: indicator actuals and their corrections, output
ratings, frozen progress reports (`WriteOnce`: a flush that would change or delete one is
refused), the WBS mapping, and the imported expenditure (replaced period by period)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, delete, insert, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from rpsee.store import scenarios as _scenarios  # noqa: F401  (refuses changing a frozen report)
from rpsee.store.review_models import (
    EvidenceFileRow,
    ExpenditureImportRow,
    ExpenditureLedgerRow,
    ExpenditureLineRow,
    IndicatorActualRow,
    OutputRatingRow,
    ProgressReportRow,
    WbsMappingRow,
)

LINE_COLUMNS = ("row", "grant", "wbs", "fund", "category", "currency", "year", "month",
                "amount_cents", "amount_usd_cents", "output_code", "office_code",
                "jurisdiction_code")  # fmt: skip


class ReviewRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # indicator actuals -------------------------------------------------------------------
    def actuals(self, indicator_code: str | None = None) -> list[IndicatorActualRow]:
        """Every entry (corrections and the entries they replace), oldest first."""
        stmt = select(IndicatorActualRow).order_by(IndicatorActualRow.id)
        if indicator_code is not None:
            stmt = stmt.where(IndicatorActualRow.indicator_code == indicator_code)
        return list(self.session.scalars(stmt))

    def lock_actual(self, actual_id: int) -> IndicatorActualRow | None:
        stmt = select(IndicatorActualRow).where(IndicatorActualRow.id == actual_id)
        return self.session.scalars(stmt.with_for_update()).first()

    def current_actual(self, key: str) -> IndicatorActualRow | None:
        stmt = select(IndicatorActualRow).where(IndicatorActualRow.current_key == key)
        return self.session.scalars(stmt).first()

    def add(self, row: Any) -> Any:  # noqa: ANN401  (any of this context's rows)
        self.session.add(row)
        self.session.flush()
        return row

    def evidence(self, evidence_id: int) -> EvidenceFileRow | None:
        return self.session.get(EvidenceFileRow, evidence_id)

    # output ratings ------------------------------------------------------------------------
    def ratings(self, year: int) -> list[OutputRatingRow]:
        stmt = select(OutputRatingRow).where(OutputRatingRow.year == year)
        return list(self.session.scalars(stmt.order_by(OutputRatingRow.output_code)))

    def rating(self, output_code: str, year: int) -> OutputRatingRow | None:
        stmt = select(OutputRatingRow).where(OutputRatingRow.output_code == output_code,
                                             OutputRatingRow.year == year)  # fmt: skip
        return self.session.scalars(stmt).first()

    # progress reports ----------------------------------------------------------------------
    def reports(self, year: int | None = None) -> list[ProgressReportRow]:
        stmt = select(ProgressReportRow).order_by(ProgressReportRow.year,
                                                  ProgressReportRow.number)  # fmt: skip
        if year is not None:
            stmt = stmt.where(ProgressReportRow.year == year)
        return list(self.session.scalars(stmt))

    def report(self, report_id: int) -> ProgressReportRow | None:
        return self.session.get(ProgressReportRow, report_id)

    def report_of(self, workplan_id: int) -> ProgressReportRow | None:
        """The progress report submitted with a workplan version (the latest, if several)."""
        stmt = select(ProgressReportRow).where(ProgressReportRow.workplan_id == workplan_id)
        return self.session.scalars(stmt.order_by(ProgressReportRow.number.desc())).first()

    # WBS mapping ---------------------------------------------------------------------------
    def mappings(self) -> list[WbsMappingRow]:
        return list(self.session.scalars(select(WbsMappingRow).order_by(WbsMappingRow.wbs)))

    def mapping(self, wbs: str) -> WbsMappingRow | None:
        return self.session.get(WbsMappingRow, wbs)

    # expenditure ---------------------------------------------------------------------------
    def lock_ledger(self) -> ExpenditureLedgerRow:
        """The row every import locks first: imports run one after the other."""
        dialect = self.session.get_bind().dialect.name
        make = pg_insert if dialect == "postgresql" else sqlite_insert
        # the first import makes the row; two first imports at once make it once
        self.session.execute(make(ExpenditureLedgerRow).values(id=1, imports=0)
                             .on_conflict_do_nothing(index_elements=["id"]))  # fmt: skip
        stmt = select(ExpenditureLedgerRow).where(ExpenditureLedgerRow.id == 1)
        return self.session.scalars(stmt.with_for_update()).one()

    def replace_periods(self, periods: Iterable[tuple[int, int]], import_row: ExpenditureImportRow,
                        lines: Sequence[dict[str, Any]]) -> int:  # fmt: skip
        """Delete every line of `periods`, then insert `lines` (dicts of LINE_COLUMNS) under the
        import; the number of lines deleted."""
        periods = list(periods)
        gone = 0
        for chunk in _chunks(periods, 200):
            result = self.session.execute(delete(ExpenditureLineRow).where(
                tuple_(ExpenditureLineRow.year, ExpenditureLineRow.month).in_(chunk)))  # fmt: skip
            gone += result.rowcount or 0  # type: ignore[attr-defined]
        self.add(import_row)
        rows = [{**line, "import_id": import_row.id} for line in lines]
        for chunk in _chunks(rows, 5000):
            self.session.execute(insert(ExpenditureLineRow), chunk)
        return gone

    def imports(self) -> list[ExpenditureImportRow]:
        stmt = select(ExpenditureImportRow).order_by(ExpenditureImportRow.id.desc())
        return list(self.session.scalars(stmt))

    def line_years(self) -> list[int]:
        stmt = select(ExpenditureLineRow.year).distinct().order_by(ExpenditureLineRow.year)
        return list(self.session.scalars(stmt))

    def lines(self, year: int | None = None) -> list[Row[Any]]:
        """The expenditure lines (of a year), as plain rows of LINE_COLUMNS."""
        cols = [getattr(ExpenditureLineRow, c) for c in LINE_COLUMNS]
        stmt = select(*cols).order_by(ExpenditureLineRow.year, ExpenditureLineRow.month,
                                      ExpenditureLineRow.id)  # fmt: skip
        if year is not None:
            stmt = stmt.where(ExpenditureLineRow.year == year)
        return list(self.session.execute(stmt))


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
