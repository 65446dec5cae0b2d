"""The ILLUSTRATIVE demo expenditure extract, and synthetic extracts of any size for the bench.

`python -m bench.expenditure_data` (from the root) writes `data/demo/expenditure_2024_2025.csv`
and `data/demo/expenditure.yaml` (its label, file name and WBS mapping). Deterministic: the same
files every run (a fixed seed, no clock). Not Umoja records: grants are the hard contributions of
`data/pipeline.yaml` (their `reference`), WBS elements and fund codes are invented.

Levels: July-December 2024 about USD 3.9M (48% of the 2024 hard pipeline, half a year), 2025
about USD 8.0M (96% of 2025's), near the programme document's recent delivery (USD 7.3M in 2023)
against a budget of about USD 11M a year. The file holds rows whose WBS element is not in the
mapping (UNMAPPED: the preview's mapping work) and one reversal (a negative amount).
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / "data" / "demo"
CSV_NAME = "expenditure_2024_2025.csv"
YAML_NAME = "expenditure.yaml"
HEADER = ("Grant", "WBS element", "Fund", "Cost category", "Currency", "Posting period", "Amount")
SEED = 2024
CENT = Decimal("0.01")
PERIODS = tuple((2024, m) for m in range(7, 13)) + tuple((2025, m) for m in range(1, 13))
USE = {2024: Decimal("0.48"), 2025: Decimal("0.96")}  # share of the year's hard tranche spent
CATEGORY_NAMES = (
    "Staff and other personnel costs", "Supplies, commodities, materials",
    "Equipment, vehicles and furniture (including depreciation)", "Contractual services",
    "Travel", "Transfers and grants to counterparts", "General operating and other direct costs",
)  # fmt: skip
CATEGORY_WEIGHTS = (14, 5, 4, 30, 22, 12, 13)


def _ref(donor: str) -> str:
    return next(c["reference"] for c in _hard() if c["donor"] == donor)


@cache
def _pipeline() -> dict:
    import yaml

    return yaml.safe_load((ROOT / "data" / "pipeline.yaml").read_text(encoding="utf-8"))


def _hard() -> list[dict]:
    return [c for c in _pipeline()["demo_contributions"] if c["status"] == "hard"]


def _rates() -> dict[str, Decimal]:
    return {k: Decimal(v) for k, v in _pipeline()["exchange_rates"]["usd_per_unit"].items()}


# Each hard grant: (donor, fund code, currency of its postings, its WBS elements), a WBS element
# named programme-output-office-jurisdiction (REG: regional work).
GRANTS = (
    ("EU", "32EUA", "EUR", ("SEER24-2.1-SAR-BIH", "SEER24-2.2-BEG-SRB", "SEER24-2.3-SKP-MKD",
                            "SEER24-2.1-TIR-ALB", "SEER24-2.2-PGD-MNE")),
    ("LCIF", "32LCI", "USD", ("SEER24-1.1-BEG-REG", "SEER24-1.2-SKP-MKD", "SEER24-1.3-SAR-BIH")),
    ("DEU", "32DEG", "EUR", ("SEER24-2.6-VIE-REG", "SEER24-2.6-TIR-ALB")),
    ("GBR", "32GBA", "GBP", ("SEER24-3.2-SAR-BIH", "SEER24-3.3-PGD-MNE", "SEER24-3.4-VIE-REG")),
    ("SWE", "32SEG", "USD", ("SEER24-2.4-BEG-XKX", "SEER24-2.4-SKP-REG")),
    ("NOR", "32NOG", "USD", ("SEER24-2.5-BEG-SRB", "SEER24-2.5-TIR-ALB")),
    ("AUT", "32ATB", "EUR", ("SEER24-2.3-SAR-BIH",)),
    ("TUR", "32TRA", "USD", ("SEER24-2.2-ANK-TUR",)),
    ("ITA", "32ITP", "EUR", ("SEER24-2.2-PGD-MNE",)),
    ("USA", "32USI", "USD", ("SEER24-5.1-VIE-REG", "SEER24-3.2-BEG-SRB", "SEER24-4.1-SKP-MKD")),
)  # fmt: skip
# WBS elements opened in 2025 that finance has not mapped yet: (grant's donor, WBS, periods).
UNMAPPED = (
    ("DEU", "SEER25-2.6-SKP-MKD", ((2025, 10), (2025, 11), (2025, 12))),
    ("LCIF", "SEER25-1.1-PGD-MNE", ((2025, 11), (2025, 12))),
    ("USA", "SEER25-5.2-VIE-REG", ((2025, 12),)),
)
REVERSAL = ((2025, 4), (2025, 5))  # a Travel posting of April 2025 reversed in May 2025


def mapping() -> dict[str, dict[str, str]]:
    """WBS element -> its output, office and jurisdiction, read from the element's name."""
    found = {}
    for _donor, _fund, _currency, elements in GRANTS:
        for wbs in elements:
            _prefix, output, office, jurisdiction = wbs.split("-")
            found[wbs] = {"output": output, "office": office, "jurisdiction": jurisdiction}
    return found


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def _month_weights(year: int) -> list[tuple[tuple[int, int], int]]:
    """A year's periods with weights: spending picks up towards the year's end (Q4 heavier)."""
    return [(p, 8 + p[1] + (6 if p[1] >= 10 else 0)) for p in PERIODS if p[0] == year]


