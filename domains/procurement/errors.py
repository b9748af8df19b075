"""The error codes of the procurement domain (DOMAIN.md sections 6 and 9) and their messages.

Expected failures are data: the service collects them per row (`ErrorCollector`) and raises one
`DomainError` for the whole batch, so nothing is written.
"""

from __future__ import annotations

from typing import Final

from domains.procurement.rules import INVALID_VALUE, MILESTONE_OUT_OF_ORDER, PAYMENT_TERM_TOO_LONG

NOT_FOUND: Final = "NOT_FOUND"
CONFLICT: Final = "CONFLICT"
INVALID_USCC: Final = "INVALID_USCC"
INVALID_ID_NUMBER: Final = "INVALID_ID_NUMBER"

CODES: Final = frozenset({NOT_FOUND, CONFLICT, INVALID_VALUE, INVALID_USCC, INVALID_ID_NUMBER,
                          PAYMENT_TERM_TOO_LONG, MILESTONE_OUT_OF_ORDER})

FROZEN_CONTRACT: Final = ("the contract already has a milestone: it can no longer be changed "
                          "(send the same content, or a new code)")
MILESTONE_CHANGED: Final = "this milestone is already recorded with another date"
OUT_OF_ORDER: Final = "ACCEPTED and PAID need a DELIVERED on or before their date"
TERM_TOO_LONG: Final = ("an SME supplier must be paid within {limit} days (保障中小企业款项支付"
                        "条例); only a STATE_ENTERPRISE purchaser may agree longer")
TERM_RANGE: Final = "must be between 1 and 365 days"
AFTER_TODAY: Final = "may not be after today"

__all__ = ["CODES", "CONFLICT", "INVALID_ID_NUMBER", "INVALID_USCC", "INVALID_VALUE",
           "MILESTONE_OUT_OF_ORDER", "NOT_FOUND", "PAYMENT_TERM_TOO_LONG"]
