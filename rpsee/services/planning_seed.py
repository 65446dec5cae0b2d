"""First-start defaults of the planning data (envelope, settings, cost rates, vacancy, position
plans) from data/, and the demo allocation targets. Only fills what is empty: never overwrites
what users changed."""

from __future__ import annotations

from decimal import Decimal

from rpsee.domain.envelope import Target
from rpsee.domain.money import to_cents, to_decimal
from rpsee.store.audit import utcnow
from rpsee.store.data_files import read_yaml
from rpsee.store.models import PositionPlanRow, StaffCostRateRow
from rpsee.store.planning import split_text
from rpsee.store.uow import UnitOfWork


def seed_planning(url: str) -> bool:
    """Fill the planning tables on first start; returns whether anything was written."""
    now = utcnow()
    with UnitOfWork(actor="system", action="seed_planning", url=url) as uow:
        planning = uow.planning
        if planning.envelopes():
            return False
        ref = uow.reference.load()
        envelope = read_yaml("envelope.yaml")
        staffing = read_yaml("staffing.yaml")
        for year, amount in envelope["envelope_usd"].items():
            planning.set_envelope(int(year), to_decimal(str(amount)), "system", now)
        settings = {
            "envelope_basis": "gross",
            "psc_rate_percent": str(ref.figures.programme_support_rate_percent),
            "escalation_percent": str(staffing.get("escalation_percent", "2")),
            "rates_base_year": str(staffing.get("rates_base_year", 2024)),
        }
        for key, value in settings.items():
            planning.set_setting(key, value, "system", now)
        for year, percent in (staffing.get("vacancy_percent") or {}).items():
            planning.set_vacancy(int(year), Decimal(str(percent)), "system", now)
        for rate in staffing.get("standard_costs") or []:
            uow.session.add(StaffCostRateRow(
                grade=str(rate["grade"]), duty_station=rate["duty_station"],
                annual_cents=to_cents(str(rate["annual_usd"])), updated_at=now,
                updated_by="system"))  # fmt: skip
        defaults = staffing.get("positions") or {}
        for p in ref.positions:
            d = defaults.get(p.id) or {}
            split = {str(k): Decimal(str(v)) for k, v in (d.get("split") or {}).items()}
            uow.session.add(
                PositionPlanRow(
                    position_id=p.id,
                    grade=str(d.get("grade") or p.grade),
                    duty_station=d.get("duty_station") or p.duty_station,
                    start=str(d.get("start") or ref.figures.staff_requirement_start),
                    end=str(d.get("end") or ref.figures.staff_requirement_end),
                    split=split_text(split),
                    dropped=False,
                    updated_at=now,
                    updated_by="system",
                )
            )
        uow.commit()
    return True


def seed_demo_targets(url: str) -> int:
    """The demo allocation targets (demo mode), if no target exists yet."""
    doc = read_yaml("demo/allocation.yaml")
    now = utcnow()
    count = 0
    with UnitOfWork(actor="system", action="seed_demo_targets", url=url) as uow:
        if uow.planning.targets():
            return 0
        for year, dims in (doc.get("targets") or {}).items():
            for dimension, spec in dims.items():
                targets = [Target(int(year), dimension, str(k), spec["mode"], Decimal(str(v)))
                           for k, v in spec["values"].items()]  # fmt: skip
                uow.planning.replace_targets(int(year), dimension, targets, "system", now)
                count += len(targets)
        uow.commit()
    return count
