"""`copy_columns` stores every value as `insert_columns` (the INSERT it replaced) stores it, in
the session's transaction, counted as one statement, and fails as SQLAlchemy fails a statement:
a `DBAPIError` with the driver's error in `.orig`, `connection_invalidated` once the connection
is gone."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import (
    ARRAY,
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
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
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.bulk import copy_columns, insert_columns
from domains.core.db import make_engine, make_sessionmaker

_DDL = ("id uuid PRIMARY KEY, kind varchar(16), note text, \"on\" date, at timestamptz, "
        "amount numeric(18, 2), flag boolean, months integer, seq bigint, other uuid, "
        "scope varchar(24)[], changes jsonb, extra json, created_at timestamptz DEFAULT now()")


def _probe(name: str) -> Table:
    return Table(name, MetaData(), Column("id", Uuid, primary_key=True),
                 Column("kind", String(16)), Column("note", Text), Column("on", Date),
                 Column("at", DateTime(timezone=True)), Column("amount", Numeric(18, 2)),
                 Column("flag", Boolean), Column("months", Integer),
                 Column("seq", BigInteger), Column("other", Uuid),
                 Column("scope", ARRAY(String(24))), Column("changes", JSONB),
                 Column("extra", JSON), Column("created_at", DateTime(timezone=True)))


INSERTED, COPIED = _probe("bulk_inserted"), _probe("bulk_copied")
AWKWARD = ['a "quoted", comma', "back\\slash", "{braces}", "", "NULL", "\\N", "tab\there",
           "line\nbreak", "𝄞😀", " blank ", "说明"]


def _columns() -> dict[str, list[Any]]:
    """Six rows by column: awkward texts, NULLs next to values, JSON null next to SQL NULL."""
    east = timezone(timedelta(hours=8))
    return {
        "id": [uuid.UUID(int=n) for n in range(1, 7)],
        "kind": ["REPORTED", None, "𝄞", 'q"\\,{}', "", "NULL"],
        "note": [None, "\\N", "tab\there\nnext", AWKWARD[0], "😀 " * 50, ""],
        "on": [date(2026, 3, 1), None, date(1, 1, 1), date(9999, 12, 31), date(2024, 2, 29),
               date(2026, 12, 1)],
        "at": [datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=east), None,
               datetime(2026, 3, 1, tzinfo=UTC), datetime(2000, 1, 1, 23, 59, 59, tzinfo=east),
               datetime(2026, 12, 1, 16, 0, tzinfo=UTC), datetime(1970, 1, 1, tzinfo=UTC)],
        "amount": [Decimal("1000.50"), None, Decimal("0"), Decimal("-0.01"),
                   Decimal("9999999999999999.99"), Decimal("2.345")],
        "flag": [True, None, False, True, False, None],
        "months": [12, None, 0, -1, 2**31 - 1, 36],
        "seq": [1, None, 2**62, -(2**62), 0, 7],
        "other": [None, uuid.UUID(int=2**128 - 1), None, uuid.UUID(int=7 << 64), None,
                  uuid.UUID("0192d5c4-7e1a-7c3b-8f00-0123456789ab")],
        "scope": [AWKWARD, None, [], ["CREDIT_OFFICE"], ["PROCUREMENT", "PERSONNEL"], ("x",)],
        "changes": [None, {"title": ["a", "b"]}, {"q": 'a "b" \\ c', "n": None, "𝄞": "😀"},
                    [], {}, "text"],
        "extra": [None, [1, 2.5, None], {"nested": {"deep": [True, False]}}, "说明", 0, {}],
    }


async def _create(session: AsyncSession) -> None:
    for name in ("bulk_inserted", "bulk_copied"):
        await session.execute(text(f"CREATE TEMP TABLE {name} ({_DDL})"))


_COMPARED = ("id, kind, note, \"on\", at, amount, flag, months, seq, other, scope, changes, "
             "extra::text AS extra, created_at")


async def test_copied_rows_equal_inserted_rows_in_every_column(
        session: AsyncSession, count_statements: Any) -> None:
    # given the same rows, by column, stored by INSERT in one table and by COPY in another
    await _create(session)
    await insert_columns(session, INSERTED, _columns())
    with count_statements() as counter:
        await copy_columns(session, COPIED, _columns())
        await copy_columns(session, COPIED, {"id": [], "kind": []})
        await copy_columns(session, COPIED, {})
    # then it is one statement, none for no rows
    assert counter.count == 1
    assert counter.statements[0].startswith('COPY "bulk_copied" ("id", "kind"')
    # and no row of either table is missing from the other, every column compared (a JSON
    # column as its text; a JSONB null is distinct from SQL NULL here)
    for one, other in (("bulk_inserted", "bulk_copied"), ("bulk_copied", "bulk_inserted")):
        differing = await session.execute(text(
            f"SELECT {_COMPARED} FROM {one} EXCEPT SELECT {_COMPARED} FROM {other}"))
        assert differing.all() == []
    inserted = await _rows(session, INSERTED)
    assert await _rows(session, COPIED) == inserted
    # and the values are the ones given: SQL NULL, JSON null, empty arrays, awkward texts
    assert [row["scope"] for row in inserted] == [AWKWARD, None, [], ["CREDIT_OFFICE"],
                                                   ["PROCUREMENT", "PERSONNEL"], ["x"]]
    kinds = await session.execute(text(
        "SELECT jsonb_typeof(changes), json_typeof(extra) FROM bulk_copied ORDER BY id"))
    assert [tuple(row) for row in kinds] == [("null", "null"), ("object", "array"),
                                             ("object", "object"), ("array", "string"),
                                             ("object", "number"), ("string", "object")]
    assert [row["note"] for row in inserted] == _columns()["note"]
    assert [row["kind"] for row in inserted] == _columns()["kind"]
    assert [row["at"] for row in inserted] == _columns()["at"]
    assert inserted[5]["amount"] == Decimal("2.35")  # the column's scale, both ways


async def _rows(session: AsyncSession, table: Table) -> list[dict[str, Any]]:
    """Every row as a dict, in id order, the default `created_at` checked and left out (both
    are the transaction's start)."""
    found = (await session.execute(select(table).order_by(table.c.id))).mappings().all()
    started = await session.scalar(text("SELECT now()"))
    assert {row["created_at"] for row in found} == {started}
    return [{name: value for name, value in row.items() if name != "created_at"}
            for row in found]


async def test_a_copy_is_part_of_the_session_transaction(session: AsyncSession) -> None:
    # given a table, and rows copied in a savepoint of the session's transaction
    await _create(session)
    savepoint = await session.begin_nested()
    await copy_columns(session, COPIED, {"id": [uuid.uuid4()], "kind": ["A"]})
    assert await session.scalar(text("SELECT count(*) FROM bulk_copied")) == 1
    # when the savepoint is rolled back, then the copied row goes with it
    await savepoint.rollback()
    assert await session.scalar(text("SELECT count(*) FROM bulk_copied")) == 0


async def test_a_copy_first_in_a_session_begins_its_transaction(database_url: str) -> None:
    # given a table committed outside any test transaction (dropped at the end)
    engine = make_engine(database_url)
    name = f"bulk_copy_{uuid.uuid4().hex[:8]}"
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f"CREATE TABLE {name} ({_DDL})"))
        # when a session's first statement is a COPY, and the session then rolls back
        async with make_sessionmaker(engine)() as session:
            await copy_columns(session, _probe(name), {"id": [uuid.uuid4()], "kind": ["A"]})
            await session.rollback()
        # then nothing was stored: the COPY ran in the session's transaction, not on its own
        async with make_sessionmaker(engine)() as session:
            assert await session.scalar(text(f"SELECT count(*) FROM {name}")) == 0
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f"DROP TABLE IF EXISTS {name}"))
        await engine.dispose()


