"""Reusable select() builders of credit records, shared by services and loaders."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Date, Select, case, cast, func, literal, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.selectable import LateralFromClause

from domains.credit.enums import (
    RecordCategory,
    RecordEventKind,
    RecordNature,
    RecordStatus,
    SourceDomain,
)
from domains.credit.lifecycle import effective_status_sql, in_force_sql
from domains.credit.models import CreditRecord, RecordEvent
from domains.credit.visibility import visible_condition

# DOMAIN.md section 0: records decidedOn desc, then id desc.
RECORD_ORDER = (CreditRecord.decided_on.desc(), CreditRecord.id.desc())


@dataclass(frozen=True)
class RecordFilter:
    """CreditRecordFilter: None is no condition; an empty set matches nothing.

    `statuses` applies to the status shown today (EXPIRED derived); `in_force_on` replays the
    status of that day.
    """

    nature: RecordNature | None = None
    categories: frozenset[RecordCategory] | None = None
    domains: frozenset[SourceDomain] | None = None
    statuses: frozenset[RecordStatus] | None = None
    in_force_on: date | None = None


def _event_day() -> ColumnElement[date]:
    """The Asia/Shanghai day of an event."""
    return cast(func.timezone("Asia/Shanghai", RecordEvent.at), Date)


def replayed_status(as_of: date) -> ColumnElement[str]:
    """The stored status a record had at the end of `as_of` (Asia/Shanghai), as a scalar subquery.

    The latest event on or before that day decides; a record reported after it (but decided on
    or before it) was ACTIVE then: reporting is not a later event (DOMAIN.md section 0).
    """
    latest = (select(RecordEvent.status_after)
              .where(RecordEvent.record_id == CreditRecord.id, _event_day() <= as_of)
              .order_by(RecordEvent.seq.desc()).limit(1).scalar_subquery())
    return func.coalesce(latest, RecordStatus.ACTIVE.value)


def latest_status(record_id: ColumnElement[uuid.UUID], as_of: date) -> LateralFromClause:
    """`replayed_status`'s latest event as a LATERAL subquery on `record_id` (column
    `status_after`, null: ACTIVE): a statement that both filters and returns the replayed
    status reads it once per record, where the scalar subquery ran once in each place."""
    return (select(RecordEvent.status_after)
            .where(RecordEvent.record_id == record_id, _event_day() <= as_of)
            .order_by(RecordEvent.seq.desc()).limit(1).lateral("latest_status"))


def later_corrections(as_of: date, record_id: ColumnElement[uuid.UUID] | None = None,
                      ) -> ColumnElement[list[dict[str, object]] | None]:
    """The `changes` of the record's CORRECTED events after `as_of`, newest first, as one JSON
    array (null when none): what `domains.credit.facts.undo_corrections` undoes to give the
    content as it stood at the end of `as_of` (DOMAIN.md section 0, replay). The record is
    `record_id` (default: the statement's CreditRecord)."""
    return (select(func.jsonb_agg(aggregate_order_by(RecordEvent.changes,
                                                     RecordEvent.seq.desc())))
            .where(*_corrections_after(as_of, record_id))
            .scalar_subquery())


def corrected_after(as_of: date,
                    record_id: ColumnElement[uuid.UUID] | None = None) -> ColumnElement[bool]:
    """Whether the record has CORRECTED events after `as_of`: its stored content (severity,
    sanction, validUntil...) is then not the one it had at the end of that day, so a condition
    on the stored columns says nothing about it (the events `later_corrections` returns)."""
    return select(RecordEvent.id).where(*_corrections_after(as_of, record_id)).exists()


def _corrections_after(as_of: date, record_id: ColumnElement[uuid.UUID] | None,
                       ) -> tuple[ColumnElement[bool], ...]:
    """The record's CORRECTED events after `as_of` (the partial index of migration 0014)."""
    return (RecordEvent.record_id == (CreditRecord.id if record_id is None else record_id),
            RecordEvent.kind == RecordEventKind.CORRECTED.value, _event_day() > as_of)


def replayed_valid_until(as_of: date) -> ColumnElement[date | None]:
    """validUntil as it stood at the end of `as_of`: the old value of the first correction of
    validUntil after that day, else the stored one."""
    first_change = (select(RecordEvent.changes["validUntil"])
                    .where(RecordEvent.record_id == CreditRecord.id,
                           RecordEvent.kind == RecordEventKind.CORRECTED.value,
                           _event_day() > as_of,
                           RecordEvent.changes.has_key("validUntil"))
                    .order_by(RecordEvent.seq).limit(1).scalar_subquery())
    return case((first_change.is_(None), CreditRecord.valid_until),
                else_=cast(first_change.op("->>")(literal("old")), Date))


def shown_status(today: date) -> ColumnElement[str]:
    """The status a reader sees today: EXPIRED for an ACTIVE record past its validUntil."""
    return effective_status_sql(CreditRecord.status, CreditRecord.valid_until, today)


def filter_conditions(record_filter: RecordFilter, today: date) -> list[ColumnElement[bool]]:
    """The WHERE conditions of a CreditRecordFilter."""
    f = record_filter
    conditions: list[ColumnElement[bool]] = []
    if f.nature is not None:
        conditions.append(CreditRecord.nature == f.nature.value)
    if f.categories is not None:
        conditions.append(CreditRecord.category.in_(sorted(c.value for c in f.categories)))
    if f.domains is not None:
        conditions.append(CreditRecord.domain.in_(sorted(d.value for d in f.domains)))
    if f.statuses is not None:
        conditions.append(shown_status(today).in_(sorted(s.value for s in f.statuses)))
    if f.in_force_on is not None:
        conditions.append(in_force_sql(replayed_status(f.in_force_on), CreditRecord.valid_from,
                                       replayed_valid_until(f.in_force_on), f.in_force_on))
    return conditions


def records_query(record_filter: RecordFilter, audience: str,
                  today: date) -> Select[CreditRecord]:
    """Records matching the filter that a client of `audience` may see today (unordered)."""
    return select(CreditRecord).where(
        visible_condition(audience, today), *filter_conditions(record_filter, today))
