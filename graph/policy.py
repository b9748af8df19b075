"""Production mode: what may run. One setting (INTEGRITY_PRODUCTION=1 or `serve --production`)
turns introspection and the console off; the allow-list of persisted operations
(INTEGRITY_ALLOW_LIST=1 or `serve --allow-list`) lets only the documents added with
`integrity operations add` run.

Introspection is refused by graphql-core's NoSchemaIntrospectionCustomRule, added per request
from the context's policy (the schema is one object for every app). The allow-list is checked
before any execution, from the request's JSON body, so a refused document reaches neither the
parser nor a resolver.
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


async def requested_document(request: Request) -> str | None:
    """The `query` of a JSON request body; None when there is none to check (strawberry then
    answers the malformed request itself)."""
    try:
        body: Any = json.loads(await request.body())
    except ValueError:
        return None
    query = body.get("query") if isinstance(body, dict) else None
    return query if isinstance(query, str) else None


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
