"""The error codes of formal checks and their outcomes (DOMAIN.md sections 4 and 9).

Expected failures are data: the service collects every error of an input (`ErrorCollector`)
and raises one `DomainError`, so nothing is written.
"""

from __future__ import annotations

from typing import Final

NOT_FOUND: Final = "NOT_FOUND"
FORBIDDEN: Final = "FORBIDDEN"
INVALID_VALUE: Final = "INVALID_VALUE"
INVALID_USCC: Final = "INVALID_USCC"
INVALID_ID_NUMBER: Final = "INVALID_ID_NUMBER"
INVALID_STATE: Final = "INVALID_STATE"
REASON_REQUIRED: Final = "REASON_REQUIRED"
UNKNOWN_MEASURE: Final = "UNKNOWN_MEASURE"

CODES: Final = frozenset({NOT_FOUND, FORBIDDEN, INVALID_VALUE, INVALID_USCC, INVALID_ID_NUMBER,
                          INVALID_STATE, REASON_REQUIRED, UNKNOWN_MEASURE})

AS_OF_AFTER_TODAY: Final = ("a formal check is made on what is known now: asOf may not be "
                            "after today")
NO_SUCH_UNIT: Final = "no unit has this unified social credit code"
NO_SUCH_PERSON: Final = "no civil servant has this identity-card number"
BLANK_REF: Final = "businessRef may not be blank"
LONG_REF: Final = "businessRef has at most {limit} characters"
NO_SUCH_CHECK: Final = "no restriction check has this id"
NOT_YOURS: Final = "only the client that made the check may report its outcome"
NO_CODES: Final = "MEASURES_APPLIED names at least one measure of the {owner}"
NOT_A_MEASURE: Final = "{code} is not a measure of this {owner}"
REASON_MISSING: Final = "NOT_APPLIED needs a reason"
CODES_NOT_ALLOWED: Final = "NOT_APPLIED names no measure"
OTHER_OUTCOME: Final = "this check already has another outcome; an outcome is reported once"
