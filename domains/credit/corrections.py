"""A record as its source reported it (DOMAIN.md section 2: "the same content" is the content as
reported). A correction changes the stored record and keeps every changed field's old value in
its CORRECTED event; undoing the corrections (`domains.credit.facts.undone_values`, as replay
does) gives the reported content, so a source's unchanged nightly re-send is still recognised
after the credit office corrected the record."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.credit.enums import RecordEventKind
from domains.credit.facts import undone_values
from domains.credit.models import CreditRecord, RecordEvent
from domains.credit.transitions import PATCH_FIELDS

# CORRECTED event field (input casing) -> credit_record column
COLUMNS = {field: column for column, field in PATCH_FIELDS.items()}


async def corrections_of(session: AsyncSession, record_ids: Sequence[uuid.UUID]
                         ) -> dict[uuid.UUID, list[dict[str, object]]]:
    """The `changes` of every CORRECTED event of these records, newest first (one statement;
    none when there is no record)."""
    if not record_ids:
        return {}
    rows = await session.execute(
        select(RecordEvent.record_id, RecordEvent.changes)
        .where(RecordEvent.record_id.in_(record_ids),
               RecordEvent.kind == RecordEventKind.CORRECTED.value)
        .order_by(RecordEvent.seq.desc()))
    found: dict[uuid.UUID, list[dict[str, object]]] = {}
    for record_id, changes in rows:
        if changes:
            found.setdefault(record_id, []).append(changes)
    return found


def reported_content(record: CreditRecord, columns: Sequence[str],
                     corrections: Sequence[Mapping[str, object]]) -> dict[str, object]:
    """The stored record's `columns` as its source reported them (`corrections` newest first)."""
    content = {column: getattr(record, column) for column in columns}
    content.update({column: value for column, value in undone_values(corrections, COLUMNS).items()
                    if column in content})
    return content