def demo_rows() -> list[tuple[str, ...]]:
    """The demo extract's data rows (HEADER order), period by period."""
    rng = random.Random(SEED)
    rates = _rates()
    tranche = {c["donor"]: (Decimal(c["tranches"][2024]), Decimal(c["tranches"][2025]))
               for c in _hard()}  # fmt: skip
    rows: list[tuple[tuple[int, int], tuple[str, ...]]] = []
    for donor, fund, currency, elements in GRANTS:
        native = _native_currency(donor)
        for year in (2024, 2025):
            year_usd = tranche[donor][year - 2024] * rates[native] * USE[year]
            weights = _month_weights(year)
            whole = sum(w for _p, w in weights)
            for period, weight in weights:
                month_usd = year_usd * weight / whole
                for wbs in elements:
                    rows += _postings(rng, period, donor, wbs, fund, currency,
                                      month_usd / len(elements), rates)  # fmt: skip
    for donor, wbs, periods in UNMAPPED:
        fund, currency = next((g[1], g[2]) for g in GRANTS if g[0] == donor)
        for period in periods:
            rows += _postings(rng, period, donor, wbs, fund, currency, Decimal(9000), rates)[:2]
    rows.append(_reversal(rows))
    rows.sort(key=lambda r: r[0])
    return [r for _p, r in rows]


def _native_currency(donor: str) -> str:
    return next(c["currency"] for c in _hard() if c["donor"] == donor)


def _postings(rng: random.Random, period: tuple[int, int], donor: str, wbs: str, fund: str,
              currency: str, usd: Decimal, rates: dict[str, Decimal]
              ) -> list[tuple[tuple[int, int], tuple[str, ...]]]:  # fmt: skip
    """Two to four postings of one WBS element in one month adding up to about `usd`."""
    chosen = rng.sample(range(len(CATEGORY_NAMES)), k=rng.randint(2, 4))
    weights = [CATEGORY_WEIGHTS[i] * rng.uniform(0.7, 1.3) for i in chosen]
    out = []
    for i, w in zip(chosen, weights, strict=True):
        amount = _cents(usd * Decimal(str(w / sum(weights))) / rates[currency])
        out.append((period, (_ref(donor), wbs, fund, CATEGORY_NAMES[i], currency,
                             f"{period[0]}-{period[1]:02d}", f"{amount}")))  # fmt: skip
    return out


def _reversal(rows: list[tuple[tuple[int, int], tuple[str, ...]]]
              ) -> tuple[tuple[int, int], tuple[str, ...]]:  # fmt: skip
    """Minus the first Travel posting of REVERSAL's first month, posted in its second."""
    month, into = REVERSAL
    _p, original = next(r for r in rows if r[0] == month and r[1][3] == "Travel")
    reversed_ = (*original[:5], f"{into[0]}-{into[1]:02d}", f"-{original[6]}")
    return into, reversed_


def synthetic_rows(n: int, seed: int = 7) -> Iterator[tuple[str, ...]]:
    """`n` rows like the demo's (mapped WBS elements only, amounts from 10.00 to 99,999.99 some
    with thousands separators), for timing an import of any size."""
    rng = random.Random(seed)
    elements = [(d, f, c, w) for d, f, c, ws in GRANTS for w in ws]
    refs = {d: _ref(d) for d, *_rest in GRANTS}
    for k in range(n):
        donor, fund, currency, wbs = elements[k % len(elements)]
        year, month = PERIODS[rng.randrange(len(PERIODS))]
        cents = rng.randrange(1000, 10_000_000)
        amount = f"{Decimal(cents) / 100:,.2f}" if k % 3 == 0 else f"{Decimal(cents) / 100}"
        yield (refs[donor], wbs, fund, CATEGORY_NAMES[k % len(CATEGORY_NAMES)], currency,
               f"{year}-{month:02d}" if k % 2 else f"{month:02d}/{year}", amount)  # fmt: skip


def to_csv(rows: Iterator[tuple[str, ...]] | list[tuple[str, ...]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


YAML_HEAD = """\
# ILLUSTRATIVE demo expenditure: an invented Umoja extract for July 2024 - December 2025, NOT
# the office's records. Generated, with the extract beside it, by bench/expenditure_data.py
# (`python -m bench.expenditure_data` from the root): edit that script, not these files.
# Grants are the hard contributions of pipeline.yaml (their reference); WBS elements and fund
# codes are invented (named programme-output-office-jurisdiction; REG: regional work). Levels:
# about USD 3.9M for July-December 2024 and USD 8.0M for 2025, near the programme document's
# delivery (USD 2.7M in 2021, 5.6M in 2022, 7.3M in 2023). The file has rows whose WBS element
# is not mapped below (unmapped_wbs: the preview's mapping work) and one reversal.
"""


def demo_yaml() -> str:
    import yaml

    doc = {
        "label": "ILLUSTRATIVE demo expenditure",
        "file": CSV_NAME,
        "periods": {"first": "2024-07", "last": "2025-12"},
        "wbs_mapping": mapping(),
        "unmapped_wbs": [wbs for _d, wbs, _p in UNMAPPED],
    }
    return YAML_HEAD + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def main() -> None:
    (DEMO_DIR / CSV_NAME).write_bytes(to_csv(demo_rows()))
    (DEMO_DIR / YAML_NAME).write_text(demo_yaml(), encoding="utf-8")
    print(f"wrote {DEMO_DIR / CSV_NAME} and {DEMO_DIR / YAML_NAME}")


if __name__ == "__main__":
    main()
