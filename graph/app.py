"""The FastAPI application: /graphql, /healthz, /readyz."""

from __future__ import annotations

import gc
import logging
import re
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domains.access import identity
from domains.access import service as access
from domains.core import migrate
from graph.context import Caller, Context, new_request_id
from graph.http import (
    BodySizeLimit,
    EdgeError,
    GraphQLEdgeRouter,
    database_unavailable,
    edge_response,
)
from graph.schema import schema

log = logging.getLogger("integrity.http")

UNAUTHENTICATED = {"errors": [{"message": "unauthenticated",
                               "extensions": {"code": "UNAUTHENTICATED"}}]}


class Unauthenticated(Exception):
    """No valid API key on the request."""


def bearer_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    return key.strip()


# A response of a few thousand records allocates hundreds of thousands of short-lived objects;
# with the default threshold (700) the cyclic collector runs thousands of times per request and
# takes about half of its time (python -m tests.benchmark: 50 units 1.43 s -> 0.66 s median).
GC_THRESHOLDS = (50_000, 20, 20)


def tune_garbage_collector() -> None:
    """Collect less often, and leave the objects of start-up out of every collection."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


PROBES = frozenset({"/healthz", "/readyz"})
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def client_request_id(request: Request) -> str | None:
    """The caller's X-Request-ID when it is a plain token: it goes into log lines, so anything
    else (line breaks, long text) is replaced by a fresh id."""
    given = request.headers.get("x-request-id", "")
    return given if _REQUEST_ID.fullmatch(given) else None


def create_app(sessionmaker: async_sessionmaker[AsyncSession], *, id_secret: bytes,
               dev_mode: bool = False, id_lookups_per_hour: int | None = None,
               max_body_bytes: int | None = None) -> FastAPI:
    """The service over this session factory (tests pass one bound to a rolled-back connection).
    `id_lookups_per_hour` is the budget of clients without their own (default: the
    environment's INTEGRITY_ID_LOOKUPS_PER_HOUR or 100); `max_body_bytes` the largest request
    body (default: INTEGRITY_MAX_BODY_BYTES or 8 MiB)."""
    default_budget = id_lookups_per_hour or identity.default_lookups_per_hour()

    async def get_context(request: Request) -> AsyncIterator[Context]:
        request_id = client_request_id(request) or new_request_id()
        request.state.request_id = request_id
        async with sessionmaker() as session:
            if dev_mode and request.method == "GET":  # GraphiQL's page; GET never executes
                yield Context(session, Caller("graphiql", "NONE"), request_id, id_secret)
                return
            key = bearer_key(request)
            try:
                client = await access.authenticate(session, key) if key else None
            except (OSError, TimeoutError, DBAPIError):
                log.warning("database unreachable (request %s)", request_id, exc_info=True)
                raise database_unavailable() from None
            if client is None:
                raise Unauthenticated()
            caller = Caller(name=client.name, audience=client.audience,
                            id_lookups_per_hour=client.id_lookups_per_hour or default_budget)
            request.state.client = caller.name
            await session.rollback()  # end the look-up's transaction before the operation
            yield Context(session, caller, request_id, id_secret)

    router = GraphQLEdgeRouter(
        schema, context_getter=get_context,
        graphql_ide="graphiql" if dev_mode else None,
        allow_queries_via_get=False)
    app = FastAPI(title="integrity-graph", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(router, prefix="/graphql")
    # inside request_log (added below, so outside this): a refusal is logged with its id
    app.add_middleware(BodySizeLimit, limit=max_body_bytes,
                       request_id=lambda scope: client_request_id(Request(scope))
                       or new_request_id())

    @app.exception_handler(EdgeError)
    async def refused_at_the_edge(request: Request, error: EdgeError) -> JSONResponse:
        return edge_response(request, error)

    @app.exception_handler(Unauthenticated)
    async def unauthenticated(_: Request, __: Unauthenticated) -> JSONResponse:
        return JSONResponse(UNAUTHENTICATED, status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})

    @app.middleware("http")
    async def request_log(request: Request, call_next: Any) -> Any:
        """One line per request with its id and client, in place of uvicorn's access log
        (which would print a query string); probes log at DEBUG only."""
        started = time.perf_counter()
        response = await call_next(request)
        request_id = getattr(request.state, "request_id", "-")
        response.headers["X-Request-ID"] = request_id
        level = logging.DEBUG if request.url.path in PROBES else logging.INFO
        log.log(level, "%s %s %s %d %.1fms client=%s", request_id, request.method,
                request.url.path, response.status_code, (time.perf_counter() - started) * 1000,
                getattr(request.state, "client", "-"))
        return response

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        try:
            async with sessionmaker() as session:
                await session.execute(text("SELECT 1"))
                current = await session.scalar(text("SELECT version_num FROM alembic_version"))
        except Exception:  # the database is not reachable or not migrated: not ready
            log.warning("readiness check failed", exc_info=True)
            return JSONResponse({"status": "database unreachable"}, status_code=503)
        head = migrate.head_revision()
        if current != head:
            return JSONResponse({"status": "migrations pending", "current": current,
                                 "head": head}, status_code=503)
        return JSONResponse({"status": "ready", "revision": current})

    return app
