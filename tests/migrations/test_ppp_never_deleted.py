"""The PPP evidence (migration 0008_ppp) is never deleted or truncated; events and their traces
are never changed; a record's link to the event that wrote it is never changed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import GraphQL
from tests.graph.ppp.support import LI, RECORD, assignment, event, given_project

TABLES = ["ppp_project", "ppp_responsibility", "ppp_event", "ppp_trace"]
NEVER_CHANGED = {"ppp_event": "description = 'x'", "ppp_trace": "role = 'x'"}


async def given_ppp_rows(gql: GraphQL) -> None:
    await given_project(gql, assignment(LI, "2025-01-01"))
    assert (await gql.data("CREDIT_OFFICE", RECORD, {"events": [event("E1", "2026-03-01")]}))[
        "recordPppEvents"]["errors"] == []


async def refused(session: AsyncSession, statement: str) -> None:
    with pytest.raises(DBAPIError, match="not allowed"):
        async with session.begin_nested():
            await session.execute(text(statement))


async def test_ppp_tables_refuse_delete_and_truncate(gql: GraphQL,
                                                     session: AsyncSession) -> None:
    await given_ppp_rows(gql)
    for table in TABLES:
        rows = await session.scalar(select(func.count()).select_from(text(table)))
        assert rows, f"{table} has no row"
        await refused(session, f"DELETE FROM {table}")
        await refused(session, f"TRUNCATE {table} CASCADE")
        assert await session.scalar(select(func.count()).select_from(text(table))) == rows


async def test_events_traces_and_record_links_are_frozen(gql: GraphQL,
                                                         session: AsyncSession) -> None:
    await given_ppp_rows(gql)
    for table, assignment_ in NEVER_CHANGED.items():
        await refused(session, f"UPDATE {table} SET {assignment_}")
    await refused(session, "UPDATE credit_record SET ppp_event_id = NULL "
                           "WHERE ppp_event_id IS NOT NULL")
    # the record itself still changes by its events (status), keeping the link
    async with session.begin_nested():
        changed = await session.execute(text(
            "UPDATE credit_record SET status = status WHERE ppp_event_id IS NOT NULL"))
    assert changed.rowcount == 2  # type: ignore[attr-defined]
