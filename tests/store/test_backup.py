"""Backup and restore: the same figures and audit trail after a round trip SQLite → PostgreSQL →
SQLite; damaged, foreign or edited files refused with the target unchanged; never half-restored."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from rpsee.__main__ import main
from rpsee.domain.roles import SYSTEM, CurrentUser, PermissionDenied, Role
from rpsee.services import backup, planning, programme, staffing, workplans
from rpsee.services.backup import BackupError
from rpsee.services.bootstrap import ensure_demo_users, seed_reference
from rpsee.services.demo import seed_demo_workplans
from rpsee.services.planning_seed import seed_demo_targets, seed_planning
from rpsee.store import backup as store
from rpsee.store.db import dispose
from rpsee.store.migrate import upgrade
from rpsee.store.models import AuditEntryRow
from rpsee.store.uow import UnitOfWork
from tests.unit.test_domain_workplan import act

READER = CurrentUser("reader", "Reader", Role.FINANCE)


def _demo(url: str) -> str:
    """A database as `serve` leaves it in demo mode."""
    upgrade(url)
    seed_reference(url)
    ensure_demo_users(url)
    seed_planning(url)
    seed_demo_workplans(url)
    seed_demo_targets(url)
    return url


def figures(url: str) -> dict[str, object]:
    """What the pages show: every workplan line, staff costs, the allocation comparison."""
    with UnitOfWork(url=url) as uow:
        ref = uow.reference.load()
    staff = staffing.load(READER, url=url)
    costing = staffing.costing(staff.plans, staff.rates, ref)
    settings = planning.settings(READER, url=url)
    by_year = workplans.lines_in_use(READER, url=url)
    return {
        "workplans": {
            p.id: (p, workplans.activities(READER, p.id, url=url))
            for p in workplans.list_workplans(READER, url=url)
        },  # fmt: skip
        "workplan_totals": {
            y: sum(a.total for a in lines if a.counts) for y, lines in by_year.items()
        },  # fmt: skip
        "staff": (
            staff.plans,
            staff.rate_lines,
            costing.gross,
            costing.vacancy,
            costing.by_area,
            costing.by_office,
            costing.net_total(),
        ),  # fmt: skip
        "allocation": {
            y: planning.compare_year(y, settings, by_year.get(y, []), costing, ref)
            for y in ref.figures.cycle_years
        },  # fmt: skip
    }


def trail(url: str) -> list[tuple]:
    with UnitOfWork(url=url) as uow:
        rows = uow.session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.id))
        return [(r.id, r.at, r.actor, r.action, r.entity, r.entity_id, r.old_values,
                 r.new_values) for r in rows]  # fmt: skip


@pytest.fixture
def source(sqlite_url: str) -> str:
    return _demo(sqlite_url)


def test_round_trip_sqlite_postgres_sqlite_gives_back_every_figure(
    source: str, pg_url: str, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    monkeypatch.setattr(store, "BATCH", 7)  # tables streamed in many small batches both ways
    before, before_trail = figures(source), trail(source)
    assert before["workplan_totals"] and before_trail
    first = tmp_path / "from-sqlite.rpsee-backup"
    manifest = backup.backup(SYSTEM, first, url=source)
    assert manifest.source == "sqlite" and manifest.rows["audit_entry"] == len(before_trail)
    assert stat.S_IMODE(first.stat().st_mode) == 0o600  # it holds password hashes

    backup.restore(SYSTEM, first, url=pg_url)  # an empty database: migrated, then filled
    assert figures(pg_url) == before
    restored = trail(pg_url)
    assert restored[:-1] == before_trail
    assert restored[-1][2:6] == ("system", "backup_restore", "database", first.name)

    second = tmp_path / "from-postgres.rpsee-backup"
    backup.backup(SYSTEM, second, url=pg_url)
    back = f"sqlite:///{tmp_path / 'back.sqlite'}"
    try:
        backup.restore(SYSTEM, second, url=back)
        assert figures(back) == before
        assert trail(back)[:-1] == restored
        # New rows get fresh ids after a restore (PostgreSQL sequences were moved on).
        for url in (pg_url, back):
            plan = workplans.list_workplans(READER, url=url)[-1]
            ref = planning_reference(url)
            draft = workplans.start_draft(CurrentUser("p", "P", Role.PLANNER), 2029, ref,
                                          copy_from=plan.id, url=url)  # fmt: skip
            assert draft.id > plan.id
    finally:
        dispose(back)


def planning_reference(url: str):  # noqa: ANN201
    with UnitOfWork(url=url) as uow:
        return uow.reference.load()


def _rewrite(path: Path, out: Path, change) -> None:  # noqa: ANN001
    """Copy a backup with `change(manifest, tables)` applied and the checksums made right again,
    so only the check under test can refuse it."""
    with zipfile.ZipFile(path) as zf:
        meta = json.loads(zf.read("manifest.json"))
        data = {n: zf.read(n) for n in zf.namelist() if n != "manifest.json"}
    change(meta, data)
    for name, blob in data.items():
        table = name.removeprefix("tables/").removesuffix(".jsonl")
        meta["sha256"][table] = store._digest(blob)
        meta["rows"][table] = len(blob.splitlines())
    body = {k: v for k, v in meta.items() if k not in ("format", "checksum")}
    m = store.Manifest(**body)
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("manifest.json", json.dumps(m.to_json()))
        for name, blob in data.items():
            zf.writestr(name, blob)


def test_bad_files_are_refused_and_the_target_is_unchanged(source: str, tmp_path: Path) -> None:
    good = tmp_path / "good.rpsee-backup"
    backup.backup(SYSTEM, good, url=source)
    target = _demo(f"sqlite:///{tmp_path / 'target.sqlite'}")
    workplans.start_draft(CurrentUser("p", "P", Role.PLANNER), 2028, planning_reference(target),
                          url=target)  # something the backup does not have  # fmt: skip
    unchanged = (figures(target), trail(target))

    damaged = tmp_path / "damaged.rpsee-backup"
    blob = bytearray(good.read_bytes())
    blob[len(blob) // 3] ^= 0xFF
    damaged.write_bytes(bytes(blob))
    edited = tmp_path / "edited.rpsee-backup"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(edited, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "tables/activity_budget.jsonl":
                data = data.replace(b'"amount_cents":1', b'"amount_cents":9', 1)
            out.writestr(name, data)
    older = tmp_path / "older.rpsee-backup"
    _rewrite(good, older, lambda meta, _data: meta.update(revision="0002"))
    orphan = tmp_path / "orphan.rpsee-backup"  # checksums right, a line of a missing workplan

    def _orphan(_meta, data) -> None:  # noqa: ANN001
        lines = data["tables/activity.jsonl"].splitlines()
        row = json.loads(lines[-1])
        row.update(id=row["id"] + 1000, workplan_id=999_999)
        data["tables/activity.jsonl"] += store._canonical(row) + b"\n"

    _rewrite(good, orphan, _orphan)
    truncated = tmp_path / "truncated.rpsee-backup"
    truncated.write_bytes(good.read_bytes()[:2000])

    cases = {damaged: "not a readable|checksum", edited: "checksum", older: "revision 0002",
             orphan: "could not be restored", truncated: "not a readable",
             tmp_path / "missing": "does not exist"}  # fmt: skip
    for path, message in cases.items():
        with pytest.raises(BackupError, match=message) as refused:
            backup.restore(SYSTEM, path, force=True, url=target)
        print(f"{path.name}: {refused.value}")
        assert (figures(target), trail(target)) == unchanged, path.name
    with pytest.raises(BackupError, match="not empty"):
        backup.restore(SYSTEM, good, url=target)
    assert (figures(target), trail(target)) == unchanged
    dispose(target)


def test_the_command_line_backs_up_and_restores_with_force(
    source: str, tmp_path: Path, monkeypatch, capsys
) -> None:  # noqa: ANN001
    monkeypatch.setenv("DATABASE_URL", source)
    out = tmp_path / "cli.rpsee-backup"
    assert main(["backup", "--out", str(out)]) == 0
    assert main(["backup", "--out", str(out)]) == 1  # never overwrites
    assert "exists already" in capsys.readouterr().err
    expected = figures(source)
    workplans.start_draft(CurrentUser("p", "P", Role.PLANNER), 2028, planning_reference(source),
                          url=source)  # fmt: skip
    assert main(["restore", str(out)]) == 1
    assert "restore --force replaces everything" in capsys.readouterr().err
    seen = programme.data_version(url=source)
    assert main(["restore", str(out), "--force"]) == 0
    assert "Restored" in capsys.readouterr().out
    assert figures(source) == expected
    # The app's caches are keyed by the newest audit entry: a restore moves it on, never back.
    assert programme.data_version(url=source) > seen


@pytest.mark.parametrize("role", [Role.PLANNER, Role.PSC_MEMBER, Role.FINANCE])
def test_only_an_administrator_may_back_up_or_restore(role: Role, tmp_path: Path) -> None:
    user = CurrentUser("u", "U", role)
    with pytest.raises(PermissionDenied):
        backup.backup(user, tmp_path / "x", url="sqlite:///unused")
    with pytest.raises(PermissionDenied):
        backup.restore(user, tmp_path / "x", url="sqlite:///unused")
    assert not (tmp_path / "x").exists()


class _SaveMidway(list):
    """The table list; the second time `activity` comes up (in the backup's table walk, after
    `workplan` was read) a colleague's save is committed from another connection."""

    def __init__(self, items: list, save) -> None:  # noqa: ANN001
        super().__init__(items)
        self.save, self.seen = save, 0

    def __iter__(self):  # noqa: ANN204
        for table in list.__iter__(self):
            if table.name == "activity":
                self.seen += 1
                if self.seen == 2:
                    self.save()
            yield table


def test_a_backup_reads_every_table_from_one_snapshot(db: str, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    planner = CurrentUser("p", "P", Role.PLANNER)
    ref = planning_reference(db)
    plan = workplans.start_draft(planner, 2026, ref, url=db)
    line = act("", "2.3", {"TRAVEL": "10.00"})
    workplans.save(planner, plan.id, workplans.WorkplanEdit(added=[line]), ref, url=db)
    lines_before, trail_before = len(workplans.activities(planner, plan.id, url=db)), trail(db)

    def colleague_saves() -> None:
        edit = workplans.WorkplanEdit(added=[line, line])
        workplans.save(planner, plan.id, edit, ref, url=db)

    walk = _SaveMidway(store.tables(), colleague_saves)
    monkeypatch.setattr(store, "tables", lambda: walk)
    manifest = backup.backup(SYSTEM, tmp_path / "during.rpsee-backup", url=db)
    assert walk.seen == 2 and len(workplans.activities(planner, plan.id, url=db)) == 3
    assert manifest.rows["activity"] == lines_before == 1
    assert manifest.rows["audit_entry"] == len(trail_before)
