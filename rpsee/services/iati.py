"""The programme as an IATI 2.03 activity file (planners and finance; never an observer: the
file names every signed contribution's money, the confidential ones as one aggregate)."""

from __future__ import annotations

from datetime import date

from rpsee.domain.iati.build import IatiInputs, IndicatorFigures, YearPlan, build
from rpsee.domain.iati.model import IatiFile
from rpsee.domain.iati.settings import IatiSettings, IatiSettingsError, load_settings
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.requirement import compare_year
from rpsee.domain.review.indicators import IndicatorSpec
from rpsee.domain.roles import CurrentUser, Permission, require
from rpsee.reports.iati_xml import write
from rpsee.services import expenditure, pipeline, planning, programme, progress, staffing
from rpsee.services import workplans as workplan_service
from rpsee.store.audit import utcnow
from rpsee.store.data_files import DataFileError, read_yaml

IATI_FILE, SECTORS_FILE = "iati.yaml", "dac_sectors.yaml"
XML_MIME = "application/xml"


def settings(ref: ProgrammeReference) -> IatiSettings:
    """The publishing settings (data/iati.yaml): pure reading of settings, no user data."""
    try:
        return load_settings(read_yaml(IATI_FILE), read_yaml(SECTORS_FILE), ref)
    except IatiSettingsError as exc:
        raise DataFileError(f"data/{IATI_FILE}: {exc}") from None


def inputs(user: CurrentUser, today: date | None = None, url: str | None = None) -> IatiInputs:
    """Everything the file states, read as the pages read it."""
    require(user, Permission.EXPORT_WORKPLANS)
    today = today or date.today()
    ref = programme.reference(user, url=url)
    used = workplan_service.in_use_by_year(user, url=url)
    lines = workplan_service.lines_in_use(user, url=url)
    envelope = planning.settings(user, url=url)
    data = staffing.load(user, url=url)
    costing = staffing.costing(data.plans, data.rates, ref)
    years = [YearPlan(y, used[y].status if y in used else None, tuple(lines.get(y, [])),
                      compare_year(y, envelope, lines.get(y, []), costing, ref))
             for y in ref.figures.cycle_years]  # fmt: skip
    view = pipeline.load(user, url=url)
    specs = progress.specs(ref)
    dues = sorted({d for s in specs.values() for d in _dues(s) if d <= today})
    reached = {d: {p.spec.code: p.actual for p in progress.progress(user, d, url=url)}
               for d in dues}  # fmt: skip
    figures = [IndicatorFigures(s, {d: reached[d].get(s.code) for d in dues})
               for s in specs.values()]  # fmt: skip
    return IatiInputs(settings(ref), ref, years, view.contributions, view.tranches,
                      expenditure.spent(user, url=url), figures, today, utcnow())  # fmt: skip


def _dues(spec: IndicatorSpec) -> list[date]:
    return [t.due for t in spec.interim_targets] + [spec.target_due]


def activities(user: CurrentUser, today: date | None = None, url: str | None = None) -> IatiFile:
    """The file's content (the figures the tests compare with the pages')."""
    return build(inputs(user, today, url))


def export(user: CurrentUser, today: date | None = None, url: str | None = None) -> bytes:
    """The IATI 2.03 XML file of the programme."""
    return write(activities(user, today, url))
