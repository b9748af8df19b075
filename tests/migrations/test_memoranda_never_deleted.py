"""Memoranda are evidence of who agreed to punish what and who did what: the database refuses
to delete or truncate any of their rows, to change a version, a signatory, a response or a
client's unit binding, and to change an action other than closing it once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import GraphQL
from tests.graph.memorandum.support import (
    DRC,
    MARKET,
    RESPOND,
    given_district,
    initiated,
    registered,
    response,
)

TABLES = ["memorandum_version", "memorandum_signatory", "memorandum_joint_action",
          "memorandum_response", "access_client_unit"]
NEVER_CHANGED = {"memorandum_version": "title = 'x'", "memorandum_signatory": "position = 9",
                 "memorandum_response": "reason = 'x'", "access_client_unit": "bound_at = now()",
                 "memorandum_joint_action": "closed_on = NULL"}


async def _closed_action(gql: GraphQL, session: AsyncSession) -> None:
    district = await given_district(session, gql)
    await registered(gql, district)
    action = await initiated(gql, district)
    for client in (DRC, MARKET):
        data = await gql.data(client, RESPOND, {"input": response(
            action["id"], district.units[client].uscc, "NOT_APPLIED", reason="无业务往来")})
        assert data["respondToJointAction"]["errors"] == []


@pytest.mark.parametrize("statement", ["DELETE FROM {table}", "TRUNCATE {table} CASCADE"])
async def test_memorandum_rows_are_never_deleted(gql: GraphQL, session: AsyncSession,
                                                 statement: str) -> None:
    await _closed_action(gql, session)
    for table in TABLES:
        rows = await session.scalar(select(func.count()).select_from(text(table)))
        assert rows, f"{table} has no row"
        with pytest.raises(DBAPIError, match="not allowed|never"):
            async with session.begin_nested():
                await session.execute(text(statement.format(table=table)))
        assert await session.scalar(select(func.count()).select_from(text(table))) == rows


async def test_memorandum_rows_are_never_changed(gql: GraphQL, session: AsyncSession) -> None:
    await _closed_action(gql, session)
    for table, assignment in NEVER_CHANGED.items():
        with pytest.raises(DBAPIError, match="not allowed|never"):
            async with session.begin_nested():
                await session.execute(text(f"UPDATE {table} SET {assignment}"))
