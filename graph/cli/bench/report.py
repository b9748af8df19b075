"""What the benchmark prints: the machine, the commit, the command line, then one row per
operation and worker count."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path

from graph.cli.bench.operations import Operation
from graph.cli.bench.wrk import WrkResult

REPOSITORY = Path(__file__).resolve().parents[3]
COLUMNS = ("operation (client)", "workers", "req/s", "p50 ms", "p99 ms", "CPU ms/req", "SQL/req",
           "errors")


@dataclass(frozen=True)
class Row:
    """One operation measured at one worker count."""

    operation: Operation
    workers: int
    result: WrkResult
    statements: list[int]  # of each request the server logged during the run
    cpu_ms: float | None = None  # the server's CPU time per logged request
    rows: int = 1  # rows per request (a batch write's batch size)

    def throughput(self) -> str | None:
        """A batch write's rows per second, on the clock and per second of server CPU."""
        if not self.operation.is_write:
            return None
        per_cpu = f"{self.rows * 1000 / self.cpu_ms:.0f}" if self.cpu_ms else "?"
        return (f"batch writes, {self.operation.key} with {self.workers} worker(s): "
                f"{self.result.rate * self.rows:.0f} rows/s, {per_cpu} rows per server CPU "
                f"second (batches of {self.rows})")

    def statements_per_request(self) -> str:
        """The exact count when every request sent the same number, else the range and mean."""
        if not self.statements:
            return "?"
        low, high = min(self.statements), max(self.statements)
        if low == high:
            return str(low)
        return f"{low}-{high} (~{sum(self.statements) / len(self.statements):.2f})"

    def cells(self) -> tuple[str, ...]:
        result = self.result
        errors = str(result.errors)
        if result.errors:
            errors += (f" (http {result.http_errors}, graphql {result.graphql_errors}, "
                       f"socket {result.socket_errors})")
        return (f"{self.operation.key} ({self.operation.audience})", str(self.workers),
                f"{result.rate:.1f}", f"{result.p50_ms:.1f}", f"{result.p99_ms:.1f}",
                "?" if self.cpu_ms is None else f"{self.cpu_ms:.1f}",
                self.statements_per_request(), errors)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine(usable: int) -> str:
    """The CPU, its cores (and how many this process may use), the system and Python."""
    return (f"{cpu_model()}, {os.cpu_count()} cores ({usable} usable), {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def commit() -> str:
    """The checkout's commit (with `+changes` when the tree differs), or `unknown` when the
    package is not run from a git checkout."""
    try:
        head = _git("rev-parse", "--short=12", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return head + (" +changes" if dirty else "")


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPOSITORY), *args], capture_output=True,
                          text=True, check=True, timeout=10).stdout.strip()


def table(rows: list[Row]) -> str:
    """The rows aligned, then the throughput of each worker count against the first."""
    cells = [COLUMNS, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(value.ljust(width) if i == 0 else value.rjust(width)
                       for i, (value, width) in enumerate(zip(line, widths, strict=True)))
             for line in cells]
    writes = [line for row in rows if (line := row.throughput()) is not None]
    return "\n".join([*lines, *_ratios(rows), *([""] + writes if writes else [])])


def _ratios(rows: list[Row]) -> list[str]:
    counts = sorted({row.workers for row in rows})
    if len(counts) < 2:
        return []
    base = {row.operation.key: row.result.rate for row in rows if row.workers == counts[0]}
    lines = [""]
    for count in counts[1:]:
        ratios = [f"{row.operation.key} x{row.result.rate / base[row.operation.key]:.2f}"
                  for row in rows if row.workers == count and base.get(row.operation.key)]
        lines.append(f"throughput of {count} workers against {counts[0]}: {', '.join(ratios)}")
    return lines
