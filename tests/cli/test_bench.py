"""`integrity bench`: the smoke run on the demo district, wrk's error counting against a real
HTTP server, and the refusals. No test asserts a timing: the machine is shared."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from graph.cli.bench import answer_problem, report, writes, wrk
from graph.cli.bench.operations import CHECK, OPERATIONS, PROCUREMENT, REGISTER, REPORT, WRITES
from tests.cli.conftest import CLI_SECRET, Cli

NEEDS_WRK = pytest.mark.skipif(shutil.which("wrk") is None,
                               reason="wrk is not installed (Debian: apt-get install -y wrk)")
REPOSITORY = Path(__file__).resolve().parents[2]


def _row(line: str) -> list[str]:
    """A table row's cells: the operation (with its client), workers, req/s, p50, p99, CPU ms
    per request, SQL statements per request (a number, or a range and a mean) and errors (0
    when none)."""
    name, _, figures = line.partition(")")
    cells = figures.split()
    return [name + ")", *cells[:5], " ".join(cells[5:-1]), *cells[-1:]]


@pytest.mark.slow
@NEEDS_WRK
def test_the_bench_measures_every_operation_on_the_demo(cli: Cli) -> None:
    assert cli("demo").code == 0
    env = {**os.environ, "DATABASE_URL": cli.url, "INTEGRITY_ID_SECRET": CLI_SECRET}

    run = subprocess.run(
        [sys.executable, "-m", "graph.cli", "bench", "--duration", "2", "--warmup", "1",
         "--connections", "4", "--subjects", "50"],  # 4: a few answers in 2 s on a busy machine
        capture_output=True, text=True, env=env, cwd=REPOSITORY, timeout=600)

    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("integrity bench: 2 s per operation after a 1 s warm-up, 4 "
                               "connections (wrk -t1), workers 1")
    assert any(line.startswith("machine: ") and "cores" in line for line in lines)
    assert any(line.startswith("commit: ") for line in lines)
    assert "command: integrity bench --duration 2 --warmup 1 --connections 4 --subjects 50" in lines
    rows = {row[0]: row for row in map(_row, lines) if row[0].split(" ")[0] in
            {operation.key for operation in OPERATIONS}}
    assert sorted(rows) == sorted(f"{o.key} ({o.audience})" for o in OPERATIONS)
    for name, (_, workers, rate, p50, p99, cpu, statements, errors) in rows.items():
        assert (workers, errors) == ("1", "0"), name
        assert float(rate) > 0 and 0 < float(p50) <= float(p99), name
        assert float(cpu) > 0, name
        assert int(statements.split("-")[0]) >= 2, name  # authentication and the reads
    assert "igk_" not in run.stdout + run.stderr  # the keys stay in the removed scripts
    checks = cli.scalar("SELECT count(*) FROM restriction_check "
                        "WHERE business_ref LIKE 'bench-%'")
    assert checks > 1
    assert cli.scalar("SELECT count(DISTINCT business_ref) FROM restriction_check "
                      "WHERE business_ref LIKE 'bench-%'") == checks


def test_without_wrk_the_bench_says_how_to_install_it(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", tempfile.gettempdir() + "/no-such-folder")

    result = cli("bench")

    assert result.code == 1
    assert "wrk is not installed: on Debian or Ubuntu `sudo apt-get install -y wrk`" in result.err
    assert "starting" not in result.err


def test_an_unknown_operation_is_refused(cli: Cli) -> None:
    result = cli("bench", "--operations", "procurement,nonsense")

    assert result.code == 2
    assert "unknown operation nonsense" in result.err


class _Answers(BaseHTTPRequestHandler):
    """Answers by subject: A an HTTP 500, B a GraphQL error, C a payload error, D a full
    answer whose payload `errors` list is empty. Keeps every request body."""

    protocol_version = "HTTP/1.1"  # keep-alive, as wrk expects
    bodies: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.bodies.append(body)
        subject = body["variables"]["uscc"]
        status, answer = {
            "A": (500, {"errors": [{"message": "boom"}]}),
            "B": (200, {"data": None, "errors": [{"message": "bad"}]}),
            "C": (200, {"data": {"checkRestrictions": {"check": None,
                                                       "errors": [{"code": "X"}]}}}),
        }.get(subject, (200, {"data": {"checkRestrictions": {"check": {}, "errors": []}}}))
        data = json.dumps(answer, separators=(",", ":")).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def answering() -> Iterator[str]:
    _Answers.bodies = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/graphql"
    finally:
        server.shutdown()
        server.server_close()


@NEEDS_WRK
def test_wrk_counts_every_kind_of_error_and_sends_a_new_ref_each_time(
        answering: str, tmp_path: Path) -> None:
    script = wrk.write_script(tmp_path, CHECK, key="igk_test", subjects=["A", "B", "C", "D"],
                              run_id="t1")

    result = wrk.run_wrk(wrk.wrk_command(script, answering, connections=2, seconds=1,
                                         cores=None), 1)

    assert oct(script.stat().st_mode & 0o777) == "0o600"
    assert result.requests >= 8
    per_kind = result.requests / 4
    assert abs(result.http_errors - per_kind) <= 2
    assert abs(result.graphql_errors - 2 * per_kind) <= 3  # B and C
    assert result.socket_errors == 0
    refs = [body["variables"]["ref"] for body in _Answers.bodies]
    assert len(set(refs)) == len(refs)
    assert all(ref.startswith("bench-t1-1-") for ref in refs)
    assert {body["operationName"] for body in _Answers.bodies} == {CHECK.name}


@pytest.mark.parametrize(("status", "text", "problem"), [
    (401, '{"errors":[]}', "HTTP 401"),
    (200, '{"data":null,"errors":[{"message":"bad"}]}', "GraphQL error: bad"),
    (200, '{"data":{"unit":null}}', "unit is null"),
    (200, '{"data":{"checkRestrictions":{"errors":[{"code":"X"}]}}}',
     "checkRestrictions errors"),
    (200, '{"data":{"checkRestrictions":{"check":{},"errors":[]}}}', None),
])
def test_the_preflight_tells_a_failed_answer(status: int, text: str,
                                             problem: str | None) -> None:
    found = answer_problem(status, text)

    assert found == problem if problem is None else (found or "").startswith(problem)


@pytest.mark.parametrize(("statements", "shown"), [
    ([7, 7, 7], "7"), ([6, 7, 7, 8, 8], "6-8 (~7.20)"), ([], "?")])
def test_statements_per_request_are_exact_or_a_range(statements: list[int],
                                                     shown: str) -> None:
    row = report.Row(PROCUREMENT, 1, wrk.WrkResult(10, 1.0, 1.0, 2.0, 0, 0, 0), statements)

    assert row.statements_per_request() == shown


@pytest.mark.slow
@NEEDS_WRK
def test_the_bench_drives_the_batch_writes_with_fresh_rows(cli: Cli) -> None:
    assert cli("demo").code == 0
    env = {**os.environ, "DATABASE_URL": cli.url, "INTEGRITY_ID_SECRET": CLI_SECRET}
    # the database may hold an earlier run's rows (the other bench test's)
    records = cli.scalar("SELECT count(*) FROM credit_record")
    contracts = cli.scalar("SELECT count(*) FROM procurement_contract")

    run = subprocess.run(
        [sys.executable, "-m", "graph.cli", "bench", "--operations", "report,register",
         "--duration", "1", "--warmup", "1", "--batch", "20", "--subjects", "10"],
        capture_output=True, text=True, env=env, cwd=REPOSITORY, timeout=600)

    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    rows = {row[0]: row for row in map(_row, lines) if row[0].split(" ")[0] in
            {operation.key for operation in WRITES}}
    assert sorted(rows) == sorted(f"{o.key} ({o.audience})" for o in WRITES)
    for name, (_, workers, rate, p50, p99, cpu, statements, errors) in rows.items():
        assert (workers, errors) == ("1", "0"), name
        assert float(rate) > 0 and 0 < float(p50) <= float(p99) and float(cpu) > 0, name
        assert int(statements.split("-")[0]) >= 3, name  # authentication, look-ups, insert
    for operation in WRITES:
        assert any(line.startswith(f"batch writes, {operation.key} with 1 worker(s): ") and
                   line.endswith("(batches of 20)") for line in lines), operation.key
    assert "igk_" not in run.stdout + run.stderr
    # every batch wrote its 20 rows: they were fresh and valid (the
    # preflight row of each run, warm-up and measured batches included)
    written = cli.scalar("SELECT count(*) FROM credit_record") - records
    assert written > 20 and (written - 1) % 20 == 0
    registered = cli.scalar("SELECT count(*) FROM procurement_contract") - contracts
    assert registered > 20 and (registered - 1) % 20 == 0
    # and none of them went to the units the reads rotate over (the first 10 by USCC): they
    # would make every later read of those units larger
    rotated = "SELECT id FROM subject_unit ORDER BY uscc LIMIT 10"
    assert cli.scalar("SELECT count(*) FROM credit_record WHERE source_system = 'bench' "
                      f"AND unit_id IN ({rotated})") == 0
    assert cli.scalar("SELECT count(*) FROM procurement_contract WHERE code LIKE 'BENCH-%' "
                      f"AND purchaser_id IN ({rotated})") == 0


@pytest.mark.parametrize(("status", "answer", "kind"), [
    (500, {"errors": [{"message": "boom"}]}, "http"),
    (200, {"data": None, "errors": [{"message": "bad"}]}, "graphql"),
    (200, {"data": {"reportCreditRecords": {"accepted": 0, "errors": [{"code": "X"}]}}},
     "graphql"),
    (200, {"data": {"reportCreditRecords": {"accepted": 2, "errors": []}}}, None),
])
def test_the_writes_driver_counts_errors_as_the_lua_script_does(
        status: int, answer: dict[str, Any], kind: str | None) -> None:
    assert writes.answer_error(status, json.dumps(answer)) == kind


def test_every_batch_of_the_writes_driver_is_new() -> None:
    first = writes.build_rows(REPORT, ["A", "B", "C"], "run-1-1", 5, date(2026, 6, 1))
    second = writes.build_rows(REPORT, ["A", "B", "C"], "run-1-2", 5, date(2026, 6, 1))
    refs = {row["sourceRef"] for row in first + second}
    assert len(refs) == 10
    assert {row["decidedOn"] for row in first} == {"2026-05-02"}
    assert {row["subject"]["uscc"] for row in first} == {"A", "B", "C"}
    codes = {row["code"] for row in writes.build_rows(REGISTER, ["A"], "run-1-1", 3,
                                                      date(2026, 6, 1))}
    assert len(codes) == 3


def test_without_the_dev_install_bench_says_what_to_install(tmp_path: Path) -> None:
    """The runtime lock has no HTTP client: `bench` then refuses with exit 2 and the command
    to run, before it starts anything (the service itself needs no httpx)."""
    hide_httpx = ("import sys; sys.modules['httpx'] = None; from graph.cli import main; "
                  f"sys.exit(main(['bench', '--data-dir', {str(tmp_path / 'data')!r}]))")
    done = subprocess.run([sys.executable, "-c", hide_httpx], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 2
    assert "httpx is missing" in done.stderr
    assert "requirements-dev.lock" in done.stderr
    assert not (tmp_path / "data").exists()
