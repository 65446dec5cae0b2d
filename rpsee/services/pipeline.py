"""The donor pipeline: read it (observers see other donors' confidential money only as an
aggregate), add, change or delete a contribution (planners and finance), keep exchange rates
(finance). Every figure comes with the rates it used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from sqlalchemy.orm.exc import StaleDataError

from rpsee.domain.disclosure import Disclosure, Rule, key_of, protect, relabel_sources
from rpsee.domain.funding_plan import check_serves
from rpsee.domain.money import AmountError, is_blank, parse_amount, parse_percent
from rpsee.domain.pipeline import (
    EARMARK_KINDS,
    STATUSES,
    Contribution,
    Earmark,
    ExchangeRate,
    PipelineError,
    Tranche,
    check_contribution,
    parse_rate,
    rate_table,
    tranches_usd,
)
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.roles import CurrentUser, Permission, Role, require
from rpsee.domain.text_rules import shown
from rpsee.domain.workplan import Activity
from rpsee.services.pipeline_seed import (
    DONOR_RATE_KEY,
    PIPELINE_FILE,
    PROBABILITY_KEY,
    SUPPORT_RATE_KEY,
)
from rpsee.store.audit import utcnow
from rpsee.store.data_files import load_reference, read_yaml
from rpsee.store.pipeline import write_contribution
from rpsee.store.uow import UnitOfWork

DISCLOSURE_FILE = "disclosure.yaml"


class PipelineRefused(ValueError):
    """A save refused whole; `problems` name the field of each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class PipelineConflict(PipelineRefused):
    """The contribution was changed or deleted by someone else since it was loaded."""


@dataclass(frozen=True)
class Defaults:
    probability: dict[str, Decimal]  # percent by status
    support_rate: Decimal  # percent
    support_rate_by_donor: dict[str, Decimal]

    def support_rate_of(self, donor: str) -> Decimal:
        return self.support_rate_by_donor.get(donor, self.support_rate)


@dataclass(frozen=True)
class PipelineView:
    """What one user may see of the pipeline, with the rates every USD figure used."""

    contributions: list[Contribution]
    tranches: list[Tranche]  # in USD at `rates`
    rates: dict[str, ExchangeRate]  # the rate used for each currency
    defaults: Defaults
    redacted: bool  # other donors' confidential contributions shown as an aggregate
    note: str = ""  # what is withheld and why (observers), shown with every figure


@dataclass(frozen=True)
class ContributionForm:
    """A contribution as typed on the page: amounts and percentages as text (blank
    probability: the status default; blank support rate: the donor's default)."""

    donor: str
    reference: str
    currency: str
    status: str
    tranches: dict[int, object]
    earmark_kind: str = "none"
    earmark_code: str = ""
    probability: object = ""
    support_rate: object = ""
    confidential: bool = False
    notes: str = ""
    id: int | None = None
    version: int | None = None  # the version loaded (changes only)


@cache
def global_programmes() -> dict[str, str]:
    """Global Programmes an earmark may name (code -> name), from data/pipeline.yaml."""
    return {str(k): str(v) for k, v in read_yaml(PIPELINE_FILE)["global_programmes"].items()}


@cache
def global_programme_serves() -> dict[str, tuple[str, ...]]:
    """What each Global Programme's earmarked money may pay (code -> thematic area and output
    codes), from data/pipeline.yaml `global_programme_serves`; checked against the programmes
    and the reference data (a programme without a line, or an unknown code, is refused)."""
    raw = read_yaml(PIPELINE_FILE).get("global_programme_serves") or {}
    serves = {str(k): tuple(str(c) for c in v or ()) for k, v in raw.items()}
    ref = load_reference()
    problems = check_serves(serves, global_programmes(), [a.code for a in ref.areas],
                            [o.code for o in ref.outputs])  # fmt: skip
    if problems:
        raise ValueError(f"{PIPELINE_FILE.name}: " + "; ".join(problems))
    return serves


def _defaults(settings: dict[str, str]) -> Defaults:
    prefix = DONOR_RATE_KEY.format("")
    return Defaults(
        {s: Decimal(settings.get(PROBABILITY_KEY.format(s), "100")) for s in STATUSES},
        Decimal(settings.get(SUPPORT_RATE_KEY, settings.get("psc_rate_percent", "13"))),
        {k.removeprefix(prefix): Decimal(v) for k, v in settings.items() if k.startswith(prefix)},
    )


@cache
def disclosure_rule() -> Rule:
    """The disclosure rule observers' figures are held to (data/disclosure.yaml)."""
    data = read_yaml(DISCLOSURE_FILE)
    return Rule(int(data["min_donors"]), Decimal(str(data["max_share_percent"])))


def _disclosure(user: CurrentUser, contributions: list[Contribution] | tuple[Contribution, ...],
               rates: dict[str, ExchangeRate], defaults: Defaults) -> Disclosure:  # fmt: skip
    """What this user computes from: everything, or for an observer the redacted pipeline
    (rpsee/domain/disclosure.py)."""
    if user.role is not Role.OBSERVER:
        return Disclosure(tuple(contributions), frozenset(), frozenset(), 0, False, "")
    return protect(contributions, rates, defaults.probability, user.donor, disclosure_rule(),
                   defaults.support_rate)  # fmt: skip


