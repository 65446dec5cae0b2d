"""Unit of work: one short transaction that commits whole or rolls back whole."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session

from rpsee import config
from rpsee.store import audit as _audit  # noqa: F401  (registers the audit listener)
from rpsee.store.db import session_factory
from rpsee.store.pipeline import PipelineRepository
from rpsee.store.planning import PlanningRepository
from rpsee.store.repositories import AuditRepository, ReferenceRepository, UserRepository
from rpsee.store.scenarios import ScenarioRepository
from rpsee.store.workflow import WorkflowRepository
from rpsee.store.workplans import WorkplanRepository


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
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed and detaches the objects (keeping
        # their loaded values, so what a service read stays readable after the block).
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
