"""What the fixed stack serves at best on this machine, without this service (not a test):
`python -m tests.stack_ceiling --data-dir DIR`.

Issue 13 asks for 1,000 requests/s per server core. This script measures the ceiling of the
stack the project must use (uvicorn on uvloop and httptools, strawberry on graphql-core with
its parser and validation caches, asyncpg on PostgreSQL) under the bench's conditions (server
pinned to core 0, wrk at concurrency 16 and the embedded PostgreSQL on core 1), for apps that
do a small, fixed part of what one read of the service does and nothing else: no
authentication, no rule, no permission, no request log, no metrics.

  asgi          a bare ASGI app answering a fixed JSON body: uvicorn's own ceiling
  asgi+sql      the same, after one SELECT of a unit by USCC (asyncpg, prepared, pooled)
  asgi+audit    the same in a transaction with an audit-like INSERT, COMMITted before the
                answer (the service's read: BEGIN, SELECT, INSERT, COMMIT)
  gql           strawberry's ASGI app, `{ hello }`, resolver returning a constant
  gql+sql       strawberry, `unit(uscc) { uscc name }`, one SELECT
  gql+audit     strawberry, the same in a transaction with the audit INSERT and COMMIT

Each app is started as `python -m tests.stack_ceiling serve APP --port P --dsn DSN`, pinned
with taskset like `integrity bench`'s server. The audit-like rows go into a table of this
script's own (`stack_ceiling_audit`), created for the run and dropped after it.

`python -m tests.stack_ceiling --nested` measures the floor of the nested read instead (issue
13: under 100 ms for tests/benchmark.py's query over 50 units): strawberry executing that
query's shape (50 units x 6 people, 10 records each, their history and objections: the same
fields, connections included) over plain objects in memory, with its caches: no database, no
loader, no permission, no HTTP; once with strawberry's executor, once with the service's
(graph.execution: plain leaves answered directly). What it prints is spent before any of the
service's work.
"""

from __future__ import annotations

import argparse
import asyncio
import enum
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import strawberry
import uvicorn
import uvloop
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.types import Info

APPS = ("asgi", "asgi+sql", "asgi+audit", "gql", "gql+sql", "gql+audit")
AUDIT_TABLE = "stack_ceiling_audit"
SELECT = "SELECT uscc, name FROM subject_unit WHERE uscc = $1"
INSERT = f"INSERT INTO {AUDIT_TABLE} (client, uscc) VALUES ($1, $2)"
HELLO = "{ hello }"
UNIT = "query Unit($uscc: String!) { unit(uscc: $uscc) { uscc name } }"
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

LUA = """\
local bodies = {
%s
}
local position = 0
errors = 0
function request()
  position = position %% #bodies + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[position])
end
function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then errors = errors + 1 end
end
function done(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), errors))
end
"""


# --- the apps (run in the pinned server process) ----------------------------------------------

class Unit:
    pool: asyncpg.Pool | None = None
    audited: bool = False

    @classmethod
    async def read(cls, uscc: str) -> asyncpg.Record | None:
        assert cls.pool is not None
        async with cls.pool.acquire() as connection:
            if not cls.audited:
                return await connection.fetchrow(SELECT, uscc)
            async with connection.transaction():
                row = await connection.fetchrow(SELECT, uscc)
                await connection.execute(INSERT, "stack-ceiling", uscc)
                return row


@strawberry.type
class UnitType:
    uscc: str
    name: str


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"

    @strawberry.field
    async def unit(self, info: Info, uscc: str) -> UnitType | None:
        row = await Unit.read(uscc)
        return None if row is None else UnitType(uscc=row["uscc"], name=row["name"])


