"""Loaders of the credit domain: records, their events and objections, and the record facts
that other domains' decisions build on."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domains.credit.enums import RecordNature
from domains.credit.facts import RecordFacts, undo_corrections
from domains.credit.lifecycle import EVENT_TIE_ORDER, counted_sql, in_force_sql
from domains.credit.models import CreditRecord, Objection, RecordEvent
from domains.credit.queries import (
    RECORD_ORDER,
    RecordFilter,
    later_corrections,
    records_query,
    replayed_status,
)
from loaders.base import Loader, RankedPages, grouped, in_key_order

FactsKey = tuple[uuid.UUID, date]
# (subject id, filter, offset, limit)
RecordPageKey = tuple[uuid.UUID, RecordFilter, int, int]
RecordPage = tuple[list[CreditRecord], int]


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
                select(CreditRecord, replayed_status(as_of).label("status_as_of"),
                       later_corrections(as_of).label("later_corrections"))
                .where(CreditRecord.subject_id.in_(subjects), CreditRecord.decided_on <= as_of)
                .order_by(CreditRecord.decided_on, CreditRecord.id))
            pairs.extend(((r.subject_id, as_of), facts_of(r, status, later))
                         for r, status, later in rows.all())
        return grouped(keys, pairs)


def facts_of(record: CreditRecord, status: str,
             later_corrections: list[dict[str, Any]] | None = None) -> RecordFacts:
    """The record's facts with its status replayed and the corrections made after the day
    undone (newest first): its content as it stood at the end of that day."""
    facts = RecordFacts(
        id=record.id, nature=record.nature, category=record.category, severity=record.severity,
        sanction=record.sanction, sanction_months=record.sanction_months,
        decided_on=record.decided_on, valid_from=record.valid_from,
        valid_until=record.valid_until, status=status, domain=record.domain)
    return undo_corrections(facts, later_corrections)


class CreditRecordByIdLoader(Loader[uuid.UUID, CreditRecord | None]):
    """A record by id, whoever asks: callers judge visibility (domains.credit.visibility)."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[CreditRecord | None]:
        rows = await session.scalars(select(CreditRecord).where(CreditRecord.id.in_(keys)))
        return in_key_order(keys, {r.id: r for r in rows}, None)


class RecordsBySubjectLoader(Loader[RecordPageKey, RecordPage]):
    """A page (subject, filter, offset, limit) of the records the scope's audience sees today,
    decidedOn desc then id desc, with the total count of the filtered list.

    One query per distinct filter of the batch: a window function numbers each subject's rows.
    """

    async def fetch(self, session: AsyncSession,
                    keys: list[RecordPageKey]) -> Sequence[RecordPage]:
        pages: dict[RecordPageKey, RecordPage] = {}
        for record_filter in dict.fromkeys(k[1] for k in keys):
            group = [k for k in keys if k[1] == record_filter]
            pages.update(await self._pages(session, record_filter, group))
        return [pages[key] for key in keys]

    async def _pages(self, session: AsyncSession, record_filter: RecordFilter,
                     keys: list[RecordPageKey]) -> dict[RecordPageKey, RecordPage]:
        scope = self.scope
        ranked = (
            records_query(record_filter, scope.audience, scope.today)
            .where(CreditRecord.subject_id.in_({k[0] for k in keys}))
            .add_columns(
                func.row_number().over(partition_by=CreditRecord.subject_id,
                                       order_by=RECORD_ORDER).label("n"),
                func.count().over(partition_by=CreditRecord.subject_id).label("total"))
        ).subquery()
        record = aliased(CreditRecord, ranked)
        last = max(offset + limit for _, _, offset, limit in keys)
        rows = (await session.execute(
            select(record, ranked.c.n, ranked.c.total)
            .where(ranked.c.n <= last).order_by(ranked.c.subject_id, ranked.c.n))).all()
        pages = RankedPages((r.subject_id, n, total, r) for r, n, total in rows)
        result = {}
        for key in keys:
            subject_id, _, offset, limit = key
            result[key] = pages.page(subject_id, offset, limit)
        return result


