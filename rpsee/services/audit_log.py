"""Reading the audit trail (administrators and finance)."""

from __future__ import annotations

from rpsee.domain.roles import CurrentUser, Permission, require
from rpsee.store.repositories import AuditEntry
from rpsee.store.uow import UnitOfWork


def recent_entries(
    user: CurrentUser, limit: int = 500, entity: str | None = None, url: str | None = None
) -> list[AuditEntry]:
    require(user, Permission.VIEW_AUDIT)
    with UnitOfWork(url=url) as uow:
        return uow.audit.recent(limit=limit, entity=entity or None)
