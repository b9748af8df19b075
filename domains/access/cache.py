"""Per-process caches of what every request looks up: the client of a key (by its SHA-256) and
the persisted operations (allow-list and persisted queries, by their SHA-256).

Why: the key look-up was a connection checkout and three round trips on every request, and the
allow-list one more. Clients and operations change rarely, but a revoked, rotated or limited
key, or a removed operation, must stop working at once in every worker. So:

- every change to a client or an operation sends `NOTIFY integrity_access` in the transaction
  that makes it (`announce_change`); PostgreSQL delivers it at COMMIT, to every process;
- each process listens on a connection of its own (`AccessListener`) and empties its caches on
  every notification;
- while that connection is not established (starting, lost, database restarted) the caches are
  bypassed and emptied, since notifications may have been missed: every request looks up again;
- a look-up that started before a notification is not cached (generation check), so a value
  read just before a change cannot be kept after it.

Only successes are cached (a known, valid key; a registered document): an unknown key or hash
is looked up every time, as before. A key's last valid day is checked on every request.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Protocol

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core import clock

log = logging.getLogger(__name__)

CHANNEL: Final = "integrity_access"
RETRY_SECONDS: Final = 1.0
MAX_ENTRIES: Final = 10_000


async def announce_change(session: AsyncSession) -> None:
    """Tell every serving process, when this transaction commits, to forget what it cached."""
    await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


@dataclass(frozen=True)
class KnownClient:
    """What a request needs of its client."""

    name: str
    audience: str
    id_lookups_per_hour: int | None
    expires_at: datetime | None

    def valid_now(self) -> bool:
        return self.expires_at is None or self.expires_at > clock.now()


class AccessCache:
    """Clients by key hash and documents by hash; used only while `listening`."""

    def __init__(self) -> None:
        self.clients: dict[str, KnownClient] = {}
        self.documents: dict[str, str] = {}
        self.generation = 0
        self.listening = False

    def clear(self) -> None:
        self.generation += 1
        self.clients.clear()
        self.documents.clear()

    def client(self, key_hash: str) -> KnownClient | None:
        return self.clients.get(key_hash) if self.listening else None

    def keep_client(self, key_hash: str, client: KnownClient, generation: int) -> None:
        if self.listening and generation == self.generation:
            if len(self.clients) >= MAX_ENTRIES:
                self.clients.clear()
            self.clients[key_hash] = client

    def document(self, sha256: str) -> str | None:
        return self.documents.get(sha256) if self.listening else None

    def keep_document(self, sha256: str, document: str, generation: int) -> None:
        if self.listening and generation == self.generation:
            if len(self.documents) >= MAX_ENTRIES:
                self.documents.clear()
            self.documents[sha256] = document


Connect = Callable[[], Any]  # an awaitable asyncpg connection


class ProcessCache(Protocol):
    """A per-process cache a notification channel empties (AccessCache, the rule tables'
    loaders.base.RuleTableCache): used only while `listening`."""

    listening: bool

    def clear(self) -> None: ...


class AccessListener:
    """Keeps one LISTEN connection for `cache` (channel integrity_access) and for the caches of
    `others` (channel -> cache), reconnecting after a loss; every cache is used only while it
    is connected. One connection per process whatever the number of caches."""

    def __init__(self, cache: AccessCache, connect: Connect,
                 others: Mapping[str, ProcessCache] | None = None) -> None:
        self.cache, self.connect = cache, connect
        self.caches: dict[str, ProcessCache] = {CHANNEL: cache, **(others or {})}
        self.connection: asyncpg.Connection[Any] | None = None
        self.task: asyncio.Task[None] | None = None

    def ensure(self) -> None:
        """Start listening unless already listening or trying to (called per request: cheap)."""
        if self.cache.listening and self.connection is not None \
                and not self.connection.is_closed():
            return
        self._lost()
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._listen())

    def _lost(self, *_: object) -> None:
        for cache in self.caches.values():
            cache.listening = False
            cache.clear()

    async def _listen(self) -> None:
        try:
            connection = await self.connect()
            for channel in self.caches:
                await connection.add_listener(channel, self._notified)
            connection.add_termination_listener(self._lost)
        except (TimeoutError, OSError, asyncpg.PostgresError):
            log.warning("cannot listen for access changes; caches bypassed", exc_info=True)
            await asyncio.sleep(RETRY_SECONDS)
            return
        self.connection = connection
        for cache in self.caches.values():
            cache.clear()  # anything changed before LISTEN took effect is forgotten
            cache.listening = True

    def _notified(self, _connection: object, _pid: object, channel: str, *_: object) -> None:
        self.caches[channel].clear()

    async def close(self) -> None:
        self._lost()
        if self.task is not None and not self.task.done():
            self.task.cancel()
        if self.connection is not None and not self.connection.is_closed():
            await self.connection.close()
        self.connection = None
