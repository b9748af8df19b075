"""GraphQL-level errors with a stable `extensions.code`, and the masking of everything else."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from sqlalchemy.exc import DBAPIError
from strawberry.extensions import MaskErrors

from domains.subject import keys

log = logging.getLogger("integrity.graphql")

# Anything shaped like an identity number (GB 11643: 6 digits, a birth date, 3 digits and a digit
# or X), standing alone.
_ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])[0-9]{6}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])"
    r"(?:0[1-9]|[12][0-9]|3[01])(?:[0-9]{4}|[0-9]{3}[Xx])(?![0-9A-Za-z])")


def redact_id_numbers(text: str) -> str:
    """`text` with every identity number masked as DOMAIN.md section 1 shows it
    (`****************3X`): GraphQL's own messages quote the value a client sent, and an
    exception may quote an argument."""
    return _ID_NUMBER.sub(lambda m: keys.mask_id_number(m[0]), text)


class RedactIdNumbers(logging.Filter):
    """Masks identity numbers in a log record's message and stack trace (rendered here, so
    handlers print the redacted text)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact_id_numbers(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact_id_numbers(
                logging.Formatter().formatException(record.exc_info))
        return True


log.addFilter(RedactIdNumbers())


def graph_error(code: str, message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def forbidden(what: str = "this field") -> GraphQLError:
    return graph_error("FORBIDDEN", f"your audience may not read {what}")


QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout


def timed_out(error: BaseException | None) -> bool:
    """Whether a resolver failed because PostgreSQL cancelled its statement (statement_timeout)."""
    while error is not None:
        if isinstance(error, DBAPIError):
            return getattr(error.orig, "sqlstate", None) == QUERY_CANCELED
        error = error.__cause__
    return False


def unreachable(error: BaseException | None) -> bool:
    """Whether a resolver failed because the database connection was lost or refused."""
    while error is not None:
        if isinstance(error, OSError | TimeoutError) or (
                isinstance(error, DBAPIError) and error.connection_invalidated):
            return True
        error = error.__cause__
    return False


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
            if timed_out(error.original_error):
                error.message = ("the operation ran longer than the statement timeout allows; "
                                 "ask for less (smaller pages, fewer nested lists)")
                error.extensions = {"code": "STATEMENT_TIMEOUT", "requestId": self._request_id()}
            elif unreachable(error.original_error):
                log.warning("database unreachable (request %s)", self._request_id(),
                            exc_info=error.original_error)
                error.message = "the database is unavailable; retry later"
                error.extensions = {"code": "DATABASE_UNAVAILABLE",
                                    "requestId": self._request_id()}
            error.message = redact_id_numbers(error.message)
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
