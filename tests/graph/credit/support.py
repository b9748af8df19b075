"""Test rows of the credit read side, written through the ORM (independent of the write
service): units, civil servants with an employment, records with their REPORTED and NOTIFIED
events, later events and objections."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domains.credit.models import CreditRecord, Objection, RecordEvent
from domains.subject import keys
from domains.subject.models import CivilServant, Employment, Unit
from tests.support import id_number, unit_code

SHANGHAI = timezone(timedelta(hours=8))
TEST_SECRET = b"test-id-secret"
ALL_AUDIENCES = ["PROCUREMENT", "PROJECT_APPROVAL", "PERSONNEL", "SUPERVISION", "CREDIT_OFFICE"]


def at(day: date, hour: int = 10) -> datetime:
    """An instant on `day` in Shanghai."""
    return datetime.combine(day, time(hour), SHANGHAI)


async def add_unit(session: AsyncSession, n: int, name: str | None = None) -> Unit:
    unit = Unit(id=uuid.uuid4(), uscc=unit_code(n), name=name or f"单位{n:04d}",
                kind="GOVERNMENT_ORGAN", region_code="310116")
    session.add(unit)
    await session.flush()  # no ORM relationships: rows that refer to it need it written
    return unit


async def add_person(session: AsyncSession, n: int, unit: Unit, name: str | None = None,
               secret: bytes = TEST_SECRET) -> CivilServant:
    number = id_number(n)
    person = CivilServant(id=uuid.uuid4(), id_hash=keys.hash_id_number(number, secret),
                          masked_id_number=keys.mask_id_number(number), name=name or f"人员{n}")
    session.add(person)
    await session.flush()
    session.add(Employment(id=uuid.uuid4(), civil_servant_id=person.id, unit_id=unit.id,
                           started_on=date(2020, 1, 1)))
    return person


async def add_record(session: AsyncSession, subject: Unit | CivilServant, ref: str,
               **fields: Any) -> CreditRecord:
    """A record reported on its decidedOn (REPORTED and NOTIFIED at the same time).

    Defaults: a PUBLIC DISHONEST GENERAL administrative penalty decided 2026-03-01, valid one
    year, shared with every audience.
    """
    decided_on = fields.pop("decided_on", date(2026, 3, 1))
    values: dict[str, Any] = dict(
        nature="DISHONEST", category="ADMINISTRATIVE_PENALTY", severity="GENERAL",
        domain="OTHER", title=f"记录 {ref}", disclosure="PUBLIC",
        share_scope=list(ALL_AUDIENCES), status="ACTIVE", valid_until=date(2027, 2, 28),
        source_system="TEST", reported_by="credit_office")
    values.update(fields)
    subject_field = "unit_id" if isinstance(subject, Unit) else "civil_servant_id"
    record = CreditRecord(id=uuid.uuid4(), source_ref=ref, decided_on=decided_on,
                          valid_from=decided_on, **{subject_field: subject.id}, **values)
    session.add(record)
    await session.flush()
    reported = at(decided_on)
    # NOTIFIED first in insertion order: the history must still list REPORTED first.
    session.add(RecordEvent(id=uuid.uuid4(), record_id=record.id, kind="NOTIFIED",
                            at=reported, actor="system", status_after="ACTIVE"))
    session.add(RecordEvent(id=uuid.uuid4(), record_id=record.id, kind="REPORTED",
                            at=reported, actor=values["reported_by"], status_after="ACTIVE"))
    return record


def add_event(session: AsyncSession, record: CreditRecord, kind: str, when: datetime,
              status_after: str, actor: str = "credit_office", note: str | None = None) -> None:
    """A later event; the record's stored status becomes its result."""
    session.add(RecordEvent(id=uuid.uuid4(), record_id=record.id, kind=kind, at=when,
                            actor=actor, note=note, status_after=status_after))
    record.status = status_after


def add_objection(session: AsyncSession, record: CreditRecord, filed_on: date, due_on: date,
                  upheld: bool | None = None, resolved_on: date | None = None) -> None:
    add_event(session, record, "OBJECTION_FILED", at(filed_on), "UNDER_OBJECTION",
              actor="supervision", note="异议")
    session.add(Objection(id=uuid.uuid4(), record_id=record.id, filed_at=at(filed_on),
                          filed_by="supervision", reason="事实有误", due_on=due_on,
                          resolved_at=at(resolved_on) if resolved_on else None,
                          resolved_by="credit_office" if resolved_on else None, upheld=upheld))
    if resolved_on is not None:
        kind, status = ("OBJECTION_UPHELD", "REVOKED") if upheld else (
            "OBJECTION_REJECTED", "ACTIVE")
        add_event(session, record, kind, at(resolved_on), status)
