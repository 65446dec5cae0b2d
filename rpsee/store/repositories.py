"""Repositories: read and write domain records without the caller touching SQL."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from rpsee.domain.money import from_cents, to_cents
from rpsee.domain.reference import (
    CostCategory,
    Donor,
    Indicator,
    Jurisdiction,
    Office,
    Output,
    Position,
    ProgrammeFigures,
    ProgrammeReference,
    Risk,
    ThematicArea,
)
from rpsee.domain.roles import person_label
from rpsee.store.data_files import load_markers
from rpsee.store.models import (
    AuditEntryRow,
    Base,
    CostCategoryRow,
    DonorRow,
    IndicatorRow,
    JurisdictionRow,
    OfficeRow,
    OutputRow,
    PositionRow,
    ProgrammeFigureRow,
    ProgrammeTextRow,
    RiskRow,
    ThematicAreaRow,
    UserRow,
)


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, username: str, *, for_update: bool = False) -> UserRow | None:
        stmt = select(UserRow).where(UserRow.username == username)
        if for_update:
            stmt = stmt.with_for_update()
        return self.session.scalars(stmt).first()

    def list(self) -> list[UserRow]:
        return list(self.session.scalars(select(UserRow).order_by(UserRow.username)))

    def person(self, username: str) -> str:
        """How a record names the account's holder: "Jane Doe, Programme planner" (the
        account name itself when no such account exists, e.g. `system`)."""
        row = self.get(username)
        return person_label(row.name, row.role) if row is not None else username
    def get_by_identity(self, issuer: str, subject: str, *, for_update: bool = False
                        ) -> UserRow | None:  # fmt: skip
        """The account a single sign-on identity (issuer, subject) belongs to."""
        stmt = select(UserRow).where(UserRow.sso_issuer == issuer, UserRow.sso_subject == subject)
        if for_update:
            stmt = stmt.with_for_update()
        return self.session.scalars(stmt).first()

    def add(self, row: UserRow) -> None:
        self.session.add(row)

    def count_active(self, role: str | None = None) -> int:
        stmt = select(func.count()).select_from(UserRow).where(UserRow.active.is_(True))
        if role:
            stmt = stmt.where(UserRow.role == role)
        return int(self.session.scalar(stmt) or 0)

    def record_sso_sign_in(self, username: str, signed_in_at: datetime) -> None:
        """The issue time of the last single sign-on recorded (the sign-in itself is audited as
        an event): a plain UPDATE."""
        self.session.execute(
            update(UserRow).where(UserRow.username == username)
            .values(sso_signed_in_at=signed_in_at).execution_options(synchronize_session=False)
        )  # fmt: skip

    def touch(self, username: str, at: datetime) -> None:
        """Record the account's last activity: a plain UPDATE, outside the audit trail."""
        self.session.execute(
            update(UserRow).where(UserRow.username == username).values(last_seen_at=at)
            .execution_options(synchronize_session=False)
        )  # fmt: skip


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    old_values: dict[str, Any] | None
    new_values: dict[str, Any] | None


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def recent(
        self, limit: int = 200, entity: str | None = None, entity_id: str | None = None
    ) -> list[AuditEntry]:
        stmt = select(AuditEntryRow).order_by(AuditEntryRow.id.desc()).limit(limit)
        if entity:
            stmt = stmt.where(AuditEntryRow.entity == entity)
        if entity_id:
            stmt = stmt.where(AuditEntryRow.entity_id == entity_id)
        return [
            AuditEntry(
                r.id,
                r.at,
                r.actor,
                r.action,
                r.entity,
                r.entity_id,
                json.loads(r.old_values) if r.old_values else None,
                json.loads(r.new_values) if r.new_values else None,
            )
            for r in self.session.scalars(stmt)
        ]

    def latest_id(self) -> int:
        return int(self.session.scalar(select(func.max(AuditEntryRow.id))) or 0)

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(AuditEntryRow)) or 0)


# Reference data: rows <-> domain records ---------------------------------------------------------

_FIGURE_KINDS = ("annual_envelope", "cycle_envelope", "staff_requirement")
_YEARLY_KINDS = {
    "envelope": "envelope_by_year",
    "hard_pipeline": "hard_pipeline",
    "delivery": "delivery",
}


