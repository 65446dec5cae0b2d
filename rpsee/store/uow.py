"""Unit of work: one short transaction that commits whole or rolls back whole."""

from __future__ import annotations

import logging
from types import TracebackType

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from rpsee import config
from rpsee.store import audit as _audit  # noqa: F401  (registers the audit listener)
from rpsee.store.db import session_factory
from rpsee.store.pipeline import PipelineRepository
from rpsee.store.planning import PlanningRepository
from rpsee.store.repositories import AuditRepository, ReferenceRepository, UserRepository
from rpsee.store.review import ReviewRepository
from rpsee.store.scenarios import ScenarioRepository
from rpsee.store.workflow import WorkflowRepository
from rpsee.store.workplans import WorkplanRepository

log = logging.getLogger(__name__)
UNREACHABLE = ("The database could not be reached or stopped answering during the change "
               "(the connection dropped or it is busy): nothing was saved, and what you typed is "
               "still on screen. Try again in a moment; if it keeps failing, tell the "
               "administrator.")  # fmt: skip
REFUSED = ("The database refused the change, most likely because a colleague saved something "
           "that clashes with it a moment before: nothing was saved, and what you typed is "
           "still on screen. Reload to see their change, then try again.")  # fmt: skip


class StoreError(RuntimeError):
    """A database failure (connection lost, a driver or constraint error) said plainly: nothing
    of the unit of work was saved. `clash` is True for a constraint the data broke (a
    concurrent save that took the same key), which a service may retry once."""

    def __init__(self, message: str, clash: bool = False) -> None:
        super().__init__(message)
        self.clash = clash


class UnitOfWork:
    """`with UnitOfWork(actor="jdoe", action="user_add") as uow: ...; uow.commit()`.

    Leaving the block without `commit()` (or by an exception) rolls everything back.
    """

    def __init__(
        self, actor: str | None = None, action: str | None = None, url: str | None = None
    ) -> None:
        self.url = url or config.database_url()
        self.actor = actor
        self.action = action
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = session_factory(self.url)()
        self.session.info["actor"] = self.actor
        self.session.info["action"] = self.action
        self.users = UserRepository(self.session)
        self.reference = ReferenceRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.workplans = WorkplanRepository(self.session)
        self.planning = PlanningRepository(self.session)
        self.pipeline = PipelineRepository(self.session)
        self.workflow = WorkflowRepository(self.session)
        self.scenarios = ScenarioRepository(self.session)
        self.review = ReviewRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed and detaches the objects (keeping
        # their loaded values, so what a service read stays readable after the block).
        try:
            self.session.close()
        except DBAPIError:  # the connection is gone already: nothing to roll back
            log.warning("closing a session whose connection failed", exc_info=True)
        if isinstance(exc, DBAPIError):
            # Every service's one transaction ends here, so a driver error (a dropped
            # connection, a lock timeout, a broken constraint) never reaches a page raw.
            log.warning("database error in %s by %s", self.action, self.actor, exc_info=exc)
            clash = isinstance(exc, IntegrityError)
            raise StoreError(REFUSED if clash else UNREACHABLE, clash=clash) from exc

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
