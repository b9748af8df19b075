"""COPY rows into a table in chunks, with a progress line per table on stderr.

asyncpg's `copy_records_to_table` sends the binary COPY format: no SQL per row, no ORM object,
and every CHECK, foreign key and trigger of the table still applies. When stderr is a terminal
the line is rewritten as chunks go (rows and rows/s); otherwise one plain line per table.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol, TextIO

CHUNK: Final = 20_000

Row = tuple[Any, ...]


class CopyConnection(Protocol):
    """What the generator needs of an asyncpg connection: COPY, statements, catalog reads."""

    async def copy_records_to_table(self, table_name: str, *, records: Iterable[Row],
                                    columns: Sequence[str]) -> str: ...

    async def execute(self, query: str, *args: Any) -> str: ...

    async def fetch(self, query: str, *args: Any) -> list[Any]: ...


@dataclass
class Progress:
    """Rows loaded per table; `line` reports a table's running count and rate."""

    stream: TextIO = field(default_factory=lambda: sys.stderr)
    totals: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def live(self) -> bool:
        return self.stream.isatty()

    def add(self, table: str, rows: int, seconds: float) -> None:
        self.totals[table] = self.totals.get(table, 0) + rows
        self.seconds[table] = self.seconds.get(table, 0.0) + seconds
        if self.live:
            self.stream.write(f"\r{self._text(table)}\x1b[K")
            self.stream.flush()

    def done(self, table: str) -> None:
        """The table's final line (a new line after the live updates)."""
        self.stream.write(("\r" if self.live else "") + self._text(table) + "\n")
        self.stream.flush()

    def say(self, message: str) -> None:
        self.stream.write(f"integrity: generate: {message}\n")
        self.stream.flush()

    def _text(self, table: str) -> str:
        rows, seconds = self.totals.get(table, 0), self.seconds.get(table, 0.0)
        rate = rows / seconds if seconds > 0 else 0.0
        return (f"integrity: generate {table:<24} {rows:>10,} rows {seconds:7.1f} s "
                f"({rate:,.0f} rows/s)")


class Copier:
    """Sends chunks of rows to tables over one connection, counting them in `progress`."""

    def __init__(self, connection: CopyConnection, progress: Progress) -> None:
        self.connection = connection
        self.progress = progress

    async def copy(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        """One COPY of `rows` (a chunk the caller built) into `table`."""
        if not rows:
            return
        started = time.perf_counter()
        await self.connection.copy_records_to_table(table, records=rows, columns=columns)
        self.progress.add(table, len(rows), time.perf_counter() - started)

    async def copy_all(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> None:
        """COPY an iterable of rows in chunks of CHUNK, then print the table's line. The time
        counted is building and sending the rows."""
        chunk: list[Row] = []
        started = time.perf_counter()
        for row in rows:
            chunk.append(row)
            if len(chunk) == CHUNK:
                await self._send(table, columns, chunk, started)
                chunk, started = [], time.perf_counter()
        await self._send(table, columns, chunk, started)
        self.progress.done(table)

    async def _send(self, table: str, columns: Sequence[str], chunk: list[Row],
                    started: float) -> None:
        if chunk:
            await self.connection.copy_records_to_table(table, records=chunk, columns=columns)
            self.progress.add(table, len(chunk), time.perf_counter() - started)
