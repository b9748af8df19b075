"""Clients and persisted operations cached per process (issue 13), forgotten at once when they
change: every change sends a notification that each serving process listens for; without a
listening connection nothing is cached."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from domains.access import cache as cache_module
from domains.access import operations
from domains.access import service as access
from domains.access.cache import AccessCache, AccessListener, KnownClient
from graph.policy import OperationNotAllowed, OperationPolicy, check_allowed
from tests.graph.support import Clients, clients_in_own_database

VIEWER = "{ viewer { name } }"


class Request:
    """What graph.policy reads of a request: its method and JSON body."""

    method = "POST"

    def __init__(self) -> None:
        self.scope: dict[str, Any] = {}

    async def body(self) -> bytes:
        return b'{"query": "' + VIEWER.encode() + b'"}'


async def status(clients: Clients, key: str, query: str = VIEWER) -> int:
    response = await clients.http.post("/graphql", json={"query": query},
                                       headers={"Authorization": f"Bearer {key}"})
    return response.status_code


async def notified(cache: AccessCache, generation: int) -> None:
    """Wait until the cache has been emptied after `generation` (the notification arrived)."""
    for _ in range(200):
        if cache.generation != generation:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("no notification arrived")


@pytest.fixture
def look_ups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The key look-ups that reached the database."""
    seen: list[str] = []
    authenticate = access.authenticate

    async def counting(session: Any, key: str) -> Any:
        seen.append(key)
        return await authenticate(session, key)

    monkeypatch.setattr(access, "authenticate", counting)
    return seen


async def listening(clients: Clients) -> AccessCache:
    """The app's cache, once its listener is connected (the first request starts it)."""
    assert await status(clients, clients.keys["PERSONNEL"]) == 200
    cache: AccessCache = clients.app.state.access_listener.cache
    for _ in range(200):
        if cache.listening:
            assert await status(clients, clients.keys["PERSONNEL"]) == 200  # now cached
            return cache
        await asyncio.sleep(0.01)
    raise AssertionError("the listener did not connect")


async def test_a_revoked_or_rotated_key_stops_working_at_once(
        database_url: str, look_ups: list[str]) -> None:
    async with clients_in_own_database(database_url) as clients:
        cache = await listening(clients)
        key = clients.keys["PERSONNEL"]
        look_ups.clear()
        for _ in range(3):
            assert await status(clients, key) == 200
        assert look_ups == []  # cached by `listening`: no look-up reaches the database
        generation = cache.generation
        async with clients.sessionmaker() as session:
            await access.revoke_client(session, name="personnel")
            await session.commit()
        await notified(cache, generation)
        assert await status(clients, key) == 401
        assert await status(clients, clients.keys["PROCUREMENT"]) == 200
        generation = cache.generation
        async with clients.sessionmaker() as session:
            _, new_key = await access.rotate_key(session, name="procurement")
            await session.commit()
        await notified(cache, generation)
        assert await status(clients, clients.keys["PROCUREMENT"]) == 401
        assert await status(clients, new_key) == 200


async def test_a_changed_budget_applies_from_the_next_request(database_url: str) -> None:
    async with clients_in_own_database(database_url) as clients:
        cache = await listening(clients)
        assert {c.id_lookups_per_hour for c in cache.clients.values()} == {None}
        generation = cache.generation
        async with clients.sessionmaker() as session:
            await access.set_lookup_budget(session, name="personnel", id_lookups_per_hour=7)
            await session.commit()
        await notified(cache, generation)
        assert cache.clients == {}
        assert await status(clients, clients.keys["PERSONNEL"]) == 200
        assert [c.id_lookups_per_hour for c in cache.clients.values()] == [7]


async def test_without_a_listening_connection_nothing_is_cached(
        database_url: str, look_ups: list[str]) -> None:
    async with clients_in_own_database(database_url) as clients:
        await listening(clients)
        listener = clients.app.state.access_listener
        await listener.connection.close()  # as a database restart would
        look_ups.clear()
        key = clients.keys["PERSONNEL"]
        assert await status(clients, key) == 200
        assert await status(clients, key) == 200
        assert look_ups[:2] == [key, key]  # both looked up while not listening


async def test_a_removed_operation_is_refused_at_once(database_url: str) -> None:
    async with clients_in_own_database(database_url) as clients:
        cache = await listening(clients)
        generation = cache.generation
        async with clients.sessionmaker() as session:
            added, _ = await operations.add_operation(session, document=VIEWER,
                                                      operation_names=[])
            await session.commit()
        await notified(cache, generation)  # adding announces a change too
        policy = OperationPolicy(allow_list=True)
        async with clients.sessionmaker() as session:
            await check_allowed(policy, Request(), session, cache)  # type: ignore[arg-type]
            assert added.sha256 in cache.documents
            generation = cache.generation
            async with clients.sessionmaker() as writer:
                await operations.remove_operation(writer, sha256=added.sha256)
                await writer.commit()
            await notified(cache, generation)
            with pytest.raises(OperationNotAllowed, match=added.sha256):
                await check_allowed(policy, Request(), session, cache)  # type: ignore[arg-type]


async def test_a_listener_that_cannot_connect_leaves_the_cache_bypassed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "RETRY_SECONDS", 0)
    attempts: list[int] = []

    async def refused() -> Any:
        attempts.append(1)
        raise ConnectionRefusedError("no database")

    cache = AccessCache()
    listener = AccessListener(cache, refused)
    for _ in range(2):
        listener.ensure()
        assert listener.task is not None
        await listener.task
    assert len(attempts) == 2 and not cache.listening  # retried, never listening
    known = KnownClient(name="c", audience="PERSONNEL", id_lookups_per_hour=None,
                        expires_at=None)
    cache.keep_client("hash", known, cache.generation)
    assert cache.client("hash") is None and cache.clients == {}
