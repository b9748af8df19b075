"""The shared steps of a credit write that reportCreditRecords made cheaper (issue 13): which
sourceSystems are another client's (a loose index scan over (source_system, reported_by)), the
records of a batch's source keys (a join with the keys as arrays), and the ids new records and
events get (time-ordered)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access import service as access
from domains.credit import writing
from domains.credit.models import CreditRecord, RecordEvent
from tests.domains.credit.test_service_report import given_world, report, row


async def test_a_system_is_foreign_when_another_client_reported_under_it(
        session: AsyncSession) -> None:
    # given caigou's records by the actor m-buyer, the office, a-other and z-other (names
    # below and above the actor's: the scan steps over it), zhaobiao's by the actor and the
    # office, bangong's by the office
    await given_world(session)
    await report(session, [row("C-1"), row("Z-1", source_system="zhaobiao"),
                           row("B-1", source_system="bangong")])
    await access.add_client(session, name="office", audience="CREDIT_OFFICE")
    await _reported_by(session, {"C-1": "a-other", "Z-1": "m-buyer", "B-1": "office"})
    await report(session, [row("C-2"), row("C-3"), row("C-4"),
                           row("Z-2", source_system="zhaobiao")])
    await _reported_by(session, {"C-2": "m-buyer", "C-3": "office", "C-4": "z-other",
                                 "Z-2": "office"})
    # when the actor m-buyer asks which of its systems are foreign
    foreign = await writing.foreign_systems(
        session, {"caigou", "zhaobiao", "bangong", "new"}, actor="m-buyer",
        audience="PROCUREMENT")
    # then only caigou, where a-other and z-other reported; the office takes no system over
    assert foreign == {"caigou"}
    # and for a-other, caigou is foreign too (m-buyer and z-other), zhaobiao as well (m-buyer)
    assert await writing.foreign_systems(
        session, {"caigou", "zhaobiao", "bangong"}, actor="a-other",
        audience="PROCUREMENT") == {"caigou", "zhaobiao"}
    # and the credit office reports anywhere
    assert await writing.foreign_systems(session, {"caigou"}, actor="office",
                                         audience="CREDIT_OFFICE") == set()


async def _reported_by(session: AsyncSession, reporters: dict[str, str]) -> None:
    """Set who reported each record (by sourceRef): the reporters of the scenario."""
    for ref, reporter in reporters.items():
        record = (await session.scalars(select(CreditRecord).where(
            CreditRecord.source_ref == ref))).one()
        record.reported_by = reporter
    await session.flush()


async def test_stored_records_are_found_by_their_source_keys(session: AsyncSession) -> None:
    # given two stored records
    await given_world(session)
    first, second = await report(session, [row("R-1"), row("R-2", source_system="other")])
    # when their keys are looked up with a key of no record and a crossed pair
    found = await writing.stored_records(session, {("caigou", "R-1"), ("other", "R-2"),
                                                   ("caigou", "R-2"), ("none", "R-9")})
    # then exactly the two are found, under their own keys
    assert {key: record.id for key, record in found.items()} == {
        ("caigou", "R-1"): first, ("other", "R-2"): second}
    assert await writing.stored_records(session, set()) == {}


async def test_new_events_get_time_ordered_ids_records_random_ones(
        session: AsyncSession) -> None:
    # when a batch is reported
    await given_world(session)
    ids = await report(session, [row("R-1"), row("R-2"), row("R-3")])
    # then the records' ids are random (version 4: a client sees them, and a time-ordered id
    # would tell it when the record was written), their events' of UUID version 7
    assert {record_id.version for record_id in ids} == {4}
    events = (await session.scalars(select(RecordEvent.id).where(
        RecordEvent.record_id.in_(ids)))).all()
    assert len(events) == 6 and {event_id.version for event_id in events} == {7}
