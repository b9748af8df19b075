"""The HTTP edge of /graphql: a body-size limit before the body is read, and JSON answers with a
code and a request id for what never reaches GraphQL (a body that is not a JSON object, an
unreachable database) instead of plain text or a 500."""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Final

from cross_web import HTTPException
from fastapi import Request, Response
from fastapi.responses import JSONResponse
from strawberry.fastapi import GraphQLRouter
from strawberry.types.unset import UNSET

DEFAULT_MAX_BODY_BYTES: Final = 8 * 1024 * 1024
DATABASE_RETRY_AFTER: Final = 5
_SUB_RESPONSE: Final = "graphql_sub_response"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


def max_body_bytes() -> int:
    """INTEGRITY_MAX_BODY_BYTES, or DEFAULT_MAX_BODY_BYTES."""
    value = os.environ.get("INTEGRITY_MAX_BODY_BYTES", "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_BODY_BYTES


def error_body(code: str, message: str, request_id: str) -> dict[str, Any]:
    return {"errors": [{"message": message,
                        "extensions": {"code": code, "requestId": request_id}}]}


class EdgeError(Exception):
    """A request refused before GraphQL: answered as JSON with this status and code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def bad_request(message: str) -> EdgeError:
    return EdgeError(400, "BAD_REQUEST", message)


def database_unavailable() -> EdgeError:
    return EdgeError(503, "DATABASE_UNAVAILABLE", "the database is unavailable; retry later")


def edge_response(request: Request, error: EdgeError) -> JSONResponse:
    request_id = str(getattr(request.state, "request_id", None) or "-")
    headers = {"Retry-After": str(DATABASE_RETRY_AFTER)} if error.status == 503 else None
    return JSONResponse(error_body(error.code, error.message, request_id),
                        status_code=error.status, headers=headers)


class GraphQLEdgeRouter(GraphQLRouter[Any, None]):
    """strawberry's router, with a strict body parser: a body that is not UTF-8 JSON holding an
    object (a string, bytes in another encoding, nesting too deep to decode) is a JSON 400
    with a code; so is every refusal strawberry itself answers in plain text."""

    def parse_json(self, data: str | bytes) -> Any:
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
            parsed = json.loads(text)
        except UnicodeDecodeError:
            raise bad_request("the body must be UTF-8 encoded JSON") from None
        except (ValueError, RecursionError):
            raise bad_request("the body is not valid JSON (or nests too deep)") from None
        if not isinstance(parsed, dict):
            raise bad_request("the body must be a JSON object with a `query`")
        return parsed

    async def run_for(self, request: Request, context: Any, sub_response: Response) -> Any:
        """The view run on a context opened by the caller (graph.endpoint, without FastAPI's
        dependencies); `sub_response` is where the operation sets its status and headers."""
        request.scope.setdefault("state", {})[_SUB_RESPONSE] = sub_response
        return await self.run(request, context=context, root_value=None)

    async def get_sub_response(self, request: Request) -> Response:
        """The request's own sub-response when `run_for` gave one, else strawberry's
        (`temporal_response`, which its FastAPI route sets just before it runs the view)."""
        given: Response | None = request.scope.get("state", {}).get(_SUB_RESPONSE)
        return given if given is not None else await super().get_sub_response(request)

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        try:
            return await super().run(request, context=context, root_value=root_value)
        except HTTPException as refused:
            raise EdgeError(refused.status_code, "BAD_REQUEST", refused.reason) from None


class BodySizeLimit:
    """Pure ASGI middleware: a body over the limit answers 413 before it is read whole.

    A declared Content-Length over the limit is refused at once; otherwise the chunks are
    counted as they arrive and the request is refused as soon as they pass the limit, so at
    most the limit is ever held in memory.
    """

    def __init__(self, app: App, limit: int | None = None,
                 request_id: Callable[[Scope], str] | None = None) -> None:
        self.app, self.limit = app, limit or max_body_bytes()
        self.request_id = request_id or (lambda scope: "-")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > self.limit:
                await self._refuse(scope, send)
                return
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        request_id = self.request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        response = JSONResponse(error_body(
            "BODY_TOO_LARGE", f"the request body may have at most {self.limit} bytes",
            request_id), status_code=413, headers={"Connection": "close"})
        await response(scope, _no_receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the body already read, then defers to the server's receive."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}
