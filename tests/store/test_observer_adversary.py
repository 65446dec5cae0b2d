"""The donor observer as an adversary. For the demo data and three more fixtures (one
confidential donor; two; confidential money in one year only), it collects every figure an
observer reaches THROUGH THE SERVICES (pipeline, baseline and shared scenarios with their
Monte Carlo, frozen records' JSON, the lines' funding sources, the observer pack) plus the
published totals (USD 8.1M / 8.3M hard in 2024 / 2025) and the sums it can make of what it sees;
then tries to recover every protected confidential amount (per contribution and per donor, per
year and for the cycle, in USD and in the donor's currency, to the cent) from each figure alone
and from every pair (difference, sum) in the same year and unit, which includes scenario minus
baseline; and searches all reachable text and JSON for the protected donors' names and codes.
Expected: nothing recovered, no name found. On SQLite (the arithmetic is the same on both)."""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from decimal import Decimal as D
from typing import Any

import pytest

from rpsee.domain.pipeline import OTHER_CONFIDENTIAL, rate_table, to_usd
from rpsee.domain.roles import CurrentUser, Role
from rpsee.domain.scenario import Scenario
from rpsee.services import (
    accounts,
    pack,
    pipeline,
    programme,
    scenario_sharing,
    scenarios,
    workplans,
)
from rpsee.services.bootstrap import prepare
from rpsee.services.scenarios import ScenarioRefused
from rpsee.store.models import ContributionRow
from rpsee.store.uow import UnitOfWork

PLANNER = CurrentUser("demo.planner", "Planner", Role.PLANNER)
ADMIN = CurrentUser("demo.admin", "Admin", Role.ADMIN)
CENT = D("0.01")
DRAWS = 300
PUBLISHED = {2024: D("8100000.00"), 2025: D("8300000.00")}  # the document's hard pipeline


@dataclass(frozen=True)
class Figure:
    where: str
    year: int  # 0: the cycle, or no year
    unit: str  # USD or a currency code
    value: D


# -- the fixtures ----------------------------------------------------------------------------
def _set_confidential(url: str, donors: dict[str, bool]) -> None:
    with UnitOfWork(actor="test", action="fixture", url=url) as uow:
        for row in uow.session.query(ContributionRow).all():
            if row.donor_code in donors:
                row.confidential = donors[row.donor_code]
        uow.commit()


def _fixture(url: str, case: str) -> str:
    """Prepare the demo and shape it to `case`; returns the observer's donor."""
    prepare(url)
    with UnitOfWork(actor="test", action="submit", url=url) as uow:  # one version for the pack
        draft = next(p for p in uow.workplans.list() if p.status == "draft")
        uow.workplans.get_row(draft.id).status = "submitted"
        uow.commit()
    if case == "demo":  # AUT's observer; ITA confidential (AUT's own too)
        return "AUT"
    if case == "two":  # SWE's observer; AUT and ITA confidential
        observer = "SWE"
    elif case == "one":  # SWE's observer; ITA alone confidential
        _set_confidential(url, {"AUT": False})
        observer = "SWE"
    else:  # "one_year": FRA's confidential money in 2027 only
        _set_confidential(url, {"AUT": False, "ITA": False})
        ref = programme.reference(PLANNER, url=url)
        pipeline.save_contribution(PLANNER, pipeline.ContributionForm(
            "FRA", "France: prevention in schools (confidential test)", "EUR", "soft",
            {2027: "500000"}, confidential=True), ref, url=url)  # fmt: skip
        observer = "SWE"
    accounts.add_user(ADMIN, f"obs.{observer.lower()}", "Observer", "observer",
                      "Known-password-2026", url=url, donor=observer)  # fmt: skip
    return observer


SHAREABLE = [
    Scenario("Swedish money a year late", delays={"SWE": 1}),
    Scenario("Only likely money", probability_cutoff=D(50)),
    Scenario("Envelope down 10%", envelope_change_percent=D(-10)),
    Scenario("Requirement cut 5%", requirement_cut_percent=D(5)),
    Scenario("US dollar strong", fx_shocks={"SEK": D(-10)}, donor_correlation=D("0.5")),
]


def _leaky(protected: list[Any]) -> list[Scenario]:
    """Scenarios that single out protected money: the gate must refuse each."""
    out = []
    for c in protected:
        out += [Scenario(f"Drop {c.id}", dropped_donors=(c.donor,)),
                Scenario(f"Zero {c.id}", amount={str(c.id): D(0)}),
                Scenario(f"Half {c.id}", probability={str(c.id): D(50)}),
                Scenario(f"Delay {c.id}", delays={str(c.id): 1}),
                Scenario(f"Shock {c.id}", fx_shocks={c.currency: D(-10)})]  # fmt: skip
    return out


@dataclass
class World:
    url: str
    observer: CurrentUser
    protected: list[Any]  # other donors' confidential contributions (the planner's view)
    names: list[tuple[str, str]]  # protected donors (code, name)
    refused: list[str]  # the leaky scenarios' refusals


