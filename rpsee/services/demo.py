"""Demo workplans (demo mode only): 2026 from data/demo/ (approved later at the demo meeting,
services/meeting_seed.py), and the 2027 draft copied forward by the default rules (planned and
ongoing lines, codes kept), shared with members for consultation."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from rpsee.config import DATA_DIR
from rpsee.domain.roles import CurrentUser, Role
from rpsee.domain.workplan import next_code
from rpsee.domain.workplan_rules import Codebook, parse_row
from rpsee.services import consultation, workplans
from rpsee.store.audit import utcnow
from rpsee.store.data_files import parse_yaml
from rpsee.store.models import WorkplanRow
from rpsee.store.uow import UnitOfWork

DEMO_FILE = DATA_DIR / "demo" / "workplan_2026.yaml"
COPY_FORWARD_UPLIFT = Decimal("3")  # the 2027 draft: 2026 lines + 3% (illustrative)
SYSTEM_PLANNER = CurrentUser("system", "System (demo data)", Role.PLANNER)


def demo_rows(path: Path = DEMO_FILE) -> tuple[int, list[tuple[str, dict[str, Any]]]]:
    """The demo file's lines as raw rows (the same shape the grid and Excel produce)."""
    doc = parse_yaml(path.read_text(encoding="utf-8"))
    rows = []
    for i, item in enumerate(doc["activities"], start=1):
        start, end = item["months"]
        raw: dict[str, Any] = {
            "title": item["title"], "description": item.get("description") or "",
            "output_code": str(item["output"]), "jurisdictions": item.get("jurisdictions"),
            "lead_office": item.get("lead_office"),
            "position_id": item.get("responsible_position"), "start_month": start,
            "end_month": end, "funding_source": item.get("funding_source"),
            "priority": item.get("priority"), "indicators": item.get("indicators") or [],
            "gem": item.get("gem"), "status": item.get("status"),
            "dac_gender": item.get("dac_gender"), "dac_disability": item.get("dac_disability"),
            "sdg_targets": item.get("sdg_targets") or [],
            "marker_note": item.get("marker_justification") or "",
            "inclusion": item.get("disability_inclusion") or "",
            "notes": item.get("notes") or "",
        }  # fmt: skip
        for cat, amount in (item.get("budget") or {}).items():
            raw[f"budget_{cat}"] = str(amount)
        rows.append((f"{path.name} activity {i}", raw))
    return int(doc["year"]), rows


def seed_demo_workplans(url: str, path: Path = DEMO_FILE, scale: int = 1) -> int:
    """Create the demo workplans if there are none yet; returns the number of lines created.

    `scale` repeats the demo lines (benchmarks at 10x the demo size).
    """
    if not path.exists():
        return 0
    with UnitOfWork(url=url) as uow:
        if uow.workplans.list():
            return 0
        ref = uow.reference.load()
    year, rows = demo_rows(path)
    book = Codebook.for_year(ref, year)
    lines = []
    for label, raw in rows * scale:
        activity, errors = parse_row(raw, label, book)
        if errors:
            raise ValueError("Demo workplan is invalid: " + "; ".join(map(str, errors)))
        lines.append(activity)
    now = utcnow()
    with UnitOfWork(actor="system", action="seed_demo_workplan", url=url) as uow:
        plan = WorkplanRow(year=year, version_no=1, status="draft", created_at=now,
                           created_by="system")  # fmt: skip
        uow.session.add(plan)
        uow.session.flush()
        taken: set[str] = set()
        for a in lines:
            code = next_code(year, a.output_code, taken)
            taken.add(code)
            uow.workplans.add_activity(plan.id, replace(a, code=code), "system", now)
        uow.workplans.set_in_use(year, plan.id, "system", now)
        uow.commit()
        plan_id = plan.id
    # The default copy: planned and ongoing lines (ongoing ones continue), not the completed or
    # cancelled ones; codes keep their numbers.
    draft = workplans.start_draft(SYSTEM_PLANNER, year + 1, ref, copy_from=plan_id,
                                  uplift_percent=COPY_FORWARD_UPLIFT, url=url)  # fmt: skip
    # the draft in preparation, shared with Committee members for consultation (the 2026
    # version goes to the demo meeting: services/meeting_seed.py)
    consultation.set_shared(SYSTEM_PLANNER, draft.id, True, url=url)
    return len(lines) + len(workplans.activities(SYSTEM_PLANNER, draft.id, url=url))