class EventView(NamedTuple):
    """A history line as read (plain columns: no ORM identity to track for thousands of rows)."""

    record_id: uuid.UUID
    seq: int
    kind: str
    at: datetime
    actor: str
    note: str | None
    changes: dict[str, object] | None = None


class EventsByRecordLoader(Loader[uuid.UUID, list[EventView]]):
    """A record's history: `at` ascending, ties in RecordEventKind order (REPORTED first)."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[list[EventView]]:
        result = await session.execute(
            select(RecordEvent.record_id, RecordEvent.seq, RecordEvent.kind, RecordEvent.at,
                   RecordEvent.actor, RecordEvent.note, RecordEvent.changes)
            .where(RecordEvent.record_id.in_(keys)))
        rows = [EventView(*row) for row in result.all()]
        rows.sort(key=lambda e: (e.at, EVENT_TIE_ORDER.get(e.kind, 99), e.seq))
        return grouped(keys, [(e.record_id, e) for e in rows])


class ObjectionsByRecordLoader(Loader[uuid.UUID, list[Objection]]):
    """A record's objections, oldest first."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[list[Objection]]:
        rows = await session.scalars(
            select(Objection).where(Objection.record_id.in_(keys))
            .order_by(Objection.filed_at, Objection.id))
        return grouped(keys, [(o.record_id, o) for o in rows])


class RecordCountsBySubjectLoader(Loader[uuid.UUID, tuple[int, int]]):
    """subject id -> (DISHONEST records counted today, TRUSTWORTHY records in force today),
    hidden records included (DOMAIN.md section 3). One grouped query for the whole batch.

    UNDER_INVESTIGATION records are not a finding and are not counted (lifecycle.counted).
    """

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[tuple[int, int]]:
        r, today = CreditRecord, self.scope.today
        dishonest = counted_sql(r.nature, r.sanction, r.status, r.valid_from, r.valid_until, today)
        trustworthy = and_(r.nature == RecordNature.TRUSTWORTHY.value,
                           in_force_sql(r.status, r.valid_from, r.valid_until, today))
        rows = await session.execute(
            select(CreditRecord.subject_id,
                   func.count().filter(dishonest), func.count().filter(trustworthy))
            .where(CreditRecord.subject_id.in_(keys)).group_by(CreditRecord.subject_id))
        counts = {subject: (int(d), int(t)) for subject, d, t in rows.all()}
        return in_key_order(keys, counts, (0, 0))


# (filter, offset, limit) across every subject, or within one
FilteredPageKey = tuple[uuid.UUID | None, RecordFilter, int, int]


class RecordsByFilterLoader(Loader[FilteredPageKey, RecordPage]):
    """A page of the records the scope's audience sees today matching a filter, optionally of
    one subject, decidedOn desc then id desc, with the total. One query per key (top-level
    lists are asked once per request)."""

    async def fetch(self, session: AsyncSession,
                    keys: list[FilteredPageKey]) -> Sequence[RecordPage]:
        scope = self.scope
        result = []
        for subject_id, record_filter, offset, limit in keys:
            listed = records_query(record_filter, scope.audience, scope.today)
            if subject_id is not None:
                listed = listed.where(CreditRecord.subject_id == subject_id)
            ranked = listed.add_columns(func.count().over().label("total")).order_by(
                *RECORD_ORDER).offset(offset).limit(limit)
            rows = (await session.execute(ranked)).all()
            total = rows[0][1] if rows else await session.scalar(
                select(func.count()).select_from(listed.subquery())) or 0
            result.append(([r for r, _ in rows], int(total)))
        return result


class CreditRecordBySourceKeyLoader(Loader[tuple[str, str], CreditRecord | None]):
    """A record by (sourceSystem, sourceRef), whoever asks: callers judge visibility.

    The key is the reporting system's own and is stored as sent, blanks trimmed (generated refs
    hold case-sensitive global ids), so it is looked up exactly, through the unique index.
    """

    async def fetch(self, session: AsyncSession,
                    keys: list[tuple[str, str]]) -> Sequence[CreditRecord | None]:
        stored = tuple_(CreditRecord.source_system, CreditRecord.source_ref)
        rows = await session.scalars(select(CreditRecord).where(stored.in_(set(keys))))
        return in_key_order(keys, {(r.source_system, r.source_ref): r for r in rows}, None)
