"""Many new rows of one table in one INSERT whose values are one array per column.

A multi-row `INSERT ... VALUES (...), (...)` of 1,000 credit records has 22,000 parameters:
SQLAlchemy renders and processes each, and PostgreSQL parses and plans a statement that size
for every batch (about 190 ms of a 1,000-row report, issue 13). `INSERT ... SELECT FROM
unnest($1, $2, ...)` sends the same rows as one array per column: a short statement, prepared
once per table and reused, each array encoded by asyncpg in one go. It is still one statement
through the session (counted, in the transaction, after an autoflush), and every value is
stored as a plain INSERT would store it: an array column through its literal, a JSON column
through `json.dumps` (None is JSON null, as the ORM stores a None of a JSONB column).

`copy_columns` sends a large batch by binary COPY instead (see there): no statement to plan,
and asyncpg encodes each value once rather than checking each element of a column's array.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Sequence
from functools import cache
from typing import Any, Final

from sqlalchemy import ARRAY, JSON, Connection, Table, TextClause, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.util import await_

_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]
_VERSION_7: Final = 0x7 << 76
_VARIANT: Final = 0b10 << 62
_LOW_62: Final = (1 << 62) - 1
_JSON_NULL: Final = json.dumps(None)  # a JSON column's None, as the ORM stores it


def time_ordered_ids(count: int) -> list[uuid.UUID]:
    """`count` new ids laid out as UUID version 7 (RFC 9562): the Unix time in milliseconds,
    then 74 random bits.

    Why: a random (version 4) primary key puts each of a batch's rows on another leaf page of
    its index, and of every index that starts with it (an event's record_id); the first change
    of a page after a checkpoint writes the whole page to the WAL. A 1,000-row report touched
    about 3,800 pages that way (EXPLAIN (ANALYZE, WAL): 28 MB of WAL for the events alone, 450
    to 690 ms); ids that grow with time land on the right-hand pages together (1 MB, 90 ms).
    The random bits keep ids unguessable; the time part is when the row was written."""
    millis = (time.time_ns() // 1_000_000) << 80
    head = millis | _VERSION_7 | _VARIANT
    random = os.urandom(10 * count)
    ids = []
    for start in range(0, 10 * count, 10):
        bits = int.from_bytes(random[start:start + 10], "big")  # 12 bits, then 62
        ids.append(uuid.UUID(int=head | (bits >> 68) << 64 | bits & _LOW_62))
    return ids


async def insert_rows(session: AsyncSession, table: Table,
                      rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (each with the same keys: column names) into `table`; nothing for none."""
    if rows:
        await insert_columns(session, table, {name: [row[name] for row in rows]
                                              for name in rows[0]})


async def insert_columns(session: AsyncSession, table: Table,
                         columns: dict[str, list[Any]]) -> None:
    """Insert the rows whose values are `columns` (column name -> one value per row, every
    list as long) into `table`; nothing for no rows. A writer that has its values by column
    (a batch's events) skips building a dict per row only to take it apart again."""
    if not columns or not next(iter(columns.values())):
        return
    statement, kinds = _statement(table, tuple(columns))
    await session.execute(statement, {name: _values(values, kind) for (name, values), kind
                                      in zip(columns.items(), kinds, strict=True)})


async def copy_columns(session: AsyncSession, table: Table,
                       columns: dict[str, list[Any]]) -> None:
    """Store the rows whose values are `columns` (as `insert_columns` takes them) in `table`
    by binary COPY (asyncpg's `copy_records_to_table`); nothing for no rows.

    Why: a 1,000-row report's two unnest INSERTs were a fifth of its server CPU, mostly asyncpg
    encoding 30 arrays and checking each of their 38,000 elements for being a nested array
    (issue 13). COPY sends the rows as they are, each value through the column's own codec,
    and every constraint, default and trigger of the table applies as to an INSERT.

    It runs on the session's connection, inside its transaction (begun here if no statement
    has begun it yet), so it is committed or rolled back with the rest of the request. It goes
    through SQLAlchemy's own statement path (`_copy`): counted by `before_cursor_execute` like
    any statement, and a failure is raised as an INSERT's would be (a `DBAPIError` with
    `.orig` and its SQLSTATE; `connection_invalidated` once the connection is gone). Values
    are stored as `insert_columns` stores them: a JSON column's None is JSON null."""
    if not columns or not next(iter(columns.values())):
        return
    names = tuple(columns)
    kinds = _statement(table, names)[1]
    records = list(zip(*(_copied(values, kind) for values, kind
                         in zip(columns.values(), kinds, strict=True)), strict=True))
    connection = await session.connection()
    await connection.run_sync(_copy, table.name, names, records)


def _copied(values: list[Any], kind: str) -> list[Any]:
    """A column's values as the COPY takes them: a JSON column's as JSON text (the codec of
    SQLAlchemy's asyncpg dialect takes text), an array's and the rest's as they are."""
    if kind == "json":
        return [_JSON_NULL if value is None else json.dumps(value) for value in values]
    return values


def _copy(connection: Connection, table: str, names: tuple[str, ...],
          records: list[tuple[Any, ...]]) -> None:
    """Run the COPY as SQLAlchemy runs a statement it issues itself (`_cursor_execute`, the
    path of a sequence's or a default's SELECT): the `before_cursor_execute` and
    `after_cursor_execute` events, the echo, and `_handle_dbapi_exception`, which wraps the
    driver's error and invalidates a connection that is gone."""
    quoted = ", ".join(f'"{name}"' for name in names)
    statement = f'COPY "{table}" ({quoted}) FROM STDIN (FORMAT binary)'
    cursor = _CopyCursor(connection.connection.dbapi_connection, table, names, records)
    connection._cursor_execute(cursor, statement, ())  # type: ignore[arg-type]  # duck-typed


class _CopyCursor:
    """A DBAPI cursor whose `execute` is one COPY of its records, on SQLAlchemy's adapted
    asyncpg connection: under its lock, in its transaction, errors translated by it."""

    def __init__(self, adapted: Any, table: str, names: tuple[str, ...],
                 records: list[tuple[Any, ...]]) -> None:
        self.adapted, self.table, self.names, self.records = adapted, table, names, records

    def execute(self, statement: str, parameters: object = None) -> None:
        await_(self._copy())

    def close(self) -> None:
        """Nothing to release (SQLAlchemy closes a cursor after a failure)."""

    async def _copy(self) -> None:
        adapted = self.adapted
        async with adapted._execute_mutex:
            if adapted._transaction is None:  # as the adapter's cursor begins one
                await adapted._start_transaction()
            try:
                await adapted._connection.copy_records_to_table(
                    self.table, records=self.records, columns=self.names)
            except Exception as error:  # asyncpg's, raised as the DBAPI error it maps to
                adapted._handle_exception(error)


def _values(values: list[Any], kind: str) -> list[Any]:
    """A column's values as the statement's array takes them (converted per column, not per
    value: a 1,000-row report has 41,000 of them)."""
    if kind == "array":
        return [None if value is None else _array_literal(value) for value in values]
    if kind == "json":
        return [_JSON_NULL if value is None else json.dumps(value) for value in values]
    return values


def _array_literal(items: Sequence[Any]) -> str:
    """A PostgreSQL array literal of texts, each quoted (commas, quotes, blanks kept)."""
    quoted = ('"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"' for item in items)
    return "{" + ",".join(quoted) + "}"


@cache
def _statement(table: Table, names: tuple[str, ...]) -> tuple[TextClause, tuple[str, ...]]:
    """The INSERT of these columns and how each value is passed (`plain`, `array`, `json`)."""
    kinds, arrays, selected = [], [], []
    for name in names:
        column_type = table.c[name].type
        sql_type = column_type.compile(dialect=_DIALECT)
        if isinstance(column_type, ARRAY):
            kinds.append("array")
            arrays.append(f"CAST(:{name} AS TEXT[])")
            selected.append(f'CAST(u."{name}" AS {sql_type})')
        elif isinstance(column_type, JSON):
            kinds.append("json")
            arrays.append(f"CAST(:{name} AS TEXT[])")
            selected.append(f'CAST(u."{name}" AS {sql_type})')
        else:
            kinds.append("plain")
            arrays.append(f"CAST(:{name} AS {sql_type}[])")
            selected.append(f'u."{name}"')
    columns = ", ".join(f'"{name}"' for name in names)
    sql = (f'INSERT INTO "{table.name}" ({columns}) SELECT {", ".join(selected)} '
           f"FROM unnest({', '.join(arrays)}) AS u({columns})")
    return text(sql), tuple(kinds)
