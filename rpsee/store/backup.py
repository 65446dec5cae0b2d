"""Every table to a portable file and back: a zip of one JSON-lines file per table and a manifest
(schema revision, row counts, SHA-256 of each table and of the manifest itself).

The checksums detect accidental damage (a truncated copy, a flipped byte, a table file edited by
hand without care): they are not a signature. Anyone who can write the file can change a row and
recompute the checksums, so they do not protect against tampering: keep backups where only the
operators can write them. Values are written as JSON: dates and times as ISO 8601 text, exact
numbers (Numeric) as text, binary values as base64, each read back by its column's type."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    Table,
    Time,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from rpsee.store.audit import utcnow
from rpsee.store.migrate import alembic_config, upgrade
from rpsee.store.models import AuditEntryRow, Base

FORMAT = "rpsee-backup/1"
MAX_BYTES = 2 * 1024**3  # what restore agrees to expand (the file's own figures, checked first)
BATCH = 2000  # rows held in memory at a time, writing or restoring


class BackupError(ValueError):
    """A backup or restore that was refused; nothing was written. The message says why."""


@dataclass(frozen=True)
class Manifest:
    revision: str
    created_at: str
    source: str  # sqlite or postgresql
    rows: dict[str, int]
    sha256: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        body = {"format": FORMAT, "revision": self.revision, "created_at": self.created_at,
                "source": self.source, "rows": self.rows, "sha256": self.sha256}  # fmt: skip
        return {**body, "checksum": _digest(_canonical(body))}

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tables() -> list[Table]:
    """Every table of the schema, parents before children."""
    return list(Base.metadata.sorted_tables)


def head_revision(url: str) -> str:
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    assert head is not None
    return head


@contextmanager
def _connection(url: str, write: bool) -> Iterator[Connection]:
    """One transaction on a connection of its own. A backup: on PostgreSQL REPEATABLE READ, read
    only; on SQLite an explicit BEGIN, so every table is read from the same snapshot. A restore:
    every table locked first (PostgreSQL), or BEGIN IMMEDIATE (SQLite's write lock)."""
    sqlite = url.startswith("sqlite")
    engine = create_engine(url, poolclass=NullPool)
    if sqlite:

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            dbapi_conn.isolation_level = None  # the driver begins nothing by itself
            dbapi_conn.execute("PRAGMA foreign_keys=ON")
            dbapi_conn.execute("PRAGMA busy_timeout=30000")

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:  # type: ignore[no-untyped-def]
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    try:
        with engine.connect() as conn:
            if not sqlite and not write:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                if not sqlite and not write:
                    conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                if not sqlite and write:  # before anything is read: running sessions wait
                    names = ", ".join(conn.dialect.identifier_preparer.quote(t.name)
                                      for t in tables())  # fmt: skip
                    conn.exec_driver_sql(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE")
                yield conn
    finally:
        engine.dispose()


def _revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _encode(value: Any) -> Any:  # noqa: ANN401
    """A column value as JSON holds it exactly (see the module's docstring)."""
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, float) and not math.isfinite(value):
        raise BackupError(f"A float column holds {value}, which a backup cannot keep exactly.")
    return value


_READERS: dict[type, Any] = {DateTime: datetime.fromisoformat, Date: date.fromisoformat,
                             Time: time.fromisoformat, Numeric: Decimal,
                             LargeBinary: base64.b64decode}  # fmt: skip


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in row.items():
        column = table.columns.get(key)
        if column is None:
            raise BackupError(f"Table {table.name}: the file has a column {key!r} that this "
                              "schema lacks.")  # fmt: skip
        if value is not None:
            reader = next((f for kind, f in _READERS.items()
                           if isinstance(column.type, kind) and not isinstance(column.type, Float)
                           ), None)  # fmt: skip
            if reader is not None:
                value = reader(value)
        out[key] = value
    return out


def write(url: str, path: Path) -> Manifest:
    """Snapshot every table in one read transaction, streamed table by table into `path`
    (owner-only; written beside it and renamed into place, so a failed backup leaves no file)."""
    if path.exists():
        raise BackupError(f"{path} exists already: choose another name (a backup never "
                          "overwrites a file).")  # fmt: skip
    database = make_url(url).database
    if url.startswith("sqlite") and not (database and Path(database).exists()):
        raise BackupError(f"There is no database at {database}.")
    rows: dict[str, int] = {}
    sha256: dict[str, str] = {}
    with _connection(url, write=False) as conn, _new_file(path) as raw:
        revision = _revision(conn)
        if revision is None:
            raise BackupError("The database has no schema yet: nothing to back up.")
        known = {t.name for t in tables()}
        extra = sorted(set(inspect(conn).get_table_names()) - known - {"alembic_version"})
        if extra:
            raise BackupError(f"The database has tables this version does not know: {extra}.")
        with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
            for table in tables():
                digest, count = hashlib.sha256(), 0
                order = list(table.primary_key.columns) or list(table.columns)
                query = select(table).order_by(*order).execution_options(yield_per=BATCH)
                with zf.open(f"tables/{table.name}.jsonl", "w", force_zip64=True) as out:
                    for r in conn.execute(query).mappings():
                        line = _canonical({k: _encode(v) for k, v in r.items()}) + b"\n"
                        out.write(line)
                        digest.update(line)
                        count += 1
                rows[table.name], sha256[table.name] = count, digest.hexdigest()
            manifest = Manifest(revision, utcnow().isoformat(timespec="seconds") + "Z",
                                conn.dialect.name, rows, sha256)  # fmt: skip
            zf.writestr("manifest.json", json.dumps(manifest.to_json(), indent=1))
    return manifest


@contextmanager
def _new_file(path: Path) -> Iterator[BinaryIO]:
    """A new owner-only file that appears at `path` only once it is complete."""
    partial = path.with_name(f".{path.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw:
            yield raw
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


@contextmanager
def _opened(path: Path) -> Iterator[zipfile.ZipFile]:
    """The backup file as a zip; any reading failure becomes a BackupError naming the file."""
    try:
        with zipfile.ZipFile(path) as zf:
            yield zf
    except BackupError:
        raise
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist.") from None
    except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, OSError, EOFError) as exc:
        raise BackupError(f"{path.name} is not a readable RPSEE backup ({exc}).") from None


def check(path: Path) -> Manifest:
    """Check a backup file whole (format, manifest, every table's checksum and row count)
    before anything is written; reads it table by table, never all of it at once. This finds
    accidental damage; it cannot find a deliberate edit whose checksums were recomputed."""
    with _opened(path) as zf:
        if sum(i.file_size for i in zf.infolist()) > MAX_BYTES:
            raise BackupError(f"{path.name} expands to more than {MAX_BYTES:,} bytes.")
        manifest = _manifest(json.loads(zf.read("manifest.json")), path.name)
        for table in tables():
            digest, count = hashlib.sha256(), 0
            with zf.open(f"tables/{table.name}.jsonl") as data:
                for line in data:
                    digest.update(line)
                    count += 1
            if digest.hexdigest() != manifest.sha256.get(table.name):
                raise BackupError(f"{path.name}: table {table.name} does not match its "
                                  "checksum (the file is damaged or was edited).")  # fmt: skip
            if count != manifest.rows.get(table.name):
                raise BackupError(f"{path.name}: table {table.name} has {count} rows, the "
                                  f"manifest says {manifest.rows.get(table.name)}.")  # fmt: skip
    return manifest


def _batches(zf: zipfile.ZipFile, table: Table) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    with zf.open(f"tables/{table.name}.jsonl") as data:
        for line in data:
            batch.append(_decode(table, json.loads(line)))
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def _manifest(meta: dict[str, Any], name: str) -> Manifest:
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise BackupError(f"{name} is not an RPSEE backup (format {FORMAT} expected).")
    manifest = Manifest(meta["revision"], meta["created_at"], meta["source"], meta["rows"],
                        meta["sha256"])  # fmt: skip
    if manifest.to_json()["checksum"] != meta.get("checksum"):
        raise BackupError(f"{name}: the manifest does not match its checksum (the file is "
                          "damaged or was edited).")  # fmt: skip
    missing = sorted({t.name for t in tables()} - set(manifest.rows))
    if missing:
        raise BackupError(f"{name} lacks tables {missing}: it was written by another version.")
    return manifest


def restore(url: str, path: Path, force: bool = False) -> Manifest:
    """Replace every table's rows with the file's, in one transaction: all of it or nothing.
    Refuses a file of another schema revision, a damaged file, and a non-empty database
    unless `force`. Records the restore in the audit trail."""
    manifest = check(path)
    if manifest.revision != head_revision(url):
        raise BackupError(f"{path.name} is of schema revision {manifest.revision}, this version "
                          f"of RPSEE has {head_revision(url)}: restore it with the version that "
                          "wrote it.")  # fmt: skip
    upgrade(url)  # an empty database gets the schema first
    try:
        with _opened(path) as zf:
            _replace(url, path, manifest, zf, force)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise BackupError(f"{path.name} could not be restored ({reason}).") from None
    return manifest


def _replace(url: str, path: Path, manifest: Manifest, zf: zipfile.ZipFile,
             force: bool) -> None:  # fmt: skip
    """The restore's one transaction."""
    with _connection(url, write=True) as conn:
        revision = _revision(conn)
        if revision != manifest.revision:
            raise BackupError(f"{path.name} is of schema revision {manifest.revision}, the "
                              f"database of {revision}.")  # fmt: skip
        postgres = conn.dialect.name == "postgresql"
        filled = [t.name for t in tables() if conn.scalar(select(func.count()).select_from(t))]
        if filled and not force:
            shown = ", ".join(filled[:5]) + (", ..." if len(filled) > 5 else "")
            raise BackupError(f"The database is not empty ({shown}): restore --force "
                              "replaces everything.")  # fmt: skip
        # The restore's own audit entry comes after every id the database had before, so the
        # newest entry (the app's cache key, programme.data_version) never repeats.
        last_id = conn.scalar(select(func.max(AuditEntryRow.id))) or 0
        for table in reversed(tables()):
            conn.execute(table.delete())
        for table in tables():
            for batch in _batches(zf, table):
                conn.execute(table.insert(), batch)
        last_id = max(last_id, conn.scalar(select(func.max(AuditEntryRow.id))) or 0)
        conn.execute(insert(AuditEntryRow).values(
            id=last_id + 1, at=utcnow(), actor="system", action="backup_restore",
            entity="database", entity_id=path.name[:120], old_values=None,
            new_values=json.dumps({"created_at": manifest.created_at, "source": manifest.source,
                                   "rows": manifest.total_rows, "replaced": filled},
                                  sort_keys=True)))  # fmt: skip
        if postgres:
            _reset_sequences(conn)


def _reset_sequences(conn: Connection) -> None:
    """After rows were inserted with their ids, new rows must get the next free id."""
    quote = conn.dialect.identifier_preparer.quote
    for table in tables():
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, Integer):
            continue
        name, column = quote(table.name), quote(key[0].name)
        sequence = conn.exec_driver_sql(
            f"SELECT pg_get_serial_sequence('{name}', '{key[0].name}')").scalar()  # fmt: skip
        if sequence:
            conn.exec_driver_sql(f"SELECT setval('{sequence}', COALESCE(MAX({column}), 1), "
                                 f"MAX({column}) IS NOT NULL) FROM {name}")  # fmt: skip


def describe(manifest: Manifest) -> str:
    m = manifest
    return (f"{m.total_rows:,} rows in {len(m.rows)} tables, schema {m.revision}, "
            f"written {m.created_at} from {m.source}")  # fmt: skip
