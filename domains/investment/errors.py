"""The error codes of the investment domain (DOMAIN.md sections 8 and 9) and their messages.

Expected failures are data: the service collects them per row (`ErrorCollector`) and raises one
`DomainError` for the whole batch, so nothing is written. The codes of a violation's record
(severity, sanction, validity) come from the credit domain's rules, unchanged.
"""

from __future__ import annotations

from typing import Final

from domains.investment.rules import APPROVAL_OUT_OF_ORDER, INVALID_VALUE

NOT_FOUND: Final = "NOT_FOUND"
CONFLICT: Final = "CONFLICT"
INVALID_USCC: Final = "INVALID_USCC"

NO_PROJECT: Final = "no investment project {code!r}"
FROZEN_APPROVAL: Final = ("this approval is already approved: it can no longer be changed "
                          "(send the same content, or a new submission)")
VIOLATION_CHANGED: Final = "a violation with this sourceRef exists with other content"
NOT_AFTER_TODAY: Final = "{field} may not be after today"
OCCURRED_AFTER_DECISION: Final = "occurredOn may not be after decidedOn"
ESTIMATE: Final = "estimatedTotal must be above 0 with at most two decimals"

__all__ = ["APPROVAL_OUT_OF_ORDER", "CONFLICT", "INVALID_USCC", "INVALID_VALUE", "NOT_FOUND"]
