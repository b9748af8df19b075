"""The driver of the batch writes (`report`, `register`): a Python process of its own, pinned
like wrk to the cores that are not the server's, that POSTs batches of fresh rows.

wrk's Lua would have to build a 1,000-row JSON body per request, which costs it more than the
server's answer is worth measuring against; this driver builds each batch with `json.dumps` from
a template (a few milliseconds, on the other core) and sends it with httpx at a low concurrency
(`--write-connections`, 2 by default). Every row is new (its sourceRef or code holds the run,
the connection and a counter), so every batch writes its rows and runs all the validation; the
subjects rotate over the units the benchmark read.

It counts errors as the Lua script does (non-2xx, a top-level `errors`, a payload's non-empty
`errors`; a transport failure is a socket error) and prints its figures as the same JSON result
line as wrk's script, so both are read by `wrk.parse_result`. The configuration, which holds the
client's key, is a mode-600 file in the benchmark's private temporary folder.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from graph.cli.bench.operations import REGISTER, REPORT, Operation
from graph.cli.bench.wrk import RESULT_MARK, WrkResult, parse_result
from graph.cli.runtime import FAILED, CommandError

REQUEST_TIMEOUT = 120.0  # a slow batch is measured, not dropped


@dataclass(frozen=True)
class DriverConfig:
    """What one run of the driver needs (written to a mode-600 file: it holds the key)."""

    url: str
    key: str
    operation: str  # the Operation's key
    subjects: list[str]  # unit USCCs
    run_id: str
    batch: int
    connections: int
    seconds: float
    today: str  # the server's today (ISO): decisions and signatures are a month before it


def build_rows(operation: Operation, subjects: list[str], prefix: str, batch: int,
               today: date) -> list[dict[str, Any]]:
    """`batch` rows no one has sent before (`prefix` is unique per run, connection and batch),
    each on the next unit in turn and decided or signed a month before `today`."""
    day = (today - timedelta(days=30)).isoformat()
    start = sum(map(ord, prefix)) % len(subjects)
    units = [subjects[(start + n) % len(subjects)] for n in range(batch)]
    if operation is REPORT:
        return [{"subject": {"uscc": unit}, "nature": "DISHONEST",
                 "category": "ADMINISTRATIVE_PENALTY", "severity": "GENERAL",
                 "domain": "PROCUREMENT", "title": "逾期验收（基准测试）",
                 "decisionNumber": f"BENCH-{n}", "decidedOn": day,
                 "decidedByUscc": subjects[(start + n + 1) % len(subjects)],
                 "disclosure": "GOVERNMENT_SHARED", "sourceSystem": "bench",
                 "sourceRef": f"{prefix}-{n}"} for n, unit in enumerate(units)]
    if operation is REGISTER:
        return [{"code": f"BENCH-{prefix}-{n}", "title": "办公设备（基准测试）",
                 "purchaserUscc": unit, "supplierName": "基准测试供应商有限公司",
                 "supplierIsSme": n % 2 == 0, "amount": f"{1000 + n}.00", "signedOn": day}
                for n, unit in enumerate(units)]
    raise ValueError(f"{operation.key} is not a batch write")


def request_body(operation: Operation, rows: list[dict[str, Any]]) -> bytes:
    return json.dumps({"query": operation.document, "operationName": operation.name,
                       "variables": {operation.variable: rows}}).encode()


def write_config(folder: Path, config: DriverConfig) -> Path:
    """The driver's configuration file (mode 600: it holds the client's key)."""
    path = folder / f"{config.operation}-{config.run_id}.json"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump(asdict(config), out)
    return path


def driver_command(config: Path, cores: list[int] | None) -> list[str]:
    pin = ["taskset", "-c", ",".join(map(str, cores))] if cores else []
    return [*pin, sys.executable, "-m", "graph.cli.bench.writes", str(config)]


def run_driver(command: list[str], seconds: float) -> WrkResult:
    """Run the driver and read its result line."""
    limit = seconds + 2 * REQUEST_TIMEOUT
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=limit,
                                  check=False)
    except subprocess.TimeoutExpired:
        raise CommandError(f"the writes driver did not finish within {limit:.0f} s",
                           FAILED) from None
    return parse_result(finished.stdout, finished.stderr, finished.returncode)


# ---------------------------------------------------------------- the driver process


@dataclass
class _Tally:
    latencies: list[float]
    graphql_errors: int = 0
    http_errors: int = 0
    socket_errors: int = 0


def answer_error(status: int, text: str) -> str | None:
    """"http" or "graphql" for an answer wrk's script would count as an error, else None."""
    if not 200 <= status <= 299:
        return "http"
    answer = json.loads(text)
    data = answer.get("data") or {}
    if answer.get("errors") or any(isinstance(value, dict) and value.get("errors")
                                   for value in data.values()):
        return "graphql"
    return None


async def _connection(client: httpx.AsyncClient, config: DriverConfig, operation: Operation,
                      number: int, deadline: float, tally: _Tally) -> None:
    """Send batches one after the other until the deadline (a batch under way is finished)."""
    sent, today = 0, date.fromisoformat(config.today)
    while time.monotonic() < deadline or sent == 0:
        sent += 1
        prefix = f"{config.run_id}-{number}-{sent}"
        body = request_body(operation, build_rows(operation, config.subjects, prefix,
                                                  config.batch, today))
        started = time.monotonic()
        try:
            response = await client.post("/graphql", content=body)
        except httpx.TransportError:
            tally.socket_errors += 1
            continue
        tally.latencies.append(time.monotonic() - started)
        kind = answer_error(response.status_code, response.text)
        if kind == "http":
            tally.http_errors += 1
        elif kind == "graphql":
            tally.graphql_errors += 1


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


async def drive(config: DriverConfig) -> dict[str, int]:
    """The figures of one run, in the units of wrk's result line (microseconds)."""
    operation = {REPORT.key: REPORT, REGISTER.key: REGISTER}[config.operation]
    tally = _Tally(latencies=[])
    headers = {"Authorization": f"Bearer {config.key}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=config.url, headers=headers,
                                 timeout=REQUEST_TIMEOUT) as client:
        started = time.monotonic()
        deadline = started + config.seconds
        await asyncio.gather(*(_connection(client, config, operation, number, deadline, tally)
                               for number in range(1, config.connections + 1)))
        duration = time.monotonic() - started
    return {"requests": len(tally.latencies), "duration_us": int(duration * 1e6),
            "p50_us": int(_percentile(tally.latencies, 0.50) * 1e6),
            "p99_us": int(_percentile(tally.latencies, 0.99) * 1e6),
            "graphql_errors": tally.graphql_errors, "http_errors": tally.http_errors,
            "socket_errors": tally.socket_errors}


def main(argv: list[str]) -> int:
    config = DriverConfig(**json.loads(Path(argv[1]).read_text(encoding="utf-8")))
    figures = asyncio.run(drive(config))
    print(RESULT_MARK + json.dumps(figures, separators=(",", ":")), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
