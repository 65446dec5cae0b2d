"""First-start pipeline defaults and demo exchange rates from data/pipeline.yaml, and the demo
pipeline (demo mode). Only fills what is empty: never overwrites what users changed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rpsee.domain.pipeline import Contribution, Earmark, ExchangeRate, check_contribution
from rpsee.store.audit import utcnow
from rpsee.store.data_files import read_yaml
from rpsee.store.uow import UnitOfWork

PIPELINE_FILE = "pipeline.yaml"
PROBABILITY_KEY = "pipeline_probability_{}"  # planning_setting keys, one per status
SUPPORT_RATE_KEY = "pipeline_support_rate"
DONOR_RATE_KEY = "pipeline_support_rate:{}"


def _settings(doc: dict) -> dict[str, str]:
    out = {PROBABILITY_KEY.format(status): str(value)
           for status, value in doc["default_probability_percent"].items()}  # fmt: skip
    out[SUPPORT_RATE_KEY] = str(doc["default_support_rate_percent"])
    for donor, rate in (doc.get("support_rate_percent_by_donor") or {}).items():
        out[DONOR_RATE_KEY.format(donor)] = str(rate)
    return out


def demo_rates(doc: dict) -> list[ExchangeRate]:
    spec = doc["exchange_rates"]
    as_of = date.fromisoformat(str(spec["as_of"]))
    return [ExchangeRate(cur, Decimal(str(v)), as_of) for cur, v in spec["usd_per_unit"].items()]


def seed_pipeline_defaults(url: str) -> bool:
    """Default probabilities, support-cost rates and the demo exchange rates, if none yet."""
    doc = read_yaml(PIPELINE_FILE)
    now = utcnow()
    with UnitOfWork(actor="system", action="seed_pipeline", url=url) as uow:
        have = uow.planning.settings()
        wanted = {k: v for k, v in _settings(doc).items() if k not in have}
        seed_rates = not uow.pipeline.rates()
        if not wanted and not seed_rates:
            return False
        for key, value in wanted.items():
            uow.planning.set_setting(key, value, "system", now)
        if seed_rates:
            for rate in demo_rates(doc):
                uow.pipeline.set_rate(rate, "system", now)
        uow.commit()
    return True


def demo_contributions(doc: dict) -> list[Contribution]:
    """The demo pipeline of the data file as domain records (support rate: the donor's)."""
    settings = _settings(doc)
    out = []
    for item in doc["demo_contributions"]:
        mark = item.get("earmark") or {}
        rate = item.get("support_rate") or settings.get(DONOR_RATE_KEY.format(item["donor"]),
                                                        settings[SUPPORT_RATE_KEY])  # fmt: skip
        probability = item.get("probability")
        out.append(Contribution(
            None, item["donor"], item["reference"], item["currency"],
            {int(y): Decimal(str(a)) for y, a in item["tranches"].items()}, item["status"],
            Earmark(mark.get("kind", "none"), mark.get("code")),
            None if probability is None else Decimal(str(probability)), Decimal(str(rate)),
            bool(item.get("confidential", False)), item.get("notes") or ""))  # fmt: skip
    return out


def seed_demo_pipeline(url: str) -> int:
    """The demo contributions (demo mode), if there are none yet; returns how many."""
    doc = read_yaml(PIPELINE_FILE)
    contributions = demo_contributions(doc)
    currencies = [r.currency for r in demo_rates(doc)]
    now = utcnow()
    with UnitOfWork(actor="system", action="seed_demo_pipeline", url=url) as uow:
        if uow.pipeline.contributions():
            return 0
        years = uow.reference.load().figures.cycle_years
        for i, c in enumerate(contributions, start=1):
            problems = check_contribution(c, years, currencies, f"Demo contribution {i}")
            if problems:
                raise ValueError("Demo pipeline is invalid: " + "; ".join(problems))
            uow.pipeline.add(c, "system", now)
        uow.commit()
    return len(contributions)
