"""Two app processes preparing one fresh PostgreSQL database at the same moment (two replicas
started together, as deploy/compose.yaml may do): both succeed and the database holds the demo
once. Before the preparation was serialised, one of them failed on a duplicate envelope year or
a demo indicator entry "that would count twice" (seen in tests/e2e/test_e2e_replicas.py)."""

from __future__ import annotations

import multiprocessing as mp
import os

import pytest


def _prepare(url: str, start, out) -> None:  # noqa: ANN001
    os.environ.pop("RPSEE_MODE", None)  # demo: the most there is to prepare
    from rpsee.services.bootstrap import prepare

    start.wait(timeout=60)
    try:
        prepare(url)
        out.put("prepared")
    except Exception as exc:  # noqa: BLE001  (reported to the test)
        out.put(f"escaped {type(exc).__name__}: {str(exc).splitlines()[0]}")


def _counts(url: str) -> tuple[int, int, int]:
    from sqlalchemy import text

    from rpsee.store.db import engine_for

    with engine_for(url).connect() as conn:
        return tuple(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                     for table in ("envelope_year", "workplan", "app_user"))  # fmt: skip


@pytest.mark.postgres
@pytest.mark.parametrize("round_no", [1, 2])
def test_two_processes_prepare_a_fresh_database_at_once(pg_url: str, round_no: int) -> None:
    ctx = mp.get_context("spawn")
    start, out = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_prepare, args=(pg_url, start, out)) for _ in range(2)]
    for p in procs:
        p.start()
    results = sorted(out.get(timeout=300) for _ in procs)
    for p in procs:
        p.join(timeout=30)
    assert results == ["prepared", "prepared"], results
    from rpsee.services.bootstrap import prepare

    before = _counts(pg_url)
    prepare(pg_url)  # a third start finds nothing to do
    assert _counts(pg_url) == before
