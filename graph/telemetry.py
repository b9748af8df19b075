"""What one request did, gathered while it runs: its id, client, operation, error codes and the
SQL statements it sent. The request log line and the metrics are written from it at the end.

The facts live in a context variable set by the HTTP middleware. Tasks started during the
request (strawberry's loader batches, SQLAlchemy's greenlets) copy the context and so share the
same facts object.
"""

from __future__ import annotations

import re
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from graph.errors import redact_id_numbers

NO_CLIENT = "-"
NO_AUDIENCE = "NONE"
ANONYMOUS = "-"
OTHER_OPERATIONS = "_other"
# Operation names come from clients: the metrics keep one label per name only for the first
# few hundred names, so that a client inventing names cannot grow them without bound.
MAX_OPERATION_LABELS = 200
_OPERATION_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,99}")


@dataclass
class RequestFacts:
    """One request as it runs."""

    request_id: str
    method: str
    path: str
    started: float = field(default_factory=time.perf_counter)
    client: str = NO_CLIENT
    audience: str = NO_AUDIENCE
    operation: str | None = None
    statements: int = 0
    error_codes: list[str] = field(default_factory=list)

    def elapsed(self) -> float:
        """Seconds since the request started."""
        return time.perf_counter() - self.started


_CURRENT: ContextVar[RequestFacts | None] = ContextVar("integrity_request", default=None)


def begin(facts: RequestFacts) -> Any:
    """Make `facts` the current request's; returns the token for `end`."""
    return _CURRENT.set(facts)


def end(token: Any) -> None:
    _CURRENT.reset(token)


def current() -> RequestFacts | None:
    return _CURRENT.get()


def record_error(code: str) -> None:
    """Count an answer's error code in the request's facts (for its log line and metrics)."""
    facts = current()
    if facts is not None:
        facts.error_codes.append(code)


def operation_name(name: str | None) -> str | None:
    """A client's operation name as logged: a GraphQL name, identity numbers masked."""
    if name is None:
        return None
    if not _OPERATION_NAME.fullmatch(name):
        return OTHER_OPERATIONS
    return redact_id_numbers(name)


class OperationLabels:
    """The `operation` label of the metrics, bounded (MAX_OPERATION_LABELS names)."""

    def __init__(self, limit: int = MAX_OPERATION_LABELS) -> None:
        self.limit = limit
        self.seen: set[str] = set()
        self.lock = threading.Lock()

    def __call__(self, name: str | None) -> str:
        if name is None:
            return ANONYMOUS
        with self.lock:
            if name in self.seen:
                return name
            if len(self.seen) < self.limit:
                self.seen.add(name)
                return name
        return OTHER_OPERATIONS


def _count_statement(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                     executemany: bool) -> None:
    facts = _CURRENT.get()
    if facts is not None:
        facts.statements += 1


def count_statements() -> None:
    """Count every statement any engine of this process sends into the current request."""
    if not event.contains(Engine, "before_cursor_execute", _count_statement):
        event.listen(Engine, "before_cursor_execute", _count_statement)
