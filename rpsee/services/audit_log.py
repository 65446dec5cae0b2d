"""Reading the audit trail (administrators and finance), raw or in the users' language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from rpsee.domain.audit_view import ENTITY_TYPES, AuditRow, readable
from rpsee.domain.roles import CurrentUser, Permission, require
from rpsee.store import audit
from rpsee.store.repositories import AuditEntry
from rpsee.store.uow import UnitOfWork


def recent_entries(
    user: CurrentUser, limit: int = 500, entity: str | None = None, url: str | None = None
) -> list[AuditEntry]:
    require(user, Permission.VIEW_AUDIT)
    with UnitOfWork(url=url) as uow:
        return uow.audit.recent(limit=limit, entity=entity or None)


@dataclass(frozen=True)
class AuditFilter:
    """Who, from which day to which day (both included, UTC) and which entity type."""

    actor: str | None = None
    first_day: date | None = None
    last_day: date | None = None
    entity_type: str | None = None  # a key of ENTITY_TYPES


def actors(user: CurrentUser, url: str | None = None) -> list[str]:
    require(user, Permission.VIEW_AUDIT)
    with UnitOfWork(url=url) as uow:
        return audit.actors(uow.session)


def rows(
    user: CurrentUser, where: AuditFilter = AuditFilter(), limit: int = 1000,  # noqa: B008
    url: str | None = None,
) -> list[AuditRow]:  # fmt: skip
    """The newest `limit` entries matching the filter, as readable rows."""
    require(user, Permission.VIEW_AUDIT)
    if where.entity_type and where.entity_type not in ENTITY_TYPES:
        raise ValueError(f"Unknown entity type {where.entity_type!r}")
    since = datetime.combine(where.first_day, time()) if where.first_day else None
    before = (
        datetime.combine(where.last_day + timedelta(days=1), time()) if where.last_day else None
    )
    with UnitOfWork(url=url) as uow:
        entries = audit.query_entries(
            uow.session,
            actor=where.actor or None,
            entities=ENTITY_TYPES.get(where.entity_type or "", ()),
            since=since,
            before=before,
            limit=limit,
        )
        names = audit.names(uow.session)
    return readable(entries, names)
