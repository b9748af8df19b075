"""The audit rows of a read (查询留痕) cost one multi-row INSERT in the read's own transaction,
committed before the answer (issue 13); after an error they are still kept, in a transaction of
their own; a pooled connection the server closed is replaced, not handed to a request."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event, select, text

from domains.access.models import AuditEntry
from tests.graph.credit.support import add_record, add_unit
from tests.graph.support import Clients, clients_in_own_database

FILES = ("query Files { units { edges { node { creditFile { records { totalCount } "
         "activeDishonestCount } } } } }")


class Transactions:
    """The begins, commits, rollbacks and INSERTs an engine sends."""

    def __init__(self, clients: Clients) -> None:
        self.engine = clients.sessionmaker.kw["bind"].sync_engine
        self.seen: list[str] = []

    def __enter__(self) -> Transactions:
        for name in ("begin", "commit", "rollback"):
            event.listen(self.engine, name, self._note(name.upper()))
        event.listen(self.engine, "before_cursor_execute", self._statement)
        return self

    def _note(self, name: str) -> Any:
        def note(*_: Any) -> None:
            self.seen.append(name)
        setattr(self, f"_{name}", note)
        return note

    def _statement(self, conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        self.seen.append(statement.split()[0])

    def __exit__(self, *_: object) -> None:
        for name in ("begin", "commit", "rollback"):
            event.remove(self.engine, name, getattr(self, f"_{name.upper()}"))
        event.remove(self.engine, "before_cursor_execute", self._statement)


async def audit_rows(clients: Clients, request_id: str) -> list[tuple[str, str | None]]:
    async with clients.sessionmaker() as session:
        rows = await session.execute(select(AuditEntry.field, AuditEntry.operation)
                                     .where(AuditEntry.request_id == request_id)
                                     .order_by(AuditEntry.field))
        return [(field, operation) for field, operation in rows.all()]


async def key_cached(clients: Clients, audience: str) -> None:
    """Once the app listens for access changes, a request caches the key."""
    await clients.call(audience, "{ viewer { name } }", {})
    for _ in range(200):
        if clients.app.state.access_listener.cache.listening:
            await clients.call(audience, "{ viewer { name } }", {})
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the listener did not connect")


async def post(clients: Clients, audience: str, query: str, request_id: str) -> Any:
    response = await clients.http.post("/graphql", json={"query": query}, headers={
        "Authorization": f"Bearer {clients.keys[audience]}", "X-Request-ID": request_id})
    assert response.status_code == 200
    return response.json()


async def test_a_read_and_its_audit_rows_are_one_transaction(database_url: str) -> None:
    async with clients_in_own_database(database_url) as clients:
        async with clients.sessionmaker() as session:
            unit = await add_unit(session, 1)
            await add_record(session, unit, "U1-0")
            await session.commit()
        await key_cached(clients, "CREDIT_OFFICE")
        with Transactions(clients) as sent:
            assert "errors" not in await post(clients, "CREDIT_OFFICE", FILES, "audit-1")
        inserts = [s for s in sent.seen if s == "INSERT"]
        assert sent.seen[0] == "BEGIN" and sent.seen[-2:] == ["INSERT", "COMMIT"]
        assert len(inserts) == 1 and "ROLLBACK" not in sent.seen
        assert sent.seen.count("BEGIN") == 1
        assert await audit_rows(clients, "audit-1") == [
            ("units.edges.node.creditFile.activeDishonestCount", "Files"),
            ("units.edges.node.creditFile.records", "Files")]


async def test_after_an_error_the_audit_rows_are_kept_in_their_own_transaction(
        database_url: str) -> None:
    async with clients_in_own_database(database_url) as clients:
        async with clients.sessionmaker() as session:
            unit = await add_unit(session, 1)
            await add_record(session, unit, "U1-0")
            await session.commit()
        query = ("query Files { units { edges { node { creditFile { activeDishonestCount } } } } "
                 'unit(uscc: "nonsense") { name } }')
        with Transactions(clients) as sent:
            body = await post(clients, "CREDIT_OFFICE", query, "audit-2")
        assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID_USCC"]
        assert "ROLLBACK" in sent.seen and sent.seen[-1] == "COMMIT"
        assert await audit_rows(clients, "audit-2") == [
            ("units.edges.node.creditFile.activeDishonestCount", "Files")]


async def test_a_connection_the_server_closed_is_replaced(database_url: str) -> None:
    async with clients_in_own_database(database_url) as clients:
        await clients.call("PERSONNEL", "{ viewer { name } }", {})
        async with clients.sessionmaker() as session:
            await session.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
            await session.commit()
        for _ in range(3):
            assert await clients.call("PERSONNEL", "{ viewer { audience } }", {}) == {
                "viewer": {"audience": "PERSONNEL"}}
