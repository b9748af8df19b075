"""Schema extensions: bounds on every operation, introspection in production, the end-of-request
audit write, and what the request log and metrics learn of the operation."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.types.graphql import OperationType

from graph import telemetry
from graph.errors import MaskUnexpectedErrors
from graph.limits import DocumentLimits
from graph.policy import IntrospectionGate, PersistedQueries

log = logging.getLogger("integrity.graphql")

MAX_DEPTH = 15
MAX_ALIASES = 30
MAX_TOKENS = 5000
# The depth and alias rules are built once: strawberry's limiters build a new rule class per
# instance, so per-request instances would make every request's rules differ and defeat the
# validation cache (graph.limits.DocumentCache), which is keyed by the rules.
BOUND_RULES = (*QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
               *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules)


class FinishRequest(SchemaExtension):
    """After execution, before the response: write the audit rows of the reads it made; a
    request refused by the client's identity look-up budget answers HTTP 429."""

    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        finish = getattr(context, "finish", None)
        if finish is not None:
            result = self.execution_context.result
            await finish(read_only=self.execution_context.operation_type is OperationType.QUERY
                         and not getattr(result, "errors", None))
        refusal = getattr(context, "budget_refusal", None)
        response = getattr(context, "response", None)
        if refusal is not None and response is not None:
            response.status_code = 429
            response.headers["Retry-After"] = str(refusal.retry_after)


class RequestTelemetry(SchemaExtension):
    """Tells the request's facts (graph.telemetry) the operation name and the error codes of
    the answer. Listed first, so it leaves last and sees the codes as masking set them."""

    def on_operation(self) -> Iterator[None]:
        yield
        facts = telemetry.current()
        if facts is None:
            return
        facts.operation = telemetry.operation_name(self.execution_context.operation_name)
        errors = getattr(self.execution_context.result, "errors", None) or []
        facts.error_codes.extend(str((e.extensions or {}).get("code", "INTERNAL"))
                                 for e in errors)


def extensions() -> list[object]:
    """Factories, so that every request gets fresh extension instances."""
    return [
        RequestTelemetry,
        PersistedQueries,
        DocumentLimits,
        IntrospectionGate,
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: AddValidationRules(list(BOUND_RULES)),
        FinishRequest,
        MaskUnexpectedErrors,
    ]