@pytest.fixture(scope="module", params=["demo", "one", "two", "one_year"])
def world(request, tmp_path_factory) -> Iterator[World]:  # noqa: ANN001
    from rpsee.store.db import dispose

    url = f"sqlite:///{tmp_path_factory.mktemp(request.param) / 'adv.sqlite'}"
    donor = _fixture(url, request.param)
    observer = CurrentUser(f"obs.{donor.lower()}", "Observer", Role.OBSERVER, donor)
    every = pipeline.contributions(PLANNER, url=url)
    protected = [c for c in every if c.confidential and c.donor != donor]
    ref = programme.reference(PLANNER, url=url)
    names = sorted({(c.donor, ref.donor_names().get(c.donor, c.donor)) for c in protected})
    refused = []
    for s in _leaky(protected):
        sid = scenarios.save_scenario(PLANNER, s, url=url)
        try:
            scenario_sharing.set_shared(PLANNER, sid, 1, True, url=url)
        except ScenarioRefused as exc:
            refused.append(str(exc))
        scenarios.freeze(PLANNER, s, sid, draws=DRAWS, url=url)
    for s in SHAREABLE:
        sid = scenarios.save_scenario(PLANNER, s, url=url)
        try:
            scenario_sharing.set_shared(PLANNER, sid, 1, True, url=url)
        except ScenarioRefused:
            continue  # refused: it never reaches the observer
        scenarios.freeze(PLANNER, s, sid, draws=DRAWS, url=url)
    scenarios.freeze(PLANNER, Scenario("Baseline for the Committee"), draws=DRAWS, url=url)
    yield World(url, observer, protected, names, refused)
    dispose(url)


# -- what the observer reaches -----------------------------------------------------------------
def _usd(cents: float | int) -> D:
    return (D(str(cents)) / 100).quantize(CENT)


def _walk(obj: Any, where: str, year: int, unit: str, out: list[Figure]) -> None:
    """Every number in a service's answer (dataclasses, dicts, lists): ints and floats are
    cents of USD, Decimals are amounts in `unit`; a year key or field sets the year."""
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return
    if isinstance(obj, (int, float)):
        out.append(Figure(where, year, "USD", _usd(obj)))
    elif isinstance(obj, D):
        out.append(Figure(where, year, unit, obj.quantize(CENT)))
    elif is_dataclass(obj):
        unit = getattr(obj, "currency", unit)
        year = getattr(obj, "year", year) if isinstance(getattr(obj, "year", None), int) else year
        for f in fields(obj):
            if f.name not in ("year", "id", "version", "probability", "support_rate", "rate",
                              "draws", "seed", "data_version"):
                _walk(getattr(obj, f.name), f"{where}.{f.name}", year, unit, out)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            y = k if isinstance(k, int) and 2000 < k < 2100 else year
            if isinstance(k, tuple):
                y = next((x for x in k if isinstance(x, int)), year)
            _walk(v, f"{where}[{k}]", y, unit, out)
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            _walk(v, f"{where}[{i}]", year, unit, out)


def _walk_json(obj: Any, where: str, year: int, unit: str, out: list[Figure]) -> None:
    """A frozen record's JSON: ints are cents, numeric strings amounts in `unit` (a
    contribution's currency), keys like "2026" set the year."""
    if isinstance(obj, dict):
        unit = obj.get("currency", unit)
        for k, v in obj.items():
            if k in ("id", "probability", "support_rate", "rate", "draws", "seed", "cover",
                     "cover_all", "staff", "staff_all", "correlation", "usd_per_unit",
                     "probability_defaults", "support_rate_default", "exchange_rates"):
                continue
            y = int(k) if re.fullmatch(r"20\d\d", str(k)) else year
            _walk_json(v, f"{where}.{k}", y, unit, out)
    elif isinstance(obj, list):
        years = [v for v in obj if isinstance(v, int) and not isinstance(v, bool)
                 and 2000 < v < 2100]  # fmt: skip
        year = years[0] if years else year  # a [need, year, cents] style row
        for i, v in enumerate(obj):
            if not (years and v == years[0]):
                _walk_json(v, f"{where}[{i}]", year, unit, out)
    elif isinstance(obj, bool) or obj is None:
        return
    elif isinstance(obj, (int, float)):
        out.append(Figure(where, year, "USD", _usd(obj)))
    elif isinstance(obj, str) and re.fullmatch(r"-?\d+(\.\d+)?", obj):
        out.append(Figure(where, year, unit, D(obj).quantize(CENT)))


