"""Status changes of a reported record (DOMAIN.md section 2): the allowed table, INVALID_STATE
for everything else, repair dates, objection due dates on the working calendar, corrections,
and who may act. Every refusal asserts that nothing was written."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.errors import DomainError
from domains.credit import service
from domains.credit.enums import (
    Audience,
    Disclosure,
    RecordCategory,
    RecordNature,
    Sanction,
    Severity,
)
from domains.credit.lifecycle import TRANSITIONS, RecordAction
from domains.credit.models import CreditRecord, Objection, RecordEvent, RepairRuleRow
from tests.domains.credit.test_service_report import (
    TODAY,
    counts,
    given_world,
    person_row,
    report,
    row,
)

D = date.fromisoformat
A = RecordAction
OFFICE = {"actor": "credit_office", "audience": "CREDIT_OFFICE"}


@pytest.fixture
async def world(session: AsyncSession) -> AsyncSession:
    await given_world(session)
    return session


async def act(session: AsyncSession, action: RecordAction, record_id: uuid.UUID | None, *,
              today: date = TODAY, actor: str = "credit_office",
              audience: str = "CREDIT_OFFICE") -> CreditRecord:
    """Run the mutation of `action` as a client."""
    who: dict[str, Any] = {"actor": actor, "audience": audience, "today": today}
    calls: dict[RecordAction, Callable[[], Awaitable[CreditRecord]]] = {
        A.FILE_OBJECTION: lambda: service.file_objection(session, record_id, reason="有误", **who),
        A.UPHOLD_OBJECTION: lambda: service.resolve_objection(session, record_id, upheld=True,
                                                              note="属实", **who),
        A.REJECT_OBJECTION: lambda: service.resolve_objection(session, record_id, upheld=False,
                                                              note="不属实", **who),
        A.CORRECT: lambda: service.correct_record(
            session, record_id, patch=service.RecordPatch(title="更正后的标题"), note="更正",
            **who),
        A.REVOKE: lambda: service.revoke_record(session, record_id, note="复议撤销", **who),
        A.REPAIR: lambda: service.repair_record(session, record_id, note="信用修复", **who),
        A.EXEMPT: lambda: service.exempt_record(session, record_id, note="容错", **who),
    }
    return await calls[action]()


async def refused(session: AsyncSession, action: RecordAction, record_id: uuid.UUID | None,
                  **kwargs: Any) -> list[tuple[str | None, str]]:
    before = await counts(session)
    with pytest.raises(DomainError) as refusal:
        await act(session, action, record_id, **kwargs)
    assert await counts(session) == before
    return [(e.field, e.code) for e in refusal.value.errors]


async def events(session: AsyncSession, record_id: uuid.UUID) -> list[RecordEvent]:
    return list((await session.scalars(select(RecordEvent).where(
        RecordEvent.record_id == record_id).order_by(RecordEvent.seq))).all())


# Statuses reached from a fresh report (decided a year ago, so repair is allowed today).
PATHS: dict[str, list[RecordAction]] = {
    "ACTIVE": [],
    "UNDER_OBJECTION": [A.FILE_OBJECTION],
    "REVOKED": [A.REVOKE],
    "REPAIRED": [A.REPAIR],
    "EXEMPTED": [A.EXEMPT],
}


async def record_in(session: AsyncSession, status: str,
                    nature: RecordNature = RecordNature.DISHONEST) -> uuid.UUID:
    given = row(decided_on=D("2025-06-01"))
    if nature == RecordNature.TRUSTWORTHY:
        given = row("T-1", nature=nature, category=RecordCategory.COMMENDATION, severity=None,
                    decided_on=D("2025-06-01"))
    [record_id] = await report(session, [given])
    for action in PATHS[status]:
        await act(session, action, record_id)
    return record_id


ALLOWED = {(s, a) for a, t in TRANSITIONS.items() for s in t.sources}


@pytest.mark.parametrize(("status", "action"), [
    (s, a) for s in PATHS for a in RecordAction if (s, a) not in ALLOWED])
async def test_every_change_outside_the_table_is_invalid_state(
        world: AsyncSession, status: str, action: RecordAction) -> None:
    record_id = await record_in(world, status)
    assert await refused(world, action, record_id) == [(None, "INVALID_STATE")]
    assert (await world.get_one(CreditRecord, record_id)).status == status


@pytest.mark.parametrize(("status", "action"), sorted(ALLOWED))
async def test_every_change_in_the_table_appends_its_event(
        world: AsyncSession, status: str, action: RecordAction) -> None:
    record_id = await record_in(world, status)
    record = await act(world, action, record_id, actor="clerk")
    expected = TRANSITIONS[action].target or status
    assert record.status == expected
    last = (await events(world, record_id))[-1]
    assert (last.kind, last.actor, last.status_after) == (
        TRANSITIONS[action].event, "clerk", expected)
    assert last.note


@pytest.mark.parametrize("action", [A.REPAIR, A.EXEMPT])
async def test_repair_and_exemption_are_for_dishonest_records_only(
        world: AsyncSession, action: RecordAction) -> None:
    record_id = await record_in(world, "ACTIVE", RecordNature.TRUSTWORTHY)
    assert await refused(world, action, record_id) == [(None, "INVALID_STATE")]


async def test_an_expired_record_is_stored_active_and_may_be_objected_to(
        world: AsyncSession) -> None:
    [record_id] = await report(world, [row(decided_on=D("2025-01-10"))])  # until 2026-01-09
    record = await act(world, A.FILE_OBJECTION, record_id, actor="supervision",
                       audience="SUPERVISION")
    assert record.status == "UNDER_OBJECTION"


@pytest.mark.parametrize("action", list(RecordAction))
async def test_an_unknown_record_is_not_found(world: AsyncSession, action: RecordAction) -> None:
    assert await refused(world, action, uuid.uuid4()) == [("recordId", "NOT_FOUND")]
    assert await refused(world, action, None) == [("recordId", "NOT_FOUND")]


# ---------------------------------------------------------------- objections


async def test_an_objection_is_due_seven_working_days_after_filing(world: AsyncSession) -> None:
    record_id = await record_in(world, "ACTIVE")
    await act(world, A.FILE_OBJECTION, record_id, actor="supervision", audience="SUPERVISION")
    objection = await world.scalar(select(Objection))
    assert objection is not None
    # 2026-06-15 (Mon): 16, 17, 18, (19-21 端午节 off), 22, 23, 24, 25.
    assert (objection.due_on, objection.filed_by, objection.reason) == (
        D("2026-06-25"), "supervision", "有误")
    assert objection.resolved_at is None


async def test_an_objection_due_date_skips_national_day_and_counts_the_makeup_saturday(
        world: AsyncSession) -> None:
    record_id = await record_in(world, "ACTIVE")
    filed_on = D("2026-09-30")
    await act(world, A.FILE_OBJECTION, record_id, today=filed_on)
    objection = await world.scalar(select(Objection))
    assert objection is not None
    # 10-01..10-07 off; 10-08 (1), 10-09 (2), Sat 10-10 调休 on (3), 10-12..10-15 (4..7).
    assert objection.due_on == D("2026-10-15")


@pytest.mark.parametrize(("upheld", "status", "kind"), [
    (True, "REVOKED", "OBJECTION_UPHELD"), (False, "ACTIVE", "OBJECTION_REJECTED")])
async def test_resolving_closes_the_objection(world: AsyncSession, upheld: bool, status: str,
                                              kind: str) -> None:
    record_id = await record_in(world, "UNDER_OBJECTION")
    action = A.UPHOLD_OBJECTION if upheld else A.REJECT_OBJECTION
    record = await act(world, action, record_id)
    objection = await world.scalar(select(Objection))
    assert objection is not None
    assert (record.status, objection.upheld, objection.resolved_by) == (
        status, upheld, "credit_office")
    last = (await events(world, record_id))[-1]
    assert (last.kind, last.at) == (kind, objection.resolved_at)


async def test_a_blank_reason_is_invalid(world: AsyncSession) -> None:
    record_id = await record_in(world, "ACTIVE")
    before = await counts(world)
    with pytest.raises(DomainError) as refusal:
        await service.file_objection(world, record_id, reason="  ", today=TODAY, **OFFICE)
    assert [(e.field, e.code) for e in refusal.value.errors] == [("reason", "INVALID_VALUE")]
    assert await counts(world) == before


# ---------------------------------------------------------------- repair


# (severity, decidedOn, repair day, allowed?): GENERAL 3 months, SERIOUS 1 year, MINOR any day.
REPAIR_TABLE = [
    (Severity.GENERAL, "2026-03-15", "2026-06-14", False),
    (Severity.GENERAL, "2026-03-15", "2026-06-15", True),
    (Severity.GENERAL, "2026-03-31", "2026-06-29", False),
    (Severity.GENERAL, "2026-03-31", "2026-06-30", True),
    (Severity.SERIOUS, "2025-06-15", "2026-06-14", False),
    (Severity.SERIOUS, "2025-06-15", "2026-06-15", True),
    (Severity.MINOR, "2026-06-15", "2026-06-15", True),
]


@pytest.mark.parametrize(("severity", "decided", "repaired", "allowed"), REPAIR_TABLE)
async def test_repair_is_allowed_from_decided_on_plus_the_minimum(
        world: AsyncSession, severity: Severity, decided: str, repaired: str,
        allowed: bool) -> None:
    [record_id] = await report(world, [row(severity=severity, decided_on=D(decided))],
                               today=D(repaired))
    if allowed:
        record = await act(world, A.REPAIR, record_id, today=D(repaired))
        assert record.status == "REPAIRED"
    else:
        assert await refused(world, A.REPAIR, record_id, today=D(repaired)) == [
            (None, "REPAIR_TOO_EARLY")]


# ---------------------------------------------------------------- who may act


@pytest.mark.parametrize(("action", "audience"), [
    (A.FILE_OBJECTION, "PROCUREMENT"), (A.FILE_OBJECTION, "PERSONNEL"),
    (A.UPHOLD_OBJECTION, "SUPERVISION"), (A.REPAIR, "PROCUREMENT"), (A.EXEMPT, "PERSONNEL"),
    (A.CORRECT, "SUPERVISION"), (A.REVOKE, "PERSONNEL")])
async def test_a_client_without_the_right_is_forbidden(
        world: AsyncSession, action: RecordAction, audience: str) -> None:
    status = "UNDER_OBJECTION" if action == A.UPHOLD_OBJECTION else "ACTIVE"
    record_id = await record_in(world, status)
    assert await refused(world, action, record_id, actor=audience.lower(),
                         audience=audience) == [(None, "FORBIDDEN")]


@pytest.mark.parametrize("action", [A.CORRECT, A.REVOKE])
async def test_the_reporting_client_may_correct_and_revoke_its_record(
        world: AsyncSession, action: RecordAction) -> None:
    [record_id] = await report(world, [person_row()], audience="PERSONNEL")
    assert await refused(world, action, record_id, actor="personnel-2",
                         audience="PERSONNEL") == [(None, "FORBIDDEN")]
    await act(world, action, record_id, actor="personnel", audience="PERSONNEL")


# ---------------------------------------------------------------- correction


async def correct(session: AsyncSession, record_id: uuid.UUID,
                  **patch: Any) -> CreditRecord:
    return await service.correct_record(session, record_id, patch=service.RecordPatch(**patch),
                                        note="更正", today=TODAY, **OFFICE)


async def test_a_correction_keeps_the_status_and_records_old_and_new_values(
        world: AsyncSession) -> None:
    record_id = await record_in(world, "UNDER_OBJECTION")
    record = await correct(world, record_id, severity=Severity.SERIOUS, title=" 新标题 ",
                           share_scope=(Audience.PROCUREMENT,))
    assert (record.status, record.severity, record.title) == (
        "UNDER_OBJECTION", "SERIOUS", "新标题")
    last = (await events(world, record_id))[-1]
    assert (last.kind, last.status_after) == ("CORRECTED", "UNDER_OBJECTION")
    # The default validity follows the corrected severity (1 year -> 3 years).
    assert last.changes == {
        "severity": {"old": "GENERAL", "new": "SERIOUS"},
        "title": {"old": "逾期验收", "new": "新标题"},
        "validUntil": {"old": "2026-05-31", "new": "2028-05-31"},
        "shareScope": {"old": sorted(a.value for a in Audience),
                       "new": ["PROCUREMENT"]}}


async def test_an_explicit_valid_until_is_kept_by_a_correction(world: AsyncSession) -> None:
    [record_id] = await report(world, [row(valid_until=D("2026-12-31"))])
    assert await refused_correction(world, record_id, severity=Severity.SERIOUS) == [
        ("validUntil", "VALIDITY_OUT_OF_RANGE")]
    record = await correct(world, record_id, severity=Severity.SERIOUS,
                           valid_until=D("2027-12-31"))
    assert (record.severity, record.valid_until) == ("SERIOUS", D("2027-12-31"))


async def refused_correction(session: AsyncSession, record_id: uuid.UUID,
                             **patch: Any) -> list[tuple[str | None, str]]:
    before = await counts(session)
    with pytest.raises(DomainError) as refusal:
        await correct(session, record_id, **patch)
    assert await counts(session) == before
    return [(e.field, e.code) for e in refusal.value.errors]


async def test_a_correction_is_validated_like_a_report(world: AsyncSession) -> None:
    [record_id] = await report(world, [row()])
    cases: list[tuple[dict[str, Any], list[tuple[str | None, str]]]] = [
        ({"severity": Severity.MINOR, "disclosure": Disclosure.PUBLIC},
         [("disclosure", "MINOR_NOT_PUBLIC")]),
        ({"valid_until": D("2026-04-01")}, [("validUntil", "VALIDITY_OUT_OF_RANGE")]),
        ({"sanction": Sanction.WARNING}, [("sanction", "INVALID_VALUE")]),
        ({"sanction_months": 6}, [("sanctionMonths", "INVALID_VALUE")]),
        ({"title": " "}, [("title", "INVALID_VALUE")]),
    ]
    for patch, expected in cases:
        assert await refused_correction(world, record_id, **patch) == expected, patch
    trustworthy = await record_in(world, "ACTIVE", RecordNature.TRUSTWORTHY)
    assert await refused_correction(world, trustworthy, severity=Severity.GENERAL) == [
        ("severity", "SEVERITY_NOT_ALLOWED")]


async def test_a_correction_that_changes_nothing_writes_nothing(world: AsyncSession) -> None:
    [record_id] = await report(world, [row()])
    before = await counts(world)
    await correct(world, record_id, title="逾期验收", severity=Severity.GENERAL)
    assert await counts(world) == before


async def test_a_person_record_correction_checks_the_sanction(world: AsyncSession) -> None:
    [record_id] = await report(world, [person_row()])
    assert await refused_correction(world, record_id,
                                    sanction=Sanction.PARTY_WARNING) == [
        ("sanction", "INVALID_VALUE")]
    record = await correct(world, record_id, sanction=Sanction.DEMOTION,
                           sanction_months=30)
    assert (record.sanction, record.sanction_months) == ("DEMOTION", 30)


def test_rows_are_plain_values() -> None:
    assert replace(row(), title="x").title == "x"


async def test_the_repair_rule_version_of_the_repair_day_applies(world: AsyncSession) -> None:
    [record_id] = await report(world, [row(decided_on=D("2026-01-10"))])
    assert (await act(world, A.REPAIR, record_id, today=D("2026-04-10"))).status == "REPAIRED"
    [later] = await report(world, [row("R-2", decided_on=D("2026-01-10"))])
    world.add(RepairRuleRow(valid_from=D("2026-04-01"), severity="GENERAL", minimum_months=6,
                            source="test"))
    await world.flush()
    assert await refused(world, A.REPAIR, later, today=D("2026-07-09")) == [
        (None, "REPAIR_TOO_EARLY")]
    assert (await act(world, A.REPAIR, later, today=D("2026-07-10"))).status == "REPAIRED"
