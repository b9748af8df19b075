"""How a request refused before GraphQL is answered (no key, a refused body, a persisted query
not found, an operation off the allow-list): one handler per refusal, used both as FastAPI's
exception handlers and by the lean POST /graphql (graph.endpoint), so both answer alike."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from graph import telemetry
from graph.endpoint import Refusal
from graph.http import EdgeError, edge_response
from graph.policy import (
    OperationNotAllowed,
    PersistedQueryNotFound,
    not_allowed_response,
    persisted_query_not_found_response,
)

UNAUTHENTICATED = {"errors": [{"message": "unauthenticated",
                               "extensions": {"code": "UNAUTHENTICATED"}}]}


class Unauthenticated(Exception):
    """No valid API key on the request."""


def refused_at_the_edge(request: Request, error: EdgeError) -> JSONResponse:
    telemetry.record_error(error.code)
    return edge_response(request, error)


def unauthenticated(_: Request, __: Unauthenticated) -> JSONResponse:
    telemetry.record_error("UNAUTHENTICATED")
    return JSONResponse(UNAUTHENTICATED, status_code=401,
                        headers={"WWW-Authenticate": "Bearer"})


def persisted_query_not_found(_: Request, exc: PersistedQueryNotFound) -> JSONResponse:
    telemetry.record_error("PERSISTED_QUERY_NOT_FOUND")
    return persisted_query_not_found_response(exc)


def not_allowed(_: Request, exc: OperationNotAllowed) -> JSONResponse:
    telemetry.record_error("OPERATION_NOT_ALLOWED")
    return not_allowed_response(exc)


REFUSALS: dict[type[Exception], Refusal] = {
    EdgeError: refused_at_the_edge, Unauthenticated: unauthenticated,
    PersistedQueryNotFound: persisted_query_not_found, OperationNotAllowed: not_allowed}


def add_handlers(app: FastAPI) -> None:
    """REFUSALS as the app's exception handlers (every route but the lean POST /graphql)."""
    for kind, handler in REFUSALS.items():
        app.add_exception_handler(kind, _async(handler))


def _async(handler: Refusal) -> Callable[[Request, Exception], Awaitable[Response]]:
    async def handle(request: Request, error: Exception) -> Response:
        return handler(request, error)
    return handle
