"""The rule tables kept per process (issue 13: "rule tables cached per process"): a request
reads them from the process's cache, and a change to a rule row, committed by anyone while the
app runs, reaches the very next request (trigger -> NOTIFY integrity_rules -> listener)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import text

from domains.core import clock
from loaders.base import Loaders, RuleTableCache, Scope, VersionsLoader
from loaders.procurement import ProcurementWeightsLoader
from loaders.restriction import MeasureRowsLoader, SanctionPeriodsLoader
from tests.graph.support import Clients, clients_in_own_database

RULES = "{ measureRules { code legalBasis } }"
CODE = "INVESTMENT_APPROVAL.SERIOUS.RESTRICT"


async def legal_basis(clients: Clients) -> str:
    rules = (await clients.call("PROJECT_APPROVAL", RULES, {}))["measureRules"]
    found: list[str] = [r["legalBasis"] for r in rules if r["code"] == CODE]
    assert len(found) == 1, rules
    return found[0]


async def listening(clients: Clients) -> RuleTableCache:
    """The app's rule cache once its listener is connected (the first request starts it)."""
    await legal_basis(clients)
    cache: RuleTableCache = clients.app.state.rule_tables
    for _ in range(200):
        if cache.listening:
            return cache
        await asyncio.sleep(0.01)
    raise AssertionError("the listener did not connect")


async def notified(cache: RuleTableCache, generation: int) -> None:
    for _ in range(200):
        if cache.generation != generation:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("no notification arrived")


async def change(clients: Clients, statement: str, *, commit: bool = True) -> None:
    async with clients.sessionmaker() as session:
        await session.execute(text(statement))
        if commit:
            await session.commit()


async def test_a_changed_rule_row_is_seen_by_the_next_request(database_url: str) -> None:
    async with clients_in_own_database(database_url) as clients:
        cache = await listening(clients)
        before = await legal_basis(clients)
        assert MeasureRowsLoader in cache.tables  # kept: the next requests read no table
        cached = cache.tables[MeasureRowsLoader]
        assert await legal_basis(clients) == before
        assert cache.tables[MeasureRowsLoader] is cached
        generation = cache.generation
        await change(clients, "UPDATE restriction_measure_rule SET legal_basis = 'changed' "
                     f"WHERE code = '{CODE}'")
        await notified(cache, generation)
        assert cache.tables == {}
        assert await legal_basis(clients) == "changed"


async def test_a_rolled_back_change_keeps_the_cache(database_url: str) -> None:
    async with clients_in_own_database(database_url) as clients:
        cache = await listening(clients)
        before = await legal_basis(clients)
        generation = cache.generation
        await change(clients, "UPDATE restriction_measure_rule SET legal_basis = 'never' "
                     f"WHERE code = '{CODE}'", commit=False)
        await asyncio.sleep(0.2)
        assert cache.generation == generation
        assert await legal_basis(clients) == before


async def test_without_a_listening_connection_nothing_is_cached(
        database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    async with clients_in_own_database(database_url) as clients:
        cache = await listening(clients)
        before = await legal_basis(clients)
        assert MeasureRowsLoader in cache.tables
        listener = clients.app.state.access_listener

        async def refused() -> None:
            raise OSError("the database is restarting")

        monkeypatch.setattr(listener, "connect", refused)
        monkeypatch.setattr("domains.access.cache.RETRY_SECONDS", 0.01)
        await listener.connection.close()  # as a database restart would
        assert await legal_basis(clients) == before  # answered, from the table
        assert not cache.listening and cache.tables == {}
        await change(clients, "UPDATE restriction_measure_rule SET legal_basis = 'unheard' "
                     f"WHERE code = '{CODE}'")  # nobody listens: nothing to clear
        assert await legal_basis(clients) == "unheard"
        assert cache.tables == {}


TABLES: list[tuple[type[VersionsLoader[Any]], str]] = [
    (MeasureRowsLoader, "UPDATE restriction_measure_rule SET name = name"),
    (SanctionPeriodsLoader, "UPDATE restriction_sanction_period SET months = months"),
    (SanctionPeriodsLoader, "UPDATE restriction_promotion_rule SET basic_months = basic_months"),
    (ProcurementWeightsLoader, "UPDATE procurement_weights SET valid_from = valid_from"),
]


@pytest.mark.parametrize(("loader", "statement"), TABLES,
                         ids=[s.split()[1] for _, s in TABLES])
async def test_every_rule_table_announces_its_changes(
        database_url: str, loader: type[VersionsLoader[Any]], statement: str) -> None:
    async with clients_in_own_database(database_url) as clients:
        cache = await listening(clients)
        async with clients.sessionmaker() as session:
            scope = Scope(session=session, today=clock.today(), audience="CREDIT_OFFICE",
                          rules=cache)
            await loader.versions(Loaders(scope))
        assert loader in cache.tables
        generation = cache.generation
        await change(clients, statement)
        await notified(cache, generation)
        assert loader not in cache.tables