def _asgi(with_sql: bool) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        answer: dict[str, Any] = {"data": {"hello": "world"}}
        if with_sql:
            uscc = json.loads(body)["variables"]["uscc"]
            row = await Unit.read(uscc)
            answer = {"data": {"unit": None if row is None else dict(row)}}
        payload = json.dumps(answer, ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.body", "body": payload})
    return app


def _serve(app_name: str, port: int, dsn: str) -> None:
    Unit.audited = app_name.endswith("+audit")
    if app_name.startswith("gql"):
        schema = strawberry.Schema(Query, extensions=[lambda: ParserCache(maxsize=256),
                                                      lambda: ValidationCache(maxsize=256)])
        app: Any = GraphQL(schema)
    else:
        app = _asgi(with_sql=app_name != "asgi")

    async def main() -> None:
        if app_name not in ("asgi", "gql"):
            Unit.pool = await asyncpg.create_pool(dsn, min_size=16, max_size=16)
        config = uvicorn.Config(app, port=port, loop="uvloop", http="httptools",
                                log_level="warning", access_log=False, lifespan="off")
        await uvicorn.Server(config).serve()

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(main())


# --- the nested read's floor -----------------------------------------------------------------

@strawberry.enum
class Kind(enum.Enum):
    REPORTED = "REPORTED"
    NOTIFIED = "NOTIFIED"
    OBJECTION_FILED = "OBJECTION_FILED"


@strawberry.enum
class Status(enum.Enum):
    ACTIVE = "ACTIVE"
    UNDER_OBJECTION = "UNDER_OBJECTION"


@strawberry.type
class Event:
    kind: Kind
    at: datetime


@strawberry.type
class Objection:
    due_on: date


@strawberry.type
class Decider:
    name: str


@strawberry.type
class Record:
    title: str
    status: Status
    decided_by: Decider | None
    history: list[Event]
    objections: list[Objection]


@strawberry.type
class RecordEdge:
    node: Record


@strawberry.type
class RecordConnection:
    total_count: int
    edges: list[RecordEdge]


@strawberry.type
class File:
    active_dishonest_count: int
    trustworthy_count: int
    records: RecordConnection


@strawberry.type
class Person:
    display_name: str
    credit_file: File


@strawberry.type
class PersonEdge:
    node: Person


@strawberry.type
class PersonConnection:
    edges: list[PersonEdge]


@strawberry.type
class UnitNode:
    name: str
    civil_servants: PersonConnection
    credit_file: File


@strawberry.type
class UnitEdge:
    node: UnitNode


@strawberry.type
class UnitConnection:
    total_count: int
    edges: list[UnitEdge]


def _file(records: int, decider: Decider) -> File:
    rows = []
    for k in range(records):
        at = datetime(2026, 1, 1, 9, tzinfo=UTC) + timedelta(days=7 * k)
        history = [Event(kind=Kind.REPORTED, at=at), Event(kind=Kind.NOTIFIED, at=at)]
        objections = []
        if k % 5 == 4:
            history.append(Event(kind=Kind.OBJECTION_FILED, at=at + timedelta(hours=2)))
            objections.append(Objection(due_on=at.date() + timedelta(days=9)))
        status = Status.UNDER_OBJECTION if objections else Status.ACTIVE
        rows.append(RecordEdge(node=Record(title=f"记录{k}", status=status, decided_by=decider,
                                           history=history, objections=objections)))
    return File(active_dishonest_count=records, trustworthy_count=0,
                records=RecordConnection(total_count=records, edges=rows))


def _units(count: int, people: int, records: int) -> UnitConnection:
    decider = Decider(name="单位001")
    units = [UnitEdge(node=UnitNode(
        name=f"单位{n + 1:03d}", credit_file=_file(records, decider),
        civil_servants=PersonConnection(edges=[
            PersonEdge(node=Person(display_name=f"人员{n}-{k}",
                                   credit_file=_file(records, decider)))
            for k in range(people)]))) for n in range(count)]
    return UnitConnection(total_count=count, edges=units)


def nested_floor(runs: int) -> None:
    """tests/benchmark.py's query over 50 units x 6 people x 10 records (3,500 records)."""
    from graph.execution import LeafExecutionContext
    from tests.benchmark import QUERY

    data = _units(50, 6, 10)

    @strawberry.type
    class NestedQuery:
        @strawberry.field
        def units(self, first: int) -> UnitConnection:
            return UnitConnection(total_count=data.total_count, edges=data.edges[:first])

    for executor in (None, LeafExecutionContext):
        schema = strawberry.Schema(
            NestedQuery, execution_context_class=executor,
            extensions=[lambda: ParserCache(maxsize=256), lambda: ValidationCache(maxsize=256)])
        times = _nested_times(schema, QUERY, runs)
        name = "strawberry's executor" if executor is None else "with graph.execution's leaves"
        print(f"nested read's shape in memory, {name}: median {statistics.median(times):.1f} "
              f"ms, best {times[0]:.1f} ms over {runs} runs", flush=True)


def _nested_times(schema: strawberry.Schema, query: str, runs: int) -> list[float]:
    from graph.app import tune_garbage_collector

    async def once() -> float:
        started = time.perf_counter()
        result = await schema.execute(query, variable_values={"n": 50})
        elapsed = (time.perf_counter() - started) * 1000
        assert result.errors is None and result.data is not None
        return elapsed

    async def main() -> list[float]:
        await once()
        tune_garbage_collector()  # as `integrity serve` and tests/benchmark.py do
        return sorted([await once() for _ in range(runs)])

    return asyncio.run(main())


# --- the driver ------------------------------------------------------------------------------

def _bodies(app_name: str, usccs: list[str]) -> list[str]:
    if app_name in ("asgi", "gql"):
        return [json.dumps({"query": HELLO})]
    return [json.dumps({"query": UNIT, "variables": {"uscc": uscc}}) for uscc in usccs]


def _cpu_seconds(pid: int) -> float:
    fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(app_name: str, dsn: str, usccs: list[str], options: argparse.Namespace,
             folder: Path) -> str:
    from graph.cli.bench.server import free_port

    port = free_port()
    server = subprocess.Popen(
        ["taskset", "-c", "0", sys.executable, "-m", "tests.stack_ceiling", "serve", app_name,
         "--port", str(port), "--dsn", dsn])
    try:
        url = f"http://127.0.0.1:{port}/graphql"
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = httpx.post(url, content=_bodies(app_name, usccs)[0],
                                    headers={"content-type": "application/json"})
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"{app_name}: the server did not start") from None
                time.sleep(0.2)
        if answer.status_code != 200 or "errors" in answer.json():
            raise SystemExit(f"{app_name}: {answer.status_code} {answer.text}")
        script = folder / f"{app_name}.lua"
        script.write_text(LUA % ",\n".join(f"[==[{body}]==]"
                                           for body in _bodies(app_name, usccs)))
        wrk = [shutil.which("taskset") or "taskset", "-c", "1", shutil.which("wrk") or "wrk",
               "-t1", f"-c{options.connections}", "-s", str(script), url]
        subprocess.run([*wrk, "-d2s"], capture_output=True, check=True)  # warm-up
        cpu = _cpu_seconds(server.pid)
        run = subprocess.run([*wrk, f"-d{options.duration}s", "--latency"],
                             capture_output=True, text=True, check=True)
        cpu = _cpu_seconds(server.pid) - cpu
    finally:
        server.terminate()
        server.wait(timeout=30)
    line = next(line for line in run.stdout.splitlines() if line.startswith("RESULT "))
    requests, micros, p50, p99, errors = (int(value) for value in line.split()[1:])
    rate = requests / (micros / 1e6)
    return (f"{app_name:12s} {rate:8.1f} {p50 / 1000:7.1f} {p99 / 1000:7.1f} "
            f"{cpu * 1000 / max(requests, 1):10.2f} {errors:6d}")


