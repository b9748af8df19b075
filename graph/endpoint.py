"""POST /graphql answered straight from the app's ASGI call (issue 13).

Through FastAPI a query passed its exception middlewares, its router's route matching (the
included router's, then the route's), `solve_dependencies` for the context and root value, and
`AsyncExitStack`s, before strawberry's view ran: a seventh of a read's samples on the scale-1
data (py-spy), and they add nothing this route needs. `IntegrityApp` hands `POST /graphql` to
`GraphQLEndpoint`, which does what those layers did for it, in the same order: the request log
and the body limit around it (the same middlewares as every other route), the context opened
as the dependency opened it, strawberry's view run on it, the refusals answered by the same
handlers as FastAPI's exception handlers. Every other request (GET, the console, probes,
/metrics, another path) goes through FastAPI as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import FastAPI, Request, Response

from graph.context import Context
from graph.http import App, GraphQLEdgeRouter, Receive, Scope, Send

Refusal = Callable[[Request, Any], Response]
OpenContext = Callable[[Request], AbstractAsyncContextManager[Context]]
PATH = "/graphql"


class GraphQLEndpoint:
    """Runs strawberry's view for one POST /graphql, with a context opened for it."""

    def __init__(self, router: GraphQLEdgeRouter, open_context: OpenContext,
                 refusals: Mapping[type[Exception], Refusal]) -> None:
        self.router, self.open_context, self.refusals = router, open_context, refusals
        self.refused = tuple(refusals)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        try:
            response = await self._answer(request)
        except self.refused as error:
            response = self._refusal(request, error)
        await response(scope, receive, send)

    async def _answer(self, request: Request) -> Response:
        # What FastAPI gives a `response: Response` parameter: headers and a status the
        # operation may set (FinishRequest: 429 and Retry-After), copied into the answer.
        sub_response = Response()
        del sub_response.headers["content-length"]
        sub_response.status_code = None  # type: ignore[assignment]
        async with self.open_context(request) as context:
            context.request, context.response = request, sub_response
            answer: Response = await self.router.run_for(request, context, sub_response)
            return answer

    def _refusal(self, request: Request, error: Exception) -> Response:
        for kind in type(error).__mro__:
            handler = self.refusals.get(kind)
            if handler is not None:
                return handler(request, error)
        raise error  # unreachable: `refused` holds only the keys of `refusals`


class IntegrityApp(FastAPI):
    """FastAPI, with POST /graphql served by `graphql_post` when it is set."""

    graphql_post: App | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (self.graphql_post is not None and scope["type"] == "http"
                and scope["path"] == PATH and scope["method"] == "POST"):
            scope["app"] = self  # as Starlette sets it: `request.app`
            await self.graphql_post(scope, receive, send)
            return
        await super().__call__(scope, receive, send)
