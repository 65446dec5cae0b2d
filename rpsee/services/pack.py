"""The Steering Committee approval pack of one workplan version: who may download which edition
(`rpsee.domain.roles.pack_edition`), the figures read once through the same services and
domain builders the pages use, drawn by `rpsee.reports.pack`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from rpsee.domain.pack_content import FrozenFigures, PackInputs, PipelineFigures, assemble
from rpsee.domain.requirement import compare_year
from rpsee.domain.roles import CurrentUser, Permission, require, require_pack
from rpsee.domain.workflow import WorkflowError
from rpsee.domain.workplan import Workplan
from rpsee.services import pipeline, scenarios, staffing, workflow
from rpsee.store.audit import utcnow
from rpsee.store.uow import UnitOfWork
from rpsee.store.workflow import to_meeting

Progress = Callable[[float, str], None]


def version_of(user: CurrentUser, year: int, version_no: int | None = None,
               url: str | None = None) -> Workplan:  # fmt: skip
    """The year's workplan version `version_no`, or its latest version when None."""
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        versions = sorted((p for p in uow.workplans.list() if p.year == year),
                          key=lambda p: p.version_no)  # fmt: skip
    if version_no is not None:
        versions = [p for p in versions if p.version_no == version_no]
    if not versions:
        which = f"version {version_no}" if version_no is not None else "any version"
        raise WorkflowError("exists", f"The {year} workplan has no {which}.")
    return versions[-1]


def _inputs(user: CurrentUser, workplan_id: int, scenario_ids: Sequence[int] = (),
                url: str | None = None, made_at: datetime | None = None) -> PackInputs:
    """Everything the pack prints, as `user` may see it (refused: PermissionDenied)."""
    review = workflow.review(user, workplan_id, url=url)  # checks the role; the version exists
    plan = review.plan
    edition = require_pack(user, plan.status)
    frozen = [scenarios.frozen_scenario(user, i, url=url) for i in scenario_ids]
    view = pipeline.load(user, url=url)
    data = staffing.load(user, url=url)
    with UnitOfWork(url=url) as uow:
        ref = uow.reference.load()
        lines = uow.workplans.activities(plan.id)
        in_use = {p.year: p.id for p in uow.workplans.list() if p.in_use}
        others = {y: uow.workplans.activities(i) for y, i in in_use.items() if y != plan.year}
        settings = uow.planning.envelope_settings()
        meeting_id = review.decision.meeting_id if review.decision else None
        row = uow.workflow.meeting_row(meeting_id) if meeting_id is not None else None
        meeting = to_meeting(row) if row is not None else None
    costing = staffing.costing(data.plans, data.rates, ref)
    years = list(ref.figures.cycle_years)
    comparisons = {y: compare_year(y, settings, lines if y == plan.year else others.get(y, []),
                                   costing, ref) for y in years}  # fmt: skip
    return PackInputs(
        ref, plan, lines, comparisons, costing, data.plans,
        staffing.reconciliation(costing, ref),
        PipelineFigures(view.contributions, view.tranches, view.rates, view.defaults.probability,
                        pipeline.global_programmes(), view.redacted),
        edition, made_at or utcnow(),
        [FrozenFigures(f.name, f.frozen_at, f.frozen_by, f.content_hash, f.intact, f.body)
         for f in frozen],
        review.decision, meeting, review.budget_change,
    )  # fmt: skip


def build_pack(user: CurrentUser, workplan_id: int, scenario_ids: Sequence[int] = (),
               progress: Progress | None = None, url: str | None = None,
               made_at: datetime | None = None) -> bytes:  # fmt: skip
    """The approval pack (PDF bytes) of a workplan version with the frozen scenarios chosen:
    the full edition, or for an observer the observer edition. `progress(fraction, what)` is
    told how far the build is."""
    from rpsee.reports.pack import render

    step = progress or (lambda _f, _w: None)
    step(0.05, "Reading the version, the staffing, the pipeline and the scenarios")
    inputs = _inputs(user, workplan_id, scenario_ids, url=url, made_at=made_at)
    step(0.4, "Putting the tables together")
    pack = assemble(inputs)
    step(0.55, "Drawing the PDF")
    pdf = render(pack, progress=step)
    step(1.0, f"Done: {len(pdf) // 1024} KB")
    return pdf