def load(user: CurrentUser, on: date | None = None, url: str | None = None) -> PipelineView:
    """The pipeline as this user may see it, in USD at the latest rates on or before `on`."""
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        all_rates = uow.pipeline.rates()
        contributions = uow.pipeline.contributions()
        defaults = _defaults(uow.planning.settings())
    rates = rate_table(all_rates, on)
    seen = _disclosure(user, contributions, rates, defaults)
    shown = list(seen.contributions)
    return PipelineView(shown, tranches_usd(shown, rates, defaults.probability), rates, defaults,
                        redacted=seen.applied, note=seen.note)  # fmt: skip


def lines_seen(user: CurrentUser, lines: list[Activity], url: str | None = None) -> list[Activity]:
    """Workplan lines as `user` may read them: for an observer, a funding source that is a
    donor whose confidential money is protected from it reads as the aggregate line."""
    require(user, Permission.VIEW_PROGRAMME)
    if user.role is not Role.OBSERVER:
        return lines
    return list(relabel_sources(lines, _observer_disclosure(user, url)[1].protected_donors))


def _observer_disclosure(user: CurrentUser,
                         url: str | None) -> tuple[list[Contribution], Disclosure]:  # fmt: skip
    """Every contribution, and what an observer computes from (at today's rates)."""
    with UnitOfWork(url=url) as uow:
        rates = rate_table(uow.pipeline.rates())
        every = uow.pipeline.contributions()
        defaults = _defaults(uow.planning.settings())
    return every, _disclosure(user, every, rates, defaults)


def protected_grants(user: CurrentUser, url: str | None = None) -> frozenset[str]:
    """The agreements (contribution references) whose money reads to `user` only as the
    confidential aggregate: none for roles other than observers."""
    require(user, Permission.VIEW_PROGRAMME)
    if user.role is not Role.OBSERVER:
        return frozenset()
    every, seen = _observer_disclosure(user, url)
    return frozenset(c.reference for c in every
                     if key_of(c) in seen.group or c.donor in seen.protected_donors)  # fmt: skip


def contributions(user: CurrentUser, url: str | None = None) -> list[Contribution]:
    """The contributions this user may see (observers: others' confidential ones aggregated)."""
    return load(user, url=url).contributions


def contribution(user: CurrentUser, contribution_id: int, url: str | None = None) -> Contribution:
    """One contribution, if this user may see it."""
    found = [c for c in contributions(user, url=url) if c.id == contribution_id]
    if not found:
        raise PipelineRefused([f"Contribution {contribution_id}: not found"])
    return found[0]


def exchange_rates(user: CurrentUser, url: str | None = None) -> list[ExchangeRate]:
    """Every dated rate (the history finance keeps)."""
    require(user, Permission.VIEW_PROGRAMME)
    with UnitOfWork(url=url) as uow:
        return uow.pipeline.rates()


NAN = "'nan' is not a finite number: type the figure, e.g. 12.5 or 46500.00"


def _percent(value: object, name: str, row: str, blank: Decimal | None,
             problems: list[str]) -> Decimal | None:  # fmt: skip
    if isinstance(value, float) and value != value:  # a form gives text: NaN is not a blank
        problems.append(f"{row}, {name}: {NAN}")
        return None
    if is_blank(value):
        return blank
    try:
        return parse_percent(value, field=name, row=row)
    except AmountError as exc:
        problems.append(str(exc))
        return None


def parse_form(form: ContributionForm, defaults: Defaults, ref: ProgrammeReference,
               currencies: list[str]) -> tuple[Contribution | None, list[str]]:  # fmt: skip
    """The contribution the form describes, or the problems (each naming its field)."""
    row = f"Contribution {form.id}" if form.id else "New contribution"
    problems: list[str] = []
    tranches: dict[int, Decimal] = {}
    for year, value in sorted(form.tranches.items()):
        if isinstance(value, float) and value != value:
            problems.append(f"{row}, Tranche {year}: {NAN}")
            continue
        if is_blank(value):
            continue
        try:
            tranches[int(year)] = parse_amount(value, field=f"Tranche {year}", row=row)
        except AmountError as exc:
            problems.append(str(exc).replace("USD ", ""))
    donors = {d.code for d in ref.donors}
    if form.donor and form.donor not in donors:
        problems.append(f"{row}, Donor: unknown donor {form.donor!r}")
    if form.currency and form.currency not in currencies:
        problems.append(f"{row}, Currency: unknown currency {form.currency!r} (no exchange "
                        f"rate; known: {', '.join(sorted(currencies))})")  # fmt: skip
    if not form.reference.strip():
        problems.append(f"{row}, Reference: is missing (a title or the agreement reference)")
    probability = _percent(form.probability, "Probability", row, None, problems)
    support = _percent(form.support_rate, "Support-cost rate", row,
                       defaults.support_rate_of(form.donor), problems)  # fmt: skip
    earmark = _earmark(form.earmark_kind, form.earmark_code.strip(), ref, row, problems)
    if problems:
        return None, problems
    c = Contribution(form.id, form.donor, form.reference.strip(), form.currency, tranches,
                     form.status, earmark, probability, support or Decimal(0),
                     form.confidential, form.notes.strip(), form.version)  # fmt: skip
    problems = check_contribution(c, ref.figures.cycle_years, currencies, row)
    return (None, problems) if problems else (c, [])


