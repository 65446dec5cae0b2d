"""Workplans and activities: rows <-> domain records, and applying a checked edit."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from rpsee.domain.money import from_cents, to_cents
from rpsee.domain.workplan import Activity, Workplan, code_key, mark_in_use
from rpsee.store.models import (
    ActivityBudgetRow,
    ActivityRow,
    AuditEntryRow,
    WorkplanInUseRow,
    WorkplanRow,
)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c for c in text.split(";") if c)


def to_activity(row: ActivityRow) -> Activity:
    return _activity(row, {b.category_code: from_cents(b.amount_cents) for b in row.budget_lines})


def _activity(row: Any, budget: dict[str, Decimal]) -> Activity:
    """An activity from its row (an ORM row or a plain one of the same columns)."""
    return Activity(
        code=row.code, title=row.title, output_code=row.output_code,
        jurisdictions=_codes(row.jurisdictions), lead_office=row.lead_office,
        position_id=row.position_id, start_month=row.start_month, end_month=row.end_month,
        budget=budget, description=row.description or "", funding_source=row.funding_source,
        priority=row.priority, indicators=_codes(row.indicators),
        gem=row.gem, status=row.status, notes=row.notes or "", dac_gender=row.dac_gender,
        dac_disability=row.dac_disability, sdg_targets=_codes(row.sdg_targets or ""),
        marker_note=row.marker_note or "", inclusion=row.inclusion or "",
        id=row.id, version=row.version, line_id=row.line_id,
    )  # fmt: skip


def to_workplan(row: WorkplanRow, in_use: bool = False) -> Workplan:
    return Workplan(row.id, row.year, row.version_no, row.status, row.based_on_id, in_use,
                    row.amendment_type, bool(row.shared_for_consultation))


def write_activity(row: ActivityRow, a: Activity, actor: str, now: datetime) -> None:
    """Copy an activity's editable fields onto its row (the row's version then moves on)."""
    row.title, row.description, row.output_code = a.title, a.description, a.output_code
    row.jurisdictions = ";".join(a.jurisdictions)
    row.lead_office, row.position_id = a.lead_office, a.position_id
    row.start_month, row.end_month = a.start_month, a.end_month
    row.funding_source, row.priority = a.funding_source, a.priority
    row.indicators = ";".join(a.indicators)
    row.gem, row.status, row.notes = a.gem, a.status, a.notes
    row.dac_gender, row.dac_disability = a.dac_gender, a.dac_disability
    row.sdg_targets = ";".join(a.sdg_targets)
    row.marker_note, row.inclusion = a.marker_note, a.inclusion
    row.updated_at, row.updated_by = now, actor
    wanted = {k: to_cents(v) for k, v in a.budget.items() if v}
    for line in list(row.budget_lines):
        if line.category_code not in wanted:
            row.budget_lines.remove(line)
        elif line.amount_cents != wanted[line.category_code]:
            line.amount_cents = wanted[line.category_code]
    have = {line.category_code for line in row.budget_lines}
    for cat, cents in wanted.items():
        if cat not in have:
            row.budget_lines.append(ActivityBudgetRow(category_code=cat, amount_cents=cents))


LOCK_CLASS = 0x52505345  # "RPSE": the first key of PostgreSQL advisory locks on a year's plan
RACE_WINDOW_ENV = "RPSEE_TEST_RACE_WINDOW_MS"


def race_window() -> None:
    """Test-only hook, off by default: sleep this many milliseconds (environment variable
    RPSEE_TEST_RACE_WINDOW_MS) between a service's checks and its writes, so the race tests
    (tests/store/test_workflow_races.py) make two processes overlap exactly there."""
    ms = os.environ.get(RACE_WINDOW_ENV, "")
    if ms.isdigit() and int(ms) > 0:
        time.sleep(int(ms) / 1000)


@dataclass(frozen=True)
class LastChange:
    actor: str
    at: datetime


class WorkplanRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def list(self) -> list[Workplan]:
        """Every version of every year, in order, with the version in use of each year marked."""
        rows = self.session.scalars(
            select(WorkplanRow).order_by(WorkplanRow.year, WorkplanRow.version_no)
        )
        chosen = {r.year: r.workplan_id for r in self.session.scalars(select(WorkplanInUseRow))}
        return mark_in_use([to_workplan(r) for r in rows], chosen)

    def set_in_use(self, year: int, workplan_id: int, actor: str, now: datetime) -> None:
        row = self.session.get(WorkplanInUseRow, year)
        if row is None:
            self.session.add(WorkplanInUseRow(year=year, workplan_id=workplan_id,
                                              updated_at=now, updated_by=actor))  # fmt: skip
        elif row.workplan_id != workplan_id:
            row.workplan_id, row.updated_at, row.updated_by = workplan_id, now, actor

    def lock_year(self, year: int) -> None:
        """Serialise every state change of `year`'s workplan versions (saves of lines, submit,
        decisions, revisions, amendments, new versions, the version in use) until this
        transaction ends, then forget what the session read before, so the checks that follow
        read what is stored now.

        PostgreSQL: a transaction-level advisory lock on the year (it also covers a year with
        no version yet) and a row lock (SELECT ... FOR UPDATE) on each of its versions, taken
        in id order. SQLite: a write statement on the year's versions, which begins the write
        transaction (SQLite has one writer at a time; others wait for the busy timeout). Call
        it before any write of the transaction."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("SELECT pg_advisory_xact_lock(:k, :year)"),
                                 {"k": LOCK_CLASS, "year": year})  # fmt: skip
            self.session.execute(select(WorkplanRow.id).where(WorkplanRow.year == year)
                                 .order_by(WorkplanRow.id).with_for_update())  # fmt: skip
        else:
            table = WorkplanRow.__table__
            self.session.execute(update(table).where(table.c.year == year)
                                 .values(version=table.c.version))  # fmt: skip
        self.session.expire_all()

    def lock_version(self, workplan_id: int) -> WorkplanRow | None:
        """The version's row, read again once its year is locked (see `lock_year`); None if
        there is no such version."""
        row = self.session.get(WorkplanRow, workplan_id)
        if row is None:
            return None
        self.lock_year(row.year)
        return self.session.get(WorkplanRow, workplan_id)

    def get_row(self, workplan_id: int) -> WorkplanRow | None:
        return self.session.get(WorkplanRow, workplan_id)

    def next_version_no(self, year: int) -> int:
        latest = self.session.scalar(
            select(func.max(WorkplanRow.version_no)).where(WorkplanRow.year == year)
        )
        return int(latest or 0) + 1

    def activities(self, workplan_id: int) -> list[Activity]:
        """The version's lines in code order, read as plain rows (two queries, no ORM objects:
        the pack and the exports read 1,000 lines at 10x)."""
        line, budget = ActivityRow.__table__, ActivityBudgetRow.__table__
        amounts: dict[int, dict[str, Decimal]] = {}
        for activity_id, category, cents in self.session.execute(
                select(budget.c.activity_id, budget.c.category_code, budget.c.amount_cents)
                .join(line, line.c.id == budget.c.activity_id)
                .where(line.c.workplan_id == workplan_id)
                .order_by(budget.c.activity_id, budget.c.category_code)):  # fmt: skip
            amounts.setdefault(activity_id, {})[category] = from_cents(cents)
        rows = self.session.execute(select(line).where(line.c.workplan_id == workplan_id))
        found = [_activity(r, amounts.get(r.id, {})) for r in rows]
        return sorted(found, key=lambda a: code_key(a.code))

    def activity_rows(self, ids: list[int]) -> dict[int, ActivityRow]:
        if not ids:
            return {}
        rows = self.session.scalars(select(ActivityRow).where(ActivityRow.id.in_(ids)))
        return {r.id: r for r in rows}

    def lineage_of_codes(self) -> dict[str, str]:
        """Every code used by any line of any workplan, with that line's lineage."""
        rows = self.session.execute(select(ActivityRow.code, ActivityRow.line_id))
        return {code: line_id for code, line_id in rows}

    def add_activity(self, workplan_id: int, a: Activity, actor: str, now: datetime) -> ActivityRow:
        row = ActivityRow(workplan_id=workplan_id, code=a.code, line_id=a.lineage)
        write_activity(row, a, actor, now)
        self.session.add(row)
        return row

    def last_change(self, workplan_id: int, code: str) -> LastChange | None:
        entry = self.session.scalars(
            select(AuditEntryRow).where(AuditEntryRow.entity == "activity",
                                        AuditEntryRow.entity_id == f"{workplan_id}/{code}")
            .order_by(AuditEntryRow.id.desc()).limit(1)
        ).first()  # fmt: skip
        return LastChange(entry.actor, entry.at) if entry else None

    def last_line_change(self, workplan_id: int) -> LastChange | None:
        """Who last added, changed or removed a line of this workplan, and when."""
        entry = self.session.scalars(
            select(AuditEntryRow).where(AuditEntryRow.entity == "activity",
                                        AuditEntryRow.entity_id.startswith(f"{workplan_id}/"))
            .order_by(AuditEntryRow.id.desc()).limit(1)
        ).first()  # fmt: skip
        return LastChange(entry.actor, entry.at) if entry else None
