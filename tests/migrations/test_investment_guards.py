"""The investment tables are evidence (migration 0011): never deleted or truncated; an approved
approval and a violation never change, while a pending approval may be updated."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import GraphQL
from tests.graph.investment.support import (
    approval,
    approvals_recorded,
    given_departments,
    given_project,
    violation,
)
from tests.graph.investment.test_violations import recorded

TABLES = ["investment_project", "investment_approval", "investment_violation"]


async def given_rows(gql: GraphQL) -> None:
    await given_departments(gql)
    await given_project(gql)
    assert (await approvals_recorded(
        gql, approval("FEASIBILITY_STUDY", "2026-02-01", "2026-03-01", "1000000.00"),
        approval("PRELIMINARY_DESIGN", "2026-04-01", None, "1050000.00")))["errors"] == []
    assert (await recorded(gql, violation()))["errors"] == []


async def refused(session: AsyncSession, statement: str) -> None:
    with pytest.raises(DBAPIError, match="not allowed"):
        async with session.begin_nested():
            await session.execute(text(statement))


async def test_investment_tables_refuse_delete_and_truncate(gql: GraphQL,
                                                            session: AsyncSession) -> None:
    await given_rows(gql)
    for table in TABLES:
        rows = await session.scalar(select(func.count()).select_from(text(table)))
        assert rows
        await refused(session, f"DELETE FROM {table}")
        await refused(session, f"TRUNCATE {table} CASCADE")
        assert await session.scalar(select(func.count()).select_from(text(table))) == rows


async def test_approved_approvals_and_violations_never_change(gql: GraphQL,
                                                              session: AsyncSession) -> None:
    await given_rows(gql)
    await refused(session, "UPDATE investment_approval SET approval_number = 'x' "
                           "WHERE approved_on IS NOT NULL")
    await refused(session, "UPDATE investment_violation SET kind = 'OTHER'")
    async with session.begin_nested():  # a pending approval may still change
        result = await session.execute(text(
            "UPDATE investment_approval SET approval_number = 'x' WHERE approved_on IS NULL"))
    assert result.rowcount == 1  # type: ignore[attr-defined]