def reachable(w: World) -> tuple[list[Figure], list[str]]:
    """Every figure and every text the observer reaches through the services."""
    u, url, figs, texts = w.observer, w.url, [], []
    view = pipeline.load(u, url=url)
    _walk(view.contributions, "pipeline", 0, "USD", figs)
    _walk(view.tranches, "pipeline usd", 0, "USD", figs)
    texts.append(repr(view))
    by: dict[tuple[str, int, str], D] = defaultdict(D)
    for t in view.tranches:
        for y in (t.year, 0):
            by[(t.status, y, "all")] += t.usd
            if t.donor != OTHER_CONFIDENTIAL:
                by[(t.status, y, "named")] += t.usd
                if t.donor != u.donor:
                    by[(t.status, y, "named others")] += t.usd
    for (status, y, kind), v in by.items():
        figs.append(Figure(f"pipeline sum {status} {kind}", y, "USD", v))
    for y, total in PUBLISHED.items():
        figs.append(Figure(f"published hard {y}", y, "USD", total))
        for kind in ("all", "named", "named others"):
            figs.append(Figure(f"published minus {kind}", y, "USD",
                               total - by.get(("hard", y, kind), D(0))))  # fmt: skip
    shared = scenarios.list_scenarios(u, url=url)
    texts.append(repr(shared))
    for s in [Scenario(), *(x.scenario for x in shared)]:
        r = scenarios.evaluate(u, s, draws=DRAWS, url=url)
        _walk(r, f"scenario {s.name}", 0, "USD", figs)
        texts.append(repr(r))
    texts.append(repr(scenarios.choices(u, url=url)))
    for f in scenarios.frozen_scenarios(u, url=url):
        _walk_json(f.body, f"frozen {f.name}", 0, "USD", figs)
        texts.append(json.dumps(f.body, ensure_ascii=False))
    for lines in workplans.lines_in_use(u, url=url).values():
        texts.append(repr([(a.code, a.funding_source, a.title) for a in lines]))
    plans = [p for p in workplans.list_workplans(PLANNER, url=url) if p.status != "draft"]
    for p in plans[:1]:  # the observer pack of a version the Committee has been given
        frozen_ids = [f.id for f in scenarios.frozen_scenarios(u, url=url)]
        files = pack.build_editions(u, p.id, frozen_ids, url=url)  # PDF and accessible HTML
        texts.append(_pdf_text(files.pdf))
        texts.append(html.unescape(files.html.decode("utf-8")))
    return figs, texts


def _pdf_text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


# -- the attack --------------------------------------------------------------------------------
def targets(w: World) -> list[Figure]:
    """Each protected amount: per contribution and per donor, per year and cycle, USD and
    the donor's currency."""
    with UnitOfWork(url=w.url) as uow:
        rates = rate_table(uow.pipeline.rates())
    out: list[Figure] = []
    per_donor: dict[tuple[str, int, str], D] = defaultdict(D)
    for c in w.protected:
        for y, amount in c.tranches.items():
            for year in (y, 0):
                for unit, v in (("USD", to_usd(amount, c.currency, rates)),
                                (c.currency, amount)):
                    per_donor[(c.donor, year, unit)] += v
                    out.append(Figure(f"{c.donor} {c.id}", year, unit, v))
    out += [Figure(f"{d} (donor)", y, unit, v) for (d, y, unit), v in per_donor.items()]
    return [t for t in out if t.value]


def recovered(figs: list[Figure], goals: list[Figure]) -> list[str]:
    """The goals found as a figure, or as the difference or sum of two figures of the same
    year and unit (the cycle with the cycle)."""
    groups: dict[tuple[str, int], list[Figure]] = defaultdict(list)
    for f in figs:
        groups[(f.unit, f.year)].append(f)
    found = []
    for g in goals:
        group = groups.get((g.unit, g.year), [])
        values = {f.value: f for f in group}
        for a in group:
            how = None
            if a.value == g.value:
                how = f"{a.where} = {g.where}"
            elif a.value - g.value in values:
                how = f"{a.where} - {values[a.value - g.value].where}"
            elif g.value - a.value in values:
                how = f"{a.where} + {values[g.value - a.value].where}"
            if how:
                found.append(f"{g.where} {g.year} {g.unit} {g.value}: {how}")
                break
    return found


def test_every_leaky_scenario_is_refused_sharing(world: World) -> None:
    assert len(world.refused) == len(_leaky(world.protected)) > 0


def test_no_confidential_amount_is_recovered_and_no_name_shown(world: World) -> None:
    figs, texts = reachable(world)
    goals = targets(world)
    assert len(figs) > 1000 and goals  # it did look
    assert recovered(figs, goals) == []
    text = "\n".join(texts)
    shown = [code for code, name in world.names
             if re.search(rf"(?<!\w){re.escape(code)}(?!\w)", text) or name in text]
    assert shown == []
    assert OTHER_CONFIDENTIAL in text  # the aggregate (or the left-out note) is there


def test_the_attack_finds_an_amount_when_one_is_there(world: World) -> None:
    """The attack itself works: given the protected contributions as figures (what the old
    masking's one-donor aggregate printed), it recovers them."""
    goals = targets(world)
    leak = [Figure("aggregate", g.year, g.unit, g.value) for g in goals]
    assert len(recovered(leak, goals)) == len(goals)
    year = next(g.year for g in goals if g.unit == "USD" and g.year)
    usd = [g for g in goals if g.year == year and g.unit == "USD"]
    other = [Figure("visible", year, "USD", D("1000.00"))]
    plus = [Figure("visible + secret", g.year, g.unit, g.value + D("1000.00")) for g in usd]
    assert len(recovered(other + plus, usd)) == len(usd)  # found by difference
