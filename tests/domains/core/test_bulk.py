"""`insert_rows` stores what a plain INSERT stores: arrays with commas and quotes, JSON None as
JSON null, NULLs, dates and decimals; one statement, and nothing for no rows."""

from __future__ import annotations

import time
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
    insert,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.bulk import insert_columns, insert_rows, time_ordered_ids

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


async def test_rows_are_stored_as_a_plain_insert_stores_them(
        session: AsyncSession, count_statements: Any) -> None:
    await session.execute(text(
        'CREATE TEMP TABLE bulk_probe (id uuid PRIMARY KEY, kind varchar(16), note text, '
        '"on" date, amount numeric(18, 2), scope varchar(24)[], changes jsonb)'))
    plain, bulk = _row(), _row()
    other = _row(kind="NOTIFIED", note="说明", scope=[], changes={"title": ["a", "b"]})
    empty = _row(scope=None, amount=None, on=None, kind=None)
    await session.execute(insert(PROBE), [plain])
    with count_statements() as counter:
        await insert_rows(session, PROBE, [bulk, other, empty])
        await insert_rows(session, PROBE, [])

    assert counter.count == 1
    assert await _stored(session, bulk["id"]) == await _stored(session, plain["id"]) == (
        "REPORTED", None, date(2026, 3, 1), Decimal("1000.50"),
        ["CREDIT_OFFICE", 'a "quoted", comma', "back\\slash", ""], "null", False)
    assert await _stored(session, other["id"]) == (
        "NOTIFIED", "说明", date(2026, 3, 1), Decimal("1000.50"), [], "object", False)
    assert (await session.scalar(select(PROBE.c.changes).where(PROBE.c.id == other["id"]))
            == {"title": ["a", "b"]})
    assert await _stored(session, empty["id"]) == (None, None, None, None, None, "null", False)


def test_time_ordered_ids_are_uuid_version_7_growing_with_time() -> None:
    # when ids are made in two calls a few milliseconds apart
    first = time_ordered_ids(500)
    time.sleep(0.003)
    second = time_ordered_ids(500)
    # then each is a version 7 UUID of RFC 9562's variant, none repeats, and the later call's
    # ids sort after the earlier's (their first 48 bits are the time in milliseconds)
    assert {(i.version, i.variant) for i in first + second} == {(7, uuid.RFC_4122)}
    assert len(set(first + second)) == 1000
    assert max(first) < min(second)
    assert abs((first[0].int >> 80) - time.time_ns() // 1_000_000) < 60_000
    assert time_ordered_ids(0) == []


async def test_columns_are_inserted_as_given(session: AsyncSession) -> None:
    await session.execute(text(
        'CREATE TEMP TABLE bulk_probe (id uuid PRIMARY KEY, kind varchar(16), note text, '
        '"on" date, amount numeric(18, 2), scope varchar(24)[], changes jsonb)'))
    ids = [uuid.uuid4(), uuid.uuid4()]
    # when two rows are given by column, and then no row at all
    await insert_columns(session, PROBE, {"id": ids, "kind": ["A", None],
                                          "scope": [["x", "y"], None], "changes": [None, {}]})
    await insert_columns(session, PROBE, {"id": [], "kind": []})
    # then each row holds its values, the columns left out NULL
    stored = (await session.execute(select(
        PROBE.c.id, PROBE.c.kind, PROBE.c.scope, text("jsonb_typeof(changes)"),
        PROBE.c.note).order_by(PROBE.c.kind))).all()
    assert [tuple(r) for r in stored] == [(ids[0], "A", ["x", "y"], "null", None),
                                          (ids[1], None, None, "object", None)]