def _reference_records(ref: ProgrammeReference) -> list[tuple[type[Base], str, list[dict]]]:
    """Every reference table as (model, key column, records), parents before children."""
    f = ref.figures
    figures = [
        {"kind": k, "year": 0, "amount_cents": to_cents(getattr(f, k))} for k in _FIGURE_KINDS
    ]
    for kind, attr in _YEARLY_KINDS.items():
        figures += [
            {"kind": kind, "year": y, "amount_cents": to_cents(v)}
            for y, v in sorted(getattr(f, attr).items())
        ]
    for rec in figures:
        rec["key"] = f"{rec['kind']}/{rec['year']}"
    texts = {
        "objective": ref.objective,
        "kosovo_footnote": ref.kosovo_footnote,
        "staff_requirement_start": f.staff_requirement_start,
        "staff_requirement_end": f.staff_requirement_end,
        "programme_support_rate_percent": str(f.programme_support_rate_percent),
        "cycle_start": f.cycle_start,
        "cycle_end": f.cycle_end,
    }
    return [
        (ProgrammeTextRow, "key", [{"key": k, "value": v} for k, v in texts.items()]),
        (
            ThematicAreaRow,
            "code",
            [
                {
                    "code": a.code,
                    "name": a.name,
                    "short_name": a.short_name,
                    "strategic_goal": a.strategic_goal,
                    "sort": i,
                }
                for i, a in enumerate(ref.areas)
            ],
        ),
        (
            OutputRow,
            "code",
            [
                {"code": o.code, "area_code": o.area_code, "text": o.text, "sort": i}
                for i, o in enumerate(ref.outputs)
            ],
        ),
        (
            IndicatorRow,
            "code",
            [
                {
                    "code": ind.code,
                    "output_code": ind.output_code,
                    "text": ind.text,
                    "baseline": ind.baseline,
                    "target": ind.target,
                    "interim_target": ind.interim_target,
                    "interval": ind.interval,
                    "means_of_verification": ind.means_of_verification,
                    "risks": ind.risks,
                    "sort": i,
                }
                for i, ind in enumerate(i for o in ref.outputs for i in o.indicators)
            ],
        ),
        (
            JurisdictionRow,
            "code",
            [
                {
                    "code": j.code,
                    "name": j.name,
                    "western_balkans": j.western_balkans,
                    "regional": j.regional,
                    "footnote": j.footnote,
                    "sort": i,
                }
                for i, j in enumerate(ref.jurisdictions)
            ],
        ),
        (
            OfficeRow,
            "code",
            [
                {
                    "code": o.code,
                    "name": o.name,
                    "label": o.label,
                    "kind": o.kind,
                    "jurisdiction_code": o.jurisdiction_code,
                    "headquarters": o.headquarters,
                    "sort": i,
                }
                for i, o in enumerate(ref.offices)
            ],
        ),
        (
            PositionRow,
            "id",
            [
                {
                    "id": p.id,
                    "table_ref": p.table_ref,
                    "title": p.title,
                    "grade": p.grade,
                    "category": p.category,
                    "duty_station": p.duty_station,
                    "status": p.status,
                    "note": p.note,
                    "sort": i,
                }
                for i, p in enumerate(ref.positions)
            ],
        ),
        (
            DonorRow,
            "code",
            [
                {
                    "code": d.code,
                    "name": d.name,
                    "kind": d.kind,
                    "currency": d.currency,
                    "status": d.status,
                    "note": d.note,
                    "sort": i,
                }
                for i, d in enumerate(ref.donors)
            ],
        ),
        (
            CostCategoryRow,
            "code",
            [
                {"code": c.code, "name": c.name, "sort": i}
                for i, c in enumerate(ref.cost_categories)
            ],
        ),
        (
            RiskRow,
            "code",
            [
                {
                    "code": r.code,
                    "risk": r.risk,
                    "likelihood": r.likelihood,
                    "impact": r.impact,
                    "level": r.level,
                    "mitigation": r.mitigation,
                    "residual": r.residual,
                    "sort": i,
                }
                for i, r in enumerate(ref.risks)
            ],
        ),
        (ProgrammeFigureRow, "key", figures),
    ]


@dataclass
class SyncCounts:
    added: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.added + self.changed + self.removed


class ReferenceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def is_empty(self) -> bool:
        return self.session.scalar(select(func.count()).select_from(ThematicAreaRow)) == 0

    def sync(self, ref: ProgrammeReference) -> SyncCounts:
        """Make the reference tables equal to `ref`: add, change and remove only what differs."""
        counts = SyncCounts()
        plan = _reference_records(ref)
        stale: list[tuple[type[Base], list[Any]]] = []
        for model, key, records in plan:
            if model is ProgrammeFigureRow:
                existing = {f"{r.kind}/{r.year}": r for r in self.session.scalars(select(model))}
            elif model is ProgrammeTextRow:  # "meta:" keys are bookkeeping, not reference data
                existing = {
                    r.key: r
                    for r in self.session.scalars(select(model))
                    if not r.key.startswith("meta:")
                }
            else:
                existing = {getattr(r, key): r for r in self.session.scalars(select(model))}
            wanted = set()
            for rec in records:
                rec = dict(rec)
                rec_key = rec.pop("key") if model is ProgrammeFigureRow else rec[key]
                wanted.add(rec_key)
                row = existing.get(rec_key)
                if row is None:
                    self.session.add(model(**rec))
                    counts.added += 1
                else:
                    diff = {k: v for k, v in rec.items() if getattr(row, k) != v}
                    for k, v in diff.items():
                        setattr(row, k, v)
                    counts.changed += bool(diff)
            self.session.flush()
            stale.append((model, [r for k, r in existing.items() if k not in wanted]))
        for _model, rows in reversed(stale):
            for row in rows:
                self.session.delete(row)
                counts.removed += 1
            self.session.flush()
        return counts

    def load(self) -> ProgrammeReference:
        s = self.session

        def rows(model: type[Base]) -> list[Any]:
            return list(s.scalars(select(model).order_by(model.sort)))  # type: ignore[attr-defined]

        indicators: dict[str, list[Indicator]] = {}
        for r in rows(IndicatorRow):
            indicators.setdefault(r.output_code, []).append(
                Indicator(
                    r.code,
                    r.output_code,
                    r.text,
                    r.baseline,
                    r.target,
                    r.interim_target,
                    r.interval,
                    r.means_of_verification,
                    r.risks,
                )
            )
        outputs: dict[str, list[Output]] = {}
        for r in rows(OutputRow):
            outputs.setdefault(r.area_code, []).append(
                Output(r.code, r.area_code, r.text, tuple(indicators.get(r.code, ())))
            )
        areas = tuple(
            ThematicArea(
                r.code, r.name, r.short_name, r.strategic_goal, tuple(outputs.get(r.code, ()))
            )
            for r in rows(ThematicAreaRow)
        )
        texts = {r.key: r.value for r in s.scalars(select(ProgrammeTextRow))}
        single: dict[str, Decimal] = {}
        yearly: dict[str, dict[int, Decimal]] = {k: {} for k in _YEARLY_KINDS}
        for r in s.scalars(select(ProgrammeFigureRow).order_by(ProgrammeFigureRow.year)):
            if r.kind in yearly:
                yearly[r.kind][r.year] = from_cents(r.amount_cents)
            else:
                single[r.kind] = from_cents(r.amount_cents)
        zero = Decimal("0.00")
        figures = ProgrammeFigures(
            annual_envelope=single.get("annual_envelope", zero),
            cycle_envelope=single.get("cycle_envelope", zero),
            envelope_by_year=yearly["envelope"],
            hard_pipeline=yearly["hard_pipeline"],
            delivery=yearly["delivery"],
            staff_requirement=single.get("staff_requirement", zero),
            staff_requirement_start=texts.get("staff_requirement_start", ""),
            staff_requirement_end=texts.get("staff_requirement_end", ""),
            programme_support_rate_percent=Decimal(
                texts.get("programme_support_rate_percent", "13")
            ),
            cycle_start=texts.get("cycle_start", "2024-07"),
            cycle_end=texts.get("cycle_end", "2029-06"),
        )
        codes = tuple(o.code for a in areas for o in a.outputs)
        return ProgrammeReference(
            markers=load_markers(codes),
            objective=texts.get("objective", ""),
            kosovo_footnote=texts.get("kosovo_footnote", ""),
            areas=areas,
            jurisdictions=tuple(
                Jurisdiction(r.code, r.name, r.western_balkans, r.regional, r.footnote)
                for r in rows(JurisdictionRow)
            ),
            offices=tuple(
                Office(r.code, r.name, r.label, r.kind, r.jurisdiction_code, r.headquarters)
                for r in rows(OfficeRow)
            ),
            positions=tuple(
                Position(
                    r.id,
                    r.table_ref,
                    r.title,
                    r.grade,
                    r.category,
                    r.duty_station,
                    r.status,
                    r.note,
                )
                for r in rows(PositionRow)
            ),
            donors=tuple(
                Donor(r.code, r.name, r.kind, r.currency, r.status, r.note) for r in rows(DonorRow)
            ),
            cost_categories=tuple(CostCategory(r.code, r.name) for r in rows(CostCategoryRow)),
            risks=tuple(
                Risk(r.code, r.risk, r.likelihood, r.impact, r.level, r.mitigation, r.residual)
                for r in rows(RiskRow)
            ),
            figures=figures,
        )
