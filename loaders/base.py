"""Per-request DataLoaders over one AsyncSession.

Strawberry resolves sibling fields as concurrent tasks, and one AsyncSession must never be used
by two tasks at once. Every use of the request's session goes through `Scope.lock`: this module
is the one place that decides it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final, Generic, Literal, TypeVar, cast

from sqlalchemy import ColumnElement, Select, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute
from strawberry.dataloader import DataLoader

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
L = TypeVar("L", bound="Loader[Any, Any]")


RULES_CHANNEL: Final = "integrity_rules"
KEYS: Final = "keys"  # the bind parameter of `any_key`
Rows = Select[*tuple[Any, ...]]  # a statement of plain columns (or entities with columns)


def any_key(column: QueryableAttribute[Any], name: str = KEYS) -> ColumnElement[bool]:
    """`column = ANY(:keys)`, the batch's keys as one array parameter.

    Why not `column.in_(keys)`: an IN list renders one parameter per key, so each batch size is
    a new SQL text, a new entry in SQLAlchemy's compiled cache and a new prepared statement in
    asyncpg's; with one array the text is the same whatever the number of keys, and a statement
    built once at import (with this in its WHERE) is reused by every request.
    """
    return column == any_(bindparam(name, type_=ARRAY(column.expression.type)))




class RuleTableCache:
    """The rule tables (every `VersionsLoader`'s rows) kept per process, since they change a
    few times a year and were read on every request.

    Cleared clearly: every write to a rule table fires a trigger that sends `NOTIFY
    integrity_rules` (migration 0013), delivered at COMMIT to every process; the process's
    listener (domains.access.cache.AccessListener, one connection for all its caches) empties
    this cache then. While that connection is down nothing is cached (`listening` is false), and
    a table read that started before a notification is not kept (generation check), so a value
    read just before a change never outlives it.
    """

    def __init__(self) -> None:
        self.tables: dict[type[Any], list[Any]] = {}
        self.generation = 0
        self.listening = False

    def clear(self) -> None:
        self.generation += 1
        self.tables.clear()

    def get(self, table: type[Any]) -> list[Any] | None:
        return self.tables.get(table) if self.listening else None

    def keep(self, table: type[Any], versions: list[Any], generation: int) -> None:
        if self.listening and generation == self.generation:
            self.tables[table] = versions


@dataclass
class Scope:
    """What a request's loaders share: its session, the lock guarding it, its today and the
    process's rule tables (None: read them on every request, as tests on one connection do)."""

    session: AsyncSession
    today: date
    audience: str
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    rules: RuleTableCache | None = None


class Loader(DataLoader[K, V], Generic[K, V]):
    """Base of every `<Target>By<Key>Loader`: one batched query per tick, results in key order."""

    def __init__(self, scope: Scope) -> None:
        super().__init__(load_fn=self._load_locked)
        self.scope = scope

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "batch" in cls.__dict__:  # DataLoader keeps its pending batch in `self.batch`
            raise TypeError(f"{cls.__name__}: implement fetch(session, keys), not batch()")

    async def _load_locked(self, keys: Sequence[K]) -> Sequence[V]:
        async with self.scope.lock:
            return await self.fetch(self.scope.session, list(keys))

    async def fetch(self, session: AsyncSession, keys: list[K]) -> Sequence[V]:
        """One query for all `keys`; the results in key order."""
        raise NotImplementedError


ALL_VERSIONS: Literal["all"] = "all"


class VersionsLoader(Loader[Literal["all"], list[V]]):
    """Every version of a versioned rule table (the one key is ALL_VERSIONS): from the
    process's RuleTableCache when it holds it, else read once per request and kept there.
    Implement `read(session)`, ask through `versions(registry)`; callers never change the list
    (it is shared by every request of the process)."""

    async def fetch(self, session: AsyncSession,
                    keys: list[Literal["all"]]) -> Sequence[list[V]]:
        cache = self.scope.rules
        versions = cache.get(type(self)) if cache is not None else None
        if versions is None:
            generation = cache.generation if cache is not None else 0
            versions = await self.read(session)
            if cache is not None:
                cache.keep(type(self), versions, generation)
        return [versions for _ in keys]

    async def read(self, session: AsyncSession) -> list[V]:
        """Every row of the table, as the rules take them."""
        raise NotImplementedError

    @classmethod
    async def versions(cls, registry: Loaders) -> list[V]:
        """The request's copy of the table."""
        versions: list[V] = await registry.get(cls).load(ALL_VERSIONS)
        return versions


class Loaders:
    """The per-request registry: one instance of each loader class, created on first use."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._instances: dict[type[Any], Any] = {}

    def get(self, loader_class: type[L]) -> L:
        loader = self._instances.get(loader_class)
        if loader is None:
            loader = loader_class(self.scope)
            self._instances[loader_class] = loader
        return cast(L, loader)


def in_key_order(keys: Sequence[K], rows: dict[K, V], default: V) -> list[V]:
    """Results in the order of `keys`, `default` for a key with no row."""
    return [rows.get(key, default) for key in keys]


def grouped(keys: Sequence[K], pairs: Sequence[tuple[K, V]]) -> list[list[V]]:
    """Lists of values per key, in the order of `keys` (each list keeps the query's order)."""
    groups: dict[K, list[V]] = {key: [] for key in keys}
    for key, value in pairs:
        if key in groups:
            groups[key].append(value)
    return [groups[key] for key in keys]


class RankedPages(Generic[K, V]):
    """Pages cut from the rows of one window query that numbers each owner's rows (n from 1)
    and counts them (total): one query serves every (owner, offset, limit) of a batch."""

    def __init__(self, rows: Iterable[tuple[K, int, int, V]]) -> None:
        self._by_owner: dict[K, list[tuple[int, int, V]]] = {}
        for owner, n, total, row in rows:
            self._by_owner.setdefault(owner, []).append((n, total, row))

    def page(self, owner: K, offset: int, limit: int) -> tuple[list[V], int]:
        """The owner's rows offset+1 to offset+limit, and its total (0 when it has none)."""
        items = self._by_owner.get(owner, [])
        total = items[0][1] if items else 0
        return [row for n, _, row in items if offset < n <= offset + limit], total
