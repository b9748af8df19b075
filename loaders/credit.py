"""Loaders of the credit domain: records, their events and objections, and the record facts
that other domains' decisions build on."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, func, literal, or_, select, true, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from domains.credit.enums import RecordNature, RecordStatus
from domains.credit.facts import RecordFacts, undo_corrections
from domains.credit.lifecycle import EVENT_TIE_ORDER, counted_sql, in_force_sql
from domains.credit.models import CreditRecord, Objection, RecordEvent
from domains.credit.queries import (
    RECORD_ORDER,
    RecordFilter,
    corrected_after,
    later_corrections,
    latest_status,
    records_query,
    replayed_status,
)
from domains.restriction.assessing import may_decide_sql
from loaders.base import KEYS, Loader, RankedPages, Rows, any_key, grouped, in_key_order

FactsKey = tuple[uuid.UUID, date]
# (subject id, filter, offset, limit)
RecordPageKey = tuple[uuid.UUID, RecordFilter, int, int]
# The columns of a record as a page shows it, in this order: a page row holds them at these
# positions (graph.credit.types.CreditRecordType.from_values reads them so).
RECORD_COLUMNS = (
    "id", "unit_id", "civil_servant_id", "decided_by_id", "status", "valid_until",
    "sanction_months", "procurement_contract_id", "ppp_event_id", "investment_project_id",
    "nature", "category", "severity", "sanction", "domain", "title", "summary",
    "decision_number", "decided_on", "valid_from", "act_ended_on", "disclosure", "share_scope",
    "source_system", "source_ref")
RecordValues = Sequence[Any]
RecordPage = tuple[list[RecordValues], int]


class RecordFactsBySubjectLoader(Loader[FactsKey, list[RecordFacts]]):
    """(subject id, asOf) -> every record of the subject that exists for asOf, status replayed:
    for a consumer that must see every record (a joint action's basis, whose errors differ for
    a record not in force). Decisions read `DecisionFactsBySubjectLoader`.

    One query per distinct asOf in the batch (a request normally has one), whatever the number
    of subjects or records.
    """

    async def fetch(self, session: AsyncSession,
                    keys: list[FactsKey]) -> Sequence[list[RecordFacts]]:
        pairs: list[tuple[FactsKey, RecordFacts]] = []
        for as_of in sorted({k[1] for k in keys}):
            subjects = list({k[0]: None for k in keys if k[1] == as_of})
            rows = await session.execute(self.statement(as_of), {KEYS: subjects})
            pairs.extend(((row[0], as_of), facts_of(row)) for row in rows.all())
        return grouped(keys, pairs)

    @staticmethod
    def statement(as_of: date) -> Rows:
        """The statement of the day: `facts_statement`'s columns, for the subjects `:keys`."""
        return facts_statement(as_of)


class DecisionFactsBySubjectLoader(RecordFactsBySubjectLoader):
    """(subject id, asOf) -> the subject's records that a decision on asOf can use
    (`domains.restriction.assessing.may_decide`), status replayed: what every assessment reads.

    PostgreSQL leaves out the rest (on the scale-1 data more than half of a unit's records:
    expired, repaired, revoked...), so neither the wire nor Python carries them.
    """

    @staticmethod
    def statement(as_of: date) -> Rows:
        return decision_facts_statement(as_of)


@lru_cache(maxsize=64)
def facts_statement(as_of: date) -> Rows:
    """The records of the subjects `:keys` decided on or before `as_of`, with their replayed
    status and later corrections: plain columns (no ORM entity: the rows only become values),
    in `facts_of`'s order, built once per day asked (a request normally asks today)."""
    r = CreditRecord
    return (select(r.subject_id, r.id, r.nature, r.category, r.severity, r.sanction,
                   r.sanction_months, r.decided_on, r.valid_from, r.valid_until,
                   replayed_status(as_of).label("status"), r.domain,
                   later_corrections(as_of).label("later_corrections"))
            .where(any_key(r.subject_id), r.decided_on <= as_of)
            .order_by(r.decided_on, r.id))


