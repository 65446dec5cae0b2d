"""The audit trail: a flush listener records every insert, update and delete of audited rows."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from rpsee.domain.audit_view import Names, RawEntry
from rpsee.store.models import (
    ActivityRow,
    AllocationTargetRow,
    Audited,
    AuditEntryRow,
    ContributionRow,
    CostCategoryRow,
    OfficeRow,
    ProgrammeFigureRow,
    StaffCostRateRow,
    WorkplanRow,
)


class MissingActor(RuntimeError):
    """A write was attempted without saying who makes it."""


def utcnow() -> datetime:
    """Naive UTC (stored the same way on SQLite and PostgreSQL)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _dump(values: dict[str, Any]) -> str | None:
    return (
        json.dumps({k: _plain(v) for k, v in values.items()}, sort_keys=True, ensure_ascii=False)
        if values
        else None
    )


def _columns(obj: Audited) -> list[str]:
    """Columns whose values the trail records: not secrets, not the optimistic-lock counter."""
    mapper = inspect(obj).mapper
    excluded = set(getattr(obj, "__audit_exclude__", ()))
    if mapper.version_id_col is not None:
        excluded.add(mapper.get_property_by_column(mapper.version_id_col).key)
    return [c.key for c in mapper.column_attrs if c.key not in excluded]


def _entity_id(obj: Audited) -> str:
    key = getattr(obj, "__audit_key__", None)
    if key:
        return str(getattr(obj, key))
    identity = inspect(obj).identity or tuple(
        getattr(obj, c.key) for c in inspect(obj).mapper.primary_key
    )
    return "/".join(str(v) for v in identity)


def _snapshot(obj: Audited) -> dict[str, Any]:
    values = {k: getattr(obj, k) for k in _columns(obj)}
    values.update({k: "(set)" for k in getattr(obj, "__audit_exclude__", ())})
    return values


# Columns holding a number as exact text: "13" and "13.0" are the same value there.
NUMERIC_TEXT = {
    "planning_setting": {"value"},
    "allocation_target": {"value"},
    "vacancy_factor": {"percent"},
    "exchange_rate": {"usd_per_unit"},
    "contribution": {"probability", "support_rate"},
}


# Who and when of the last change: the entry itself says that, so alone they are no change,
# unless rows under this one changed in the same flush (an activity whose budget lines changed:
# those have their own entries, and conflicts look the line's own entry up).
BOOKKEEPING = {"updated_at", "updated_by"}


def _parents(objects: list[Audited]) -> set[tuple[str, Any]]:
    """(table, primary key value) of the rows these rows point to by a foreign key."""
    out: set[tuple[str, Any]] = set()
    for obj in objects:
        for col in inspect(obj).mapper.columns:
            for fk in col.foreign_keys:
                value = getattr(obj, inspect(obj).mapper.get_property_by_column(col).key, None)
                if value is not None:
                    out.add((fk.column.table.name, value))
    return out


def _key(obj: Audited) -> tuple[str, Any]:
    identity = inspect(obj).identity
    return (obj.__tablename__, identity[0] if identity and len(identity) == 1 else identity)  # type: ignore[attr-defined]


