"""The Steering Committee approval pack of one workplan version: who may download which edition
(`rpsee.domain.roles.pack_edition`), the figures read once through the same services and
domain builders the pages use, drawn by `rpsee.reports.pack`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from rpsee.domain.pack_content import PackInputs, PipelineFigures, ReviewFigures, assemble
from rpsee.domain.roles import CurrentUser, Permission, Role, require, require_pack
from rpsee.domain.visibility import readable
from rpsee.domain.workflow import WorkflowError
from rpsee.domain.workplan import Workplan
from rpsee.services import (
    delivery,
    expenditure,
    export_inputs,
    markers,
    pipeline,
    programme,
    progress,
    scenarios,
    workflow,
)
from rpsee.store.audit import utcnow
from rpsee.store.uow import UnitOfWork
from rpsee.store.workflow import to_meeting

Progress = Callable[[float, str], None]


def version_of(user: CurrentUser, year: int, version_no: int | None = None,
               url: str | None = None) -> Workplan:  # fmt: skip
    """The year's workplan version `version_no`, or its latest version when None (of the
    versions the user reads: observers, those given to the Steering Committee)."""
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        every = [p for p in uow.workplans.list() if p.year == year]
    versions = sorted(readable(user, every), key=lambda p: p.version_no)
    if version_no is not None:
        versions = [p for p in versions if p.version_no == version_no]
    if not versions:
        which = f"version {version_no}" if version_no is not None else "version yet"
        unread = "" if len(every) == len(readable(user, every)) else (
            " given to the Steering Committee" + (" or shared with its members"
                                                  if user.role is Role.PSC_MEMBER else ""))
        raise WorkflowError("exists", f"The {year} workplan has no {which}{unread}.")
    return versions[-1]


def _inputs(user: CurrentUser, workplan_id: int, scenario_ids: Sequence[int] = (),
            url: str | None = None, made_at: datetime | None = None) -> PackInputs:  # fmt: skip
    """Everything the pack prints, as `user` may see it (refused: PermissionDenied)."""
    review = workflow.review(user, workplan_id, url=url)  # checks the role; the version exists
    edition = require_pack(user, review.plan.status)
    frozen = [scenarios.frozen_scenario(user, i, url=url) for i in scenario_ids]
    r = export_inputs.read(user, workplan_id, url=url)
    meeting_id = review.decision.meeting_id if review.decision else None
    with UnitOfWork(url=url) as uow:
        row = uow.workflow.meeting_row(meeting_id) if meeting_id is not None else None
        meeting = to_meeting(row) if row is not None else None
    view = r.pipeline
    return PackInputs(
        r.ref, r.plan, r.activities, r.comparisons, r.costing, r.positions, r.reconciliation,
        PipelineFigures(view.contributions, view.tranches, view.rates, view.defaults.probability,
                        pipeline.global_programmes(), view.redacted,
                        pipeline.global_programme_serves(), view.note),
        edition, made_at or utcnow(),
        frozen,
        review.decision, meeting, review.budget_change,
        _review(user, review.plan, url),
        markers.sex_disaggregated_outputs(r.ref),
        tuple(expenditure.spent(user, r.plan.year, url=url)),
    )  # fmt: skip


def _review(user: CurrentUser, plan: Workplan, url: str | None) -> ReviewFigures | None:
    """The year before the plan's, as the Committee reviews it with this version: the report
    frozen at submission; for a version not submitted, the live figures (roles that read them)."""
    year = plan.year - 1
    first = int(programme.reference(user, url=url).figures.cycle_start[:4])
    if year < first:
        return None
    given = progress.report_of(user, plan.id, url=url)
    if given is not None:
        report = given.report
        note = (f"Progress report {year} no. {given.number}, figures as of "
                f"{given.as_of:%d %B %Y}: frozen when this version was submitted "
                f"({given.frozen_at:%Y-%m-%d %H:%M} UTC); later entries do not change it.")
    elif user.can(Permission.VIEW_LIVE_PROGRESS):
        as_of = min(date.today(), date(year, 12, 31))
        report = progress.live_report(user, year, as_of, url=url)
        note = (f"Indicator progress {year} as of {as_of:%d %B %Y}, from the live entries: "
                "this version was not submitted, so no report was frozen with it yet.")
    else:
        report, note = None, "No progress report was given to the Committee with this version."
    d = delivery.delivery(user, year, url=url, warnings=False)
    money = [d.tables[k] for k in ("year", "area", "grant")]
    delivered = (f"Delivery {year}: expenditure imported from the ERP against the budget. "
                 f"{d.basis_note}" + (f" {d.note}" if d.note else ""))
    return ReviewFigures(year, report, note, money, d.results, delivered, d.burn)


def _content(user: CurrentUser, workplan_id: int, scenario_ids: Sequence[int], step: Progress,
             url: str | None, made_at: datetime | None):  # noqa: ANN202
    """The pack's content for this reader (role checks in `_inputs`), read once for any
    edition."""
    step(0.05, "Reading the version, the staffing, the pipeline and the scenarios")
    inputs = _inputs(user, workplan_id, scenario_ids, url=url, made_at=made_at)
    step(0.4, "Putting the tables together")
    return assemble(inputs)


def build_pack(user: CurrentUser, workplan_id: int, scenario_ids: Sequence[int] = (),
               progress: Progress | None = None, url: str | None = None,
               made_at: datetime | None = None) -> bytes:  # fmt: skip
    """The approval pack (PDF bytes) of a workplan version with the frozen scenarios chosen:
    the full edition, or for an observer the observer edition. `progress(fraction, what)` is
    told how far the build is."""
    from rpsee.reports.pack import render

    step = progress or (lambda _f, _w: None)
    pack = _content(user, workplan_id, scenario_ids, step, url, made_at)
    step(0.55, "Drawing the PDF")
    pdf = render(pack, progress=step)
    step(1.0, f"Done: {len(pdf) // 1024} KB")
    return pdf


@dataclass(frozen=True)
class PackFiles:
    """Both editions of one pack, made from the same content: the PDF and the accessible HTML
    page (UTF-8) for screen readers."""

    pdf: bytes
    html: bytes


def build_editions(user: CurrentUser, workplan_id: int, scenario_ids: Sequence[int] = (),
                   progress: Progress | None = None, url: str | None = None,
                   made_at: datetime | None = None, pdf: bool = True) -> PackFiles:  # fmt: skip
    """The approval pack as PDF and as its accessible HTML edition (`rpsee.reports.pack_html`),
    from one reading of the figures, with the same role checks as `build_pack` (observers: the
    observer edition of both). `pdf=False` skips drawing the PDF (empty bytes)."""
    from rpsee.reports.pack import render
    from rpsee.reports.pack_html import render_html

    step = progress or (lambda _f, _w: None)
    content = _content(user, workplan_id, scenario_ids, step, url, made_at)
    step(0.5, "Writing the accessible edition (HTML)")
    html = render_html(content).encode("utf-8")
    data = b""
    if pdf:
        step(0.55, "Drawing the PDF")
        data = render(content, progress=step)
    step(1.0, f"Done: PDF {len(data) // 1024} KB, HTML {len(html) // 1024} KB")
    return PackFiles(data, html)
