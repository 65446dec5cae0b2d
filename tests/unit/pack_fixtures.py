"""Approval pack inputs built from the demo data without a database (bench/scenario.py's
`demo_inputs`), and the text of a PDF page by page, whitespace collapsed."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime

from bench.scenario import demo_inputs
from rpsee.domain.pack_content import PackInputs, PipelineFigures
from rpsee.domain.pipeline import tranches_usd
from rpsee.domain.requirement import compare_year
from rpsee.domain.roles import FULL_EDITION
from rpsee.domain.workplan import Activity, Workplan
from rpsee.services.staffing import reconciliation

MADE = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def pack_inputs(status: str = "draft", lines: list[Activity] | None = None,
                scale: int = 1) -> PackInputs:  # fmt: skip
    """The demo's 2026 workplan as version 2 with `status` (its lines replaced by `lines`)."""
    base = demo_inputs(scale)
    ref, costing = base.ref, base.staff_costing()
    activities = {**base.activities}
    if lines is not None:
        activities[2026] = tuple(lines)
    comparisons = {y: compare_year(y, base.settings, list(activities.get(y, ())), costing, ref)
                   for y in base.years}  # fmt: skip
    tranches = tranches_usd(base.contributions, base.rates, base.defaults)
    return PackInputs(
        ref, Workplan(7, 2026, 2, status), list(activities[2026]), comparisons, costing,
        list(base.plans), reconciliation(costing, ref),
        PipelineFigures(base.contributions, tranches, base.rates, base.defaults, {}, False),
        FULL_EDITION, MADE,
    )  # fmt: skip


def demo_lines() -> list[Activity]:
    return list(demo_inputs(1).activities[2026])


def retitled(lines: list[Activity], titles: dict[int, str]) -> list[Activity]:
    """`lines` with the titles of the lines at the given positions replaced."""
    return [replace(a, title=titles.get(i, a.title)) for i, a in enumerate(lines)]


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text with runs of whitespace (cells, lines) collapsed to one space."""
    from pypdf import PdfReader

    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]
