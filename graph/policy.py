"""Production mode: what may run. One setting (INTEGRITY_PRODUCTION=1 or `serve --production`)
turns introspection and the console off; the allow-list of persisted operations
(INTEGRITY_ALLOW_LIST=1 or `serve --allow-list`) lets only the documents added with
`integrity operations add` run.

Introspection is refused by graphql-core's NoSchemaIntrospectionCustomRule, added per request
from the context's policy (the schema is one object for every app). The allow-list is checked
before any execution, from the request's JSON body, so a refused document reaches neither the
parser nor a resolver.

Persisted queries: a client may send, instead of the document's text, the SHA-256 of a
document on that same list, in Apollo's shape: `{"extensions": {"persistedQuery": {"version": 1,
"sha256Hash": "<hex>"}}, "variables": ...}`. An unknown hash answers PERSISTED_QUERY_NOT_FOUND
and runs nothing; a hash sent with a `query` must be that query's. Registered documents are kept
per process (domains.access.cache), so each is parsed and validated once per process.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from graphql.validation import NoSchemaIntrospectionCustomRule
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.extensions import SchemaExtension

from domains.access import operations
from domains.access.cache import AccessCache

NOT_ALLOWED = "OPERATION_NOT_ALLOWED"
PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
_BODY = "integrity_json_body"


@dataclass(frozen=True)
class OperationPolicy:
    """What the server lets run."""

    production: bool = False
    allow_list: bool = False

    @property
    def introspection(self) -> bool:
        return not self.production


class OperationNotAllowed(Exception):
    """The document is not on the allow-list of persisted operations."""

    def __init__(self, sha256: str) -> None:
        super().__init__(sha256)
        self.sha256 = sha256


def not_allowed_response(exc: OperationNotAllowed) -> JSONResponse:
    body = {"errors": [{"message": "this operation is not on the server's allow-list of "
                                   "persisted operations (integrity operations add)",
                        "extensions": {"code": NOT_ALLOWED, "sha256": exc.sha256}}]}
    return JSONResponse(body, status_code=403)


class PersistedQueryNotFound(Exception):
    """The request names a document by a hash that is not on the list."""

    def __init__(self, sha256: str) -> None:
        super().__init__(sha256)
        self.sha256 = sha256


def persisted_query_not_found_response(exc: PersistedQueryNotFound) -> JSONResponse:
    """HTTP 200, as Apollo answers it, so that its clients may fall back to sending the text."""
    body = {"errors": [{"message": "PersistedQueryNotFound: no persisted operation has this "
                                   "sha256Hash (integrity operations add)",
                        "extensions": {"code": PERSISTED_QUERY_NOT_FOUND,
                                       "sha256": exc.sha256[:64]}}]}
    return JSONResponse(body, status_code=200)


class PersistedQueryMismatch(ValueError):
    """A request sent both a query and a hash that is not the query's."""


async def request_body(request: Request) -> dict[str, Any] | None:
    """The JSON object of the request body, decoded once per request; None when it is not one
    (strawberry then answers the malformed request itself)."""
    state = request.scope.setdefault("state", {})
    if _BODY not in state:
        try:
            body: Any = json.loads(await request.body())
        except (ValueError, RecursionError):
            body = None
        state[_BODY] = body if isinstance(body, dict) else None
    found: dict[str, Any] | None = state[_BODY]
    return found


async def requested_document(request: Request) -> str | None:
    """The `query` of a JSON request body; None when there is none to check."""
    body = await request_body(request)
    query = body.get("query") if body is not None else None
    return query if isinstance(query, str) else None


def _persisted_hash(body: dict[str, Any]) -> str | None:
    extensions = body.get("extensions")
    persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
    sha = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    return sha if isinstance(sha, str) else None


async def persisted_document(request: Request, session: AsyncSession,
                             cache: AccessCache | None = None) -> str | None:
    """The registered document a request names by its hash alone; None when the request sends
    its text (or names nothing). PersistedQueryNotFound for an unknown hash,
    PersistedQueryMismatch for a hash sent with another query."""
    if request.method != "POST" or b"persistedQuery" not in await request.body():
        return None  # the common case, without decoding the body once more
    body = await request_body(request)
    sha = _persisted_hash(body) if body is not None else None
    if body is None or sha is None:
        return None
    query = body.get("query")
    if isinstance(query, str):
        if operations.document_hash(query) != sha.strip().lower():
            raise PersistedQueryMismatch("persistedQuery.sha256Hash is not the SHA-256 of the "
                                         "query sent with it")
        return None
    normalised = sha.strip().lower()
    document = None
    if operations.SHA256_HEX.fullmatch(normalised):
        document = await operations.registered_document(session, normalised,
                                                        cache or AccessCache())
    if document is None:
        raise PersistedQueryNotFound(sha)
    return document


async def check_allowed(policy: OperationPolicy, request: Request,
                        session: AsyncSession, cache: AccessCache | None = None) -> None:
    """OperationNotAllowed unless the allow-list is off or holds the requested document."""
    if not policy.allow_list or request.method != "POST":
        return
    document = await requested_document(request)
    if document is not None and not await operations.is_allowed_cached(
            session, document, cache or AccessCache()):
        raise OperationNotAllowed(operations.document_hash(document))


class IntrospectionGate(SchemaExtension):
    """Refuses `__schema` and `__type` when the context's policy turns introspection off."""

    def on_operation(self) -> Iterator[None]:
        policy = getattr(self.execution_context.context, "policy", None)
        if policy is not None and not policy.introspection:
            self.execution_context.validation_rules = (
                *self.execution_context.validation_rules, NoSchemaIntrospectionCustomRule)
        yield


class PersistedQueries(SchemaExtension):
    """Runs the registered document the context found for a request sent by hash
    (graph.app puts it in `context.persisted_query`)."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        document = getattr(context.context, "persisted_query", None)
        if document is not None and context.query is None:
            context.query = document
        yield
