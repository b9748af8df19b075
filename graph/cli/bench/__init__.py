"""`integrity bench`: the load benchmark of the client operations (issue 13, deliverable 2).

It starts the service as operators run it (`integrity serve` in a subprocess, one worker per
core it is pinned to) on the database of the command (DATABASE_URL, or the embedded server of
--data-dir), puts wrk and the embedded PostgreSQL on the other core(s), and drives each
operation for a fixed time with wrk: a fixed document, variables rotating over subjects read
from the database, each client a `bench-<audience>` client with a fresh key. The batch writes
(`report`, `register`) are driven instead by a Python process of the same placement
(`graph.cli.bench.writes`), batches of fresh rows at a low concurrency. It prints per
operation the requests per second, p50 and p99 latency, the exact SQL statements per request
(from the server's own request log lines) and the errors (non-2xx answers, GraphQL errors in
200 answers, socket errors), with the machine, the commit and the command line.

It writes what the operations write (audit rows, restriction checks): run it on a benchmark
database, never on production.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from domains.core import clock
from domains.core.db import make_engine, make_sessionmaker
from domains.core.settings import Settings
from graph.cli.bench import fixture, report, server, writes, wrk
from graph.cli.bench.operations import Operation, SubjectKind
from graph.cli.runtime import FAILED, CommandError, open_database, say

SETTLE_SECONDS = 0.5  # for the server to log the last answers before its log is read


@dataclass(frozen=True)
class BenchOptions:
    duration: int
    warmup: int
    connections: int
    workers: tuple[int, ...]
    operations: tuple[Operation, ...]
    subjects: int
    port: int | None
    command_line: str
    batch: int = 1000  # rows per request of a batch write
    write_connections: int = 2  # batches under way at once


@dataclass(frozen=True)
class Run:
    """One worker count's server and where everything runs."""

    served: server.Server
    placement: server.Placement
    workers: int
    folder: Path


def run_bench(settings: Settings, options: BenchOptions) -> int:
    """Measure every operation at every worker count; print the table (stdout)."""
    wrk.wrk_path()  # a missing wrk is refused before anything starts
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per probe is noise here
    cores = server.usable_cores()
    if len(cores) > 1:
        server.check_taskset()
        # the embedded PostgreSQL started below inherits this process's cores
        os.sched_setaffinity(0, server.placement(cores, min(options.workers)).others or cores)
    try:
        url = open_database(settings)
        prepared = asyncio.run(_prepare(url, options))
        print(_header(settings, options, prepared, cores), flush=True)
        rows: list[report.Row] = []
        with tempfile.TemporaryDirectory(prefix="integrity-bench-") as folder:
            for workers in options.workers:
                rows += _measure(settings, options, prepared, cores, workers, Path(folder))
        print(report.table(rows), flush=True)
        return 0
    finally:
        if settings.embedded:
            from graph.cli.serve import stop_embedded

            stop_embedded(settings)


async def _prepare(url: str, options: BenchOptions) -> fixture.Fixture:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session:
            return await fixture.prepare(session, options.operations, options.subjects)
    finally:
        await engine.dispose()


def _header(settings: Settings, options: BenchOptions, prepared: fixture.Fixture,
            cores: list[int]) -> str:
    database = ("DATABASE_URL (its server is not pinned: give it other cores than the "
                "server's)" if not settings.embedded else
                f"embedded PostgreSQL in {settings.data_dir / 'pg'}")
    placements = "; ".join(
        f"{workers} worker(s): {server.placement(cores, workers).describe(settings.embedded)}"
        for workers in options.workers)
    used = [kind for kind in SubjectKind
            if any(operation.subject is kind for operation in options.operations)]
    rotated = ", ".join(f"{len(prepared.subjects[kind])} {kind.value}s" for kind in used)
    return "\n".join([
        f"integrity bench: {options.duration} s per operation after a {options.warmup} s "
        f"warm-up, {options.connections} connections (wrk -t1), workers "
        f"{', '.join(map(str, options.workers))}",
        f"machine: {report.machine(len(cores))}",
        f"commit: {report.commit()}",
        f"command: {options.command_line}",
        f"database: {database}",
        f"data: {prepared.units} units, {prepared.civil_servants} civil servants; variables "
        f"rotate over {rotated}",
        f"placement: {placements}",
        "figures are noisy on a shared machine: compare runs made the same way",
        ""])


def _measure(settings: Settings, options: BenchOptions, prepared: fixture.Fixture,
             cores: list[int], workers: int, folder: Path) -> list[report.Row]:
    place = server.placement(cores, workers)
    say(f"starting `integrity serve --workers {workers}` "
        f"({place.describe(settings.embedded)}) ...")
    served = server.start(settings.data_dir, workers, options.port or server.free_port(),
                          place.server, folder / f"serve-{workers}.log")
    try:
        if settings.embedded:
            pinned = server.pin_database(settings.data_dir, place.others)
            say(f"the embedded PostgreSQL is {pinned}")
        run = Run(served, place, workers, folder)
        return [_operation(run, options, prepared, operation)
                for operation in options.operations]
    finally:
        served.stop()


