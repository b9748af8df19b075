"""What one request of a bench operation costs the server in Python (not a test):
`python -m tests.request_cost --data-dir DIR personnel,check`.

On the database of `integrity bench --data-dir DIR` (its embedded PostgreSQL, started here and
stopped at the end), the app of `create_app` answers the bench's documents
(graph/cli/bench/operations.py) as the bench's `bench-<audience>` clients, one request at a
time through httpx's ASGI transport, the variables rotating over the subjects: after a warm-up,
the CPU time of this process per request over `--requests`, then the Python function calls per
request (cProfile) over `--profiled`. The call count is exact and does not move with the load of
a shared machine, so it is the figure to compare two trees with (run it with PYTHONPATH and the
working directory of each); the CPU time includes the client's side.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import pstats
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from domains.core.db import make_engine, make_sessionmaker
from domains.core.settings import Settings, id_secret
from graph.app import create_app, tune_garbage_collector
from graph.cli.bench import fixture
from graph.cli.bench.operations import READS, Operation, SubjectKind
from graph.cli.runtime import open_database

OPERATIONS = {operation.key: operation for operation in READS}


class Caller:
    """Sends one operation's document, its variables rotating over the subjects."""

    def __init__(self, http: httpx.AsyncClient, operation: Operation,
                 found: fixture.Fixture) -> None:
        self.http, self.operation = http, operation
        self.subjects = found.subjects[operation.subject]
        self.key = found.keys[operation.audience]
        self.sent = 0

    async def send(self) -> None:
        self.sent += 1
        subject = self.subjects[self.sent % len(self.subjects)]
        name = "id" if self.operation.subject is SubjectKind.CIVIL_SERVANT else "uscc"
        variables: dict[str, Any] = {name: subject}
        if "$ref" in self.operation.document:
            variables["ref"] = f"request-cost-{uuid.uuid4().hex}"
        response = await self.http.post(
            "/graphql", json={"query": self.operation.document, "variables": variables},
            headers={"Authorization": f"Bearer {self.key}"})
        body = response.json()
        if response.status_code != 200 or "errors" in body:
            raise SystemExit(f"{self.operation.key}: {response.status_code} {response.text}")


async def measure(caller: Caller, warmup: int, requests: int,
                  profiled: int) -> tuple[float, float]:
    """(CPU ms per request, Python calls per request)."""
    for _ in range(warmup):
        await caller.send()
    started = time.process_time()
    for _ in range(requests):
        await caller.send()
    cpu_ms = (time.process_time() - started) * 1000 / requests
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(profiled):
        await caller.send()
    profile.disable()
    calls: int = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    return cpu_ms, calls / profiled


async def main(engine: AsyncEngine, settings: Settings, options: argparse.Namespace) -> None:
    operations = tuple(OPERATIONS[key] for key in options.operations.split(","))
    async with make_sessionmaker(engine)() as session:
        found = await fixture.prepare(session, operations, 1000)
    app = create_app(make_sessionmaker(engine), id_secret=id_secret(settings))
    tune_garbage_collector()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://request-cost") as http:
        for operation in operations:
            cpu_ms, calls = await measure(Caller(http, operation, found), options.warmup,
                                          options.requests, options.profiled)
            print(f"{operation.key:16s} CPU {cpu_ms:6.2f} ms/request  "
                  f"{calls:8.0f} Python calls/request", flush=True)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.request_cost", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("operations", help=f"comma-separated, of: {', '.join(OPERATIONS)}")
    parser.add_argument("--data-dir", required=True, help="the data folder of the bench")
    parser.add_argument("--warmup", type=int, default=60)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profiled", type=int, default=60)
    return parser.parse_args()


Main = Callable[[AsyncEngine, Settings, argparse.Namespace], Awaitable[None]]


def run(options: argparse.Namespace, measure_with: Main = main) -> None:
    """`measure_with` on the database of `--data-dir` (the bench's; its embedded PostgreSQL
    started here and stopped at the end), without request log lines (not measured here).
    tests.write_cost runs its own measurement through this too."""
    logging.disable(logging.CRITICAL)
    settings = Settings.from_env(options.data_dir)
    url = open_database(settings)
    engine = make_engine(url)
    try:
        asyncio.run(_then_dispose(measure_with(engine, settings, options), engine))
    finally:
        if settings.embedded:
            from graph.cli.serve import stop_embedded

            stop_embedded(settings)


async def _then_dispose(measuring: Awaitable[None], engine: AsyncEngine) -> None:
    try:
        await measuring
    finally:
        await engine.dispose()


if __name__ == "__main__":
    run(arguments())
