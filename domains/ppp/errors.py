"""The error codes of the PPP domain (DOMAIN.md sections 7 and 9) and their messages.

Expected failures are data: the service collects them per row (`ErrorCollector`) and raises one
`DomainError` for the whole batch, so nothing is written.
"""

from __future__ import annotations

from typing import Final

NOT_FOUND: Final = "NOT_FOUND"
CONFLICT: Final = "CONFLICT"
INVALID_VALUE: Final = "INVALID_VALUE"
INVALID_USCC: Final = "INVALID_USCC"
INVALID_ID_NUMBER: Final = "INVALID_ID_NUMBER"
OVERLAPPING_ASSIGNMENT: Final = "OVERLAPPING_ASSIGNMENT"
SEVERITY_REQUIRED: Final = "SEVERITY_REQUIRED"
SEVERITY_NOT_ALLOWED: Final = "SEVERITY_NOT_ALLOWED"

CODES: Final = frozenset({NOT_FOUND, CONFLICT, INVALID_VALUE, INVALID_USCC, INVALID_ID_NUMBER,
                          OVERLAPPING_ASSIGNMENT, SEVERITY_REQUIRED, SEVERITY_NOT_ALLOWED})

NO_PROJECT: Final = "no PPP project {code}"
NO_PERSON: Final = "no civil servant with this number"
CODE_SLASH: Final = ("may not contain '/': generated records are keyed "
                     "<projectCode>/<event sourceRef>/<subject id>")
OVERLAP: Final = ("this person already answers for this stage of the project on a day of this "
                  "period (periods are inclusive; an open end never ends)")
REVERSED: Final = "endedOn may not be before startedOn"
AFTER_TODAY: Final = "may not be after today"  # prefixed by the field's name
EVENT_CHANGED: Final = ("an event with this sourceRef is already recorded for the project with "
                        "other content (events are never changed)")
BLANK_ITEM: Final = "items may not be blank"
