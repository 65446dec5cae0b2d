"""The implementation review's demo data (demo mode only): the WBS mapping and the mapped rows of
the ILLUSTRATIVE expenditure extract (data/demo/expenditure.yaml; the unmapped elements are left
for the user to map on the Delivery page), the ILLUSTRATIVE indicator values and the 2025 output
ratings (data/demo/progress.yaml). Written through the services, which check every value."""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from collections.abc import Iterator
from datetime import date
from typing import Any

from rpsee.config import DATA_DIR
from rpsee.domain.review.expenditure import wbs_mappings
from rpsee.domain.review.report import Rating
from rpsee.domain.roles import CurrentUser, Role
from rpsee.services import expenditure, progress
from rpsee.services.progress import ActualForm
from rpsee.store.data_files import read_yaml
from rpsee.store.uow import UnitOfWork

EXPENDITURE_FILE = "demo/expenditure.yaml"
PROGRESS_FILE = "demo/progress.yaml"
RATED_YEAR = 2025
WBS_COLUMN = "WBS element"
SYSTEM_FINANCE = CurrentUser("system", "System (demo data)", Role.FINANCE)
SYSTEM_PLANNER = CurrentUser("system", "System (demo data)", Role.PLANNER)
log = logging.getLogger(__name__)


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _mapped_rows(data: bytes, mapped: set[str]) -> bytes:
    """The extract's header and the rows whose WBS element is in `mapped`, cells as written."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = next(reader)
    column = header.index(WBS_COLUMN)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(r for r in reader if r and r[column].strip() in mapped)
    return out.getvalue().encode("utf-8")


def _demo_actuals(doc: dict[str, Any]) -> Iterator[ActualForm]:
    """Every entry of `progress.yaml` as the form a planner would submit."""
    for code, entries in doc["actuals"].items():
        for e in entries:
            yield ActualForm(str(code), _day(e["from"]), _day(e["to"]), e.get("jurisdiction"),
                             e.get("sex"), str(e["value"]), e["source"])  # fmt: skip


def _anything_entered(url: str) -> bool:
    with UnitOfWork(url=url) as uow:
        return bool(uow.review.actuals() or uow.review.imports())


def _seed_expenditure(url: str) -> None:
    doc = read_yaml(EXPENDITURE_FILE)
    mapping = wbs_mappings(doc["wbs_mapping"])
    have = expenditure.wbs_mapping(SYSTEM_FINANCE, url=url)
    expenditure.map_many(SYSTEM_FINANCE, [m for m in mapping.values() if m.wbs not in have],
                         url=url)  # never overwrite what a user mapped
    data = _mapped_rows((DATA_DIR / "demo" / doc["file"]).read_bytes(), set(mapping))
    name = f"{doc['file'].removesuffix('.csv')} (demo, mapped rows).csv"
    try:  # the service reads and checks it whole; a demo a user changed may not apply
        expenditure.apply(SYSTEM_FINANCE, data, name, hashlib.sha256(data).hexdigest(), url=url)
    except expenditure.ExpenditureRefused:
        log.warning("demo expenditure not imported: the extract no longer applies")


def seed_demo_review(url: str) -> int:
    """The review's demo data (demo mode), if no indicator value and no expenditure import
    exist yet; returns the number of indicator values entered."""
    if _anything_entered(url):
        return 0
    _seed_expenditure(url)
    doc = read_yaml(PROGRESS_FILE)
    today = _day(doc["entered_on"])
    count = len(progress.enter_actuals(SYSTEM_PLANNER, list(_demo_actuals(doc)), today,
                                       url=url))  # fmt: skip
    progress.rate_outputs(SYSTEM_PLANNER, RATED_YEAR, [
        (Rating(str(output), r["rating"], " ".join(r["narrative"].split())), None)
        for output, r in doc[f"ratings_{RATED_YEAR}"].items()], url=url)  # fmt: skip
    return count
