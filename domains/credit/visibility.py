"""Who sees a record's details (DOMAIN.md section 3), bound to the stored record: as a WHERE
condition for lists and as a check of one loaded row.

Both apply the one rule of `lifecycle.visible_to` / `lifecycle.visible_sql` to the record's
own columns. The stored status is the status today (events are stamped with today's date), so
neither form needs a replay.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement

from domains.credit.lifecycle import visible_sql, visible_to
from domains.credit.models import CreditRecord


def visible_condition(audience: str, today: date) -> ColumnElement[bool]:
    """The records a client of `audience` may see today, as a WHERE condition."""
    r = CreditRecord
    return visible_sql(audience, r.disclosure, r.share_scope, r.status, r.valid_from,
                       r.valid_until, today)


def record_visible(record: CreditRecord, audience: str, today: date) -> bool:
    """Whether a client of `audience` may see this record's details today."""
    return visible_to(audience, record.disclosure, record.share_scope, record.status,
                      record.valid_from, record.valid_until, today)
