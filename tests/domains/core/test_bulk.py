"""`insert_rows` stores what a plain INSERT stores: arrays with commas and quotes, JSON None as
JSON null, NULLs, dates and decimals; one statement, and nothing for no rows."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ARRAY,
    Column,
    Date,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    Uuid,
    event,
    insert,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.bulk import insert_rows

PROBE = Table("bulk_probe", MetaData(), Column("id", Uuid, primary_key=True),
              Column("kind", String(16)), Column("note", Text), Column("on", Date),
              Column("amount", Numeric(18, 2)), Column("scope", ARRAY(String(24))),
              Column("changes", JSONB))


def _row(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"id": uuid.uuid4(), "kind": "REPORTED", "note": None,
                           "on": date(2026, 3, 1), "amount": Decimal("1000.50"),
                           "scope": ["CREDIT_OFFICE", 'a "quoted", comma', "back\\slash", ""],
                           "changes": None}
    return row | changes


async def _stored(session: AsyncSession, row_id: uuid.UUID) -> tuple[Any, ...]:
    found = (await session.execute(select(
        PROBE.c.kind, PROBE.c.note, PROBE.c.on, PROBE.c.amount, PROBE.c.scope,
        text("jsonb_typeof(changes)"), text("changes IS NULL")).where(
        PROBE.c.id == row_id))).one()
    return tuple(found)


async def test_rows_are_stored_as_a_plain_insert_stores_them(session: AsyncSession) -> None:
    await session.execute(text(
        'CREATE TEMP TABLE bulk_probe (id uuid PRIMARY KEY, kind varchar(16), note text, '
        '"on" date, amount numeric(18, 2), scope varchar(24)[], changes jsonb)'))
    plain, bulk = _row(), _row()
    other = _row(kind="NOTIFIED", note="说明", scope=[], changes={"title": ["a", "b"]})
    empty = _row(scope=None, amount=None, on=None, kind=None)
    await session.execute(insert(PROBE), [plain])
    statements: list[str] = []

    def sent(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)
    connection = (await session.connection()).sync_connection
    assert connection is not None
    event.listen(connection, "before_cursor_execute", sent)
    try:
        await insert_rows(session, PROBE, [bulk, other, empty])
        await insert_rows(session, PROBE, [])
    finally:
        event.remove(connection, "before_cursor_execute", sent)

    assert len(statements) == 1
    assert await _stored(session, bulk["id"]) == await _stored(session, plain["id"]) == (
        "REPORTED", None, date(2026, 3, 1), Decimal("1000.50"),
        ["CREDIT_OFFICE", 'a "quoted", comma', "back\\slash", ""], "null", False)
    assert await _stored(session, other["id"]) == (
        "NOTIFIED", "说明", date(2026, 3, 1), Decimal("1000.50"), [], "object", False)
    assert (await session.scalar(select(PROBE.c.changes).where(PROBE.c.id == other["id"]))
            == {"title": ["a", "b"]})
    assert await _stored(session, empty["id"]) == (None, None, None, None, None, "null", False)
