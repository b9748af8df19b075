"""The credit write service (DOMAIN.md sections 2, 3 and 9), the one import for callers:
`report_records` (domains.credit.reporting), `write_generated` for the records another
domain writes from its own facts (domains.credit.generated), and the status changes of a
reported record (domains.credit.transitions). Services flush and never commit; a refused
write raises `DomainError` with one `InputError` per problem, and nothing is written.
"""

from __future__ import annotations

from domains.credit.generated import GeneratedRecord, write_generated
from domains.credit.reporting import RecordRow, report_records
from domains.credit.transitions import (
    RecordPatch,
    correct_record,
    exempt_record,
    file_objection,
    repair_record,
    resolve_objection,
    revoke_record,
)
from domains.credit.writing import PERSONNEL_CATEGORIES, SYSTEM_ACTOR, may_write

__all__ = [
    "GeneratedRecord", "write_generated",
    "PERSONNEL_CATEGORIES", "SYSTEM_ACTOR", "RecordPatch", "RecordRow", "correct_record",
    "exempt_record", "file_objection", "may_write", "repair_record", "report_records",
    "resolve_objection", "revoke_record",
]
