"""The FastAPI application: /graphql, /healthz, /readyz, /metrics and (dev) the console."""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import asyncpg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from domains.access import identity
from domains.access import service as access
from domains.access.cache import AccessCache, AccessListener
from domains.core import migrate
from graph import metrics, telemetry
from graph.context import Caller, Context, new_request_id
from graph.endpoint import GraphQLEndpoint, IntegrityApp
from graph.errors import RedactIdNumbers, redact_id_numbers
from graph.http import (
    App,
    BodySizeLimit,
    Message,
    Receive,
    Scope,
    Send,
    bad_request,
    database_unavailable,
)
from graph.limits import DocumentCache
from graph.policy import (
    OperationPolicy,
    PersistedQueryMismatch,
    check_allowed,
    persisted_document,
)
from graph.refusals import REFUSALS, Unauthenticated, add_handlers
from graph.router import IntegrityRouter, mount_console
from graph.schema import schema
from loaders.base import RULES_CHANNEL, RuleTableCache

log = logging.getLogger("integrity.http")
log.addFilter(RedactIdNumbers())  # a stack trace may quote an argument


def internal_error(request_id: str) -> dict[str, object]:
    return {"errors": [{"message": "Unexpected error.",
                        "extensions": {"code": "INTERNAL", "requestId": request_id}}]}


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
    return plain_request_id(request.headers.get("x-request-id", ""))


def plain_request_id(given: str) -> str | None:
    if not _REQUEST_ID.fullmatch(given) or redact_id_numbers(given) != given:
        return None  # an identity number is never logged, even as a request id
    return given


