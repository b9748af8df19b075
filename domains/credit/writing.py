"""What every credit write shares (reporting, generated records and status changes): the write
scope of DOMAIN.md section 3, the versioned rule rows read from the database, how events are
built (stamped with `domains.core.clock.now_on`), and how new records are inserted with their
REPORTED and NOTIFIED events (`write_reported`)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Final, Protocol, cast

from sqlalchemy import ARRAY, String, Table, and_, bindparam, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access import service as access
from domains.core import clock
from domains.core.bulk import copy_columns, time_ordered_ids
from domains.core.errors import ErrorCollector
from domains.core.locks import LockSpace, lock_keys
from domains.credit import rules
from domains.credit.defaults import RepairRule, ValidityRule
from domains.credit.enums import (
    Audience,
    RecordCategory,
    RecordEventKind,
    RecordNature,
    RecordStatus,
    Severity,
    SourceDomain,
)
from domains.credit.errors import FORBIDDEN, FOREIGN_SYSTEM
from domains.credit.models import CreditRecord, RecordEvent, RepairRuleRow, ValidityRuleRow

SYSTEM_ACTOR: Final = "system"  # NOTIFIED (告知) is sent by the platform, not by a client
_C = RecordCategory
PERSONNEL_CATEGORIES: Final = frozenset({
    _C.DISCIPLINARY_SANCTION, _C.ADMINISTRATIVE_SANCTION, _C.PERFORMANCE_ASSESSMENT,
    _C.OTHER_ACCOUNTABILITY, _C.COMMENDATION})


def may_write(audience: str, domain: SourceDomain, category: RecordCategory,
              is_person: bool | None) -> bool:
    """The write scope of DOMAIN.md section 3 (SUPERVISION reports nothing).

    `is_person` None (the subject key names neither or both): PERSONNEL is judged on the
    category alone, and the key is reported as INVALID_VALUE.
    """
    if audience == Audience.CREDIT_OFFICE:
        return True
    if audience == Audience.PROCUREMENT:
        return domain == SourceDomain.PROCUREMENT
    if audience == Audience.PROJECT_APPROVAL:
        return domain == SourceDomain.INVESTMENT
    if audience == Audience.PERSONNEL:
        return is_person is not False and category in PERSONNEL_CATEGORIES
    return False


async def validity_rules(session: AsyncSession) -> list[ValidityRule]:
    """Every version of the validity defaults and bounds (`credit_validity_rule`)."""
    rows = await session.scalars(select(ValidityRuleRow))
    return [ValidityRule(r.valid_from, RecordNature(r.nature),
                         Severity(r.severity) if r.severity else None,
                         r.default_months, r.min_months, r.max_months) for r in rows]


async def repair_rules(session: AsyncSession) -> list[RepairRule]:
    """Every version of the repair minimums (`credit_repair_rule`)."""
    rows = await session.scalars(select(RepairRuleRow))
    return [RepairRule(r.valid_from, Severity(r.severity), r.minimum_months) for r in rows]


async def lock_source_keys(session: AsyncSession, source_keys: set[tuple[str, str]]) -> None:
    """Lock these (sourceSystem, sourceRef) keys until the transaction ends: two reports of one
    new key at once, the later waits, then finds the record (domains.core.locks)."""
    await lock_keys(session, LockSpace.CREDIT_RECORD,
                    (f"{system}\x1f{ref}" for system, ref in source_keys))


# The records of a batch's (sourceSystem, sourceRef) keys: a join with the keys as two arrays.
# `(source_system, source_ref) IN ((...), ...)` made PostgreSQL read every record of the
# system and test each against the whole list (1.4 s for a 1,000-row batch once the system had
# 53,000 records, and growing with them); the join probes the unique index once per key (8 ms).
_SOURCE_KEYS: Final = func.unnest(bindparam("systems", type_=ARRAY(String)),
                                  bindparam("refs", type_=ARRAY(String))).table_valued(
                                      "system", "ref").render_derived(name="source_key")
_STORED: Final = select(CreditRecord).join(_SOURCE_KEYS, and_(
    CreditRecord.source_system == _SOURCE_KEYS.c.system,
    CreditRecord.source_ref == _SOURCE_KEYS.c.ref))


async def stored_records(session: AsyncSession, source_keys: set[tuple[str, str]]
                         ) -> dict[tuple[str, str], CreditRecord]:
    """The records stored under these (sourceSystem, sourceRef) keys (one statement)."""
    if not source_keys:
        return {}
    systems, refs = zip(*source_keys, strict=True)
    found = await session.scalars(_STORED, {"systems": list(systems), "refs": list(refs)})
    return {(record.source_system, record.source_ref): record for record in found}


# The distinct (sourceSystem, reporter) pairs of these systems, the actor's own left out, by a
# loose index scan of (source_system, reported_by): one probe per reporter of each system.
# `SELECT DISTINCT ... WHERE source_system IN (...) AND reported_by <> :actor` read every
# index entry of the system, the caller's own included: 60-150 ms per batch once a system
# had 480,000 records on the scale-1 data (EXPLAIN ANALYZE), this 0.3 ms.
_REPORTERS: Final = text("""
WITH RECURSIVE reporter(system, name) AS (
    SELECT s, (SELECT min(reported_by) FROM credit_record WHERE source_system = s)
    FROM unnest(CAST(:systems AS text[])) AS s
  UNION ALL
    SELECT system, (SELECT min(reported_by) FROM credit_record
                    WHERE source_system = reporter.system AND reported_by > reporter.name)
    FROM reporter WHERE name IS NOT NULL)
