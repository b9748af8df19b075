"""Initiating a joint action: the basis must meet the memorandum's conditions on the day (the
boundary days of a record's validity), the initiator must be a signatory the client acts for,
a retry is idempotent, and the response deadline counts working days across a holiday."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.ids import to_global_id
from tests.conftest import GraphQL
from tests.graph.memorandum.support import (
    DRC,
    FINANCE,
    INITIATE,
    MARKET,
    OUTSIDER,
    PENDING,
    RESPOND,
    action_input,
    counts,
    given_district,
    initiated,
    registered,
    response,
)
from tests.graph.restriction.support import add_objection, add_record, add_unit, change


async def _initiate(gql: GraphQL, client: str, values: dict[str, Any]) -> dict[str, Any]:
    data = await gql.data(client, INITIATE, {"input": values})
    result: dict[str, Any] = data["initiateJointAction"]
    return result


def _basis(*records: Any) -> list[str]:
    return [to_global_id("CreditRecord", r.id) for r in records]


@pytest.mark.parametrize(("valid_until", "accepted"), [
    (date(2026, 6, 15), True),    # its last day in force is today
    (date(2026, 6, 14), False),   # it expired yesterday
])
async def test_basis_in_force_on_the_day(gql: GraphQL, session: AsyncSession,
                                         valid_until: date, accepted: bool) -> None:
    district = await given_district(session, gql)
    await registered(gql, district)
    record = await add_record(session, district.purchaser, "F-2", severity="SERIOUS",
                              decided_on=date(2025, 6, 15), valid_until=valid_until)
    await session.commit()
    # the credit office may initiate for finance and sees expired records, so it is told why
    answer = await _initiate(gql, "CREDIT_OFFICE", action_input(
        district, basisRecordIds=_basis(record)))
    if accepted:
        assert answer["errors"] == [] and answer["action"]["status"] == "OPEN"
        assert await counts(session) == (1, 1, 0)
        return
    assert answer == {"action": None, "errors": [{
        "field": "basisRecordIds.0", "code": "INVALID_VALUE",
        "message": "record 0 does not meet memorandum 金信联〔2026〕1号: it is not in force on "
                   "2026-06-15 (status ACTIVE, validUntil 2026-06-14)"}]}
    # finance no longer sees the expired record at all (DOMAIN.md section 3)
    hidden = await _initiate(gql, FINANCE, action_input(district, basisRecordIds=_basis(record)))
    assert [(e["field"], e["code"]) for e in hidden["errors"]] == [
        ("basisRecordIds.0", "NOT_FOUND")]
    assert await counts(session) == (1, 0, 0)


async def test_basis_must_meet_every_condition(gql: GraphQL, session: AsyncSession) -> None:
    district = await given_district(session, gql)
    await registered(gql, district, categories=["ADMINISTRATIVE_PENALTY"])
    general = await add_record(session, district.purchaser, "G", severity="GENERAL")
    judgment = await add_record(session, district.purchaser, "J", severity="SERIOUS",
                                category="JUDICIAL_JUDGMENT")
    revoked = await add_record(session, district.purchaser, "R", severity="SERIOUS")
    await change(session, revoked, "revoke", date(2026, 4, 1))
    disputed = await add_record(session, district.purchaser, "D", severity="SERIOUS")
    await add_objection(session, disputed, date(2026, 4, 1))
    other = await add_record(session, await add_unit(session, 11), "O", severity="SERIOUS")
    hidden = await add_record(session, district.purchaser, "H", severity="SERIOUS",
                              disclosure="GOVERNMENT_SHARED", share_scope=["PERSONNEL"])
    await session.commit()
    answer = await _initiate(gql, FINANCE, action_input(district, basisRecordIds=_basis(
        general, judgment, revoked, disputed, other, hidden) + ["bm9wZTox"]))
    assert [(e["field"], e["code"], e["message"].split(": ", 1)[-1])
            for e in answer["errors"]] == [
        ("basisRecordIds.0", "INVALID_VALUE", "its severity GENERAL is not among SERIOUS"),
        ("basisRecordIds.1", "INVALID_VALUE",
         "its category JUDICIAL_JUDGMENT is not among ADMINISTRATIVE_PENALTY"),
        ("basisRecordIds.2", "NOT_FOUND", "no credit record you may see has this id"),
        ("basisRecordIds.4", "INVALID_VALUE", "record 4 belongs to another subject"),
        ("basisRecordIds.5", "NOT_FOUND", "no credit record you may see has this id"),
        ("basisRecordIds.6", "NOT_FOUND", "no credit record you may see has this id")]
    assert await counts(session) == (1, 0, 0)
    # the credit office, which sees the revoked record, is told why it does not count
    office = await _initiate(gql, "CREDIT_OFFICE", action_input(
        district, basisRecordIds=_basis(revoked)))
    assert [e["message"].split(": ", 1)[-1] for e in office["errors"]] == [
        "it is not in force on 2026-06-15 (status REVOKED, validUntil 2029-02-28)"]
    # a record under objection still counts (DOMAIN.md section 0: in force)
    assert (await _initiate(gql, FINANCE, action_input(
        district, basisRecordIds=_basis(disputed))))["errors"] == []


@pytest.mark.parametrize(("client", "fields", "expected"), [
    (DRC, {}, [("initiatorUscc", "FORBIDDEN")]),
    ("PROCUREMENT", {}, [("initiatorUscc", "FORBIDDEN")]),
    (OUTSIDER, {"initiatorUscc": OUTSIDER}, [("initiatorUscc", "INVALID_VALUE")]),
    (FINANCE, {"memorandumNumber": "无此备忘录"}, [("memorandumNumber", "NOT_FOUND")]),
    (FINANCE, {"caseRef": "  "}, [("caseRef", "INVALID_VALUE")]),
    (FINANCE, {"basisRecordIds": []}, [("basisRecordIds", "INVALID_VALUE")]),
    (FINANCE, {"subject": {"uscc": "91310116MA1J00000X"}}, [("subject.uscc", "INVALID_USCC")]),
    (FINANCE, {"subject": {"idNumber": "310116198503150011"}},
     [("subject.idNumber", "INVALID_ID_NUMBER")]),
])
async def test_refused_initiations_write_nothing(
        gql: GraphQL, session: AsyncSession, client: str, fields: dict[str, Any],
        expected: list[tuple[str, str]]) -> None:
    district = await given_district(session, gql)
    await registered(gql, district)
    values = action_input(district, **fields)
    if values["initiatorUscc"] == OUTSIDER:
        values["initiatorUscc"] = district.units[OUTSIDER].uscc
    answer = await _initiate(gql, client, values)
    assert [(e["field"], e["code"]) for e in answer["errors"]] == expected
    assert await counts(session) == (1, 0, 0)


async def test_a_retry_returns_the_same_action(gql: GraphQL, session: AsyncSession) -> None:
    district = await given_district(session, gql)
    await registered(gql, district)
    first = await initiated(gql, district)
    assert await initiated(gql, district, caseRef=" CG-2026-001 ") == first
    other = await add_record(session, district.purchaser, "F-9", severity="SERIOUS")
    await session.commit()
    conflict = await _initiate(gql, FINANCE, action_input(district,
                                                          basisRecordIds=_basis(other)))
    assert [e["code"] for e in conflict["errors"]] == ["CONFLICT"]
    assert await counts(session) == (1, 1, 0)


async def test_overdue_counts_working_days_across_a_holiday(
        gql: GraphQL, session: AsyncSession, monkeypatch: pytest.MonkeyPatch) -> None:
    # given an action started on 2025-09-30, three working days to respond: 10-1..10-8 are
    # the National Day holiday, 10-9 and 10-10 working days, Saturday 10-11 a 调休 working day
    monkeypatch.setenv("INTEGRITY_TODAY", "2025-09-30")
    district = await given_district(session, gql)
    record = await add_record(session, district.purchaser, "F-0", severity="SERIOUS",
                              decided_on=date(2025, 9, 1))
    await session.commit()
    await registered(gql, district, responseWorkingDays=3, effectiveFrom="2025-01-01")
    action = await initiated(gql, district, basisRecordIds=_basis(record))
    assert action["responseDueOn"] == "2025-10-11"
    # when drc responds on the last day and market has not responded
    monkeypatch.setenv("INTEGRITY_TODAY", "2025-10-11")
    await gql.data(DRC, RESPOND, {"input": response(
        action["id"], district.units[DRC].uscc, codes=["INVESTMENT_APPROVAL.SERIOUS.RESTRICT"])})
    # then nobody is overdue on the due day, market is from the day after, and drc was on time
    for today, market_overdue in (("2025-10-11", False), ("2025-10-12", True)):
        monkeypatch.setenv("INTEGRITY_TODAY", today)
        node = (await gql.data(FINANCE, PENDING.replace("pendingJointActions", "jointActions")))[
            "jointActions"]["edges"][0]["node"]
        assert [(s["overdue"], (s["response"] or {}).get("late")) for s in
                node["signatories"]] == [(False, None), (False, False), (market_overdue, None)]
    assert (await gql.data(MARKET, PENDING))["pendingJointActions"]["totalCount"] == 1
