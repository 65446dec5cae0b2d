"""Expenditure imports on SQLite and PostgreSQL: finance maps WBS elements, previews the demo
extract (the rows it cannot map named), applies it; importing the same months again replaces
them (no double counting); observers read other donors' confidential grants as the aggregate;
two processes importing the same months at once leave exactly one import's lines."""

from __future__ import annotations

import multiprocessing as mp
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from rpsee.config import DATA_DIR
from rpsee.domain.disclosure import OTHER_CONFIDENTIAL
from rpsee.domain.review.expenditure import WbsMapping, wbs_mappings
from rpsee.domain.roles import CurrentUser, PermissionDenied, Role
from rpsee.services import expenditure
from rpsee.services.expenditure import ExpenditureRefused
from rpsee.services.pipeline_seed import seed_demo_pipeline, seed_pipeline_defaults
from rpsee.store.data_files import read_yaml
from rpsee.store.models import AuditEntryRow
from rpsee.store.uow import UnitOfWork
from rpsee.store.workplans import RACE_WINDOW_ENV

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)
FINANCE = CurrentUser("demo.finance", "F", Role.FINANCE)
PSC = CurrentUser("demo.psc", "S", Role.PSC_MEMBER)
ADMIN = CurrentUser("demo.admin", "A", Role.ADMIN)
DEMO = read_yaml("demo/expenditure.yaml")
EXTRACT = (DATA_DIR / "demo" / DEMO["file"]).read_bytes()
NAME = DEMO["file"]


@pytest.fixture
def mapped(db: str) -> str:
    seed_pipeline_defaults(db)
    seed_demo_pipeline(db)
    for m in wbs_mappings(DEMO["wbs_mapping"]).values():
        expenditure.map_wbs(FINANCE, m, url=db)
    return db


def _map_the_rest(url: str) -> None:
    for wbs in DEMO["unmapped_wbs"]:
        output, office, where = wbs.split("-")[1:]
        expenditure.map_wbs(FINANCE, WbsMapping(wbs, output, office, where), url=url)


def _file_total(data: bytes, url: str) -> Decimal:
    """The extract's USD amounts summed by hand from the file (the demo is in USD and EUR)."""
    import csv
    import io

    from rpsee.services import pipeline

    rates = {r.currency: r.usd_per_unit for r in pipeline.exchange_rates(FINANCE, url=url)}
    total = Decimal("0.00")
    for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig"))):
        usd = Decimal(row["Amount"]) * rates[row["Currency"]]
        total += usd.quantize(Decimal("0.01"))
    return total


def test_preview_names_the_unmapped_rows_and_nothing_is_applied(mapped: str) -> None:
    found = expenditure.preview(FINANCE, EXTRACT, NAME, url=mapped)
    assert set(found.unmapped_wbs) == set(DEMO["unmapped_wbs"])
    assert not found.ok and all(p.column == "WBS element" for p in found.problems)
    assert all(p.row >= 2 for p in found.problems)
    with pytest.raises(ExpenditureRefused, match=r"Row \d+, WBS element"):
        expenditure.apply(FINANCE, EXTRACT, NAME, found.sha256, url=mapped)
    assert expenditure.spent(FINANCE, url=mapped) == []
    assert expenditure.imports(FINANCE, url=mapped) == []


def test_only_finance_maps_previews_and_applies(mapped: str) -> None:
    for who in (PLANNER, PSC, ADMIN, None):
        with pytest.raises(PermissionDenied):
            expenditure.preview(who, EXTRACT, NAME, url=mapped)
        with pytest.raises(PermissionDenied):
            expenditure.map_wbs(who, WbsMapping("X-1", "1.1", "IST", "TUR"), url=mapped)
    assert expenditure.wbs_mapping(PLANNER, url=mapped).keys() == DEMO["wbs_mapping"].keys()


def test_a_mapping_with_an_unknown_output_is_refused_naming_it(mapped: str) -> None:
    with pytest.raises(ExpenditureRefused, match="WBS element X-9"):
        expenditure.map_wbs(FINANCE, WbsMapping("X-9", "9.9", "IST", "TUR"), url=mapped)
    assert "X-9" not in expenditure.wbs_mapping(FINANCE, url=mapped)


def test_apply_then_apply_again_replaces_the_months(mapped: str) -> None:
    _map_the_rest(mapped)
    found = expenditure.preview(FINANCE, EXTRACT, NAME, url=mapped)
    assert found.ok, found.problems[:3]
    first = expenditure.apply(FINANCE, EXTRACT, NAME, found.sha256, url=mapped)
    lines = expenditure.spent(FINANCE, url=mapped)
    total = sum((ln.amount_usd for ln in lines), Decimal("0.00"))
    assert len(lines) == first.rows == len(found.lines)
    assert total == first.total_usd == _file_total(EXTRACT, mapped)
    assert any(ln.amount_usd < 0 for ln in lines)  # the reversal, kept as such
    assert first.periods[0] == "2024-07" and first.periods[-1] == "2025-12"
    again = expenditure.apply(FINANCE, EXTRACT, NAME, found.sha256, url=mapped)
    assert again.replaced_lines == first.rows
    assert sum((ln.amount_usd for ln in expenditure.spent(FINANCE, url=mapped)),
               Decimal("0.00")) == total  # fmt: skip
    assert [r.id for r in expenditure.imports(PSC, url=mapped)] == [again.id, first.id]
    assert len(expenditure.spent(FINANCE, 2025, url=mapped)) == sum(
        1 for ln in lines if ln.year == 2025)


