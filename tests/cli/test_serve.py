"""`integrity serve` as a user runs it: a subprocess on the embedded PostgreSQL of a temp folder,
stopped by SIGINT (Ctrl-C) and by SIGTERM, restarted on the same data; in one process
(--workers 1) and with several workers."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil
import pytest

# Each test here takes seconds: the quick loop (pytest -m "not slow") leaves them out.
pytestmark = pytest.mark.slow

START_TIMEOUT = 120.0
VIEWER = {"query": "{ viewer { name audience } }"}


@pytest.fixture
def work_dir() -> Iterator[Path]:
    """A folder for one `serve` run's data and output. Not pytest's tmp_path: pytest resets its
    base temp folder to mode 700 on every run, and the embedded server (run as another user when
    the tests run as root) could then no longer reach a data folder inside it."""
    folder = Path(tempfile.mkdtemp(prefix="ig-serve-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Served:
    def __init__(self, process: subprocess.Popen[bytes], port: int, out: Path,
                 err: Path) -> None:
        self.process = process
        self.url = f"http://127.0.0.1:{port}"
        self.out = out
        self.err = err

    def keys(self) -> dict[str, str]:
        rows = [line.split() for line in self.out.read_text().splitlines()
                if line.startswith("  ")]
        return {name: key for _, name, key in rows}

    def viewer(self, key: str) -> httpx.Response:
        return httpx.post(f"{self.url}/graphql", json=VIEWER,
                          headers={"Authorization": f"Bearer {key}"})


@contextmanager
def serving(data_dir: Path, *flags: str) -> Iterator[Served]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "INTEGRITY_ID_SECRET", "INTEGRITY_DEV")}
    out, err = data_dir.parent / f"out-{port}", data_dir.parent / f"err-{port}"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "graph.cli", "serve", "--port", str(port),
             "--data-dir", str(data_dir), *flags],
            stdout=stdout, stderr=stderr, cwd=data_dir.parent, env=env)
    served = Served(process, port, out, err)
    try:
        _wait_ready(served)
        yield served
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _wait_ready(served: Served) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert served.process.poll() is None, served.err.read_text()
        try:
            if httpx.get(f"{served.url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    pytest.fail(f"not ready after {START_TIMEOUT}s: {served.err.read_text()}")


def _postmaster(data_dir: Path) -> psutil.Process:
    pid = int((data_dir / "pg" / "postmaster.pid").read_text().splitlines()[0])
    return psutil.Process(pid)


def _stop(served: Served, signum: int, postmaster: psutil.Process) -> None:
    served.process.send_signal(signum)
    assert served.process.wait(timeout=60) == 0, served.err.read_text()
    gone = not postmaster.is_running() or postmaster.status() == psutil.STATUS_ZOMBIE
    assert gone, "the embedded PostgreSQL outlived `integrity serve`"
    assert not (served.out.parent / "data" / "pg" / "postmaster.pid").exists()


def _refuses_a_streamed_body_past_the_limit(served: Served, key: str) -> None:
    """A chunked body (no Content-Length) of 64 MiB to the real server: refused with 413 once
    8 MiB (INTEGRITY_MAX_BODY_BYTES' default) have arrived, long before the client is done."""
    host, port = served.url.removeprefix("http://").split(":")
    chunk = b" " * (1 << 20)
    sent = 0
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"POST /graphql HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}"
                     "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked"
                     "\r\n\r\n".encode())
        try:
            while sent < 64 << 20:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        except OSError:  # the server answered and closed while the body was still coming
            pass
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert b"BODY_TOO_LARGE" in answer
    assert sent < 64 << 20


def _backends(postmaster: psutil.Process) -> set[int]:
    """The server processes of client connections (not the checkpointer, an autovacuum...)."""
    found = set()
    for child in postmaster.children():
        try:
            if "[local]" in " ".join(child.cmdline()) or "127.0.0.1" in " ".join(child.cmdline()):
                found.add(child.pid)
        except psutil.NoSuchProcess:  # ended meanwhile
            pass
    return found


def _keeps_its_connections_open(served: Served, key: str, postmaster: psutil.Process) -> None:
    """Sixteen requests at once, again and again: the pool opens connections as it needs them
    (at most 15, beside the access listener's one) and closes none given back, which would be
    opened anew (a connect, a fork on the server, every statement prepared again) next time."""
    units = {"query": "{ units(first: 50) { edges { node { uscc name } } } }"}

    def read(_: int) -> httpx.Response:
        return httpx.post(f"{served.url}/graphql", json=units,
                          headers={"Authorization": f"Bearer {key}"})

    rounds = []
    with ThreadPoolExecutor(16) as pool:
        for _ in range(6):
            answers = list(pool.map(read, range(48)))
            assert {a.status_code for a in answers} == {200}
            rounds.append(_backends(postmaster))
    assert len(rounds[-1]) > 5  # more at once than SQLAlchemy's default keeps open
    assert len(rounds[-1]) <= 15 + 1
    assert all(before <= after for before, after in itertools.pairwise(rounds)), rounds
    assert "with a pool of 15 database connections" in served.err.read_text()


