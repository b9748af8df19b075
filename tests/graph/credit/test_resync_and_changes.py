"""Corrections readable (RecordEvent.changes), a source's unchanged re-send after a correction
(DOMAIN.md section 2: "the same content" is the content as reported), and status errors in the
domain's words."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.credit.models import CreditRecord, RecordEvent
from tests.conftest import GraphQL
from tests.graph.credit.test_mutations import (
    CORRECT,
    FILE,
    REPORT,
    RESOLVE,
    given_subjects,
    record,
)

HISTORY = """query History($id: ID!) { node(id: $id) { ... on CreditRecord {
  title validUntil shareScope history { kind changes { field old new } } } } }"""


async def counts(session: AsyncSession) -> tuple[int, int]:
    records = await session.scalar(select(func.count()).select_from(CreditRecord))
    events = await session.scalar(select(func.count()).select_from(RecordEvent))
    return int(records or 0), int(events or 0)


async def given_two_corrected(gql: GraphQL) -> tuple[list[dict[str, Any]], list[str]]:
    """R-1 and R-2 reported by the procurement system; the credit office corrects R-1."""
    await given_subjects(gql)
    rows = [record("R-1"), record("R-2", title="付款逾期")]
    data = await gql.data("PROCUREMENT", REPORT, {"records": rows})
    ids = data["reportCreditRecords"]["ids"]
    corrected = await gql.data("CREDIT_OFFICE", CORRECT, {
        "id": ids[0], "patch": {"title": "未按合同期限组织履约验收", "validUntil": "2026-12-31",
                                "shareScope": ["PERSONNEL", "PROCUREMENT"]},
        "note": "标题更正"})
    assert corrected["correctRecord"]["errors"] == []
    return rows, ids


async def test_a_correction_is_readable_in_the_history(gql: GraphQL) -> None:
    _, ids = await given_two_corrected(gql)

    data = await gql.data("CREDIT_OFFICE", HISTORY, {"id": ids[0]})

    assert data["node"]["history"] == [
        {"kind": "REPORTED", "changes": None},
        {"kind": "NOTIFIED", "changes": None},
        {"kind": "CORRECTED", "changes": [
            {"field": "title", "old": "未按期组织履约验收", "new": "未按合同期限组织履约验收"},
            {"field": "validUntil", "old": "2027-02-28", "new": "2026-12-31"},
            {"field": "shareScope",
             "old": "CREDIT_OFFICE,PERSONNEL,PROCUREMENT,PROJECT_APPROVAL,SUPERVISION",
             "new": "PERSONNEL,PROCUREMENT"}]}]


async def test_the_unchanged_resend_after_a_correction_is_accepted_and_writes_nothing(
        gql: GraphQL, session: AsyncSession) -> None:
    rows, ids = await given_two_corrected(gql)
    before = await counts(session)

    data = await gql.data("PROCUREMENT", REPORT, {"records": rows})

    assert data["reportCreditRecords"] == {"accepted": 2, "ids": ids, "errors": []}
    assert await counts(session) == before
    kept = await gql.data("CREDIT_OFFICE", HISTORY, {"id": ids[0]})
    assert kept["node"]["title"] == "未按合同期限组织履约验收"  # the correction stays
    assert kept["node"]["validUntil"] == "2026-12-31"


async def test_a_resend_with_the_corrected_content_is_accepted_too(
        gql: GraphQL, session: AsyncSession) -> None:
    rows, ids = await given_two_corrected(gql)
    before = await counts(session)
    adopted = record("R-1", title="未按合同期限组织履约验收", validUntil="2026-12-31",
                     shareScope=["PERSONNEL", "PROCUREMENT"])

    data = await gql.data("PROCUREMENT", REPORT, {"records": [adopted, rows[1]]})

    assert data["reportCreditRecords"] == {"accepted": 2, "ids": ids, "errors": []}
    assert await counts(session) == before


async def test_a_resend_with_other_content_is_still_a_conflict_and_writes_nothing(
        gql: GraphQL, session: AsyncSession) -> None:
    rows, _ = await given_two_corrected(gql)
    before = await counts(session)

    data = await gql.data("PROCUREMENT", REPORT, {"records": [
        record("R-1", title="另一个标题"), rows[1]]})

    assert data["reportCreditRecords"]["accepted"] == 0
    assert data["reportCreditRecords"]["errors"] == [
        {"index": 0, "field": "sourceRef", "code": "CONFLICT",
         "message": "a record with this (sourceSystem, sourceRef) exists with other content"}]
    assert await counts(session) == before


async def test_a_status_error_speaks_the_domain(gql: GraphQL, session: AsyncSession) -> None:
    _, ids = await given_two_corrected(gql)
    filed = await gql.data("SUPERVISION", FILE, {"id": ids[1], "reason": "供应商原因"})
    assert filed["fileObjection"]["errors"] == []
    upheld = await gql.data("CREDIT_OFFICE", RESOLVE, {"id": ids[1], "upheld": True,
                                                        "note": "异议成立"})
    assert upheld["resolveObjection"]["errors"] == []
    before = await counts(session)

    again = await gql("SUPERVISION", FILE.replace("errors { index field code }",
                                                   "errors { code message }"),
                      {"id": ids[1], "reason": "再次异议"})

    assert again["data"]["fileObjection"]["errors"] == [{
        "code": "INVALID_STATE",
        "message": "the record is REVOKED; an objection may be filed only on an ACTIVE record"}]
    assert "FILE_OBJECTION" not in str(again)
    assert await counts(session) == before