@lru_cache(maxsize=64)
def decision_facts_statement(as_of: date) -> Rows:
    """`facts_statement` narrowed to the records `may_decide` keeps on `as_of`, judged on the
    stored content with the replayed status; a record corrected after `as_of` is always kept,
    since its stored content is not the one it had then (facts_of undoes the corrections).

    In two steps, so that the replayed status is read once per record (as a scalar subquery
    PostgreSQL ran it in the filter and again in the columns: a quarter of the statement's
    buffers for the largest units): the records that may_decide could keep with the most
    lenient status, ACTIVE (in force and not revoked), or corrected after the day; then, the
    status joined once, those it keeps with the replayed one."""
    r = CreditRecord
    lenient = may_decide_sql(status=literal(RecordStatus.ACTIVE.value), valid_from=r.valid_from,
                             valid_until=r.valid_until, category=r.category,
                             severity=r.severity, sanction=r.sanction, day=as_of)
    columns = (r.subject_id, r.id, r.nature, r.category, r.severity, r.sanction,
               r.sanction_months, r.decided_on, r.valid_from, r.valid_until, r.domain)
    # OFFSET 0 keeps PostgreSQL from merging the two steps (and so the status subquery back)
    candidates = (select(*columns)
                  .where(any_key(r.subject_id), r.decided_on <= as_of,
                         or_(lenient, corrected_after(as_of)))
                  .offset(0).subquery("candidates"))
    c = candidates.c
    latest = latest_status(c.id, as_of)
    status = func.coalesce(latest.c.status_after, RecordStatus.ACTIVE.value)
    usable = may_decide_sql(status=status, valid_from=c.valid_from, valid_until=c.valid_until,
                            category=c.category, severity=c.severity, sanction=c.sanction,
                            day=as_of)
    return (select(c.subject_id, c.id, c.nature, c.category, c.severity, c.sanction,
                   c.sanction_months, c.decided_on, c.valid_from, c.valid_until,
                   status.label("status"), c.domain,
                   later_corrections(as_of, c.id).label("later_corrections"))
            .select_from(candidates).outerjoin(latest, true())
            .where(or_(usable, corrected_after(as_of, c.id)))
            .order_by(c.decided_on, c.id))


def facts_of(row: Sequence[Any]) -> RecordFacts:
    """A `facts_statement` row's facts with its status replayed and the corrections made after
    the day undone (newest first): its content as it stood at the end of that day.

    Positional: the row's columns 1 to 11 are RecordFacts' fields in order, by name too
    (tests/loaders/test_decision_facts.py); read by name, the whole loader cost 7.3 ms of CPU
    per unit of the scale-1 bench's units, 4.7 by position."""
    facts = RecordFacts(*row[1:12])
    later: list[dict[str, Any]] | None = row[12]
    return facts if later is None else undo_corrections(facts, later)


def record_values(row: CreditRecord) -> tuple[Any, ...]:
    """An ORM record's RECORD_COLUMNS values: a row just read holds them all in its __dict__
    (read there, not through one descriptor call per column); an expired row loads them."""
    loaded: dict[str, Any] = row.__dict__
    try:
        return tuple([loaded[name] for name in RECORD_COLUMNS])
    except KeyError:
        return tuple([getattr(row, name) for name in RECORD_COLUMNS])


class CreditRecordByIdLoader(Loader[uuid.UUID, CreditRecord | None]):
    """A record by id, whoever asks: callers judge visibility (domains.credit.visibility)."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[CreditRecord | None]:
        rows = await session.scalars(RECORDS_BY_ID, {KEYS: keys})
        return in_key_order(keys, {r.id: r for r in rows}, None)


RECORDS_BY_ID = select(CreditRecord).where(any_key(CreditRecord.id))


class RecordsBySubjectLoader(Loader[RecordPageKey, RecordPage]):
    """A page (subject, filter, offset, limit) of the records the scope's audience sees today,
    decidedOn desc then id desc, with the total count of the filtered list.

    One query per distinct filter of the batch: a window function numbers each subject's rows.
    The rows are plain columns (RECORD_COLUMNS first), not ORM entities: a page only becomes
    GraphQL objects (50 entities: about 600 of the credit-file read's 26,000 Python calls,
    and their identity map).
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
        last = max(offset + limit for _, _, offset, limit in keys)
        rows = (await session.execute(
            ranked_records(record_filter, scope.audience, scope.today),
            {KEYS: list({k[0]: None for k in keys}), "last": last})).all()
        width = len(RECORD_COLUMNS)
        pages: RankedPages[uuid.UUID, RecordValues] = RankedPages(
            (r[width], r[width + 1], r[width + 2], r) for r in rows)
        result = {}
        for key in keys:
            subject_id, _, offset, limit = key
            result[key] = pages.page(subject_id, offset, limit)
        return result


