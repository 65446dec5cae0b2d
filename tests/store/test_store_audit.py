"""The audit trail on SQLite and PostgreSQL: only real changes are recorded; readable rows and
their filters (who, dates, entity type)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rpsee.domain.roles import PermissionDenied
from rpsee.services import audit_log, planning, staffing
from rpsee.services.audit_log import AuditFilter
from rpsee.store.audit import utcnow
from rpsee.store.models import IndicatorRow
from rpsee.store.uow import UnitOfWork
from tests.store.test_store_planning import FINANCE, PLANNER, PSC
from tests.store.test_store_planning import ref as _planning_ref

ref = pytest.fixture(_planning_ref.__wrapped__, name="ref")


def _new_entries(db: str, after: int) -> list:
    with UnitOfWork(url=db) as uow:
        return [e for e in uow.audit.recent(limit=500) if e.id > after]


def _latest(db: str) -> int:
    with UnitOfWork(url=db) as uow:
        return uow.audit.latest_id()


def test_saving_the_same_settings_as_the_page_sends_them_records_nothing(db: str, ref) -> None:  # noqa: ANN001
    """The pages send numbers as floats: 13.0 for a stored "13" is not a change."""
    start = _latest(db)
    s = planning.settings(PLANNER, url=db)
    envelopes = {y: float(v) for y, v in s.envelopes.items()}
    planning.save_envelope(PLANNER, envelopes, s.basis, float(s.rate_percent), ref, url=db)
    data = staffing.load(FINANCE, url=db)
    lines = [(r.grade, r.duty_station, float(r.annual)) for r in data.rate_lines]
    vacancy = {y: float(v) for y, v in data.rates.vacancy_percent.items()}
    staffing.save_rates(FINANCE, lines, float(data.rates.escalation_percent), vacancy, ref,
                        url=db)  # fmt: skip
    assert _new_entries(db, start) == []


def test_a_real_change_records_only_the_fields_that_changed(db: str, ref) -> None:  # noqa: ANN001
    start = _latest(db)
    s = planning.settings(PLANNER, url=db)
    planning.save_envelope(PLANNER, {2026: "11000000.05"}, s.basis, "13.5", ref, url=db)
    entries = {(e.entity, e.entity_id): e for e in _new_entries(db, start)}
    assert set(entries) == {("envelope_year", "2026"), ("planning_setting", "psc_rate_percent")}
    envelope = entries[("envelope_year", "2026")]
    assert envelope.old_values["amount_cents"] == 1_100_000_000
    assert envelope.new_values["amount_cents"] == 1_100_000_005
    assert set(envelope.new_values) == {"amount_cents", "updated_at", "updated_by"}
    rate = entries[("planning_setting", "psc_rate_percent")]
    assert (rate.old_values["value"], rate.new_values["value"]) == ("13", "13.5")


def test_none_and_empty_text_are_the_same_value(db: str) -> None:
    with UnitOfWork(actor="system", action="test", url=db) as uow:
        row = uow.session.get(IndicatorRow, "1.1.a")
        row.baseline = None
        uow.commit()
    start = _latest(db)
    with UnitOfWork(actor="system", action="test", url=db) as uow:
        uow.session.get(IndicatorRow, "1.1.a").baseline = ""
        uow.commit()
    assert _new_entries(db, start) == []
    with UnitOfWork(actor="system", action="test", url=db) as uow:
        uow.session.get(IndicatorRow, "1.1.a").baseline = "0"
        uow.commit()
    [entry] = _new_entries(db, start)
    assert entry.old_values == {"baseline": ""} and entry.new_values == {"baseline": "0"}


def test_readable_rows_filtered_by_user_date_and_entity_type(db: str, ref) -> None:  # noqa: ANN001
    data = staffing.load(FINANCE, url=db)
    first = data.rate_lines[0]
    lines = [(r.grade, r.duty_station, r.annual + (1 if r is first else 0))
             for r in data.rate_lines]  # fmt: skip
    staffing.save_rates(FINANCE, lines, data.rates.escalation_percent,
                        data.rates.vacancy_percent, ref, url=db)  # fmt: skip
    rows = audit_log.rows(FINANCE, AuditFilter(actor="demo.finance", entity_type="Cost rate"),
                          url=db)  # fmt: skip
    assert len(rows) == 1
    [row] = rows
    assert row.who == "demo.finance" and row.entity_type == "Cost rate"
    assert row.entity.startswith(f"Cost rate {first.grade} ")
    assert row.changes.startswith("Annual cost: USD ") and " → USD " in row.changes
    today = utcnow().date()
    assert audit_log.rows(FINANCE, AuditFilter(first_day=today, last_day=today,
                                               entity_type="Cost rate"), url=db)  # fmt: skip
    yesterday = today - timedelta(days=1)
    assert not audit_log.rows(FINANCE, AuditFilter(last_day=yesterday), url=db)
    settings = audit_log.rows(FINANCE, AuditFilter(entity_type="Setting"), url=db)
    assert settings and all(r.entity.startswith("Setting: ") for r in settings)
    assert "demo.finance" in audit_log.actors(FINANCE, url=db)


def test_only_finance_and_admin_read_the_trail(db: str) -> None:
    with pytest.raises(PermissionDenied):
        audit_log.rows(PSC, url=db)
    with pytest.raises(PermissionDenied):
        audit_log.actors(PLANNER, url=db)
