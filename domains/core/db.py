"""SQLAlchemy base, engine and URL handling. PostgreSQL only."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, DateTime, MetaData, Numeric, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        datetime: DateTime(timezone=True),
        date: Date(),
        Decimal: Numeric(18, 2),
    }


def async_url(url: str) -> str:
    """Any postgres URL (postgres://, postgresql://, postgresql+asyncpg://) in asyncpg form."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"the scheme {parsed.drivername!r} is not postgresql")
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def make_engine(url: str, *, statement_timeout_ms: int | None = None,
                **kwargs: object) -> AsyncEngine:
    """An engine that never puts SQL parameters (names, hashes, titles) into an exception's
    text, hence never into a log line; `statement_timeout_ms` bounds every statement."""
    if statement_timeout_ms is not None:
        kwargs["connect_args"] = {"server_settings": {
            "statement_timeout": str(statement_timeout_ms)}}
    engine = create_async_engine(async_url(url), hide_parameters=True, **kwargs)
    event.listen(engine.sync_engine.pool, "checkout", _closed_is_replaced)
    return engine


def _closed_is_replaced(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """On checkout, a pooled connection the server has closed (a restart, an idle timeout) is
    replaced by a new one (DisconnectionError makes the pool retry). It replaces pre-ping, which
    cost three round trips (BEGIN, `;`, ROLLBACK) per checkout, i.e. per request: asyncpg marks
    a connection closed as soon as the event loop reads the server's end of the socket."""
    driver = getattr(dbapi_connection, "driver_connection", None)
    if driver is not None and driver.is_closed():
        raise DisconnectionError("the server closed this pooled connection")


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