async def _prepare(dsn: str, count: int) -> list[str]:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(f"CREATE TABLE IF NOT EXISTS {AUDIT_TABLE} (id bigserial "
                                 "PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), "
                                 "client text NOT NULL, uscc text NOT NULL)")
        rows = await connection.fetch("SELECT uscc FROM subject_unit ORDER BY uscc LIMIT $1",
                                      count)
        return [row["uscc"] for row in rows]
    finally:
        await connection.close()


async def _drop(dsn: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(f"DROP TABLE IF EXISTS {AUDIT_TABLE}")
    finally:
        await connection.close()


def run(options: argparse.Namespace) -> None:
    from domains.core.settings import Settings
    from graph.cli.bench.server import pin_database
    from graph.cli.runtime import open_database
    from graph.cli.serve import stop_embedded

    settings = Settings.from_env(options.data_dir)
    url = open_database(settings)
    dsn = url.replace("postgresql+asyncpg://", "postgresql://", 1)
    try:
        print(f"database: {pin_database(settings.data_dir, [1])}; server on core 0, wrk on "
              f"core 1; {options.duration} s per app, {options.connections} connections",
              flush=True)
        usccs = asyncio.run(_prepare(dsn, 1000))
        print(f"{'app':12s} {'req/s':>8s} {'p50 ms':>7s} {'p99 ms':>7s} "
              f"{'CPU ms/req':>10s} {'errors':>6s}", flush=True)
        with tempfile.TemporaryDirectory(prefix="stack-ceiling-") as folder:
            for app_name in options.apps.split(","):
                print(_measure(app_name, dsn, usccs, options, Path(folder)), flush=True)
        asyncio.run(_drop(dsn))
    finally:
        if settings.embedded:
            stop_embedded(settings)


def main(argv: list[str]) -> None:
    if argv[:1] == ["serve"]:
        serve = argparse.ArgumentParser(prog="python -m tests.stack_ceiling serve")
        serve.add_argument("app", choices=APPS)
        serve.add_argument("--port", type=int, required=True)
        serve.add_argument("--dsn", required=True)
        given = serve.parse_args(argv[1:])
        _serve(given.app, given.port, given.dsn)
        return
    parser = argparse.ArgumentParser(
        prog="python -m tests.stack_ceiling", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir",
                        help="the data folder of a generated dataset (its units are read)")
    parser.add_argument("--nested", action="store_true",
                        help="measure the nested read's floor in memory instead (no database)")
    parser.add_argument("--runs", type=int, default=20, help="runs of the nested read")
    parser.add_argument("--apps", default=",".join(APPS),
                        help=f"comma-separated, of: {', '.join(APPS)}")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    options = parser.parse_args(argv)
    if options.nested:
        nested_floor(options.runs)
    elif options.data_dir is None:
        parser.error("--data-dir is needed, except with --nested")
    else:
        run(options)


if __name__ == "__main__":
    main(sys.argv[1:])
