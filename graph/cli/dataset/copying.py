"""COPY rows into a table in chunks, with a progress line per table on stderr.

asyncpg's `copy_records_to_table` sends the binary COPY format: no SQL per row, no ORM object,
and every CHECK, foreign key and trigger of the table still applies. When stderr is a terminal
the line is rewritten as chunks go (rows and rows/s); otherwise one plain line per table.
"""

from __future__ import annotations

import asyncio
import queue
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol, TextIO, TypeVar

CHUNK: Final = 20_000
PLAIN_EVERY: Final = 500_000  # rows between two plain progress lines of one table
AHEAD: Final = 3  # chunks built ahead of the one being sent

Row = tuple[Any, ...]
_T = TypeVar("_T")
_DONE: Final = object()


def chunked(items: Iterable[_T], size: int = CHUNK) -> Iterator[list[_T]]:
    chunk: list[_T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


async def built_ahead(chunks: Iterator[_T]) -> AsyncIterator[_T]:
    """The chunks of `chunks`, built in a thread while the previous ones are sent: Python
    builds rows on one core while PostgreSQL stores them on the other (the GIL is released
    while the event loop waits on the socket). Order and content are unchanged."""
    ready: queue.Queue[object] = queue.Queue(maxsize=AHEAD)

    def build() -> None:
        try:
            for chunk in chunks:
                ready.put(chunk)
            ready.put(_DONE)
        except BaseException as exc:  # re-raised in the event loop below
            ready.put(exc)

    worker = threading.Thread(target=build, name="generate-rows", daemon=True)
    worker.start()
    loop = asyncio.get_running_loop()
    while True:
        item = await loop.run_in_executor(None, ready.get)
        if item is _DONE:
            break
        if isinstance(item, BaseException):
            raise item
        yield item  # type: ignore[misc]  # the queue holds chunks, _DONE or an exception
    worker.join()


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
        before = self.totals.get(table, 0)
        self.totals[table] = before + rows
        self.seconds[table] = self.seconds.get(table, 0.0) + seconds
        if self.live:
            self.stream.write(f"\r{self._text(table)}\x1b[K")
            self.stream.flush()
        elif before // PLAIN_EVERY < self.totals[table] // PLAIN_EVERY:
            self.stream.write(self._text(table) + " ...\n")  # a long table shows it moves
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

    async def copy(self, table: str, columns: Sequence[str], rows: Sequence[Row],
                   started: float | None = None) -> None:
        """One COPY of `rows` (a chunk the caller built) into `table`; the time counted is
        from `started` (default: now) to the end of the COPY."""
        begun = time.perf_counter() if started is None else started
        if rows:
            await self.connection.copy_records_to_table(table, records=rows, columns=columns)
        self.progress.add(table, len(rows), time.perf_counter() - begun)

    async def copy_all(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> None:
        """COPY an iterable of rows in chunks of CHUNK (built ahead, in a thread), then print
        the table's line. The time counted is the wall time from the first row to the last."""
        started = time.perf_counter()
        async for chunk in built_ahead(chunked(rows)):
            await self.connection.copy_records_to_table(table, records=chunk, columns=columns)
            now = time.perf_counter()
            self.progress.add(table, len(chunk), now - started)
            started = now
        self.progress.done(table)
