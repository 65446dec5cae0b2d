"""The audit trail: a flush listener records every insert, update and delete of audited rows."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from rpsee.store.models import Audited, AuditEntryRow


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


def _changes(obj: Audited) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for key in _columns(obj):
        hist = state.attrs[key].history
        if hist.has_changes():
            old[key] = hist.deleted[0] if hist.deleted else None
            new[key] = hist.added[0] if hist.added else None
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
    for kind, obj in touched:
        if kind == "insert":
            old, new = {}, _snapshot(obj)
        elif kind == "delete":
            old, new = _snapshot(obj), {}
        else:
            old, new = _changes(obj)
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