class RequestLog:
    """Every route: the request id (the caller's X-Request-ID when it is a plain token)
    echoed in the answer, one log line (in place of uvicorn's access log, which would print a
    query string) and, for /graphql, the metrics. Probes log at DEBUG only.

    Pure ASGI: FastAPI's @app.middleware("http") (BaseHTTPMiddleware) runs every request in an
    anyio task group with memory streams, about 5% of a read's time in the profile."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"")
        request_id = plain_request_id(given.decode("latin-1")) or new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        facts = telemetry.RequestFacts(request_id=request_id, method=scope["method"],
                                       path=redact_id_numbers(scope["path"]))
        status = 500
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started, status = True, message["status"]
                message["headers"] = [*message.get("headers", ()),
                                      (b"x-request-id", request_id.encode())]
            await send(message)

        token = telemetry.begin(facts)
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:  # outside GraphQL (a probe, the key look-up): answered, not dropped
            log.exception("unexpected error (request %s) on %s", request_id, facts.path)
            facts.error_codes.append("INTERNAL")
            status = 500
            if not started:
                await JSONResponse(internal_error(request_id), status_code=500)(
                    scope, receive, send_with_id)
        finally:
            telemetry.end(token)
        _finished(facts, status)


@dataclass(frozen=True)
class AppOptions:
    """How the service runs (graph.cli.serve builds it from the settings)."""

    dev_mode: bool = False
    policy: OperationPolicy = field(default_factory=OperationPolicy)
    metrics_token: str | None = None
    # the budget of clients without their own (None: INTEGRITY_ID_LOOKUPS_PER_HOUR or 100)
    id_lookups_per_hour: int | None = None
    # the largest request body (None: INTEGRITY_MAX_BODY_BYTES or 8 MiB)
    max_body_bytes: int | None = None


def access_listener(cache: AccessCache, bind: object,
                    rules: RuleTableCache) -> AccessListener | None:
    """The listener that keeps `cache` and the rule tables' cache usable (domains.access.cache),
    for an app served by an engine; an app on one connection (the tests' rolled-back one)
    never caches."""
    if not isinstance(bind, AsyncEngine):
        return None
    dsn = bind.url.set(drivername="postgresql").render_as_string(hide_password=False)
    return AccessListener(cache, lambda: asyncpg.connect(dsn, timeout=5),
                          {RULES_CHANNEL: rules})


def create_app(sessionmaker: async_sessionmaker[AsyncSession], *, id_secret: bytes,
               options: AppOptions | None = None) -> FastAPI:
    """The service over this session factory (tests pass one bound to a rolled-back connection)."""
    options = options or AppOptions()
    if options.dev_mode and options.policy.production:
        raise ValueError("the console (dev mode) is never served in production mode")
    telemetry.count_statements()
    bind = sessionmaker.kw.get("bind")
    metrics.watch_pool(bind if isinstance(bind, AsyncEngine) else None)
    default_budget = options.id_lookups_per_hour or identity.default_lookups_per_hour()
    documents = DocumentCache()
    known = AccessCache()
    rules = RuleTableCache()
    listener = access_listener(known, bind, rules)

    @asynccontextmanager
    async def open_context(request: Request) -> AsyncIterator[Context]:
        request_id = request.state.request_id
        facts = telemetry.current()
        async with sessionmaker() as session:
            if options.dev_mode and request.method == "GET":  # the console; GET never executes
                yield Context(session, Caller("graphiql", "NONE"), request_id, id_secret)
                return
            key = bearer_key(request)
            if listener is not None:
                listener.ensure()
            try:
                client = await access.authenticate_known(session, key, known) if key else None
            except (OSError, TimeoutError, DBAPIError):
                log.warning("database unreachable (request %s)", request_id, exc_info=True)
                raise database_unavailable() from None
            if client is None:
                raise Unauthenticated()
            caller = Caller(name=client.name, audience=client.audience,
                            id_lookups_per_hour=client.id_lookups_per_hour or default_budget)
            if facts is not None:
                facts.client, facts.audience = caller.name, caller.audience
            try:
                persisted = await persisted_document(request, session, known)
            except PersistedQueryMismatch as error:
                raise bad_request(str(error)) from None
            await check_allowed(options.policy, request, session, known)
            await session.rollback()  # end the look-ups' transaction (if any) before the operation
            context = Context(session, caller, request_id, id_secret, options.policy, documents,
                              rules)
            context.persisted_query = persisted
            yield context

    async def get_context(request: Request) -> AsyncIterator[Context]:
        """FastAPI's dependency (GET: the console, and strawberry's refusals)."""
        async with open_context(request) as context:
            yield context

    router = IntegrityRouter(
        schema, context_getter=get_context,
        graphql_ide="graphiql" if options.dev_mode else None,
        allow_queries_via_get=False)
    app = IntegrityApp(title="integrity-graph", docs_url=None, redoc_url=None,
                       openapi_url=None)
    app.state.access_listener = listener  # closed by whoever disposes of the engine
    app.state.rule_tables = rules
    app.include_router(router, prefix="/graphql")
    # inside RequestLog (added later, so outside this): a refusal is logged with its id
    app.add_middleware(BodySizeLimit, limit=options.max_body_bytes, request_id=request_id_of)
    app.add_middleware(RequestLog)  # added last: outermost
    app.graphql_post = RequestLog(BodySizeLimit(
        GraphQLEndpoint(router, open_context, REFUSALS), limit=options.max_body_bytes,
        request_id=request_id_of))
    if options.dev_mode:
        mount_console(app)
    app.add_api_route("/metrics", metrics.metrics_endpoint(options.metrics_token),
                      methods=["GET"], include_in_schema=False)
    add_handlers(app)
    _probes(app, sessionmaker)
    return app


def request_id_of(scope: Scope) -> str:
    """The request id RequestLog gave the request (a fresh one outside it)."""
    given: str | None = scope.get("state", {}).get("request_id")
    return given or new_request_id()


def _finished(facts: telemetry.RequestFacts, status: int) -> None:
    seconds = facts.elapsed()
    if facts.path == "/graphql" and facts.method == "POST":
        metrics.observe_graphql(facts, status, seconds)
    level = logging.DEBUG if facts.path in PROBES | {"/metrics"} else logging.INFO
    fields = {"request_id": facts.request_id, "method": facts.method, "path": facts.path,
              "status": status, "duration_ms": round(seconds * 1000, 1),
              "client": facts.client, "audience": facts.audience,
              "operation": facts.operation, "statements": facts.statements,
              "error_codes": facts.error_codes}
    log.log(level, "%s %s %s %d %.1fms client=%s operation=%s statements=%d",
            facts.request_id, facts.method, facts.path, status, seconds * 1000, facts.client,
            facts.operation or "-", facts.statements, extra={"request": fields})


def _probes(app: FastAPI, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
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