@lru_cache(maxsize=256)
def ranked_records(record_filter: RecordFilter, audience: str, today: date) -> Rows:
    """The first `:last` records of each subject of `:keys` that `audience` sees today through
    the filter: RECORD_COLUMNS, then the subject, n (from 1, in list order) and the subject's
    total.

    Built once per (filter, audience, day): the visibility and filter conditions carry the day
    as a literal, the subjects and the page end are parameters, so a request reuses the
    statement (and its memoised cache key) instead of building and hashing it again."""
    ranked = (
        records_query(record_filter, audience, today)
        .where(any_key(CreditRecord.subject_id))
        .add_columns(
            func.row_number().over(partition_by=CreditRecord.subject_id,
                                   order_by=RECORD_ORDER).label("n"),
            func.count().over(partition_by=CreditRecord.subject_id).label("total"))
    ).subquery()
    columns = [ranked.c[name] for name in (*RECORD_COLUMNS, "subject_id", "n", "total")]
    return (select(*columns)
            .where(ranked.c.n <= bindparam("last")).order_by(ranked.c.subject_id, ranked.c.n))


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
        result = await session.execute(EVENTS_BY_RECORD, {KEYS: keys})
        rows = [EventView(*row) for row in result.all()]
        rows.sort(key=lambda e: (e.at, EVENT_TIE_ORDER.get(e.kind, 99), e.seq))
        return grouped(keys, [(e.record_id, e) for e in rows])


EVENTS_BY_RECORD = select(
    RecordEvent.record_id, RecordEvent.seq, RecordEvent.kind, RecordEvent.at, RecordEvent.actor,
    RecordEvent.note, RecordEvent.changes).where(any_key(RecordEvent.record_id))


class ObjectionsByRecordLoader(Loader[uuid.UUID, list[Objection]]):
    """A record's objections, oldest first."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[list[Objection]]:
        rows = await session.scalars(OBJECTIONS_BY_RECORD, {KEYS: keys})
        return grouped(keys, [(o.record_id, o) for o in rows])


OBJECTIONS_BY_RECORD = (select(Objection).where(any_key(Objection.record_id))
                        .order_by(Objection.filed_at, Objection.id))


class RecordCountsBySubjectLoader(Loader[uuid.UUID, tuple[int, int]]):
    """subject id -> (DISHONEST records counted today, TRUSTWORTHY records in force today),
    hidden records included (DOMAIN.md section 3). One grouped query for the whole batch.

    UNDER_INVESTIGATION records are not a finding and are not counted (lifecycle.counted).
    """

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[tuple[int, int]]:
        rows = await session.execute(counts_statement(self.scope.today), {KEYS: keys})
        counts = {subject: (int(d), int(t)) for subject, d, t in rows.all()}
        return in_key_order(keys, counts, (0, 0))


@lru_cache(maxsize=8)
def counts_statement(today: date) -> Rows:
    """RecordCountsBySubjectLoader's grouped count of the subjects `:keys`, built once a day."""
    r = CreditRecord
    dishonest = counted_sql(r.nature, r.sanction, r.status, r.valid_from, r.valid_until, today)
    trustworthy = and_(r.nature == RecordNature.TRUSTWORTHY.value,
                       in_force_sql(r.status, r.valid_from, r.valid_until, today))
    return (select(r.subject_id, func.count().filter(dishonest), func.count().filter(trustworthy))
            .where(any_key(r.subject_id)).group_by(r.subject_id))


# (filter, offset, limit) across every subject, or within one
FilteredPageKey = tuple[uuid.UUID | None, RecordFilter, int, int]


class RecordsByFilterLoader(Loader[FilteredPageKey, RecordPage]):
    """A page of the records the scope's audience sees today matching a filter, optionally of
    one subject, decidedOn desc then id desc, with the total. One query per key (top-level
    lists are asked once per request)."""

    async def fetch(self, session: AsyncSession,
                    keys: list[FilteredPageKey]) -> Sequence[RecordPage]:
        scope = self.scope
        result: list[RecordPage] = []
        for subject_id, record_filter, offset, limit in keys:
            listed = records_query(record_filter, scope.audience, scope.today)
            if subject_id is not None:
                listed = listed.where(CreditRecord.subject_id == subject_id)
            ranked = listed.add_columns(func.count().over().label("total")).order_by(
                *RECORD_ORDER).offset(offset).limit(limit)
            rows = (await session.execute(ranked)).all()
            total = rows[0][1] if rows else await session.scalar(
                select(func.count()).select_from(listed.subquery())) or 0
            values: list[RecordValues] = [record_values(r) for r, _ in rows]
            result.append((values, int(total)))
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
