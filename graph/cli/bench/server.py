"""The service under test: `integrity serve` as a subprocess on cores of its own, and where
the load tool and the embedded PostgreSQL run instead.

The server's JSON log lines are kept in a file: each request's line carries its operation name
and the exact number of SQL statements it sent, which the table reports per operation.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from graph.cli.runtime import FAILED, CommandError, say

START_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0


@dataclass(frozen=True)
class Placement:
    """The cores of the server, and of wrk and the database; None: nothing pinned (one core)."""

    server: list[int] | None
    others: list[int] | None

    def describe(self, embedded: bool) -> str:
        database = " and the embedded PostgreSQL" if embedded else ""
        if self.server is None or self.others is None:
            return f"one core: server, wrk{database} share it (nothing pinned)"
        return f"server on core {_cores(self.server)}; wrk{database} on core {_cores(self.others)}"


def _cores(cores: list[int]) -> str:
    return ",".join(map(str, cores))


def usable_cores() -> list[int]:
    """The cores this process may use (read before the benchmark pins itself)."""
    return sorted(os.sched_getaffinity(0))


def placement(cores: list[int], workers: int) -> Placement:
    """One core per worker for the server, the rest for wrk and PostgreSQL; with as many
    workers as cores the server takes them all and the last core is shared."""
    if len(cores) < 2:
        return Placement(None, None)
    if workers < len(cores):
        return Placement(cores[:workers], cores[workers:])
    return Placement(cores, cores[-1:])


def check_taskset() -> None:
    if shutil.which("taskset") is None:
        raise CommandError("taskset is not installed (Debian: `apt-get install -y util-linux`)",
                           FAILED)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """A running `integrity serve` and the file its log lines go to."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def log_size(self) -> int:
        return self.log.stat().st_size

    def statements(self, since: int, operation: str) -> list[int]:
        """The statement counts of the operation's requests logged after byte `since`."""
        with self.log.open("rb") as lines:
            lines.seek(since)
            return [count for entry in map(_entry, lines)
                    if entry.get("operation") == operation
                    and isinstance(count := entry.get("statements"), int)]

    def cpu_seconds(self) -> float:
        """CPU time (user and system) the server's processes have used so far: what a request
        costs the server whatever else the machine is doing."""
        ticks = 0
        for pid in [self.process.pid, *_descendants(self.process.pid)]:
            fields = _stat(pid)
            if fields:
                ticks += int(fields[11]) + int(fields[12])  # utime and stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """SIGTERM, as an operator stops it; killed if it does not stop in time."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            say(f"the server did not stop within {STOP_TIMEOUT:.0f} s and was killed")
            return
        if code != 0:
            say(f"the server exited with {code}; its log: {self.log}")


def _entry(line: bytes) -> dict[str, object]:
    try:
        entry = json.loads(line)
    except ValueError:  # a line that is not JSON (a library printing on its own)
        return {}
    return entry if isinstance(entry, dict) else {}


def start(data_dir: Path, workers: int, port: int, cores: list[int] | None,
          log: Path) -> Server:
    """`integrity serve` on `port`, pinned to `cores`, ready to answer."""
    pin = ["taskset", "-c", _cores(cores)] if cores else []
    command = [*pin, sys.executable, "-m", "graph.cli", "serve", "--port", str(port),
               "--workers", str(workers), "--data-dir", str(data_dir), "--log-format", "json",
               "--log-level", "INFO"]
    with log.open("wb") as err:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        _wait_ready(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise CommandError(f"`integrity serve` exited with {server.process.returncode}: "
                               f"{_tail(server.log)}", FAILED)
        try:
            if httpx.get(f"{server.url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise CommandError(f"`integrity serve` was not ready after {START_TIMEOUT:.0f} s: "
                       f"{_tail(server.log)}", FAILED)


def _tail(log: Path) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-10:])


def pin_database(data_dir: Path, cores: list[int] | None) -> str:
    """Move the embedded PostgreSQL (postmaster and every backend) to `cores`; new backends
    inherit the postmaster's. Returns what was done, for the header."""
    if cores is None:
        return "not pinned"
    pid_file = data_dir / "pg" / "postmaster.pid"
    try:
        postmaster = int(pid_file.read_text().splitlines()[0])
        for pid in [postmaster, *_children(postmaster)]:
            os.sched_setaffinity(pid, cores)
    except (OSError, ValueError, IndexError) as exc:
        return f"could not be pinned ({exc})"
    return f"pinned to core {_cores(cores)}"


def _stat(pid: int) -> list[str]:
    """/proc/<pid>/stat from its 3rd field on (the name may hold spaces); [] once it ended."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _children(parent: int) -> list[int]:
    """The processes whose parent is `parent` (from /proc: no dependency for one look-up)."""
    found = []
    for folder in Path("/proc").glob("[0-9]*"):
        fields = _stat(int(folder.name))
        if fields and int(fields[1]) == parent:
            found.append(int(folder.name))
    return found


def _descendants(parent: int) -> list[int]:
    children = _children(parent)
    return [*children, *(pid for child in children for pid in _descendants(child))]
