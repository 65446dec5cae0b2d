"""The Annual Programme Progress Report and the donor grant statements of a year, as PDFs: the
report given to the Committee for that year (for roles that read live figures, the live one
until then, marked DRAFT) and the Delivery page's figures, read through the same services."""

from __future__ import annotations

from datetime import date, datetime

from rpsee.domain.review.annual_report import GrantFigures, annual_report, grant_statements
from rpsee.domain.review.report import ProgressReport
from rpsee.domain.roles import (
    FULL_EDITION,
    OBSERVER_EDITION,
    CurrentUser,
    Permission,
    PermissionDenied,
    Role,
    require,
)
from rpsee.services import delivery, expenditure, pipeline, programme, progress
from rpsee.store.audit import utcnow

SIGNED = "hard"


def _report(user: CurrentUser, year: int, url: str | None) -> tuple[ProgressReport, str, bool]:
    """The year's latest report given to the Committee, or the live figures (said so)."""
    given = progress.reports(user, year, url=url)
    if given:
        r = given[-1]
        return r.report, (f"Progress report {year} no. {r.number}, as given to the Steering "
                          f"Committee (frozen {r.frozen_at:%Y-%m-%d %H:%M} UTC)."), True
    if not user.can(Permission.VIEW_LIVE_PROGRESS):
        raise PermissionDenied(f"No progress report of {year} was given to the Steering "
                               "Committee yet.")  # fmt: skip
    as_of = min(date.today(), date(year, 12, 31))
    return (progress.live_report(user, year, as_of, url=url),
            f"Live figures as of {as_of:%d %B %Y}: no report of {year} was given to the "
            "Steering Committee yet (this document is a draft).", False)  # fmt: skip


def _edition(user: CurrentUser) -> str:
    return OBSERVER_EDITION if user.role is Role.OBSERVER else FULL_EDITION


def build_annual_report(user: CurrentUser, year: int, url: str | None = None,
                        made_at: datetime | None = None) -> bytes:  # fmt: skip
    """The Annual Programme Progress Report of `year` (PDF)."""
    from rpsee.reports.pack import render

    require(user, Permission.VIEW_PROGRAMME)
    report, note, final = _report(user, year, url)
    d = delivery.delivery(user, year, url=url, warnings=False)
    tables = [d.tables[k] for k in ("year", "area", "output", "office", "category", "grant")]
    money_note = d.basis_note + (f" {d.note}" if d.note else "")
    pack = annual_report(report, note, tables, d.results, money_note,
                         programme.reference(user, url=url), made_at or utcnow(),
                         _edition(user), final)  # fmt: skip
    return render(pack)


def build_grant_statements(user: CurrentUser, year: int, url: str | None = None,
                           made_at: datetime | None = None) -> bytes:  # fmt: skip
    """A one-page statement per signed grant the user may read (observers: other donors'
    confidential grants are not stated), for `year` (PDF)."""
    from rpsee.reports.pack import render

    require(user, Permission.VIEW_PROGRAMME)
    view = pipeline.load(user, url=url)
    spent = expenditure.spent(user, url=url)
    grants = []
    for c in view.contributions:
        if c.status != SIGNED or c.id is None:
            continue  # observers: the aggregate of others' confidential money is no grant
        usd = {t.year: t.usd for t in view.tranches if t.contribution_id == c.id}
        grants.append(GrantFigures(c.reference, c.donor, usd,
                                   [ln for ln in spent if ln.grant == c.reference]))
    try:
        report: ProgressReport | None = _report(user, year, url)[0]
    except PermissionDenied:
        report = None
    note = ("Agreements in USD at the rates finance keeps; expenditure as imported from the "
            "ERP." + (f" {view.note}" if view.note else ""))  # fmt: skip
    return render(grant_statements(grants, year, report, programme.reference(user, url=url),
                                   made_at or utcnow(), _edition(user), note))  # fmt: skip
