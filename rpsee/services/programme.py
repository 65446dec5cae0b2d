"""Reading the programme: its reference structure and the overview figures."""

from __future__ import annotations

from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.roles import CurrentUser, Permission, require
from rpsee.store.uow import UnitOfWork


def reference(user: CurrentUser, url: str | None = None) -> ProgrammeReference:
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        return uow.reference.load()


def data_version(url: str | None = None) -> int:
    """Grows with every write (the newest audit entry): a cache key for derived figures."""
    with UnitOfWork(url=url) as uow:
        return uow.audit.latest_id()
