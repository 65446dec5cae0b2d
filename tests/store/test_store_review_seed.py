"""The implementation review's demo data on SQLite and PostgreSQL: every indicator value and
2025 rating of data/demo/progress.yaml entered, the mapped rows of the demo extract imported (the
unmapped WBS elements left to map), nothing added a second time, and the statuses as of 31 Dec
2025 those the file's header states."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from rpsee.config import DATA_DIR
from rpsee.domain.review.progress import Status
from rpsee.domain.review.report import RATINGS
from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import expenditure, progress
from rpsee.services.pipeline_seed import seed_demo_pipeline, seed_pipeline_defaults
from rpsee.services.review_seed import seed_demo_review
from rpsee.store.data_files import read_yaml

FINANCE = CurrentUser("demo.finance", "F", Role.FINANCE)
PSC = CurrentUser("demo.psc", "S", Role.PSC_MEMBER)
PROGRESS = read_yaml("demo/progress.yaml")
EXPENDITURE = read_yaml("demo/expenditure.yaml")
# As the header comment of data/demo/progress.yaml states them.
STATUSES = {Status.ON_TRACK: 13, Status.ACHIEVED: 1, Status.AT_RISK: 3, Status.OFF_TRACK: 2,
            Status.NOT_REPORTED: 3, Status.NO_TARGET: 6}  # fmt: skip


@pytest.fixture
def seeded(db: str) -> tuple[str, int]:
    seed_pipeline_defaults(db)
    seed_demo_pipeline(db)
    return db, seed_demo_review(db)


def _entries() -> list[tuple[object, ...]]:
    return sorted((str(code), str(e["from"]), str(e["to"]), e.get("jurisdiction") or "",
                   e.get("sex") or "", Decimal(1) if e["value"] == "met" else Decimal(e["value"]),
                   e["source"])
                  for code, items in PROGRESS["actuals"].items() for e in items)  # fmt: skip


def _mapped_2025_usd() -> Decimal:
    """The 2025 rows of the extract whose WBS element is mapped, in USD at the demo rates (each
    row to the cent, half away from zero), summed from the file."""
    rates = {c: Decimal(str(r)) for c, r in
             read_yaml("pipeline.yaml")["exchange_rates"]["usd_per_unit"].items()}  # fmt: skip
    text = (DATA_DIR / "demo" / EXPENDITURE["file"]).read_text(encoding="utf-8-sig")
    total = Decimal("0.00")
    for row in csv.DictReader(io.StringIO(text)):
        if row["WBS element"] in EXPENDITURE["wbs_mapping"] and row["Posting period"][:4] == "2025":
            usd = Decimal(row["Amount"]) * rates[row["Currency"]]
            total += usd.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return total


def test_every_value_and_rating_of_the_file_is_entered(seeded: tuple[str, int]) -> None:
    url, count = seeded
    entered = progress.actuals(PSC, url=url)
    assert count == len(entered) == len(_entries())
    assert sorted((a.indicator_code, str(a.period_start), str(a.period_end), a.jurisdiction or "",
                   a.sex or "", a.value, a.source) for a in entered) == _entries()  # fmt: skip
    assert {a.entered_by for a in entered} == {"system"}
    rated = {r.output_code: r for r, _ in progress.ratings(PSC, 2025, url=url)}
    assert rated.keys() == {str(o) for o in PROGRESS["ratings_2025"]}
    assert all(r.rating in RATINGS and r.narrative for r in rated.values())
    assert PROGRESS["label"].startswith("ILLUSTRATIVE")


def test_the_statuses_are_those_the_file_states(seeded: tuple[str, int]) -> None:
    url, _ = seeded
    found = progress.progress(PSC, date(2025, 12, 31), url=url)
    assert len(found) == sum(STATUSES.values())
    assert Counter(p.status for p in found) == STATUSES
    milestones = {p.spec.code: p.met for p in found if p.met}
    assert milestones["4.1.a"] == ("ALB", "MKD")  # achieved: the final target of two


def test_the_mapped_rows_are_imported_and_the_rest_left_to_map(seeded: tuple[str, int]) -> None:
    url, _ = seeded
    [record] = expenditure.imports(FINANCE, url=url)
    assert record.imported_by == "system" and record.filename.endswith(".csv")
    spent = expenditure.spent(FINANCE, 2025, url=url)
    assert sum((ln.amount_usd for ln in spent), Decimal("0.00")) == _mapped_2025_usd()
    mapping = expenditure.wbs_mapping(FINANCE, url=url)
    assert mapping.keys() == EXPENDITURE["wbs_mapping"].keys()
    assert not set(EXPENDITURE["unmapped_wbs"]) & mapping.keys()
    data = (DATA_DIR / "demo" / EXPENDITURE["file"]).read_bytes()
    preview = expenditure.preview(FINANCE, data, EXPENDITURE["file"], url=url)
    assert set(preview.unmapped_wbs) == set(EXPENDITURE["unmapped_wbs"])


def test_a_second_call_adds_nothing(seeded: tuple[str, int]) -> None:
    url, count = seeded
    before = (progress.actuals(PSC, url=url), progress.ratings(PSC, 2025, url=url),
              expenditure.imports(FINANCE, url=url))  # fmt: skip
    assert seed_demo_review(url) == 0
    assert (progress.actuals(PSC, url=url), progress.ratings(PSC, 2025, url=url),
            expenditure.imports(FINANCE, url=url)) == before  # fmt: skip
    assert len(before[0]) == count
