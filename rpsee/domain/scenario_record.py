"""A frozen scenario: its assumptions, the inputs it was computed from (contributions, the
exchange rates used, probability defaults, the needs), its results, and a content hash, all as
plain JSON-ready values for the Steering Committee pack. The hash (SHA-256 of the canonical
JSON of everything but the hash) shows whether a stored record was changed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from rpsee.domain.funding import (
    Coverage,
    RateLine,
    YearFunding,
    by_donor_year,
    support_cents,
)
from rpsee.domain.montecarlo import MonteCarlo
from rpsee.domain.pipeline import Contribution, Tranche
from rpsee.domain.scenario import Scenario
from rpsee.domain.scenario_figures import ScenarioFigures


def _contribution(c: Contribution) -> dict[str, Any]:
    return {
        "id": c.id, "donor": c.donor, "reference": c.reference, "currency": c.currency,
        "tranches": {str(y): str(v) for y, v in sorted(c.tranches.items())},
        "status": c.status, "earmark": [c.earmark.kind, c.earmark.code],
        "probability": None if c.probability is None else str(c.probability),
        "support_rate": str(c.support_rate), "confidential": c.confidential,
    }  # fmt: skip


def _coverage(c: Coverage) -> dict[str, Any]:
    return {"key": c.key, "direct_cents": c.direct_cents, "support_cents": c.support_cents,
            "funded_cents": c.funded_cents, "gap_cents": c.gap_cents,
            "coverage_percent": None if c.coverage_percent is None else str(c.coverage_percent)}


def _year(f: YearFunding) -> dict[str, Any]:
    return {
        "total": _coverage(f.total), "areas": [_coverage(c) for c in f.areas],
        "offices": [_coverage(c) for c in f.offices],
        "rates": [{"rate": str(r.rate), "funded": r.funded, "direct_cents": r.direct_cents,
                   "support_cents": r.support_cents} for r in f.rates],
        "counted_cents": f.counted_cents, "unused_cents": f.unused_cents,
    }  # fmt: skip


def _coverage_of(d: Mapping[str, Any]) -> Coverage:
    return Coverage(d["key"], d["direct_cents"], d["support_cents"], d["funded_cents"])


def funding_of(body: Mapping[str, Any]) -> dict[str, dict[int, YearFunding]]:
    """A frozen record's funding by counting mode and year, as the scenario pages hold it (so
    the same table builders print it): read back from the record's results, nothing
    recomputed but the support costs at the record's default rate."""
    default = Decimal(body["support_rate_default"])
    out: dict[str, dict[int, YearFunding]] = {}
    for mode, years in body["results"]["funding"].items():
        out[mode] = {}
        for year, f in sorted(years.items()):
            total = _coverage_of(f["total"])
            out[mode][int(year)] = YearFunding(
                int(year), mode, total, tuple(_coverage_of(c) for c in f["areas"]),
                tuple(_coverage_of(c) for c in f["offices"]),
                tuple(RateLine(Decimal(r["rate"]), r["funded"], r["direct_cents"],
                               r["support_cents"]) for r in f["rates"]),
                f["counted_cents"], support_cents(total.direct_cents, default))  # fmt: skip
    return out


def results(fig: ScenarioFigures, mc: MonteCarlo | None = None) -> dict[str, Any]:
    """A scenario's results as plain values (funding by mode and year, the plan's shortfalls,
    and the Monte Carlo when given)."""
    out: dict[str, Any] = {
        "funding": {mode: {str(y): _year(f) for y, f in years.items()}
                    for mode, years in fig.funding.items()},
        "shortfalls": {mode: [[s.need.key, s.need.cents, s.funded_cents]
                              for s in plan.shortfalls()] for mode, plan in fig.plans.items()},
    }  # fmt: skip
    if mc is not None:
        out["monte_carlo"] = {
            "draws": mc.draws, "seed": mc.seed, "exact": mc.exact,
            "correlation": (dict(sorted(mc.correlation.items()))
                            if isinstance(mc.correlation, Mapping) else mc.correlation),
            "p10": {str(y): v for y, v in mc.p10.items()},
            "p50": {str(y): v for y, v in mc.p50.items()},
            "p90": {str(y): v for y, v in mc.p90.items()},
            "mean": {str(y): v for y, v in mc.mean.items()},
            "cover": {str(y): round(v, 6) for y, v in mc.cover.items()},
            "cover_all": round(mc.cover_all, 6),
            "staff": {str(y): round(v, 6) for y, v in mc.staff.items()},
            "staff_all": round(mc.staff_all, 6),
        }  # fmt: skip
    return out


