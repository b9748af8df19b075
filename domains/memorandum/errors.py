"""The error codes and messages of memoranda and joint actions (DOMAIN.md section 9).

The codes are those of DOMAIN.md; the service collects every error of an input and raises one
`DomainError`, so nothing is written.
"""

from __future__ import annotations

from typing import Final

NOT_FOUND: Final = "NOT_FOUND"
FORBIDDEN: Final = "FORBIDDEN"
INVALID_VALUE: Final = "INVALID_VALUE"
INVALID_USCC: Final = "INVALID_USCC"
INVALID_STATE: Final = "INVALID_STATE"
CONFLICT: Final = "CONFLICT"
REASON_REQUIRED: Final = "REASON_REQUIRED"
UNKNOWN_MEASURE: Final = "UNKNOWN_MEASURE"

BLANK: Final = "{field} may not be blank"
TOO_LONG: Final = "{field} has at most {limit} characters"
NO_SUCH_UNIT: Final = "no unit has this unified social credit code"
NO_SUCH_MEMORANDUM: Final = "no memorandum has this number"
NO_SUCH_ACTION: Final = "no joint action has this id"
NO_SUCH_RECORD: Final = "no credit record you may see has this id"
TRUSTWORTHY_CATEGORY: Final = "COMMENDATION is a trustworthiness record: a memorandum punishes"
NO_SEVERITY: Final = "name at least one severity (GENERAL or SERIOUS)"
MINOR_SEVERITY: Final = "MINOR findings trigger no measure (DOMAIN.md section 4)"
PERIOD: Final = "validUntil may not be before effectiveFrom"
RESPONSE_DAYS: Final = "responseWorkingDays is 1 to 60"
FEW_SIGNATORIES: Final = "a memorandum has at least two signatory units"
REPEATED_SIGNATORY: Final = "this unit is listed as a signatory already"
NO_MEASURES: Final = "every signatory applies at least one measure"
REPEATED_MEASURE: Final = "this signatory lists the measure already"
PUBLISHED_FIELDS: Final = ("{code} is on the published measure list: its name, effect and legal "
                           "basis come from the list; omit them")
UNPUBLISHED: Final = ("{code} is not on the published measure list on {day} for a {kind}; a "
                      "memorandum's own measure needs name, effect and legalBasis")
OWN_MEASURE_DIFFERS: Final = "{code} is listed by another signatory with other content"
VERSION_EXISTS: Final = ("version {version} takes effect on this day with other content; a "
                         "version is never rewritten: amend with a later effectiveFrom")
EARLIER_THAN_LATEST: Final = ("an amendment takes effect after the latest version "
                              "({day}); versions are only appended")
AMENDMENT_IN_PAST: Final = "an amendment takes effect from today or later, not {day}"
NOT_IN_FORCE: Final = "memorandum {number} is not in force on {day}"
WRONG_SUBJECT_KIND: Final = "memorandum {number} covers subjects of kind {kind}"
NOT_A_SIGNATORY: Final = "this unit is not a signatory of the memorandum's version"
INITIATOR_RESPONDS: Final = "the initiating unit does not respond to its own action"
NOT_YOUR_UNIT: Final = "your client does not act for this unit (integrity clients bind)"
NOT_THE_INITIATOR: Final = "only the initiating unit (or the credit office) withdraws an action"
NO_BASIS: Final = "cite at least one basis record"
OTHER_SUBJECT: Final = "record {index} belongs to another subject"
ACTION_EXISTS: Final = ("this initiator's case {ref} started another action (other memorandum, "
                        "subject or basis)")
OTHER_RESPONSE: Final = "this signatory responded already with other content; it responds once"
ACTION_CLOSED: Final = "the action is {status}: no response is taken"
OTHER_WITHDRAWAL: Final = "the action is {status} already"
REASON_MISSING: Final = "a withdrawal needs a reason"
