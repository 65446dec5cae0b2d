"""The stored pipeline on SQLite and PostgreSQL: the demo sums, saves and conflicts, refusals
that name the field and change nothing, exchange rates, and the observer's redaction in every
pipeline service."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from rpsee.domain.pipeline import OTHER_CONFIDENTIAL
from rpsee.domain.roles import CurrentUser, PermissionDenied, Role
from rpsee.services import pipeline
from rpsee.services.pipeline import ContributionForm, PipelineConflict, PipelineRefused
from rpsee.services.pipeline_seed import seed_demo_pipeline, seed_pipeline_defaults
from rpsee.store.models import AuditEntryRow, ContributionRow, ContributionTrancheRow
from rpsee.store.uow import UnitOfWork

PLANNER = CurrentUser("demo.planner", "Planner", Role.PLANNER)
FINANCE = CurrentUser("demo.finance", "Finance", Role.FINANCE)
PSC = CurrentUser("demo.psc", "PSC", Role.PSC_MEMBER)
OBSERVER = CurrentUser("demo.observer", "Observer (Austria)", Role.OBSERVER, "AUT")
CYCLE = range(2024, 2030)


@pytest.fixture
def pl(db: str) -> str:
    seed_pipeline_defaults(db)
    seed_demo_pipeline(db)
    return db


@pytest.fixture
def ref(pl: str):  # noqa: ANN201
    with UnitOfWork(url=pl) as uow:
        return uow.reference.load()


def _sums(view: pipeline.PipelineView) -> dict[tuple[int, str], D]:
    out: dict[tuple[int, str], D] = {}
    for t in view.tranches:
        out[(t.year, t.status)] = out.get((t.year, t.status), D(0)) + t.usd
    return out


def _snapshot(url: str) -> tuple[int, int, int, list]:
    with UnitOfWork(url=url) as uow:
        s = uow.session
        rows = [(r.id, r.version, r.reference, sorted((t.year, t.amount_cents) for t in r.tranches))
                for r in s.scalars(select(ContributionRow).order_by(ContributionRow.id))]
        return (s.scalar(select(func.count()).select_from(ContributionRow)),
                s.scalar(select(func.count()).select_from(ContributionTrancheRow)),
                s.scalar(select(func.count()).select_from(AuditEntryRow)), rows)  # fmt: skip


def _form(**changes: object) -> ContributionForm:
    base = ContributionForm(donor="SWE", reference="SIDA-2026-01", currency="SEK", status="soft",
                            tranches={2026: "5,000,000.00", 2027: "2500000"},
                            earmark_kind="area", earmark_code="2", probability="",
                            support_rate="")  # fmt: skip
    return replace(base, **changes)


# -- the demo pipeline -----------------------------------------------------------------------
def test_demo_hard_pipeline_is_the_documents_to_the_cent(pl: str, ref) -> None:  # noqa: ANN001
    sums = _sums(pipeline.load(PLANNER, url=pl))
    assert sums[(2024, "hard")] == D("8100000.00") == ref.figures.hard_pipeline[2024]
    assert sums[(2025, "hard")] == D("8300000.00") == ref.figures.hard_pipeline[2025]
    assert not any(status == "hard" for (year, status) in sums if year > 2025)
    assert {y for (y, s) in sums if s != "hard"} == {2026, 2027, 2028, 2029}


def test_demo_pipeline_uses_the_donors_currencies_and_marks_some_confidential(pl: str) -> None:
    view = pipeline.load(PLANNER, url=pl)
    assert {c.currency for c in view.contributions} == {"EUR", "GBP", "SEK", "NOK", "TRY", "USD"}
    assert 1 <= sum(c.confidential for c in view.contributions) <= 2
    eu = [c for c in view.contributions if c.donor == "EU"]
    assert eu and all(c.support_rate == 7 for c in eu)  # the EU's rate, from data/pipeline.yaml
    lions = next(c for c in view.contributions if c.donor == "LCIF" and c.status == "hard")
    assert (lions.earmark.kind, lions.earmark.code) == ("area", "1")
    assert view.rates["EUR"].usd_per_unit == D("1.0705")
    assert str(view.rates["EUR"].as_of) == "2024-06-28"
    assert view.defaults.probability == {"hard": 100, "soft": 60, "prospect": 25}


def test_seeding_twice_adds_nothing(pl: str) -> None:
    before = _snapshot(pl)
    assert seed_demo_pipeline(pl) == 0 and seed_pipeline_defaults(pl) is False
    assert _snapshot(pl) == before


# -- saving --------------------------------------------------------------------------------------
def test_add_change_and_delete_are_audited(pl: str, ref) -> None:  # noqa: ANN001
    new_id = pipeline.save_contribution(PLANNER, _form(), ref, url=pl)
    saved = pipeline.contribution(PLANNER, new_id, url=pl)
    assert saved.tranches == {2026: D("5000000.00"), 2027: D("2500000.00")}
    assert saved.probability is None and saved.support_rate == 13  # the defaults
    assert saved.chance(pipeline.load(PLANNER, url=pl).defaults.probability) == 60
    form = _form(id=new_id, version=saved.version, tranches={2027: "1000000.50"},
                 probability="75", support_rate="7", status="hard")  # fmt: skip
    pipeline.save_contribution(FINANCE, form, ref, url=pl)
    changed = pipeline.contribution(PLANNER, new_id, url=pl)
    assert changed.tranches == {2027: D("1000000.50")}  # 2026 removed
    assert (changed.status, changed.probability, changed.support_rate) == ("hard", 75, 7)
    pipeline.delete_contribution(PLANNER, new_id, changed.version, url=pl)
    assert new_id not in {c.id for c in pipeline.contributions(PLANNER, url=pl)}
    with UnitOfWork(url=pl) as uow:
        entries = uow.audit.recent(limit=100, entity="contribution")
    actions = {e.action for e in entries if e.entity_id == str(new_id)}
    assert {"pipeline_save:insert", "pipeline_save:update", "pipeline_delete:delete"} <= actions


def test_a_stale_change_is_a_conflict_and_saves_nothing(pl: str, ref) -> None:  # noqa: ANN001
    c = pipeline.contributions(PLANNER, url=pl)[0]
    mine = _form(id=c.id, version=c.version, donor=c.donor, currency=c.currency,
                 reference="mine", tranches={2024: "1.00"})  # fmt: skip
    theirs = replace(mine, reference="theirs")
    pipeline.save_contribution(FINANCE, theirs, ref, url=pl)
    before = _snapshot(pl)
    with pytest.raises(PipelineConflict, match=r"changed by demo\.finance at"):
        pipeline.save_contribution(PLANNER, mine, ref, url=pl)
    with pytest.raises(PipelineConflict, match="changed"):
        pipeline.delete_contribution(PLANNER, c.id, c.version, url=pl)
    assert _snapshot(pl) == before
    assert pipeline.contribution(PLANNER, c.id, url=pl).reference == "theirs"


@pytest.mark.parametrize(("changes", "named"), [
    ({"probability": "120"}, "New contribution, Probability: '120' is out of range"),
    ({"probability": "-5"}, "New contribution, Probability"),
    ({"currency": "XYZ"}, "New contribution, Currency: unknown currency 'XYZ'"),
    ({"tranches": {2031: "100"}}, "New contribution, Tranche 2031: outside the programme cycle"),
    ({"tranches": {2023: "100"}}, "New contribution, Tranche 2023: outside the programme cycle"),
    ({"tranches": {2026: "-100"}}, "New contribution, Tranche 2026: '-100' is negative"),
    ({"tranches": {2026: "1,5"}}, "New contribution, Tranche 2026"),
    ({"support_rate": "150"}, "New contribution, Support-cost rate"),
    ({"donor": "NOBODY"}, "New contribution, Donor: unknown donor"),
    ({"earmark_kind": "area", "earmark_code": "9"}, "Earmark: '9' is not a known area"),
    ({"earmark_kind": "global_programme", "earmark_code": "XX"}, "Earmark: 'XX'"),
    ({"status": "maybe"}, "New contribution, Status"),
    ({"reference": " "}, "New contribution, Reference: is missing"),
])  # fmt: skip
def test_bad_input_is_refused_naming_the_field_and_nothing_saved(
    pl: str, ref, changes: dict, named: str  # noqa: ANN001
) -> None:
    before = _snapshot(pl)
    with pytest.raises(PipelineRefused) as refused:
        pipeline.save_contribution(PLANNER, _form(**changes), ref, url=pl)
    assert any(named in p for p in refused.value.problems), refused.value.problems
    assert _snapshot(pl) == before


def test_a_change_with_one_bad_field_keeps_the_stored_contribution(pl: str, ref) -> None:  # noqa: ANN001
    c = pipeline.contributions(PLANNER, url=pl)[0]
    form = _form(id=c.id, version=c.version, donor=c.donor, currency=c.currency,
                 tranches={2024: "1000", 2030: "5"})  # fmt: skip
    before = _snapshot(pl)
    with pytest.raises(PipelineRefused, match=f"Contribution {c.id}, Tranche 2030"):
        pipeline.save_contribution(PLANNER, form, ref, url=pl)
    assert _snapshot(pl) == before


# -- exchange rates ----------------------------------------------------------------------------
def test_finance_dates_a_new_rate_and_every_figure_uses_it(pl: str) -> None:
    eur_2024 = _sums(pipeline.load(PLANNER, url=pl))[(2024, "hard")]
    pipeline.save_rate(FINANCE, "eur", "2026-11-30", "1.1", url=pl)
    view = pipeline.load(PLANNER, url=pl)
    assert (view.rates["EUR"].usd_per_unit, str(view.rates["EUR"].as_of)) == (D("1.1"),
                                                                               "2026-11-30")
    eu24 = D("2400000") * D("0.0295") + D("800000") * D("0.0295") + D("400000") * D("0.0295") \
        + D("300000") * D("0.0295")  # EUR tranches of 2024, each USD 0.0295 more a euro
    assert _sums(view)[(2024, "hard")] == eur_2024 + eu24
    old = pipeline.load(PLANNER, on=__import__("datetime").date(2025, 1, 1), url=pl)
    assert _sums(old)[(2024, "hard")] == eur_2024  # the rates of an earlier date
    assert len([r for r in pipeline.exchange_rates(PSC, url=pl) if r.currency == "EUR"]) == 2


@pytest.mark.parametrize(("currency", "day", "value", "named"), [
    ("EUR", "2026-11-30", "1,1", "Rate EUR"),
    ("EUR", "2026-11-30", "-1", "Rate EUR"),
    ("EUR", "2026-11-30", "0", "Rate EUR"),
    ("EUR", "2026-11-30", "1.12345678", "more than 6 decimals"),
    ("EUR", "30.11.2026", "1.1", "Date"),
    ("EURO", "2026-11-30", "1.1", "Currency"),
    ("USD", "2026-11-30", "1.1", "Currency: USD is always 1"),
])  # fmt: skip
def test_bad_rates_are_refused(pl: str, currency: str, day: str, value: str, named: str) -> None:
    before = pipeline.exchange_rates(FINANCE, url=pl)
    with pytest.raises(PipelineRefused, match=named):
        pipeline.save_rate(FINANCE, currency, day, value, url=pl)
    assert pipeline.exchange_rates(FINANCE, url=pl) == before


def test_only_finance_edits_rates_and_only_planners_and_finance_contributions(
    pl: str, ref  # noqa: ANN001
) -> None:
    for user in (PLANNER, PSC, OBSERVER):
        with pytest.raises(PermissionDenied):
            pipeline.save_rate(user, "EUR", "2026-11-30", "1.1", url=pl)
    for user in (PSC, OBSERVER):
        with pytest.raises(PermissionDenied):
            pipeline.save_contribution(user, _form(), ref, url=pl)
        with pytest.raises(PermissionDenied):
            pipeline.delete_contribution(user, 1, 1, url=pl)


# -- the observer --------------------------------------------------------------------------------
def _hidden(pl: str) -> list:
    return [c for c in pipeline.contributions(PSC, url=pl) if c.confidential and c.donor != "AUT"]


def test_the_observer_sees_others_confidential_money_only_as_an_aggregate(pl: str) -> None:
    hidden = _hidden(pl)
    assert hidden, "the demo has another donor's confidential contribution"
    full, seen = pipeline.load(PSC, url=pl), pipeline.load(OBSERVER, url=pl)
    assert seen.redacted and not full.redacted
    text = repr(seen)
    for c in hidden:
        assert c.reference not in text and c.id not in {x.id for x in seen.contributions}
        assert f"'{c.donor}'" not in text
    own = [c for c in seen.contributions if c.donor == "AUT"]
    assert own and all(c.confidential for c in own)  # its own confidential contribution, whole
    others = [c for c in seen.contributions if c.donor == OTHER_CONFIDENTIAL]
    assert {(y, c.status) for c in others for y in c.tranches} == {
        (y, c.status) for c in hidden for y in c.tranches}  # fmt: skip
    assert all(c.earmark.kind == "none" and not c.notes and c.currency == "USD" for c in others)
    assert _sums(seen) == _sums(full)  # the totals by year and status are the same, to the cent


def test_every_pipeline_read_service_redacts_for_the_observer(pl: str) -> None:
    hidden = _hidden(pl)
    listed = pipeline.contributions(OBSERVER, url=pl)
    assert not {c.id for c in hidden} & {c.id for c in listed}
    for c in hidden:
        with pytest.raises(PipelineRefused, match="not found"):
            pipeline.contribution(OBSERVER, c.id, url=pl)
        assert pipeline.contribution(PSC, c.id, url=pl).reference == c.reference
    assert all(t.contribution_id not in {c.id for c in hidden}
               for t in pipeline.load(OBSERVER, url=pl).tranches)  # fmt: skip
    assert pipeline.exchange_rates(OBSERVER, url=pl)  # rates are not confidential


def test_an_observer_of_another_donor_sees_austrias_confidential_money_aggregated(pl: str) -> None:
    italy = replace(OBSERVER, donor="ITA")
    seen = pipeline.load(italy, url=pl)
    assert "AUT" not in {c.donor for c in seen.contributions}
    assert any(c.donor == "ITA" and c.confidential for c in seen.contributions)
    no_donor = pipeline.load(replace(OBSERVER, donor=None), url=pl)
    assert not any(c.confidential and c.id for c in no_donor.contributions)
