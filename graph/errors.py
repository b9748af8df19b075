"""GraphQL-level errors with a stable `extensions.code`, and the masking of everything else."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

log = logging.getLogger("integrity.graphql")


def graph_error(code: str, message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def forbidden(what: str = "this field") -> GraphQLError:
    return graph_error("FORBIDDEN", f"your audience may not read {what}")


class MaskUnexpectedErrors(MaskErrors):
    """Masks errors without a code, logging them with the request id the client receives.

    Errors outside any field (parse, validation, variable coercion: no path) are the client's
    own and keep their message; they get the code GRAPHQL_VALIDATION_FAILED.
    """

    def __init__(self) -> None:
        super().__init__(should_mask_error=self._should_mask, error_message="Unexpected error.")

    @staticmethod
    def _should_mask(error: GraphQLError) -> bool:
        return not (error.extensions or {}).get("code")

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if not errors:
            return
        for error in errors:
            if error.path is None and not (error.extensions or {}).get("code"):
                error.extensions = {**(error.extensions or {}), "code": "GRAPHQL_VALIDATION_FAILED"}
        self._process_result(result)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = self._request_id()
        log.error("unexpected error (request %s) at %s", request_id, error.path,
                  exc_info=error.original_error or error)
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL", "requestId": request_id}
        return masked

    def _request_id(self) -> str:
        context: Any = self.execution_context.context
        return str(getattr(context, "request_id", "-"))
