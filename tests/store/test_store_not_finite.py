"""NaN and infinity, in every form a caller can hand over (float, Decimal, text), in every number
a service takes: refused with the service's own message naming the field, never a raw
`InvalidOperation`/`TypeError`, never stored, never taken for a blank. Exchange-rate dates are
bounded to the programme cycle (July 2024 to June 2029, data/envelope.yaml)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, select

from rpsee.domain.roles import CurrentUser, Role
from rpsee.domain.scenario import Scenario, ScenarioError
from rpsee.services import pipeline, planning, scenarios, staffing, workplans
from rpsee.services.workplans import WorkplanEdit
from rpsee.store.uow import UnitOfWork
from tests.unit.test_domain_workplan import act

P = CurrentUser("demo.planner", "P", Role.PLANNER)
F = CurrentUser("demo.finance", "F", Role.FINANCE)
NOT_FINITE: list[object] = [float("nan"), float("inf"), float("-inf"), Decimal("NaN"),
                            Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity"), "nan",
                            "NaN", "inf", "-inf", "Infinity"]  # fmt: skip
REFUSED = (planning.PlanningError, staffing.StaffingError, pipeline.PipelineRefused,
           workplans.WorkplanError, ScenarioError)  # fmt: skip


@pytest.fixture(scope="module")
def w(tmp_path_factory) -> Iterator[SimpleNamespace]:  # noqa: ANN001
    from rpsee.services.bootstrap import prepare
    from rpsee.store.db import dispose

    url = f"sqlite:///{tmp_path_factory.mktemp('nan') / 'nan.sqlite'}"
    prepare(url)  # demo mode: workplans, positions, cost rates, pipeline
    with UnitOfWork(url=url) as uow:
        ref = uow.reference.load()
    plan = next(p for p in workplans.list_workplans(P, url=url) if p.status == "draft")
    rates = staffing.load(F, url=url)
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    yield SimpleNamespace(url=url, ref=ref, plan=plan, position=rates.plans[0],
                          rates=[(r.grade, r.duty_station, r.annual) for r in rates.rate_lines],
                          engine=engine, meta=meta)  # fmt: skip
    engine.dispose()
    dispose(url)


def _dump(w: SimpleNamespace) -> dict[str, list[tuple]]:
    with w.engine.connect() as conn:
        return {t.name: [tuple(r) for r in conn.execute(select(t).order_by(
            *(list(t.primary_key.columns) or list(t.columns))))] for t in w.meta.sorted_tables}


def _form(**kwargs: Any) -> pipeline.ContributionForm:  # noqa: ANN401
    return pipeline.ContributionForm(**{"donor": "SWE", "reference": "NaN check",
                                        "currency": "SEK", "status": "soft",
                                        "tranches": {2026: "1000"}, **kwargs})  # fmt: skip


def _line(**kwargs: Any) -> Any:  # noqa: ANN401
    return replace(act("", "2.3", {"TRAVEL": "100.00"}), **kwargs)


Call = Callable[[SimpleNamespace, object], object]
CALLS: dict[str, tuple[str, Call]] = {  # field as the message names it, the call
    "envelope": ("Envelope 2026", lambda w, v: planning.save_envelope(
        P, {2026: v}, "gross", "13", w.ref, url=w.url)),
    "support-cost-rate": ("Programme support cost rate", lambda w, v: planning.save_envelope(
        P, {}, "gross", v, w.ref, url=w.url)),
    "cost-rate": ("Annual cost", lambda w, v: staffing.save_rates(
        F, [(*w.rates[0][:2], v), *w.rates[1:]], "2", {}, w.ref, url=w.url)),
    "escalation": ("Escalation", lambda w, v: staffing.save_rates(
        F, w.rates, v, {}, w.ref, url=w.url)),
    "vacancy": ("Vacancy 2026", lambda w, v: staffing.save_rates(
        F, w.rates, "2", {2026: v}, w.ref, url=w.url)),
    "time-split": ("Time split", lambda w, v: staffing.save_plans(
        P, [replace(w.position, split={"1": v})], w.ref, url=w.url)),
    "exchange-rate": ("Rate EUR", lambda w, v: pipeline.save_rate(
        F, "EUR", "2026-01-01", v, url=w.url)),
    "tranche": ("Tranche 2026", lambda w, v: pipeline.save_contribution(
        P, _form(tranches={2026: v}), w.ref, url=w.url)),
    "probability": ("Probability", lambda w, v: pipeline.save_contribution(
        P, _form(probability=v), w.ref, url=w.url)),
    "support-rate": ("Support", lambda w, v: pipeline.save_contribution(
        P, _form(support_rate=v), w.ref, url=w.url)),
    "uplift": ("Uplift", lambda w, v: workplans.preview_draft(
        P, 2029, w.ref, w.plan.id, uplift_percent=v, url=w.url)),
    "budget": ("Budget – Travel", lambda w, v: workplans.save(
        P, w.plan.id, WorkplanEdit(added=[_line(budget={"TRAVEL": v})]), w.ref, url=w.url)),
    "start-month": ("Start month", lambda w, v: workplans.save(
        P, w.plan.id, WorkplanEdit(added=[_line(start_month=v)]), w.ref, url=w.url)),
    "gem": ("GEM", lambda w, v: workplans.save(
        P, w.plan.id, WorkplanEdit(added=[_line(gem=v)]), w.ref, url=w.url)),
    "probability-cut-off": ("Probability cut-off", lambda w, v: scenarios.save_scenario(
        P, Scenario("NaN", probability_cutoff=v), url=w.url)),
    "scenario-amount": ("Amount of 1", lambda w, v: Scenario("NaN", amount={"1": v})),
    "scenario-probability": ("Probability of 1", lambda w, v: Scenario(
        "NaN", probability={"1": v})),
    "fx-shock": ("Exchange-rate shock EUR", lambda w, v: Scenario("NaN", fx_shocks={"EUR": v})),
    "envelope-change": ("Envelope change", lambda w, v: Scenario(
        "NaN", envelope_change_percent=v)),
    "requirement-cut": ("Requirement cut", lambda w, v: Scenario(
        "NaN", requirement_cut_percent=v)),
    "delay": ("Delay of SWE", lambda w, v: Scenario("NaN", delays={"SWE": v})),
    "deferral": ("Deferral of new positions", lambda w, v: Scenario(
        "NaN", defer_new_months=v)),
    "correlation": ("Correlation within a donor", lambda w, v: Scenario(
        "NaN", donor_correlation=v)),
}  # fmt: skip
CASES = [(name, value) for name in CALLS for value in NOT_FINITE]


@pytest.mark.parametrize(("name", "value"), CASES,
                         ids=[f"{n}-{type(v).__name__}-{v}" for n, v in CASES])  # fmt: skip
def test_nan_and_infinity_are_refused_naming_the_field(w: SimpleNamespace, name: str,
                                                       value: object) -> None:  # fmt: skip
    field, call = CALLS[name]
    before = _dump(w)
    with pytest.raises(REFUSED) as refused:
        call(w, value)
    assert field in str(refused.value), str(refused.value)
    assert "Decimal(" not in str(refused.value) and "InvalidOperation" not in str(refused.value)
    assert _dump(w) == before


@pytest.mark.parametrize(("day", "ok"), [("2024-06-30", False), ("2024-07-01", True),
                                         ("2029-06-30", True), ("2029-07-01", False),
                                         ("1900-01-01", False), ("9999-12-31", False)])
def test_exchange_rate_dates_are_bounded_to_the_cycle(w: SimpleNamespace, day: str,
                                                      ok: bool) -> None:  # fmt: skip
    if ok:
        pipeline.save_rate(F, "EUR", day, "1.0705", url=w.url)
        assert any(r.as_of.isoformat() == day for r in pipeline.exchange_rates(F, url=w.url))
        return
    before = _dump(w)
    with pytest.raises(pipeline.PipelineRefused, match=f"Date: {day} is outside the programme "
                       "cycle \\(2024-07-01 to 2029-06-30\\)"):  # fmt: skip
        pipeline.save_rate(F, "EUR", day, "1.0705", url=w.url)
    assert _dump(w) == before


def test_a_date_that_is_not_one_is_named_in_the_users_words(w: SimpleNamespace) -> None:
    with pytest.raises(pipeline.PipelineRefused) as refused:
        pipeline.save_rate(F, "EUR", "31/12/2026", "1.0705", url=w.url)
    assert "Date: '31/12/2026' is not a date (type it as YYYY-MM-DD)" in str(refused.value)
