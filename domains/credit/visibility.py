"""Who sees a record's details (DOMAIN.md section 3), as SQL for lists and in Python for one row.

Both forms say the same as `lifecycle.visible_to`: CREDIT_OFFICE sees everything; another
audience sees a record only while it is in force today and PUBLIC, or GOVERNMENT_SHARED with
the audience in its share scope. The stored status is the status today (events are stamped
with today's date), so neither form needs a replay.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, any_, literal, or_, true

from domains.credit.enums import Audience, Disclosure, RecordStatus
from domains.credit.lifecycle import IN_FORCE_STATUSES, visible_to
from domains.credit.models import CreditRecord

CREDIT_OFFICE = Audience.CREDIT_OFFICE.value


def in_force_on(status: ColumnElement[str], day: date,
                valid_until: ColumnElement[date | None] | None = None) -> ColumnElement[bool]:
    """In force on `day` given the status and validUntil the record had then (stored or
    replayed; validUntil defaults to the stored one)."""
    until = CreditRecord.valid_until if valid_until is None else valid_until
    return and_(
        status.in_(sorted(IN_FORCE_STATUSES)),
        CreditRecord.valid_from <= day,
        or_(until.is_(None), until >= day),
    )


def visible_condition(audience: str, today: date) -> ColumnElement[bool]:
    """The records a client of `audience` may see today, as a WHERE condition."""
    if audience == CREDIT_OFFICE:
        return true()
    shared = and_(
        CreditRecord.disclosure == Disclosure.GOVERNMENT_SHARED.value,
        literal(audience) == any_(CreditRecord.share_scope),
    )
    return and_(
        in_force_on(CreditRecord.status, today),  # type: ignore[arg-type]
        or_(CreditRecord.disclosure == Disclosure.PUBLIC.value, shared),
    )


def record_visible(record: CreditRecord, audience: str, today: date) -> bool:
    """Whether a client of `audience` may see this record's details today."""
    if audience not in Audience.__members__:
        return False
    return visible_to(
        Audience(audience),
        Disclosure(record.disclosure),
        [Audience(a) for a in record.share_scope],
        RecordStatus(record.status),
        record.valid_from,
        record.valid_until,
        today,
    )
