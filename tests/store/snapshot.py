"""For the hostile corpora: one prepared database per engine for a whole test module, the
whole database as rows (every table, every row) to compare before and after an attempt, and a
zip of given parts (a file that is a zip but not a workbook)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import MetaData, create_engine, select

from tests.conftest import _create_pg_database, _drop_pg_database, _prepared

Dump = dict[str, list[tuple]]


def dump(engine: Any, meta: MetaData) -> Dump:
    """Every row of every table, ordered by primary key."""
    out = {}
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            out[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
    return out


def reflected(url: str) -> tuple[Any, MetaData]:
    """An engine on `url` and every table there is (not only the models')."""
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    return engine, meta


@contextmanager
def module_database(request: Any, tmp_path_factory: Any, stem: str) -> Iterator[str]:
    """A database migrated, with reference data and demo users, on the engine `request.param`
    names (`sqlite` or `postgres`, skipped when unreachable); dropped afterwards."""
    from rpsee.store.db import dispose

    drop = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp(stem) / f'{stem}.sqlite'}"
    else:
        request.getfixturevalue("pg_server")
        name, url = _create_pg_database()
        drop = (name, url)
    try:
        yield _prepared(url)
    finally:
        dispose(url)
        if drop:
            _drop_pg_database(*drop)


def only_zip(names: dict[str, bytes]) -> bytes:
    """A zip file holding exactly these parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n, b in names.items():
            z.writestr(n, b)
    return out.getvalue()
