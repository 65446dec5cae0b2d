"""What the exports of one workplan version read, once, for the approval pack and the finance
workbook alike: the version and its lines, the other years' versions in use, each cycle year's
allocation comparison (the version's year from its lines, as the pages do for the version in
use), the staffing costing, the pipeline as the user may see it (with its exchange rates) and
the reference data. Who may export what stays with each export's own service."""

from __future__ import annotations

from dataclasses import dataclass

from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.requirement import YearComparison, compare_year
from rpsee.domain.roles import CurrentUser, Permission, require
from rpsee.domain.staffing import PositionPlan, Reconciliation, StaffCosting
from rpsee.domain.visibility import require_version, version_per_year
from rpsee.domain.workplan import Activity, Workplan
from rpsee.services import pipeline, staffing
from rpsee.store.uow import UnitOfWork


class ExportError(ValueError):
    """An export that cannot be made (no such workplan or scenario); the message says why."""


@dataclass(frozen=True)
class ExportInputs:
    """The figures an export of `plan` prints."""

    ref: ProgrammeReference
    plan: Workplan
    activities: list[Activity]  # the lines of `plan`
    versions: dict[int, Workplan]  # year -> the version its figures come from (`plan` for its year)
    comparisons: dict[int, YearComparison]  # every cycle year
    costing: StaffCosting
    positions: list[PositionPlan]
    reconciliation: Reconciliation
    pipeline: pipeline.PipelineView  # as `user` may see it: observers' is redacted

    def versions_note(self) -> str:
        """Which version each year's figures come from."""
        used = "; ".join(f"{y} version {p.version_no} ({p.status})"
                         for y, p in sorted(self.versions.items()))  # fmt: skip
        return f"Workplan versions: {used}; staff costs from the staffing plan."


def read(user: CurrentUser, workplan_id: int, url: str | None = None) -> ExportInputs:
    """The figures of workplan version `workplan_id` as `user` may see them (ExportError: no
    such version). The callers check who may export what before calling."""
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        plans = uow.workplans.list()
        plan = next((p for p in plans if p.id == workplan_id), None)
        if plan is None:
            raise ExportError(f"Workplan {workplan_id} does not exist.")
        ref = uow.reference.load()
        settings = uow.planning.envelope_settings()
        positions = uow.planning.plans()
        rates = uow.planning.cost_rates()
        versions = version_per_year(user, plans)  # observers: versions given to the PSC
        versions[plan.year] = require_version(user, plan)
        lines = {y: uow.workplans.activities(p.id) for y, p in versions.items()}
    view = pipeline.load(user, url=url)
    lines = {y: pipeline.lines_seen(user, a, url=url) for y, a in lines.items()}
    costing = staffing.costing(positions, rates, ref)
    comparisons = {y: compare_year(y, settings, lines.get(y, []), costing, ref)
                   for y in ref.figures.cycle_years}  # fmt: skip
    return ExportInputs(ref, plan, lines[plan.year], versions, comparisons, costing, positions,
                        staffing.reconciliation(costing, ref), view)  # fmt: skip
