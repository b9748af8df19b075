"""`integrity serve --workers N` with N > 1: one parent, N uvicorn worker processes.

The parent starts the database (embedded or DATABASE_URL), migrates it and loads the demo once,
binds the listening socket, then runs uvicorn's process supervisor: N spawned workers accept on
that one inherited socket, each building the same app over its own connection pool. The
supervisor restarts a worker that dies (its death is logged as `Child process [pid] died`);
a worker that fails before it serves (a broken app, an unreachable database) stops them all,
since every restart would fail alike. SIGINT or SIGTERM stops the workers gracefully, then the
embedded PostgreSQL, and the command exits 0.

Spawned workers share no memory with the parent: what a worker needs travels in one
environment variable (WORKER_SETTINGS, JSON). It holds no secret of its own: the identity
secret is read again from INTEGRITY_ID_SECRET or the data folder's `id-secret`, as the parent
read it.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from uvicorn.config import STARTUP_FAILURE

from domains.core.db import make_engine, make_sessionmaker
from domains.core.settings import ConfigurationError, Settings, id_secret

WORKER_SETTINGS = "INTEGRITY_WORKER_SETTINGS"
# The connections of one process's pool, all kept open: as many as SQLAlchemy's default allows
# at most (5 kept open + 10 more under load). Under the bench's concurrency of 16 the default
# closed a connection given back beyond the fifth and opened a new one at the next checkout: a
# connect (a server process forked on PostgreSQL's core), a JSONB codec set up and every
# statement prepared again on a cold cache, about a tenth of a read's samples (py-spy).
POOL_CONNECTIONS = 15
# Connections left for everything that is not a worker: migrations, `integrity` commands run
# beside the server, psql, a monitoring agent.
HEADROOM_CONNECTIONS = 10
# How long the supervisor waits for a worker's answer to its health check before it kills and
# replaces it. uvicorn's 5 s is shorter than a new worker's start (a fresh interpreter importing
# uvicorn) on a busy 2-core machine: every worker was killed before it could serve.
HEALTHCHECK_SECONDS = 30
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def default_workers() -> int:
    """The cores this process may run on (its affinity, e.g. a container's cpuset)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class PoolSize:
    """One process's connection pool: `size` connections, all kept open."""

    size: int


def pool_sizes(max_connections: int, reserved: int, workers: int) -> PoolSize:
    """Each worker's share of PostgreSQL's connections, all kept open: POOL_CONNECTIONS when
    it fits, else the share left after `reserved` and HEADROOM_CONNECTIONS. N workers of 15
    would exceed a default server (max_connections 100) from 7 on."""
    share = (max_connections - reserved - HEADROOM_CONNECTIONS) // workers
    if share >= POOL_CONNECTIONS:
        return PoolSize(POOL_CONNECTIONS)
    if share < 2:
        raise ConfigurationError(
            f"{workers} workers need at least 2 database connections each, but PostgreSQL "
            f"allows {max_connections} (of which {reserved} reserved and "
            f"{HEADROOM_CONNECTIONS} kept for commands): use fewer workers or raise "
            "max_connections")
    return PoolSize(share)


async def server_connection_limits(session: AsyncSession) -> tuple[int, int]:
    """(max_connections, connections reserved for superusers and pg_use_reserved_connections)."""
    limit = int(await session.scalar(text("SELECT current_setting('max_connections')")) or 0)
    reserved = await session.scalar(text(
        "SELECT sum(setting::int) FROM pg_settings "
        "WHERE name IN ('superuser_reserved_connections', 'reserved_connections')"))
    return limit, int(reserved or 0)


@dataclass(frozen=True)
class WorkerSettings:
    """What a spawned worker needs to build the app the single process would build."""

    url: str
    data_dir: str
    embedded: bool
    pool: PoolSize
    dev: bool
    production: bool
    allow_list: bool
    log_level: str
    log_format: str
    statement_timeout_ms: int | None
    metrics_token: str | None
    parent: int = field(default_factory=os.getpid)  # the supervisor: workers end with it

    def to_environment(self) -> None:
        """Hand the settings to the workers the supervisor spawns next."""
        os.environ[WORKER_SETTINGS] = json.dumps(asdict(self))

    @classmethod
    def from_environment(cls) -> WorkerSettings:
        values = json.loads(os.environ[WORKER_SETTINGS])
        return cls(**{**values, "pool": PoolSize(**values["pool"])})

    def secret(self) -> bytes:
        """The identity secret, found where the parent found it."""
        return id_secret(Settings(database_url=None if self.embedded else self.url,
                                  data_dir=Path(self.data_dir), dev_mode=self.dev,
                                  log_level=self.log_level))


def stop_with_parent(parent: int) -> None:
    """Ask Linux for a SIGTERM when the parent ends. A parent killed outright (SIGKILL, the
    OOM killer) cannot stop its workers, which would go on serving the port on a database
    that the parent no longer keeps running; SIGTERM stops them gracefully."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the supervisor's own stop only
        return
    if os.getppid() != parent:  # the parent ended before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)


def create_worker_app() -> FastAPI:
    """uvicorn's app factory in each worker. A failure exits with uvicorn's STARTUP_FAILURE,
    on which the supervisor stops every worker instead of restarting this one forever (uvicorn
    itself maps only a factory's TypeError to it)."""
    try:
        settings = WorkerSettings.from_environment()
        stop_with_parent(settings.parent)
        return _worker_app(settings)
    except Exception:
        logging.getLogger("integrity.workers").exception("the worker could not build the app")
        sys.exit(STARTUP_FAILURE)


def _worker_app(settings: WorkerSettings) -> FastAPI:
    """The parent's settings, this worker's pool."""
    from graph.app import AppOptions, create_app, tune_garbage_collector
    from graph.cli.runtime import configure_logging
    from graph.policy import OperationPolicy

    configure_logging(settings.log_level, settings.log_format)
    engine = make_engine(settings.url, statement_timeout_ms=settings.statement_timeout_ms,
                         pool_size=settings.pool.size, max_overflow=0)
    policy = OperationPolicy(production=settings.production, allow_list=settings.allow_list)
    app = create_app(make_sessionmaker(engine), id_secret=settings.secret(), options=AppOptions(
        dev_mode=settings.dev, policy=policy, metrics_token=settings.metrics_token))

    @asynccontextmanager
    async def disposing(_: FastAPI) -> AsyncIterator[None]:
        yield
        await engine.dispose()  # close this worker's connections as it stops

    app.router.lifespan_context = disposing
    tune_garbage_collector()
    return app
