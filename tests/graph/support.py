"""The harness of the concurrent-write tests (issue 7): the app over a database of their own,
each request with its own session and connection, so that requests sent at once run at once in
PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domains.access import service as access
from domains.core.db import make_engine, make_sessionmaker
from domains.core.migrate import upgrade_head_async
from graph.app import create_app
from tests.conftest import TEST_SECRET

CALLS = 20
AUDIENCES = ("PERSONNEL", "PROCUREMENT", "CREDIT_OFFICE", "PROJECT_APPROVAL")


class Clients:
    """The app over a sessionmaker whose sessions each take their own pooled connection."""

    def __init__(self, http: httpx.AsyncClient, keys: dict[str, str],
                 sessionmaker: async_sessionmaker[AsyncSession], app: Any = None) -> None:
        self.http, self.keys, self.sessionmaker = http, keys, sessionmaker
        self.app = app

    async def call(self, audience: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {self.keys[audience]}"})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body["errors"]  # no INTERNAL, no GraphQL error at all
        data: dict[str, Any] = body["data"]
        return data

    async def data(self, audience: str, query: str,
                   variables: dict[str, Any]) -> dict[str, Any]:
        """`call` by the name tests.conftest.GraphQL gives it: the domains' set-up helpers."""
        return await self.call(audience, query, variables)

    async def at_once(self, audience: str | Sequence[str], query: str,
                      variables: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each call at once; by one client, or call n by client audience[n]."""
        callers = [audience] * len(variables) if isinstance(audience, str) else audience
        return list(await asyncio.gather(*(self.call(caller, query, v)
                                           for caller, v in zip(callers, variables, strict=True))))

    async def add_clients(self, name: str, audience: str, usccs: Sequence[str] = ()) -> list[str]:
        """CALLS clients more of `audience` (name-0, name-1, ...), their names: requests of one
        client are serialised by its identity look-up lock, requests of several are not."""
        names = [f"{name}-{n}" for n in range(CALLS)]
        async with self.sessionmaker() as session:
            for each in names:
                _, self.keys[each] = await access.add_client(session, name=each,
                                                             audience=audience, usccs=usccs)
            await session.commit()
        return names


@asynccontextmanager
async def clients_in_own_database(database_url: str) -> AsyncIterator[Clients]:
    """A database of their own, migrated, with one client per audience of AUDIENCES; dropped
    afterwards."""
    name = f"integrity_concurrent_{uuid.uuid4().hex[:8]}"
    admin = make_engine(database_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    await upgrade_head_async(url)
    engine = make_engine(url, pool_size=CALLS, max_overflow=0)
    sessionmaker = make_sessionmaker(engine)
    try:
        keys = {}
        async with sessionmaker() as session:
            for audience in AUDIENCES:
                _, keys[audience] = await access.add_client(session, name=audience.lower(),
                                                            audience=audience)
            await session.commit()
        app = create_app(sessionmaker, id_secret=TEST_SECRET)
        try:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                         base_url="http://test") as http:
                yield Clients(http, keys, sessionmaker, app)
        finally:
            await app.state.access_listener.close()
    finally:
        await engine.dispose()
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        await admin.dispose()
