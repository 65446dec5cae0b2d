"""Backup and restore, generated from the schema: a database where EVERY table has rows and every
column holds a value (the extremes of its type: the largest integers, microsecond times, a date,
quotes, line breaks and non-Latin text), backed up and restored into a fresh database of the
same engine, compares identical row by row, table by table. The rows are built by reading the
SQLAlchemy metadata, so a new table or column is covered by itself, and a column type the
generator does not know fails the test until it is taught (and the backup with it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    Time,
    create_engine,
    select,
)

from rpsee.domain.roles import SYSTEM
from rpsee.services import backup
from rpsee.store.db import dispose, engine_for
from rpsee.store.models import Base
from tests.conftest import _create_pg_database, _drop_pg_database, _prepared

ROWS = 2  # per table: one with every column at one extreme, one at the other (NULL if it may)
TEXT = "Zeile {i} – «quoted» \"twice\" 'once' \\ ; =SUM(A1)\n2nd line\tтаб 漢字 🙂"


def _text(i: int, length: int | None) -> str:
    value = f"{i}" + TEXT.format(i=i)
    return value[:length] if length else value


def _value(column: Column, i: int) -> Any:  # noqa: ANN401
    """The generated value of `column` in synthetic row `i` (0: maximal, 1: minimal)."""
    kind = column.type
    if isinstance(kind, BigInteger):
        return [2**63 - 1, -(2**63)][i]
    if isinstance(kind, Integer):  # a key one below the largest: the restore adds an entry
        return [2**31 - 1 - column.primary_key, -(2**31)][i]
    if isinstance(kind, Boolean):
        return [True, False][i]
    if isinstance(kind, DateTime):
        return [datetime(2029, 6, 30, 23, 59, 59, 999999), datetime(2024, 7, 1, 0, 0, 0, 1)][i]
    if isinstance(kind, Date):
        return [date(2029, 6, 30), date(2024, 7, 1)][i]
    if isinstance(kind, Time):
        return [time(23, 59, 59, 999999), time(0, 0)][i]
    if isinstance(kind, Float):
        return [1.5e300, -0.1][i]
    if isinstance(kind, Numeric):
        return [Decimal("99999999.99"), Decimal("-0.01")][i]
    if isinstance(kind, LargeBinary):
        return [bytes(range(256)), b""][i]
    if isinstance(kind, (String, Text)):
        return _text(i, getattr(kind, "length", None))
    pytest.fail(f"{column.table.name}.{column.name}: no generated value for the column type "
                f"{type(kind).__name__}; add one here, and to the backup's encoder if JSON "
                "does not hold it exactly")  # fmt: skip


def _rows(tables: list[Table]) -> dict[str, list[dict[str, Any]]]:
    """ROWS synthetic rows per table, parents first, foreign keys pointing at the parents'."""
    made: dict[str, list[dict[str, Any]]] = {}
    for table in tables:
        rows = []
        for i in range(ROWS):
            row: dict[str, Any] = {}
            for column in table.columns:
                fk = next(iter(column.foreign_keys), None)
                if fk is not None and fk.column.table is table:
                    row[column.name] = None if column.nullable else "?"  # set below
                elif fk is not None:
                    row[column.name] = made[fk.column.table.name][i][fk.column.name]
                elif i == 1 and column.nullable and not column.primary_key:
                    row[column.name] = None
                else:
                    row[column.name] = _value(column, i)
            rows.append(row)
        for column in table.columns:  # a row's own parent: the other synthetic row
            fk = next(iter(column.foreign_keys), None)
            if fk is not None and fk.column.table is table:
                rows[0][column.name] = rows[1][fk.column.name]
        made[table.name] = rows
    return made


def _dump(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: [tuple(r) for r in conn.execute(
                select(t).order_by(*(list(t.primary_key.columns) or list(t.columns))))]
                for t in Base.metadata.sorted_tables}  # fmt: skip
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def pair(request, tmp_path: Path) -> Iterator[tuple[str, str]]:  # noqa: ANN001
    """A source database and an empty target, on the same engine."""
    if request.param == "sqlite":
        urls = tuple(f"sqlite:///{tmp_path / name}.sqlite" for name in ("source", "target"))
        yield urls
        for url in urls:
            dispose(url)
        return
    request.getfixturevalue("pg_server")
    made = [_create_pg_database(), _create_pg_database()]
    try:
        yield made[0][1], made[1][1]
    finally:
        for name, url in made:
            _drop_pg_database(name, url)


def test_every_table_and_every_column_type_round_trips_identical(
        pair: tuple[str, str], tmp_path: Path) -> None:  # fmt: skip
    source, target = pair
    _prepared(source)  # the schema, reference data and accounts
    tables = list(Base.metadata.sorted_tables)
    rows = _rows(tables)
    with engine_for(source).begin() as conn:  # foreign keys checked on SQLite too
        for table in tables:
            for row in reversed(rows[table.name]):  # the row another points at goes in first
                conn.execute(table.insert(), row)

    before = _dump(source)
    empty = [name for name, rows in before.items() if not rows]
    assert not empty, f"tables without rows in the fixture: {empty}"
    for table in tables:  # every column holds a value somewhere: every type is exercised
        for i, column in enumerate(table.columns):
            assert any(r[i] is not None for r in before[table.name]), (table.name, column.name)
    kinds = {type(c.type) for t in tables for c in t.columns}
    assert {Date, DateTime, Boolean, BigInteger, Integer, String, Text} <= kinds

    path = tmp_path / "every-type.rpsee-backup"
    manifest = backup.backup(SYSTEM, path, url=source)
    assert manifest.rows == {name: len(rows) for name, rows in before.items()}
    backup.restore(SYSTEM, path, url=target)
    after = _dump(target)
    assert after.pop("audit_entry")[:-1] == before.pop("audit_entry")  # + the restore's entry
    for name, rows in before.items():
        assert after[name] == rows, name  # same values, same Python types
        assert [list(map(type, r)) for r in after[name]] == [list(map(type, r)) for r in rows]
