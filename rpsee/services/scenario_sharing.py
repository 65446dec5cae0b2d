"""Sharing a saved scenario with donor observers (planners only, audited). Refused, naming
the assumption or the field, when the scenario singles out money protected for any observer
(rpsee/domain/disclosure_gate.py): its difference to the baseline would reveal it."""

from __future__ import annotations

from sqlalchemy.orm.exc import StaleDataError

from rpsee.domain.roles import CurrentUser, Permission, require
from rpsee.domain.scenario import Scenario
from rpsee.services.scenarios import ScenarioRefused, _conflict, _loaded, _read_baseline
from rpsee.services.scenarios import _share_problems as problems_of
from rpsee.store.audit import utcnow
from rpsee.store.uow import UnitOfWork


def share_problems(user: CurrentUser, scenario_id: int, url: str | None = None) -> list[str]:
    """Why a saved scenario may not be shared (empty: it may), for the planner's page."""
    require(user, Permission.FREEZE_SCENARIOS)
    base = _read_baseline(url)
    with UnitOfWork(url=url) as uow:
        row = uow.scenarios.row(scenario_id)
        if row is None:
            raise ScenarioRefused([f"Scenario {scenario_id}: not found"])
        return problems_of(base, Scenario.from_json(row.assumptions), row.name,
                           row.description)  # fmt: skip


def set_shared(user: CurrentUser, scenario_id: int, version: int, shared: bool,
               url: str | None = None) -> None:  # fmt: skip
    """Share a saved scenario with observers (refused by the gate) or stop sharing it; needs
    the version loaded, like a save."""
    require(user, Permission.FREEZE_SCENARIOS)
    base = _read_baseline(url)
    action = "scenario_share" if shared else "scenario_unshare"
    try:
        with UnitOfWork(actor=user.username, action=action, url=url) as uow:
            row = _loaded(uow, scenario_id, version)
            if shared:
                problems = problems_of(base, Scenario.from_json(row.assumptions), row.name,
                                       row.description)  # fmt: skip
                if problems:
                    raise ScenarioRefused([f"Scenario {row.name!r} cannot be shared with "
                                           "observers: " + "; ".join(problems)])  # fmt: skip
            row.shared = shared
            row.updated_at, row.updated_by = utcnow(), user.username
            uow.commit()
    except StaleDataError:
        raise _conflict(scenario_id, None, None, "changed") from None