def test_a_file_other_than_the_one_previewed_is_refused(mapped: str) -> None:
    _map_the_rest(mapped)
    found = expenditure.preview(FINANCE, EXTRACT, NAME, url=mapped)
    with pytest.raises(ExpenditureRefused, match="not the file previewed"):
        expenditure.apply(FINANCE, EXTRACT + b"\n", NAME, found.sha256, url=mapped)


def test_observers_read_protected_grants_as_the_aggregate(mapped: str) -> None:
    _map_the_rest(mapped)
    found = expenditure.preview(FINANCE, EXTRACT, NAME, url=mapped)
    expenditure.apply(FINANCE, EXTRACT, NAME, found.sha256, url=mapped)
    with UnitOfWork(url=mapped) as uow:
        confidential = {c.reference for c in uow.pipeline.contributions() if c.confidential}
    spent_on = {ln.grant for ln in expenditure.spent(FINANCE, url=mapped)}
    assert spent_on & confidential, "the demo extract books spending to a confidential grant"
    observer = CurrentUser("demo.observer", "O", Role.OBSERVER, donor="EU")
    seen = expenditure.spent(observer, url=mapped)
    assert not {ln.grant for ln in seen} & confidential
    assert OTHER_CONFIDENTIAL in {ln.grant for ln in seen}
    assert sum(ln.amount_usd for ln in seen) == sum(
        ln.amount_usd for ln in expenditure.spent(FINANCE, url=mapped))
    with pytest.raises(PermissionDenied):
        expenditure.imports(observer, url=mapped)


def _one_month(amount: str) -> bytes:
    head = "Grant,WBS element,Fund,Cost category,Currency,Posting period,Amount\n"
    grant = "EU IPA regional action on organized crime and illicit financial flows (demo)"
    rows = "".join(f"{grant},SEER24-2.1-SAR-BIH,32EUA,Travel,USD,2025-03,{amount}\n"
                   for _ in range(50))  # fmt: skip
    return (head + rows).encode()


def _import(url: str, data: bytes, start, out) -> None:  # noqa: ANN001
    found = expenditure.preview(FINANCE, data, "march.csv", url=url)
    start.wait(timeout=60)
    try:
        expenditure.apply(FINANCE, data, "march.csv", found.sha256, url=url)
        out.put("ok")
    except Exception as exc:  # noqa: BLE001  (reported to the test)
        out.put(f"{type(exc).__name__}: {exc}")


def test_two_imports_of_the_same_month_at_once_leave_one(mapped: str, monkeypatch) -> None:  # noqa: ANN001
    ctx = mp.get_context("spawn")
    start, out = ctx.Barrier(2), ctx.Queue()
    monkeypatch.setenv(RACE_WINDOW_ENV, "300")  # both read before either writes
    procs = [ctx.Process(target=_import, args=(mapped, _one_month(a), start, out))
             for a in ("100.00", "7.00")]  # fmt: skip
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert results == ["ok", "ok"]
    march = expenditure.spent(FINANCE, 2025, url=mapped)
    assert len(march) == 50  # one import's lines, never both
    assert sum(ln.amount_usd for ln in march) in (Decimal("5000.00"), Decimal("350.00"))
    assert len(expenditure.imports(FINANCE, url=mapped)) == 2


def test_the_demo_files_are_where_the_yaml_says(tmp_path: Path) -> None:
    assert (DATA_DIR / "demo" / DEMO["file"]).is_file()
    assert DEMO["label"].startswith("ILLUSTRATIVE")


def test_a_file_name_too_long_is_refused_not_cut(mapped: str) -> None:
    name = "x" * 197 + ".csv"
    with pytest.raises(ExpenditureRefused, match="File name: 201 characters; at most 200"):
        expenditure.preview(FINANCE, EXTRACT, name, url=mapped)
    assert expenditure.imports(FINANCE, url=mapped) == []


def _map(url: str, office: str, start, out) -> None:  # noqa: ANN001
    start.wait(timeout=60)
    try:
        expenditure.map_wbs(FINANCE, WbsMapping("NEW-1", "2.1", office, "BIH"), url=url)
        out.put("ok")
    except Exception as exc:  # noqa: BLE001  (reported to the test)
        out.put(f"{type(exc).__name__}: {exc}")


def test_two_first_mappings_of_one_element_at_once_leave_one(mapped: str, monkeypatch) -> None:  # noqa: ANN001
    """Both map an element nobody mapped yet, at the same moment: one row, no raw error, and
    the audit trail holds both (the second as a change of the first, as a second later)."""
    ctx = mp.get_context("spawn")
    start, out = ctx.Barrier(2), ctx.Queue()
    monkeypatch.setenv(RACE_WINDOW_ENV, "300")  # both find no row before either writes
    procs = [ctx.Process(target=_map, args=(mapped, o, start, out)) for o in ("SAR", "IST")]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert results == ["ok", "ok"]
    assert expenditure.wbs_mapping(FINANCE, url=mapped)["NEW-1"].office_code in ("SAR", "IST")
    with UnitOfWork(url=mapped) as uow:
        rows = uow.session.scalars(select(AuditEntryRow).where(
            AuditEntryRow.entity == "wbs_mapping", AuditEntryRow.entity_id == "NEW-1")).all()
    assert len(rows) == 2 and rows[1].old_values  # the second changed the first
