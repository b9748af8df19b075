"""Loaders of the credit domain that other domains' decisions build on."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import Date, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.credit.facts import RecordFacts
from domains.credit.models import CreditRecord, RecordEvent
from loaders.base import Loader, grouped

FactsKey = tuple[uuid.UUID, date]


def replayed_status(as_of: date):  # type: ignore[no-untyped-def]
    """The stored status a record had at the end of `as_of` (Asia/Shanghai), as a scalar subquery.

    The latest event on or before that day decides; a record reported after it (but decided on
    or before it) was ACTIVE then: reporting is not a later event (DOMAIN.md section 0).
    """
    event_day = cast(func.timezone("Asia/Shanghai", RecordEvent.at), Date)
    latest = (select(RecordEvent.status_after)
              .where(RecordEvent.record_id == CreditRecord.id, event_day <= as_of)
              .order_by(RecordEvent.seq.desc()).limit(1).scalar_subquery())
    return func.coalesce(latest, "ACTIVE")


class RecordFactsBySubjectLoader(Loader[FactsKey, list[RecordFacts]]):
    """(subject id, asOf) -> every record of the subject that exists for asOf, status replayed.

    One query per distinct asOf in the batch (a request normally has one), whatever the number
    of subjects or records.
    """

    async def fetch(self, session: AsyncSession,
                    keys: list[FactsKey]) -> Sequence[list[RecordFacts]]:
        pairs: list[tuple[FactsKey, RecordFacts]] = []
        for as_of in sorted({k[1] for k in keys}):
            subjects = [k[0] for k in keys if k[1] == as_of]
            rows = await session.execute(
                select(CreditRecord, replayed_status(as_of).label("status_as_of"))
                .where(CreditRecord.subject_id.in_(subjects), CreditRecord.decided_on <= as_of)
                .order_by(CreditRecord.decided_on, CreditRecord.id))
            pairs.extend(((r.subject_id, as_of), facts_of(r, status)) for r, status in rows.all())
        return grouped(keys, pairs)


def facts_of(record: CreditRecord, status: str) -> RecordFacts:
    return RecordFacts(
        id=record.id, nature=record.nature, category=record.category, severity=record.severity,
        sanction=record.sanction, sanction_months=record.sanction_months,
        decided_on=record.decided_on, valid_from=record.valid_from,
        valid_until=record.valid_until, status=status, domain=record.domain)
