"""Formal checks: their times on the pinned day, their idempotency key, and the stored snapshot
(DOMAIN.md sections 0 and 4)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domains.restriction.models import RestrictionCheck
from tests.conftest import GraphQL
from tests.graph.restriction.support import add_record, add_unit
from tests.support import id_number, unit_code

CHECK = """
mutation Check($input: CheckRestrictionsInput!) {
  checkRestrictions(input: $input) {
    check { id checkedAt assessment { asOf decision } }
    errors { field code }
  }
}"""
REPORT = """
mutation Report($input: CheckOutcomeInput!) {
  reportCheckOutcome(input: $input) {
    check { id checkedAt outcome { reportedAt } }
    errors { field code }
  }
}"""


def check_input(**changes: object) -> dict[str, object]:
    value: dict[str, object] = {"subject": {"uscc": unit_code(1)}, "scenario": "AWARDS",
                                "businessRef": "AW-2026-1"}
    value.update(changes)
    return {"input": value}


async def given_unit_with_records(session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    await add_record(session, unit, "G", decided_on=date(2026, 3, 1))
    await add_record(session, unit, "S", severity="SERIOUS", category="JUDICIAL_JUDGMENT",
                     decided_on=date(2026, 2, 1), valid_until=date(2028, 1, 31))
    await session.commit()


async def test_check_and_outcome_times_fall_on_the_pinned_today(
        gql: GraphQL, session: AsyncSession) -> None:
    # given today pinned to 2026-06-15 (INTEGRITY_TODAY), whatever the server clock says
    await given_unit_with_records(session)
    # when a check is made and its outcome reported
    made = (await gql.data("PROCUREMENT", CHECK, check_input()))["checkRestrictions"]["check"]
    reported = await gql.data("PROCUREMENT", REPORT, {"input": {
        "checkId": made["id"], "kind": "NOT_APPLIED", "reason": "申报已撤回"}})
    # then both times are on that day, as the credit events written that day are
    outcome = reported["reportCheckOutcome"]["check"]["outcome"]
    assert made["checkedAt"].startswith("2026-06-15T") and made["checkedAt"].endswith("+08:00")
    assert outcome["reportedAt"].startswith("2026-06-15T")
    assert outcome["reportedAt"] >= made["checkedAt"]


async def test_as_of_omitted_and_given_as_today_are_the_same_check(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_unit_with_records(session)
    omitted = await gql.data("PROCUREMENT", CHECK, check_input())
    given = await gql.data("PROCUREMENT", CHECK, check_input(asOf="2026-06-15"))
    null = await gql.data("PROCUREMENT", CHECK, check_input(asOf=None))
    assert omitted == given == null
    assert omitted["checkRestrictions"]["check"]["assessment"] == {
        "asOf": "2026-06-15", "decision": "DENY"}
    earlier = await gql.data("PROCUREMENT", CHECK, check_input(asOf="2026-06-14"))
    other_scenario = await gql.data("PROCUREMENT", CHECK, check_input(scenario="HIRING"))
    ids = {answer["checkRestrictions"]["check"]["id"] for answer in (omitted, earlier,
                                                                     other_scenario)}
    assert len(ids) == 3
    rows = (await session.scalars(select(RestrictionCheck))).all()
    assert sorted(r.as_of.isoformat() for r in rows) == ["2026-06-14", "2026-06-15",
                                                         "2026-06-15"]


async def test_the_snapshot_keeps_each_basis_record_id_category_severity_decided_on(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_unit_with_records(session)
    await gql.data("PROCUREMENT", CHECK, check_input())
    row = await session.scalar(select(RestrictionCheck))
    assert row is not None
    [measure] = row.measures
    assert measure["code"] == "AWARDS.DISHONEST.PROHIBIT"
    assert measure["until"] == "2028-01-31"
    # basis decidedOn asc: the SERIOUS judgment of February, then the GENERAL penalty
    assert [{k: v for k, v in ref.items() if k != "id"} for ref in measure["basis"]] == [
        {"category": "JUDICIAL_JUDGMENT", "severity": "SERIOUS", "decidedOn": "2026-02-01"},
        {"category": "ADMINISTRATIVE_PENALTY", "severity": "GENERAL",
         "decidedOn": "2026-03-01"}]
    assert all(set(ref) == {"id", "category", "severity", "decidedOn"}
               for ref in measure["basis"])


ALL_AT_ONCE = [
    ("unknown unit", {"subject": {"uscc": unit_code(2)}}, "subject.uscc"),
    ("unknown person", {"subject": {"idNumber": id_number(2)}}, "subject.idNumber"),
]


@pytest.mark.parametrize(("subject", "field"), [c[1:] for c in ALL_AT_ONCE],
                         ids=[c[0] for c in ALL_AT_ONCE])
async def test_every_error_of_a_check_is_reported_at_once(
        gql: GraphQL, session: AsyncSession, subject: dict[str, object], field: str) -> None:
    await given_unit_with_records(session)
    data = await gql.data("PROCUREMENT", CHECK, check_input(
        asOf="2026-06-16", businessRef=" ", **subject))
    assert data["checkRestrictions"] == {"check": None, "errors": [
        {"field": "asOf", "code": "INVALID_VALUE"},
        {"field": "businessRef", "code": "INVALID_VALUE"},
        {"field": field, "code": "NOT_FOUND"}]}
    assert (await session.scalars(select(RestrictionCheck))).all() == []


@pytest.mark.parametrize("statement", [
    "UPDATE restriction_check SET decision = 'ALLOW'",
    "UPDATE restriction_check SET measures = '[]'::jsonb",
    "UPDATE restriction_check SET checked_at = checked_at - interval '1 day'",
    "DELETE FROM restriction_check",
], ids=["decision", "measures", "checkedAt", "delete"])
async def test_the_database_refuses_to_change_a_stored_check(
        gql: GraphQL, session: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession],
        statement: str) -> None:
    await given_unit_with_records(session)
    await gql.data("PROCUREMENT", CHECK, check_input())
    async with sessionmaker() as other:
        with pytest.raises(DBAPIError):
            await other.execute(text(statement))
        await other.rollback()
    row = await session.scalar(select(RestrictionCheck))
    assert row is not None and row.decision == "DENY" and len(row.measures) == 1