def _as_number(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def same_value(old: Any, new: Any, numeric_text: bool = False) -> bool:
    """Whether a column's old and new values are the same value (None and '' alike; numbers
    equal whatever their type; in number-as-text columns "2" and "2.0" alike)."""
    if old in (None, "") and new in (None, ""):
        return True
    if isinstance(old, bool) or isinstance(new, bool):
        return old == new
    if isinstance(old, (int, Decimal)) and isinstance(new, (int, Decimal)):
        return Decimal(old) == Decimal(new)
    if numeric_text and isinstance(old, str) and isinstance(new, str):
        a, b = _as_number(old), _as_number(new)
        if a is not None and b is not None:
            return a == b
    return old == new


def _changes(
    obj: Audited, parents: set[tuple[str, Any]] = frozenset()  # type: ignore[assignment]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Old and new values of the columns whose value really changed (nothing if none did)."""
    state = inspect(obj)
    numeric = NUMERIC_TEXT.get(obj.__tablename__, set())  # type: ignore[attr-defined]
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for key in _columns(obj):
        hist = state.attrs[key].history
        if not hist.has_changes():
            continue
        before = hist.deleted[0] if hist.deleted else None
        after = hist.added[0] if hist.added else None
        if not same_value(before, after, key in numeric):
            old[key], new[key] = before, after
    if set(new) <= BOOKKEEPING and _key(obj) not in parents:
        old, new = {}, {}
    excluded = getattr(obj, "__audit_exclude__", ())
    for key in excluded:
        if state.attrs[key].history.has_changes():
            new[key] = "(changed)"
    return old, new


@event.listens_for(Session, "after_flush")
def _record(session: Session, _ctx: Any) -> None:
    rows: list[dict[str, Any]] = []
    touched = (
        [("insert", o) for o in session.new if isinstance(o, Audited)]
        + [("update", o) for o in session.dirty if isinstance(o, Audited)]
        + [("delete", o) for o in session.deleted if isinstance(o, Audited)]
    )
    if not touched:
        return
    actor = session.info.get("actor")
    if not actor:
        raise MissingActor("Every write must name its actor (open the unit of work with one).")
    action = session.info.get("action") or "change"
    now = utcnow()
    parents = _parents([o for _kind, o in touched])
    for kind, obj in touched:
        if kind == "insert":
            old, new = {}, _snapshot(obj)
        elif kind == "delete":
            old, new = _snapshot(obj), {}
        else:
            old, new = _changes(obj, parents)
            if not old and not new:
                continue
        rows.append(
            {
                "at": now,
                "actor": actor,
                "action": f"{action}:{kind}",
                "entity": obj.__tablename__,  # type: ignore[attr-defined]
                "entity_id": _entity_id(obj),
                "old_values": _dump(old),
                "new_values": _dump(new),
            }
        )
    if rows:
        session.connection().execute(insert(AuditEntryRow), rows)


def record_event(session: Session, entity: str, entity_id: str, detail: dict[str, Any]) -> None:
    """An audit entry for something that is not a row change (for example a refused login)."""
    actor = session.info.get("actor")
    if not actor:
        raise MissingActor("Every audit entry must name its actor.")
    session.connection().execute(
        insert(AuditEntryRow),
        [
            {
                "at": utcnow(),
                "actor": actor,
                "action": session.info.get("action") or "event",
                "entity": entity,
                "entity_id": entity_id,
                "old_values": None,
                "new_values": _dump(detail),
            }
        ],
    )


def query_entries(
    session: Session,
    *,
    actor: str | None = None,
    entities: tuple[str, ...] = (),
    since: datetime | None = None,
    before: datetime | None = None,
    limit: int = 1000,
) -> list[RawEntry]:
    """The newest entries first, filtered by who, which tables and when (`since` <= at <
    `before`)."""
    stmt = select(AuditEntryRow).order_by(AuditEntryRow.id.desc()).limit(limit)
    if actor:
        stmt = stmt.where(AuditEntryRow.actor == actor)
    if entities:
        stmt = stmt.where(AuditEntryRow.entity.in_(entities))
    if since is not None:
        stmt = stmt.where(AuditEntryRow.at >= since)
    if before is not None:
        stmt = stmt.where(AuditEntryRow.at < before)
    return [
        RawEntry(
            r.at,
            r.actor,
            r.action,
            r.entity,
            r.entity_id,
            json.loads(r.old_values) if r.old_values else None,
            json.loads(r.new_values) if r.new_values else None,
        )
        for r in session.scalars(stmt)
    ]


def actors(session: Session) -> list[str]:
    """Everyone who appears in the trail, sorted."""
    return sorted(session.scalars(select(AuditEntryRow.actor).distinct()))


def _pairs(session: Session, key: Any, value: Any) -> dict[Any, Any]:
    return {k: v for k, v in session.execute(select(key, value))}


def names(session: Session) -> Names:
    """What the trail needs to name rows that exist (ids -> codes, codes -> names)."""
    return Names(
        workplans={
            i: (y, v)
            for i, y, v in session.execute(
                select(WorkplanRow.id, WorkplanRow.year, WorkplanRow.version_no)
            )
        },
        activities=_pairs(session, ActivityRow.id, ActivityRow.code),
        rates={
            i: (g, d)
            for i, g, d in session.execute(
                select(StaffCostRateRow.id, StaffCostRateRow.grade, StaffCostRateRow.duty_station)
            )
        },
        targets={
            i: (y, dim, k)
            for i, y, dim, k in session.execute(
                select(
                    AllocationTargetRow.id,
                    AllocationTargetRow.year,
                    AllocationTargetRow.dimension,
                    AllocationTargetRow.key,
                )
            )
        },
        target_modes=_pairs(session, AllocationTargetRow.id, AllocationTargetRow.mode),
        contributions={
            i: (d, r, c)
            for i, d, r, c in session.execute(
                select(
                    ContributionRow.id,
                    ContributionRow.donor_code,
                    ContributionRow.reference,
                    ContributionRow.currency,
                )
            )
        },
        figures={
            i: (k, y)
            for i, k, y in session.execute(
                select(ProgrammeFigureRow.id, ProgrammeFigureRow.kind, ProgrammeFigureRow.year)
            )
        },
        offices=_pairs(session, OfficeRow.code, OfficeRow.name),
        categories=_pairs(session, CostCategoryRow.code, CostCategoryRow.name),
    )
