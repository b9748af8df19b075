"""The demo district: loads through the services in well under a minute, covers every kind of
credit record and status, is the same on every load, and loads only once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from domains.credit.enums import (
    Disclosure,
    RecordCategory,
    RecordEventKind,
    RecordNature,
    RecordStatus,
    Sanction,
    Severity,
    SourceDomain,
)
from domains.credit.models import CreditRecord
from domains.subject.keys import is_valid_uscc
from domains.subject.models import CivilServant, Employment, Unit
from graph.cli.demo import credit, district, people, seed, shared
from tests.conftest import TEST_SECRET

TODAY = date(2026, 6, 15)


async def _values(session: AsyncSession, sql: str) -> set[Any]:
    return set((await session.execute(text(sql), {"today": TODAY})).scalars())


async def _load(session: AsyncSession) -> list[str]:
    lines: list[str] = []
    assert await seed.load_demo(session, secret=TEST_SECRET, today=TODAY, progress=lines.append)
    return lines


@pytest.mark.slow
async def test_the_district_has_units_people_and_history(session: AsyncSession) -> None:
    lines = await _load(session)

    assert [line.split("]")[0] for line in lines] == [
        f"[{n}/{len(seed.STEPS)}" for n in range(1, len(seed.STEPS) + 1)]
    units = (await session.scalars(select(Unit))).all()
    assert len(units) >= 30
    assert all(is_valid_uscc(unit.uscc) for unit in units)
    roots = [unit for unit in units if unit.parent_id is None]
    assert {unit.name for unit in roots} >= {"上海市金山区人民政府"}
    assert sum(1 for unit in units if unit.parent_id is not None) >= 30
    assert await session.scalar(select(func.count()).select_from(CivilServant)) == people.PEOPLE
    employments = people.PEOPLE + people.TRANSFERS
    assert await session.scalar(select(func.count()).select_from(Employment)) == employments
    closed = select(func.count()).select_from(Employment).where(Employment.ended_on.is_not(None))
    assert await session.scalar(closed) == people.TRANSFERS + people.ENDINGS


@pytest.mark.slow
async def test_every_kind_of_credit_record_is_there(session: AsyncSession) -> None:
    await _load(session)

    record = "FROM credit_record WHERE source_system LIKE 'jinshan-demo-%'"
    assert await _values(session, f"SELECT category {record}") == set(RecordCategory)
    assert await _values(session, f"SELECT nature {record}") == set(RecordNature)
    assert await _values(session, f"SELECT severity {record}") == {*Severity, None}
    assert await _values(session, f"SELECT disclosure {record}") == set(Disclosure)
    assert await _values(session, f"SELECT sanction {record}") == {*Sanction, None}
    assert await _values(session, f"SELECT domain {record}") == set(SourceDomain)
    stored = await _values(session, f"SELECT status {record}")
    assert stored == set(RecordStatus) - {RecordStatus.EXPIRED}  # EXPIRED is never stored
    expired = await _values(session, f"SELECT id {record} AND status = 'ACTIVE' "
                                     "AND valid_until < :today")
    assert len(expired) >= 10
    in_force = await _values(session, f"SELECT id {record} AND status = 'ACTIVE' "
                                      "AND (valid_until IS NULL OR valid_until >= :today)")
    assert len(in_force) >= 100
    assert await _values(session, "SELECT kind FROM credit_record_event") == set(RecordEventKind)
    pending = await _values(session, f"SELECT id {record} AND status = 'UNDER_OBJECTION'")
    assert await _values(session, "SELECT record_id FROM credit_objection "
                                  "WHERE resolved_at IS NULL") == pending


@pytest.mark.slow
async def test_the_history_unfolds_in_order(session: AsyncSession) -> None:
    await _load(session)

    # Reported after the decision; later events on later days, none after the load day.
    late = await _values(session, """
        SELECT r.id FROM credit_record r JOIN credit_record_event e ON e.record_id = r.id
        WHERE (e.at AT TIME ZONE 'Asia/Shanghai')::date NOT BETWEEN r.decided_on AND :today""")
    assert late == set()
    unordered = await _values(session, """
        SELECT e.record_id FROM credit_record_event e JOIN credit_record_event f
          ON f.record_id = e.record_id AND f.seq > e.seq AND f.at < e.at""")
    assert unordered == set()
    repaired_early = await _values(session, """
        SELECT r.id FROM credit_record r JOIN credit_record_event e ON e.record_id = r.id
        WHERE e.kind = 'REPAIRED' AND r.severity = 'GENERAL'
          AND (e.at AT TIME ZONE 'Asia/Shanghai')::date < r.decided_on + interval '3 months'""")
    assert repaired_early == set()


@pytest.mark.slow
async def test_a_second_load_changes_nothing(session: AsyncSession) -> None:
    await _load(session)
    records = await session.scalar(select(func.count()).select_from(CreditRecord))
    lines: list[str] = []

    loaded = await seed.load_demo(session, secret=TEST_SECRET, today=TODAY,
                                  progress=lines.append)

    assert loaded is False
    assert lines == ["district already loaded; nothing to do"]  # printed as "demo district ..."
    assert await session.scalar(select(func.count()).select_from(CreditRecord)) == records


def test_the_demo_is_the_same_every_time() -> None:
    def generate() -> tuple[Any, ...]:
        units = district.district_units(shared.generator("units"))
        servants = people.civil_servants(units, shared.generator("civil servants"))
        demo = shared.Demo(session=None, secret=TEST_SECRET, today=TODAY)  # type: ignore[arg-type]
        planned = credit.plan(demo, shared.generator("credit records"))
        return district.unit_rows(units), servants, [item.row for item in planned]

    assert generate() == generate()


async def test_the_demo_refuses_a_day_before_its_data(session: AsyncSession) -> None:
    try:
        await seed.load_demo(session, secret=TEST_SECRET, today=date(2025, 12, 30),
                             progress=print)
    except seed.DemoError as exc:
        assert "may not be earlier" in str(exc)
    else:
        raise AssertionError("loaded a demo dated after its load day")
    assert await session.scalar(select(func.count()).select_from(Unit)) == 0