SELECT system, name FROM reporter WHERE name IS NOT NULL AND name <> :actor""")


async def foreign_systems(session: AsyncSession, systems: set[str], *, actor: str,
                          audience: str) -> set[str]:
    """The sourceSystems among `systems` under which another client, the credit office aside,
    has reported. A client reports only under its own (or new) systems, so that CONFLICT never
    tells it that a record it may not see exists; the credit office sees every record."""
    if audience == Audience.CREDIT_OFFICE or not systems:
        return set()
    pairs = (await session.execute(_REPORTERS, {"systems": sorted(systems),
                                                "actor": actor})).all()
    office = await access.credit_office_names(session, {reporter for _, reporter in pairs})
    return {system for system, reporter in pairs if reporter not in office}


def outside_foreign_systems(systems: Sequence[str], indexes: list[int], foreign: set[str],
                            errors: ErrorCollector) -> list[int]:
    """`indexes` (rows whose sourceSystems are `systems`) less those under a foreign system,
    which get FORBIDDEN on sourceSystem, whatever their sourceRef."""
    for system, index in zip(systems, indexes, strict=True):
        if system in foreign:
            errors.add(FORBIDDEN, FOREIGN_SYSTEM, index, "sourceSystem")
    return [index for system, index in zip(systems, indexes, strict=True)
            if system not in foreign]


def new_event(record_id: uuid.UUID, kind: RecordEventKind, *, at: datetime, actor: str,
              status_after: str, note: str | None = None,
              changes: dict[str, object] | None = None) -> RecordEvent:
    return RecordEvent(id=uuid.uuid4(), record_id=record_id, kind=kind.value, at=at,
                       actor=actor, note=note, status_after=status_after, changes=changes)


def add_rule_errors(problems: Sequence[rules.FieldError], index: int | None,
                    errors: ErrorCollector) -> None:
    """Pure-rule failures as payload errors of row `index` (None: a single-record write)."""
    for problem in problems:
        errors.add(problem.code, problem.message, index, problem.field)


def clean(value: str | None) -> str | None:
    """An optional text stripped; blank is omitted."""
    return None if value is None or not value.strip() else value.strip()


class SourceKeyed(Protocol):
    """A record to write, as `write_reported` needs it: its (sourceSystem, sourceRef)."""

    @property
    def key(self) -> tuple[str, str]: ...
    @property
    def source_system(self) -> str: ...
    @property
    def source_ref(self) -> str: ...


async def write_reported(session: AsyncSession, rows: Sequence[SourceKeyed],
                         columns: Mapping[int, dict[str, object]],
                         stored: dict[tuple[str, str], CreditRecord], *, actor: str,
                         today: date) -> list[uuid.UUID]:
    """Write each row not stored yet as an ACTIVE record with its REPORTED and NOTIFIED events
    (one time, NOTIFIED by `system`); rows already stored, or repeated, give the existing id.
    `columns` holds each row's content, defaults applied (rows of validated batches only).

    Two COPYs of plain rows (`domains.core.bulk.copy_columns`), not the ORM's unit of work:
    the records are new and the events append-only, so there is nothing for it to track, and
    building and flushing a thousand objects of each was a third of a 1,000-row report's time
    (issue 13); COPY rather than an INSERT of arrays saved another fifth of its CPU.
    Record ids stay random (uuid4), unlike the events' (`_reported_events`): a record's id is
    shown to clients, and a time-ordered id would tell one that sees the record only as a
    `RecordRef` when it was written."""
    ids = {key: record.id for key, record in stored.items()}
    written: list[int] = []  # the rows that make a record
    for index, row in enumerate(rows):
        if row.key not in ids:  # new, and not repeated earlier in the batch
            ids[row.key] = uuid.uuid4()
            written.append(index)
    if written:
        record_ids = [ids[rows[index].key] for index in written]
        await copy_columns(session, _RECORDS, _record_columns(
            rows, columns, written, record_ids, actor=actor))
        await copy_columns(session, _EVENTS, _reported_events(record_ids, actor=actor,
                                                                today=today))
    return [ids[row.key] for row in rows]


def _record_columns(rows: Sequence[SourceKeyed], columns: Mapping[int, dict[str, object]],
                    written: list[int], record_ids: list[uuid.UUID], *,
                    actor: str) -> dict[str, list[object]]:
    """The new records by column: ACTIVE, the source's key, `actor` and each row's content (a
    column a row leaves out is NULL, as the ORM would store it: none of these has a
    Python-side default)."""
    names = dict.fromkeys(name for index in written for name in columns[index])
    return {"id": list(record_ids), "status": [RecordStatus.ACTIVE.value] * len(written),
            "source_system": [rows[index].source_system for index in written],
            "source_ref": [rows[index].source_ref for index in written],
            "reported_by": [actor] * len(written),
            **{name: [columns[index].get(name) for index in written] for name in names}}


_RECORDS: Final = cast(Table, CreditRecord.__table__)
_EVENTS: Final = cast(Table, RecordEvent.__table__)


def _reported_events(record_ids: Sequence[object], *, actor: str,
                     today: date) -> dict[str, list[object]]:
    """REPORTED by `actor` and NOTIFIED by `system` of each new record, at one time, by column
    (the columns of `new_event`; `changes` None is stored as the ORM stores it). Their ids grow
    with time (`time_ordered_ids`): events are never addressed by id outside the database."""
    count = 2 * len(record_ids)
    return {"id": list(time_ordered_ids(count)),
            "record_id": [record_id for record_id in record_ids for _ in range(2)],
            "kind": [RecordEventKind.REPORTED.value, RecordEventKind.NOTIFIED.value] * len(
                record_ids),
            "at": [clock.now_on(today)] * count,
            "actor": [actor, SYSTEM_ACTOR] * len(record_ids), "note": [None] * count,
            "status_after": [RecordStatus.ACTIVE.value] * count, "changes": [None] * count}
