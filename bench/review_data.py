"""The implementation review's demo data at `scale` times (for the 10x benchmarks): the demo
extract's mapped rows repeated `scale` times (applied over the same months, so the 1x import is
replaced), and the demo's per-event indicator values repeated on later days of their period."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import timedelta


def scale_review(url: str, scale: int) -> tuple[int, int]:
    """Expenditure lines and indicator entries after scaling (on a database whose demo review
    data is seeded already)."""
    from rpsee.config import DATA_DIR
    from rpsee.domain.review.indicators import Interval
    from rpsee.services import expenditure, progress
    from rpsee.services.review_seed import (
        EXPENDITURE_FILE,
        PROGRESS_FILE,
        SYSTEM_FINANCE,
        SYSTEM_PLANNER,
        _demo_actuals,
        _mapped_rows,
    )
    from rpsee.store.data_files import read_yaml
    from rpsee.store.uow import UnitOfWork

    doc = read_yaml(EXPENDITURE_FILE)
    rows = _mapped_rows((DATA_DIR / "demo" / doc["file"]).read_bytes(), set(doc["wbs_mapping"]))
    lines = rows.decode("utf-8").splitlines()
    body = lines[1:] * scale
    data = "\n".join([lines[0], *body]).encode("utf-8") + b"\n"
    expenditure.apply(SYSTEM_FINANCE, data, "bench-expenditure.csv",
                      hashlib.sha256(data).hexdigest(), url=url)  # fmt: skip
    with UnitOfWork(url=url) as uow:
        specs = progress.specs(uow.reference.load())
    events = [f for f in _demo_actuals(read_yaml(PROGRESS_FILE))
              if specs[f.indicator_code].interval is Interval.PER_EVENT]
    taken = {(f.indicator_code, f.period_start, f.period_end, f.jurisdiction, f.sex)
             for f in events}  # fmt: skip
    extra = []
    for k in range(1, scale):
        for f in events:
            day = f.period_start + timedelta(days=k)
            key = (f.indicator_code, day, day, f.jurisdiction, f.sex)
            if key not in taken:  # one entry per event and day
                taken.add(key)
                extra.append(replace(f, period_start=day, period_end=day))
    progress.enter_actuals(SYSTEM_PLANNER, extra, url=url)
    with UnitOfWork(url=url) as uow:
        return len(uow.review.lines()), len(uow.review.actuals())