def test_serve_stops_cleanly_and_keeps_its_data(work_dir: Path) -> None:
    data_dir = work_dir / "data"

    with serving(data_dir, "--demo", "--workers", "1") as first:
        keys = first.keys()
        assert len(keys) == 5
        assert first.viewer(keys["demo-personnel"]).json() == {
            "data": {"viewer": {"name": "demo-personnel", "audience": "PERSONNEL"}}}
        assert httpx.get(f"{first.url}/graphql",
                         headers={"Accept": "text/html"}).status_code != 200  # no GraphiQL
        _refuses_a_streamed_body_past_the_limit(first, keys["demo-personnel"])
        postmaster = _postmaster(data_dir)
        _keeps_its_connections_open(first, keys["demo-personnel"], postmaster)
        _stop(first, signal.SIGINT, postmaster)
    assert "demo [1/" in first.err.read_text()
    assert "stopping the embedded PostgreSQL" in first.err.read_text()

    with serving(data_dir, "--demo", "--dev") as second:  # as many workers as cores
        assert "demo district already loaded" in second.err.read_text()
        new_keys = second.keys()
        assert second.viewer(keys["demo-personnel"]).status_code == 401
        assert second.viewer(new_keys["demo-personnel"]).status_code == 200
        page = httpx.get(f"{second.url}/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "graphiql" in page.text.lower()
        _stop(second, signal.SIGTERM, _postmaster(data_dir))


def test_a_taken_port_fails_before_the_database_starts(work_dir: Path) -> None:
    data_dir = work_dir / "data"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "INTEGRITY_ID_SECRET")}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "graph.cli", "serve", "--port", str(port),
             "--data-dir", str(data_dir)],
            capture_output=True, text=True, env=env, cwd=work_dir, timeout=START_TIMEOUT)

    assert result.returncode == 1, result.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr, result.stderr
    assert "embedded PostgreSQL" not in result.stderr
    assert not (data_dir / "pg").exists(), result.stderr  # the database never started


def _answering_pids(served: Served) -> set[int]:
    """The process ids in the request log lines of POST /graphql (JSON log format)."""
    pids = set()
    for line in served.err.read_text().splitlines():
        if line.startswith("{"):
            entry = json.loads(line)
            if entry.get("logger") == "integrity.http" and entry.get("path") == "/graphql":
                pids.add(entry["pid"])
    return pids


def _a_killed_worker_is_logged_and_replaced(served: Served, parent: psutil.Process,
                                            children: list[psutil.Process], victim: int,
                                            key: str) -> None:
    psutil.Process(victim).kill()
    deadline = time.monotonic() + START_TIMEOUT
    while f"Child process [{victim}] died" not in served.err.read_text():
        assert time.monotonic() < deadline, served.err.read_text()
        time.sleep(0.3)
    assert served.viewer(key).status_code == 200  # the other worker goes on answering
    replacements = {child.pid for child in parent.children()} - {c.pid for c in children}
    assert len(replacements) == 1


def test_two_workers_share_the_port_and_stop_with_the_database(work_dir: Path) -> None:
    data_dir = work_dir / "data"

    with serving(data_dir, "--demo", "--workers", "2", "--log-format", "json") as served:
        key = served.keys()["demo-personnel"]
        parent = psutil.Process(served.process.pid)
        children = parent.children()  # the two workers and multiprocessing's resource tracker
        postmaster = _postmaster(data_dir)
        # 16 at a time: while one worker is busy the other accepts
        with ThreadPoolExecutor(16) as pool:
            for _ in range(10):
                answers = list(pool.map(lambda _: served.viewer(key), range(16)))
                assert {a.status_code for a in answers} == {200}
                if len(_answering_pids(served)) == 2:
                    break
        answering = _answering_pids(served)
        assert len(answering) == 2
        assert answering <= {child.pid for child in children}
        _a_killed_worker_is_logged_and_replaced(served, parent, children, answering.pop(), key)
        children = parent.children()
        _stop(served, signal.SIGTERM, postmaster)
    # the resource tracker ends once the last worker closed its pipe: a moment after
    _, alive = psutil.wait_procs(children, timeout=10)
    assert not [child for child in alive if child.status() != psutil.STATUS_ZOMBIE]
    log = served.err.read_text()
    assert "with 2 workers, a pool of 15 database connections each" in log
    assert "stopping the embedded PostgreSQL" in log


def test_workers_stop_when_serve_is_killed_outright(work_dir: Path) -> None:
    """SIGKILL leaves serve no chance to stop its workers: each asked Linux for a SIGTERM
    when its parent ends, so none goes on serving the port."""
    data_dir = work_dir / "data"

    with serving(data_dir, "--workers", "2") as served:
        children = psutil.Process(served.process.pid).children()
        postmaster = _postmaster(data_dir)
        served.process.kill()
        served.process.wait()
        try:
            _, alive = psutil.wait_procs(children, timeout=60)
            assert not [child for child in alive if child.status() != psutil.STATUS_ZOMBIE]
            with pytest.raises(httpx.TransportError):
                httpx.get(f"{served.url}/healthz", timeout=5)
        finally:  # nothing is left to stop the embedded PostgreSQL
            postmaster.send_signal(signal.SIGINT)
            postmaster.wait(60)
