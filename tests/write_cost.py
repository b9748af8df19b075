"""What one batch write of the bench costs the server in Python (not a test):
`python -m tests.write_cost --data-dir DIR report` (or `register`).

The batch-write twin of `tests.request_cost`: on the database of `integrity bench --data-dir
DIR` (its embedded PostgreSQL, started here and stopped at the end), the app of `create_app`
answers the bench's batches (graph/cli/bench/writes.py: `--batch` fresh rows on the units the
bench writes to) as its `bench-<audience>` client, one batch at a time through httpx's ASGI
transport. Every body is built before the clock starts. Printed: the CPU time of this process
per batch over `--batches` after a warm-up, its wall time (PostgreSQL's share included), and
the Python function calls per batch (cProfile) over `--profiled`. The call count is exact and
does not move with the load of a shared machine; the CPU time includes httpx's side of the
ASGI call. Compare two trees by running each with its PYTHONPATH and working directory, in
turns. It writes rows, as the bench does: never run it on production data.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
import uuid

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from domains.core import clock
from domains.core.db import make_sessionmaker
from domains.core.settings import Settings, id_secret
from graph.app import create_app, tune_garbage_collector
from graph.cli.bench import fixture, writes
from graph.cli.bench.operations import WRITES, Operation
from tests.request_cost import run

OPERATIONS = {operation.key: operation for operation in WRITES}


async def send(http: httpx.AsyncClient, key: str, body: bytes) -> None:
    response = await http.post("/graphql", content=body, headers={
        "Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    answer = response.json()
    payload = next(iter((answer.get("data") or {}).values()), None) or {}
    if response.status_code != 200 or "errors" in answer or payload.get("errors"):
        raise SystemExit(f"{response.status_code} {response.text[:500]}")


async def main(engine: AsyncEngine, settings: Settings, options: argparse.Namespace) -> None:
    operation: Operation = OPERATIONS[options.operation]
    async with make_sessionmaker(engine)() as session:
        found = await fixture.prepare(session, (operation,), 1000)
    app = create_app(make_sessionmaker(engine), id_secret=id_secret(settings))
    tune_garbage_collector()
    run = uuid.uuid4().hex[:8]
    bodies = [writes.request_body(operation, writes.build_rows(
        operation, found.write_units, f"cost-{run}-{n}", options.batch, clock.today()))
        for n in range(options.warmup + options.batches + options.profiled)]
    key = found.keys[operation.audience]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://write-cost") as http:
        for body in bodies[:options.warmup]:
            await send(http, key, body)
        measured = bodies[options.warmup:options.warmup + options.batches]
        cpu, wall = time.process_time(), time.perf_counter()
        for body in measured:
            await send(http, key, body)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        profile = cProfile.Profile()
        profile.enable()
        for body in bodies[options.warmup + options.batches:]:
            await send(http, key, body)
        profile.disable()
    calls: int = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    print(f"{operation.key}: CPU {1000 * cpu / len(measured):6.1f} ms/batch  wall "
          f"{1000 * wall / len(measured):6.1f} ms/batch  "
          f"{calls / options.profiled:9.0f} Python calls/batch", flush=True)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.write_cost", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("operation", choices=sorted(OPERATIONS))
    parser.add_argument("--data-dir", required=True, help="the data folder of the bench")
    parser.add_argument("--batch", type=int, default=1000, help="rows per batch")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--profiled", type=int, default=2)
    return parser.parse_args()


if __name__ == "__main__":
    run(arguments(), main)