def _earmark(kind: str, code: str, ref: ProgrammeReference, row: str,
             problems: list[str]) -> Earmark:  # fmt: skip
    known = {
        "area": {a.code for a in ref.areas},
        "output": {o.code for o in ref.outputs},
        "jurisdiction": {j.code for j in ref.jurisdictions},
        "global_programme": set(global_programmes()),
    }
    if kind not in EARMARK_KINDS:
        problems.append(f"{row}, Earmark: unknown kind {kind!r}")
    elif kind == "none":
        return Earmark()
    elif code not in known[kind]:
        problems.append(f"{row}, Earmark: {code!r} is not a known {kind.replace('_', ' ')}")
    else:
        return Earmark(kind, code)
    return Earmark()


def save_contribution(user: CurrentUser, form: ContributionForm, ref: ProgrammeReference,
                      url: str | None = None) -> int:  # fmt: skip
    """Add (no id) or change a contribution, whole or not at all; returns its id. A change
    needs the version loaded: someone else's save in between is a conflict."""
    require(user, Permission.EDIT_PIPELINE)
    try:
        return _save_once(user, form, ref, url)
    except StaleDataError:
        raise PipelineConflict([f"Contribution {form.id}: changed by someone else meanwhile; "
                                "nothing was saved. Reload it and apply your change again."]
                               ) from None  # fmt: skip


def _conflict(row_id: int | None, by: str | None, at: datetime | None,
              what: str) -> PipelineConflict:  # fmt: skip
    who = f" by {by} at {at:%Y-%m-%d %H:%M} UTC" if by and at else ""
    return PipelineConflict([f"Contribution {row_id}: {what}{who} since you loaded it; nothing "
                             "was saved. Reload it and apply your change again."])  # fmt: skip


def _save_once(user: CurrentUser, form: ContributionForm, ref: ProgrammeReference,
               url: str | None) -> int:  # fmt: skip
    with UnitOfWork(actor=user.username, action="pipeline_save", url=url) as uow:
        defaults = _defaults(uow.planning.settings())
        currencies = sorted(rate_table(uow.pipeline.rates()))
        c, problems = parse_form(form, defaults, ref, currencies)
        if c is None:
            raise PipelineRefused(problems)
        now = utcnow()
        if form.id is None:
            row = uow.pipeline.add(c, user.username, now)
        else:
            row = uow.pipeline.row(form.id)
            if row is None:
                raise _conflict(form.id, None, None, "deleted")
            if row.version != form.version:
                raise _conflict(form.id, row.updated_by, row.updated_at, "changed")
            write_contribution(row, c, user.username, now)
        uow.commit()
        return row.id


def delete_contribution(user: CurrentUser, contribution_id: int, version: int,
                        url: str | None = None) -> None:  # fmt: skip
    """Delete a contribution (and its tranches), if nobody changed it since it was loaded."""
    require(user, Permission.EDIT_PIPELINE)
    with UnitOfWork(actor=user.username, action="pipeline_delete", url=url) as uow:
        row = uow.pipeline.row(contribution_id)
        if row is None:
            raise _conflict(contribution_id, None, None, "deleted")
        if row.version != version:
            raise _conflict(contribution_id, row.updated_by, row.updated_at, "changed")
        uow.session.delete(row)
        try:
            uow.commit()
        except StaleDataError:
            raise _conflict(contribution_id, None, None, "changed") from None


def save_rate(user: CurrentUser, currency: str, as_of: object, value: object,
              url: str | None = None) -> None:  # fmt: skip
    """Finance: the USD value of one unit of `currency` as of a date (added, or changed)."""
    require(user, Permission.EDIT_EXCHANGE_RATES)
    problems: list[str] = []
    code = (currency or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        problems.append(f"Currency: {currency!r} is not a three-letter code (e.g. EUR)")
    elif code == "USD":
        problems.append("Currency: USD is always 1")
    day = None
    try:
        day = as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of).strip())
    except ValueError:
        problems.append(f"Date: {shown(as_of)} is not a date (type it as YYYY-MM-DD)")
    try:
        rate = parse_rate(value, field=f"Rate {code or currency}")
    except PipelineError as exc:
        problems.append(str(exc))
    with UnitOfWork(actor=user.username, action="exchange_rate", url=url) as uow:
        figures = uow.reference.load().figures
        first, last = figures.cycle_days
        if day is not None and not first <= day <= last:
            problems.append(f"Date: {day.isoformat()} is outside the programme cycle "
                            f"({first.isoformat()} to {last.isoformat()})")  # fmt: skip
        if problems:
            raise PipelineRefused(problems)
        uow.pipeline.set_rate(ExchangeRate(code, rate, day), user.username, utcnow())
        uow.commit()
