"""Many new rows of one table in one INSERT whose values are one array per column.

A multi-row `INSERT ... VALUES (...), (...)` of 1,000 credit records has 22,000 parameters:
SQLAlchemy renders and processes each, and PostgreSQL parses and plans a statement that size
for every batch (about 190 ms of a 1,000-row report, issue 13). `INSERT ... SELECT FROM
unnest($1, $2, ...)` sends the same rows as one array per column: a short statement, prepared
once per table and reused, each array encoded by asyncpg in one go. It is still one statement
through the session (counted, in the transaction, after an autoflush), and every value is
stored as a plain INSERT would store it: an array column through its literal, a JSON column
through `json.dumps` (None is JSON null, as the ORM stores a None of a JSONB column).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import ARRAY, JSON, Table, TextClause, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]


async def insert_rows(session: AsyncSession, table: Table,
                      rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (each with the same keys: column names) into `table`; nothing for none."""
    if not rows:
        return
    names = tuple(rows[0])
    statement, kinds = _statement(table, names)
    arrays = {name: [_value(row[name], kind) for row in rows]
              for name, kind in zip(names, kinds, strict=True)}
    await session.execute(statement, arrays)


def _value(value: Any, kind: str) -> Any:
    if kind == "array":
        return None if value is None else _array_literal(value)
    if kind == "json":
        return json.dumps(value)
    return value


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
