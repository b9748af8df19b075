"""CLI tests run `main([...])` in-process on a database of their own (commands commit, so they
must not share the rolled-back test database), or `integrity serve` as a subprocess."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from domains.access import service as access
from domains.core.db import async_url, make_engine, make_sessionmaker
from graph.cli import main
from tests.conftest import run_admin_sql

CLI_SECRET = "cli-test-secret"


@pytest.fixture(scope="module")
def cli_database(database_url: str) -> Iterator[str]:
    """An empty database on the test server for this module's commands."""
    name = f"integrity_cli_{uuid.uuid4().hex[:8]}"
    asyncio.run(run_admin_sql(database_url, f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(async_url(database_url)).set(database=name).render_as_string(False)
    finally:
        asyncio.run(run_admin_sql(database_url, f'DROP DATABASE "{name}" WITH (FORCE)'))


@dataclass
class Result:
    code: int
    out: str
    err: str


class Cli:
    """Runs `integrity ...` in this process with DATABASE_URL naming the module's database."""

    def __init__(self, url: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.url = url
        self.capsys = capsys

    def __call__(self, *argv: str) -> Result:
        self.capsys.readouterr()
        code = main(list(argv))
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def scalar(self, sql: str, **params: Any) -> Any:
        async def run() -> Any:
            engine = make_engine(self.url)
            try:
                async with engine.connect() as conn:
                    return await conn.scalar(text(sql), params)
            finally:
                await engine.dispose()

        return asyncio.run(run())

    def authenticates(self, key: str) -> str | None:
        """The name of the client holding `key`, or None when the key does not work."""

        async def run() -> str | None:
            engine = make_engine(self.url)
            try:
                async with make_sessionmaker(engine)() as session:
                    client = await access.authenticate(session, key)
                    return client.name if client else None
            finally:
                await engine.dispose()

        return asyncio.run(run())


@pytest.fixture
def cli(cli_database: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("DATABASE_URL", cli_database)
    monkeypatch.setenv("INTEGRITY_ID_SECRET", CLI_SECRET)
    return Cli(cli_database, capsys)
