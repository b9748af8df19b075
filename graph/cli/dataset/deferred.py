"""Indexes, keys and foreign keys built once after the load, not row by row during it.

Inserting two million random uuids into a primary key, maintaining eight more indexes and
checking three foreign keys per row is most of a bulk load's cost; building an index from sorted
data and validating a foreign key with one join is far cheaper (pg_restore loads the same way).
Inside the run's one transaction: the definitions are read from the catalog (`pg_get_indexdef`,
`pg_get_constraintdef`), dropped, and re-created verbatim after the COPY. Re-adding a primary
key, a unique constraint or a foreign key checks every row, so no rule is skipped; a failure
rolls back the whole run with the schema untouched. CHECK constraints and triggers stay: they
act per row as always.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Final

from graph.cli.dataset.copying import CopyConnection

INDEXES: Final = """
SELECT i.relname, pg_get_indexdef(x.indexrelid)
FROM pg_index AS x
JOIN pg_class AS i ON i.oid = x.indexrelid
JOIN pg_class AS t ON t.oid = x.indrelid
WHERE t.relname = ANY($1::text[]) AND t.relnamespace = 'public'::regnamespace
  AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = x.indexrelid)
ORDER BY i.relname
"""
# Foreign keys of these tables and foreign keys referring to them (their keys are dropped),
# then primary keys and unique constraints: the order in which to drop them.
CONSTRAINTS: Final = """
SELECT t.relname, c.conname, pg_get_constraintdef(c.oid)
FROM pg_constraint AS c
JOIN pg_class AS t ON t.oid = c.conrelid
LEFT JOIN pg_class AS r ON r.oid = c.confrelid
WHERE t.relnamespace = 'public'::regnamespace
  AND (c.contype = 'f' AND (t.relname = ANY($1::text[]) OR r.relname = ANY($1::text[]))
       OR c.contype IN ('p', 'u') AND t.relname = ANY($1::text[]))
ORDER BY c.contype = 'f' DESC, t.relname, c.conname
"""


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@asynccontextmanager
async def deferred(connection: CopyConnection, tables: Sequence[str]) -> AsyncIterator[None]:
    """Drop the indexes and key constraints of `tables` (and foreign keys referring to them);
    re-create them on exit, keys before the foreign keys that need them (only on success: on an
    error the transaction rolls back and restores them itself)."""
    indexes = [(row[0], row[1]) for row in await connection.fetch(INDEXES, list(tables))]
    constraints = [(row[0], row[1], row[2])
                   for row in await connection.fetch(CONSTRAINTS, list(tables))]
    for table, name, _ in constraints:
        await connection.execute(f"ALTER TABLE {_quoted(table)} DROP CONSTRAINT {_quoted(name)}")
    for name, _ in indexes:
        await connection.execute(f"DROP INDEX {_quoted(name)}")
    yield
    for _, definition in indexes:
        await connection.execute(definition)
    for table, name, definition in reversed(constraints):
        await connection.execute(
            f"ALTER TABLE {_quoted(table)} ADD CONSTRAINT {_quoted(name)} {definition}")
