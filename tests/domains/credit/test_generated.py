"""credit.write_generated: the records another domain writes from its own facts get the
report's rules, defaults and events, and refuse what a report would refuse."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.errors import DomainError
from domains.credit import service as credit
from domains.credit.enums import RecordCategory, RecordNature, Severity, SourceDomain
from domains.credit.models import CreditRecord, RecordEvent
from tests.graph.credit.support import add_person, add_unit

TODAY = date(2026, 6, 15)


def generated(unit_id: object = None, person_id: object = None, *, ref: str = "P/E/1",
              severity: Severity | None = Severity.SERIOUS, system: str = "ppp",
              decided_on: date = date(2026, 5, 1)) -> credit.GeneratedRecord:
    return credit.GeneratedRecord(
        index=3, unit_id=unit_id, civil_servant_id=person_id,  # type: ignore[arg-type]
        nature=RecordNature.DISHONEST, category=RecordCategory.CONTRACT_PERFORMANCE,
        severity=severity, domain=SourceDomain.PPP, title="未按承诺出资", decided_on=decided_on,
        decided_by_id=None, source_system=system, source_ref=ref)


async def rows(session: AsyncSession) -> tuple[int, int]:
    records = await session.scalar(select(func.count()).select_from(CreditRecord))
    events = await session.scalar(select(func.count()).select_from(RecordEvent))
    return int(records or 0), int(events or 0)


async def test_defaults_and_events_as_a_report(session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    person = await add_person(session, 2, unit)
    ids = await credit.write_generated(
        session, [generated(unit.id), generated(person_id=person.id, ref="P/E/2")],
        actor="credit_office", today=TODAY)
    stored = {r.id: r for r in await session.scalars(select(CreditRecord))}
    on_unit, on_person = stored[ids[0]], stored[ids[1]]
    assert (on_unit.valid_until, on_unit.disclosure, on_unit.status) == (
        date(2029, 4, 30), "GOVERNMENT_SHARED", "ACTIVE")  # SERIOUS: 3 years by default
    assert len(on_unit.share_scope) == 5
    assert on_person.share_scope == ["PERSONNEL", "SUPERVISION", "CREDIT_OFFICE"]
    kinds = sorted((e.kind, e.actor) for e in await session.scalars(
        select(RecordEvent).where(RecordEvent.record_id == on_unit.id)))
    assert kinds == [("NOTIFIED", "system"), ("REPORTED", "credit_office")]


async def test_a_rule_broken_or_a_key_taken_writes_nothing(session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    await credit.write_generated(session, [generated(unit.id)], actor="x", today=TODAY)
    before = await rows(session)
    with pytest.raises(DomainError) as refused:
        await credit.write_generated(session, [generated(unit.id, ref="P/E/9", severity=None)],
                                     actor="x", today=TODAY)
    assert [(e.index, e.field, e.code) for e in refused.value.errors] == [
        (3, "severity", "SEVERITY_REQUIRED")]
    with pytest.raises(DomainError) as taken:
        await credit.write_generated(session, [generated(unit.id)], actor="x", today=TODAY)
    assert [(e.index, e.field, e.code) for e in taken.value.errors] == [
        (3, "sourceRef", "CONFLICT")]
    assert await rows(session) == before


async def test_only_reserved_systems_generate(session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    with pytest.raises(ValueError, match="reserved"):
        await credit.write_generated(session, [generated(unit.id, system="jinshan")],
                                     actor="x", today=TODAY)
