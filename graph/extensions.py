"""Schema extensions: bounds on every operation, and the end-of-request audit write."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from graph.errors import MaskUnexpectedErrors
from graph.limits import DocumentLimits

log = logging.getLogger("integrity.graphql")

MAX_DEPTH = 15
MAX_ALIASES = 30
MAX_TOKENS = 5000


class FinishRequest(SchemaExtension):
    """After execution, before the response: write the audit rows of the reads it made; a
    request refused by the client's identity look-up budget answers HTTP 429."""

    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        finish = getattr(context, "finish", None)
        if finish is not None:
            await finish()
        refusal = getattr(context, "budget_refusal", None)
        response = getattr(context, "response", None)
        if refusal is not None and response is not None:
            response.status_code = 429
            response.headers["Retry-After"] = str(refusal.retry_after)


def extensions() -> list[object]:
    """Factories, so that every request gets fresh extension instances."""
    return [
        DocumentLimits,
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        FinishRequest,
        MaskUnexpectedErrors,
    ]