async def test_a_unique_violation_is_an_integrity_error_and_stores_nothing(
        session: AsyncSession) -> None:
    await _create(session)
    taken = uuid.uuid4()
    await copy_columns(session, COPIED, {"id": [taken], "kind": ["A"]})
    savepoint = await session.begin_nested()
    # when a batch repeats a stored id
    with pytest.raises(IntegrityError) as failed:
        await copy_columns(session, COPIED, {"id": [uuid.uuid4(), taken], "kind": ["B", "C"]})
    await savepoint.rollback()
    # then SQLAlchemy's IntegrityError carries the driver's SQLSTATE, and no row was stored
    assert getattr(failed.value.orig, "sqlstate", None) == "23505"
    assert not failed.value.connection_invalidated
    assert await session.scalar(text("SELECT count(*) FROM bulk_copied")) == 1


async def test_a_value_too_long_is_refused_as_a_plain_insert_refuses_it(
        session: AsyncSession) -> None:
    await _create(session)
    row = {"id": uuid.uuid4(), "kind": "x" * 17}
    errors = []
    for write in (session.execute(insert(COPIED), [row]),
                  copy_columns(session, COPIED, {name: [value] for name, value in row.items()})):
        savepoint = await session.begin_nested()
        with pytest.raises(DBAPIError) as failed:
            await write
        await savepoint.rollback()
        errors.append((type(failed.value), getattr(failed.value.orig, "sqlstate", None)))
    # then both fail alike: the driver's "value too long" (22001), nothing truncated
    assert errors[0] == errors[1]
    assert errors[1][1] == "22001"
    assert await session.scalar(text("SELECT count(*) FROM bulk_copied")) == 0


async def test_a_lost_connection_is_an_invalidated_dbapi_error(database_url: str) -> None:
    # given a session whose connection the server has terminated
    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            await session.execute(text(f"CREATE TEMP TABLE bulk_copied ({_DDL})"))
            pid = await session.scalar(text("SELECT pg_backend_pid()"))
            async with engine.connect() as other:
                await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            # when it copies, then the error says the connection is gone (graph.errors'
            # `unreachable` answers DATABASE_UNAVAILABLE on it)
            with pytest.raises(DBAPIError) as failed:
                await copy_columns(session, COPIED, {"id": [uuid.uuid4()], "kind": ["A"]})
            assert failed.value.connection_invalidated
            await session.rollback()
    finally:
        await engine.dispose()