def _digest(body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class FrozenScenario:
    """An immutable record; `body` holds plain values only (see `freeze`)."""

    name: str
    frozen_at: str  # ISO 8601, UTC
    frozen_by: str
    body_json: str  # canonical JSON of the body
    content_hash: str

    @property
    def body(self) -> dict[str, Any]:
        return json.loads(self.body_json)

    def intact(self) -> bool:
        """Whether the body still matches its hash."""
        return _digest(self.body) == self.content_hash


@dataclass(frozen=True)
class FrozenFigures:
    """A frozen record as one reader may see it (observers: masked body)."""

    name: str
    frozen_at: datetime
    frozen_by: str
    content_hash: str
    intact: bool  # the stored body still matches its hash
    body: Mapping[str, Any]


EDITIONS = "observer_editions"  # donor code -> the body an observer of that donor reads


def freeze(scenario: Scenario, fig: ScenarioFigures, mc: MonteCarlo | None, at: datetime,
           by: str, editions: Mapping[str, Any] | None = None) -> FrozenScenario:  # fmt: skip
    """Freeze a scenario with its inputs and results (see the module); `editions`: the
    observer editions (each a body computed from that observer's redacted inputs)."""
    inp = fig.inputs
    body = {
        "name": scenario.name, "frozen_at": at.isoformat(), "frozen_by": by,
        "scenario": scenario.to_dict(),
        "contributions": [_contribution(c) for c in inp.contributions],
        "exchange_rates": {k: {"usd_per_unit": str(r.usd_per_unit), "as_of": r.as_of.isoformat()}
                           for k, r in sorted(inp.rates.items())},
        "probability_defaults": {k: str(v) for k, v in sorted(inp.defaults.items())},
        "support_rate_default": str(inp.settings.rate_percent),
        "needs": [[n.key, n.priority, n.area, n.office, n.cents] for n in fig.needs],
        "results": results(fig, mc),
    }  # fmt: skip
    if editions:
        body[EDITIONS] = dict(editions)
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return FrozenScenario(scenario.name, at.isoformat(), by, text, _digest(body))


def money_by_donor(body: Mapping[str, Any], mode: str) -> dict[tuple[str, int], int] | None:
    """A frozen record's money counted in `mode` by (donor, year), in cents (an observer
    edition: other donors' confidential money as its aggregate line)."""
    tranches = tranches_of(body)
    return None if tranches is None else by_donor_year(tranches, mode)


def monte_carlo_of(body: Mapping[str, Any]) -> MonteCarlo | None:
    """A frozen record's stored Monte Carlo (None when it was frozen without one)."""
    mc = body["results"].get("monte_carlo")
    if mc is None:
        return None
    per_year = {k: {int(y): v for y, v in mc[k].items()}
                for k in ("p10", "p50", "p90", "mean", "cover", "staff")}  # fmt: skip
    return MonteCarlo(mc["draws"], mc["seed"], mc["correlation"], tuple(sorted(per_year["p50"])),
                      per_year["p10"], per_year["p50"], per_year["p90"], per_year["mean"],
                      per_year["cover"], mc["cover_all"], per_year["staff"], mc["staff_all"],
                      mc["exact"])  # fmt: skip


def tranches_of(body: Mapping[str, Any]) -> list[Tranche] | None:
    """A frozen record's contributions in USD at its own rates and probability defaults, as
    when it was frozen (None for a body without statuses, which no record has today)."""
    from rpsee.domain.pipeline import Earmark, ExchangeRate, tranches_usd

    if any("status" not in c for c in body["contributions"]):
        return None
    rates = {k: ExchangeRate(k, Decimal(v["usd_per_unit"]), date.fromisoformat(v["as_of"]))
             for k, v in body["exchange_rates"].items()}  # fmt: skip
    contributions = [Contribution(
        c["id"], c["donor"], c["reference"], c["currency"],
        {int(y): Decimal(v) for y, v in c["tranches"].items()}, c["status"],
        Earmark(*c["earmark"]), None if c["probability"] is None else Decimal(c["probability"]),
        Decimal(c["support_rate"]), c["confidential"]) for c in body["contributions"]]
    defaults = {k: Decimal(v) for k, v in body["probability_defaults"].items()}
    return tranches_usd(contributions, rates, defaults)
