"""Saved scenarios and frozen scenarios. A frozen scenario is written once: any flush that
would change or delete one (or any other `WriteOnce` record) is refused (`FrozenRecordError`)
and the transaction rolls back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from rpsee.store.models import FrozenScenarioRow, ScenarioRow, WriteOnce


class FrozenRecordError(RuntimeError):
    """An attempt to change or delete a record written once (a frozen scenario, a progress
    report given to the Steering Committee)."""


@event.listens_for(Session, "before_flush")
def _refuse_changing_frozen(session: Session, _ctx: object, _instances: object) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, WriteOnce) and (obj in session.deleted
                                           or session.is_modified(obj)):  # fmt: skip
            raise FrozenRecordError(f"{obj.record_label()}: a frozen record is never changed "
                                    "or deleted")  # fmt: skip


class ScenarioRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def rows(self) -> list[ScenarioRow]:
        return list(self.session.scalars(select(ScenarioRow).order_by(ScenarioRow.name)))

    def row(self, scenario_id: int) -> ScenarioRow | None:
        return self.session.get(ScenarioRow, scenario_id)

    def by_name(self, name: str) -> ScenarioRow | None:
        return self.session.scalars(select(ScenarioRow).where(ScenarioRow.name == name)).first()

    def add(self, name: str, description: str, assumptions: str, actor: str,
            now: datetime) -> ScenarioRow:  # fmt: skip
        row = ScenarioRow(name=name, description=description, assumptions=assumptions,
                          created_at=now, created_by=actor, updated_at=now, updated_by=actor)
        self.session.add(row)
        self.session.flush()
        return row

    def frozen_rows(self) -> list[FrozenScenarioRow]:
        stmt = select(FrozenScenarioRow).order_by(FrozenScenarioRow.frozen_at.desc(),
                                                  FrozenScenarioRow.id.desc())  # fmt: skip
        return list(self.session.scalars(stmt))

    def frozen_row(self, frozen_id: int) -> FrozenScenarioRow | None:
        return self.session.get(FrozenScenarioRow, frozen_id)

    def add_frozen(self, row: FrozenScenarioRow) -> FrozenScenarioRow:
        self.session.add(row)
        self.session.flush()
        return row
