"""Small hand-made needs and tranches for the funding tests."""

from __future__ import annotations

from decimal import Decimal

from rpsee.domain.pipeline import Earmark, Tranche
from rpsee.domain.requirement import Need


def need(key: str, cents: int, *, year: int = 2026, area: str = "1", priority: str = "essential",
         kind: str = "activity", output: str | None = None, jurisdictions: tuple[str, ...] = (),
         office: str = "IST") -> Need:  # fmt: skip
    if kind == "activity" and output is None:
        output = f"{area}.1"
    return Need(key, kind, key, key, year, area, output, jurisdictions, office, priority, cents)


def tranche(ref: str, usd: str, *, year: int = 2026, status: str = "hard",
            earmark: Earmark | None = None, rate: str = "13", probability: str = "100",
            donor: str | None = None, cid: int | None = None) -> Tranche:  # fmt: skip
    return Tranche(cid, donor or ref, ref, year, Decimal(usd), status, Decimal(probability),
                   earmark or Earmark(), Decimal(rate))  # fmt: skip
