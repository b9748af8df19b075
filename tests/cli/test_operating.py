"""`integrity operations`, `integrity audit export` and the CLI edges of issue 12: migrate's
revision on stdout, client names, the port checked before the database starts."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from domains.core.db import make_engine
from domains.core.migrate import head_revision
from tests.cli.conftest import Cli

VIEWER = "query Viewer { viewer { name audience } }\n"


def test_migrate_prints_the_revision_reached_on_stdout(cli: Cli) -> None:
    result = cli("migrate")
    assert result.code == 0
    assert result.out == f"{head_revision()}\n"


@pytest.mark.parametrize("name", ["two words", "张三", "_leading", "a;b", "x" * 101])
def test_clients_add_refuses_a_name_that_is_not_a_plain_identifier(cli: Cli, name: str) -> None:
    before = cli.scalar("SELECT count(*) FROM access_client")
    result = cli("clients", "add", name, "--audience", "PERSONNEL")
    assert result.code == 2
    assert "is not a client name" in result.err
    assert cli.scalar("SELECT count(*) FROM access_client") == before


def test_dev_and_production_exclude_each_other(cli: Cli) -> None:
    result = cli("serve", "--dev", "--production", "--port", "1")
    assert result.code == 2
    assert "exclude each other" in result.err


def test_operations_add_list_remove(cli: Cli, tmp_path: Path) -> None:
    document = tmp_path / "viewer.graphql"
    document.write_text(VIEWER, encoding="utf-8")
    sha = hashlib.sha256(VIEWER.strip().encode()).hexdigest()

    added = cli("operations", "add", str(document))
    again = cli("operations", "add", str(document))
    listed = cli("operations", "list")

    assert (added.code, added.out) == (0, f"{sha}\n")
    assert "added to the allow-list" in added.err
    assert (again.code, again.out) == (0, f"{sha}\n")
    assert "already on the allow-list" in again.err
    assert sha in listed.out and "Viewer" in listed.out
    assert cli.scalar("SELECT count(*) FROM access_persisted_operation WHERE sha256 = :s",
                      s=sha) == 1

    removed = cli("operations", "remove", sha.upper())

    assert removed.code == 0 and "no longer runs" in removed.out
    assert cli.scalar("SELECT count(*) FROM access_persisted_operation") == 0
    assert cli("operations", "list").out == "no persisted operations\n"


@pytest.mark.parametrize(("text", "message"), [
    ("", "the document is empty"), ("{ viewer { ", "not a GraphQL document"),
    ("{ viewer { nope } }", "not valid for this schema")])
def test_operations_add_refuses_a_bad_document_and_writes_nothing(
        cli: Cli, tmp_path: Path, text: str, message: str) -> None:
    document = tmp_path / "bad.graphql"
    document.write_text(text, encoding="utf-8")
    before = cli.scalar("SELECT count(*) FROM access_persisted_operation")

    result = cli("operations", "add", str(document))

    assert result.code == 2 and message in result.err and "nothing written" in result.err
    assert cli.scalar("SELECT count(*) FROM access_persisted_operation") == before


@pytest.mark.parametrize("given", ["abc", "g" * 64])
def test_operations_remove_refuses_what_is_not_a_known_hash(cli: Cli, given: str) -> None:
    result = cli("operations", "remove", given)
    assert result.code == 2
    unknown = cli("operations", "remove", "a" * 64)
    assert unknown.code == 2 and "no persisted operation" in unknown.err


def _audit_rows(cli: Cli) -> str:
    """Three committed audit rows: 2026-03-01 23:59 and 2026-03-02 00:00 Shanghai, and
    2026-03-03 09:00; returns their client name."""
    client = f"export-{uuid.uuid4().hex[:8]}"
    shanghai = timezone(timedelta(hours=8))
    rows = [{"at": datetime(2026, 3, day, hour, minute, tzinfo=shanghai), "client": client,
             "s": subject}
            for day, hour, minute, subject in ((1, 23, 59, "VW5pdDox"), (2, 0, 0, "VW5pdDoy"),
                                                (3, 9, 0, "VW5pdDoz"))]

    async def insert() -> None:
        engine = make_engine(cli.url)
        try:
            async with engine.begin() as conn:
                await conn.execute(text(
                    "INSERT INTO access_audit_entry (id, at, client_name, operation, field, "
                    "request_id, subject_ids) VALUES (gen_random_uuid(), :at, :client, "
                    "'CreditFile', 'unit.creditFile.records', 'r1', ARRAY[:s])"), rows)
        finally:
            await engine.dispose()

    asyncio.run(insert())
    return client


def test_audit_export_writes_the_period_as_csv(cli: Cli) -> None:
    client = _audit_rows(cli)

    result = cli("audit", "export", "--from", "2026-03-02", "--to", "2026-03-03")

    assert result.code == 0, result.err
    rows = [r for r in csv.reader(io.StringIO(result.out))]
    assert rows[0] == ["at", "client", "operation", "field", "requestId", "subjects"]
    mine = [r for r in rows[1:] if r[1] == client]
    assert mine == [
        ["2026-03-02T00:00:00+08:00", client, "CreditFile", "unit.creditFile.records", "r1",
         "VW5pdDoy"],
        ["2026-03-03T09:00:00+08:00", client, "CreditFile", "unit.creditFile.records", "r1",
         "VW5pdDoz"]]
    assert "rows from 2026-03-02 to 2026-03-03" in result.err


def test_audit_export_writes_json_lines(cli: Cli) -> None:
    client = _audit_rows(cli)

    result = cli("audit", "export", "--from", "2026-03-01", "--to", "2026-03-01",
                 "--format", "jsonl")

    assert result.code == 0, result.err
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert [line for line in lines if line["client"] == client] == [
        {"at": "2026-03-01T23:59:00+08:00", "client": client, "operation": "CreditFile",
         "field": "unit.creditFile.records", "requestId": "r1", "subjects": ["VW5pdDox"]}]


def test_audit_export_refuses_a_reversed_period(cli: Cli) -> None:
    result = cli("audit", "export", "--from", "2026-03-02", "--to", "2026-03-01")
    assert result.code == 2 and "is before --from" in result.err


def test_an_unknown_log_format_is_refused(cli: Cli) -> None:
    result = cli("migrate", "--log-format", "xml")
    assert result.code == 2 and "invalid choice: 'xml'" in result.err


def test_an_unknown_log_format_in_the_environment_is_refused(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTEGRITY_LOG_FORMAT", "xml")
    result = cli("migrate")
    assert result.code == 2 and "log format 'xml' is not one of text, json" in result.err
    assert result.out == ""
