"""The error codes of credit writes (DOMAIN.md sections 2, 3 and 9) and their shared messages.

Expected failures are data: services collect them per row (`ErrorCollector`) and raise one
`DomainError`, so nothing is written. Rule codes come from the pure rules; the codes that need
the database (look-ups, keys, permissions) are named here.
"""

from __future__ import annotations

from typing import Final

from domains.credit.lifecycle import INVALID_STATE, REPAIR_TOO_EARLY
from domains.credit.rules import (
    INVALID_VALUE,
    MINOR_NOT_PUBLIC,
    SEVERITY_NOT_ALLOWED,
    SEVERITY_REQUIRED,
    VALIDITY_OUT_OF_RANGE,
)
from domains.subject.keys import INVALID_ID_NUMBER, INVALID_USCC

NOT_FOUND: Final = "NOT_FOUND"
FORBIDDEN: Final = "FORBIDDEN"
CONFLICT: Final = "CONFLICT"

CODES: Final = frozenset({
    NOT_FOUND, FORBIDDEN, CONFLICT, INVALID_VALUE, INVALID_USCC, INVALID_ID_NUMBER,
    SEVERITY_REQUIRED, SEVERITY_NOT_ALLOWED, VALIDITY_OUT_OF_RANGE, MINOR_NOT_PUBLIC,
    INVALID_STATE, REPAIR_TOO_EARLY,
})

OUT_OF_SCOPE: Final = "your audience may not report this record (write scope, DOMAIN.md section 3)"
NOT_YOURS: Final = "only CREDIT_OFFICE or the client that reported the record may do this"
NOT_ALLOWED: Final = "your audience may not do this"
NO_RECORD: Final = "no credit record with this id"
BATCH_CONFLICT: Final = "the same (sourceSystem, sourceRef) appears earlier in this batch with " \
    "other content"
STORED_CONFLICT: Final = "a record with this (sourceSystem, sourceRef) exists with other content"
FOREIGN_SYSTEM: Final = "another client reports under this sourceSystem: report under your own"
NO_INVESTMENT_PROJECT: Final = "no investment project with this code"
BLANK: Final = "must not be blank"

__all__ = [
    "CODES", "CONFLICT", "FORBIDDEN", "INVALID_ID_NUMBER", "INVALID_STATE", "INVALID_USCC",
    "INVALID_VALUE", "MINOR_NOT_PUBLIC", "NOT_FOUND", "REPAIR_TOO_EARLY", "SEVERITY_NOT_ALLOWED",
    "SEVERITY_REQUIRED", "VALIDITY_OUT_OF_RANGE",
]