def _operation(run: Run, options: BenchOptions, prepared: fixture.Fixture,
               operation: Operation) -> report.Row:
    key = prepared.keys[operation.audience]
    subjects = (prepared.write_units if operation.is_write
                else prepared.subjects[operation.subject])
    drive = _writes if operation.is_write else _wrk
    stamp = time.strftime("%Y%m%dT%H%M%S")
    if operation.is_write:
        _write_preflight(run.served.url, operation, key, subjects, f"{stamp}-w{run.workers}")
    else:
        _preflight(run.served.url, operation, key, subjects[0])
    if options.warmup:
        say(f"{operation.key}: warming up for {options.warmup} s ...")
        drive(run, options, operation, key, subjects, f"{stamp}-w{run.workers}-warm",
              options.warmup)
    since, cpu = run.served.log_size(), run.served.cpu_seconds()
    connections = options.write_connections if operation.is_write else options.connections
    say(f"{operation.key}: {options.duration} s at {connections} connections ...")
    result = drive(run, options, operation, key, subjects, f"{stamp}-w{run.workers}",
                   options.duration)
    time.sleep(SETTLE_SECONDS)
    statements = run.served.statements(since, operation.name)
    cpu_ms = (run.served.cpu_seconds() - cpu) * 1000 / len(statements) if statements else None
    return report.Row(operation, run.workers, result, statements, cpu_ms,
                      rows=options.batch if operation.is_write else 1)


def _writes(run: Run, options: BenchOptions, operation: Operation, key: str,
            subjects: list[str], run_id: str, seconds: int) -> wrk.WrkResult:
    config = writes.write_config(run.folder, writes.DriverConfig(
        url=run.served.url, key=key, operation=operation.key, subjects=subjects, run_id=run_id,
        batch=options.batch, connections=options.write_connections, seconds=seconds,
        today=clock.today().isoformat()))
    return writes.run_driver(writes.driver_command(config, run.placement.others), seconds)


def _write_preflight(url: str, operation: Operation, key: str, subjects: list[str],
                     run_id: str) -> None:
    """One row before the load: a batch refused for its content would measure only the
    refusal (fresh keys: `preflight` is in the run's refs, never in a measured batch's)."""
    rows = writes.build_rows(operation, subjects, f"{run_id}-preflight", 1, clock.today())
    response = httpx.post(f"{url}/graphql", content=writes.request_body(operation, rows),
                          timeout=60, headers={"Authorization": f"Bearer {key}",
                                               "Content-Type": "application/json"})
    problem = answer_problem(response.status_code, response.text)
    if problem:
        raise CommandError(f"`{operation.key}` does not answer as it should: {problem}", FAILED)


def _wrk(run: Run, options: BenchOptions, operation: Operation, key: str, subjects: list[str],
         run_id: str, seconds: int) -> wrk.WrkResult:
    script = wrk.write_script(run.folder, operation, key=key, subjects=subjects, run_id=run_id)
    command = wrk.wrk_command(script, f"{run.served.url}/graphql",
                              connections=options.connections, seconds=seconds,
                              cores=run.placement.others)
    return wrk.run_wrk(command, seconds)


def _preflight(url: str, operation: Operation, key: str, subject: str) -> None:
    """One request before the load: an operation that fails or finds nothing would measure
    only the cost of failing."""
    body = wrk.request_body(operation, subject, operation.unique_ref).replace(
        wrk.REF_MARK, f"bench-preflight-{uuid.uuid4().hex[:12]}")
    response = httpx.post(f"{url}/graphql", content=body, timeout=60,
                          headers={"Authorization": f"Bearer {key}",
                                   "Content-Type": "application/json"})
    problem = answer_problem(response.status_code, response.text)
    if problem:
        raise CommandError(f"`{operation.key}` does not answer as it should for {subject}: "
                           f"{problem}", FAILED)


def answer_problem(status: int, text: str) -> str | None:
    """What is wrong with an answer: an HTTP error, a GraphQL error, a payload error or a
    subject not found (a null field); None when it is a full answer."""
    if status != 200:
        return f"HTTP {status}: {text[:200]}"
    answer = json.loads(text)
    if answer.get("errors"):
        return f"GraphQL error: {answer['errors'][0].get('message')}"
    data: dict[str, Any] = answer.get("data") or {}
    for field, value in data.items():
        if value is None:
            return f"{field} is null (not found or not visible to this client)"
        if isinstance(value, dict) and value.get("errors"):
            return f"{field} errors: {value['errors']}"
    return None
