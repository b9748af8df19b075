"""Who may report under a sourceSystem (issue 7): CONFLICT must not tell a client that a record
it may not see exists. A client reports only under a sourceSystem that no other client, the
credit office aside, has reported under: under another's it gets FORBIDDEN on `sourceSystem`
whatever the sourceRef, so the answer is the same whether the key is taken or not."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domains.access import service as access
from domains.credit.models import CreditRecord
from tests.conftest import GraphQL
from tests.support import unit_code

FINANCE = unit_code(61)
REGISTER_UNITS = """
mutation($units: [UnitInput!]!) { registerUnits(units: $units) { errors { code } } }"""
REPORT = """
mutation($records: [CreditRecordInput!]!) {
  reportCreditRecords(records: $records) { accepted errors { index field code message } } }"""
FOREIGN = {"field": "sourceSystem", "code": "FORBIDDEN",
           "message": "another client reports under this sourceSystem: report under your own"}


def record(ref: str, **changes: Any) -> dict[str, Any]:
    """A hidden record for every audience but the credit office (AUTHORIZED_QUERY)."""
    return {"subject": {"uscc": FINANCE}, "nature": "DISHONEST", "category": "JUDICIAL_JUDGMENT",
            "severity": "SERIOUS", "domain": "PROCUREMENT", "title": "判决",
            "decidedOn": "2026-03-01", "disclosure": "AUTHORIZED_QUERY",
            "sourceSystem": "caigou", "sourceRef": ref, **changes}


@pytest.fixture
async def second_procurement(gql: GraphQL,
                             sessionmaker: async_sessionmaker[AsyncSession]) -> GraphQL:
    """Another PROCUREMENT client (`tendering`), as audience key PROCUREMENT_2."""
    async with sessionmaker() as session:
        _, key = await access.add_client(session, name="tendering", audience="PROCUREMENT")
        await session.commit()
    gql.keys["PROCUREMENT_2"] = key
    units = await gql.data("CREDIT_OFFICE", REGISTER_UNITS, {"units": [
        {"uscc": FINANCE, "name": "金山区财政局", "kind": "GOVERNMENT_ORGAN"}]})
    assert units["registerUnits"]["errors"] == []
    return gql


async def count_records(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(CreditRecord)) or 0)


async def test_another_clients_source_system_answers_the_same_whether_the_key_exists(
        second_procurement: GraphQL, session: AsyncSession) -> None:
    gql = second_procurement
    # given procurement's hidden record under caigou / CG-1
    first = await gql.data("PROCUREMENT", REPORT, {"records": [record("CG-1")]})
    assert first["reportCreditRecords"]["accepted"] == 1
    # when another procurement client reports the taken key with other content, and a free one
    data = await gql.data("PROCUREMENT_2", REPORT, {"records": [
        record("CG-1", title="另一判决"), record("CG-2")]})
    # then both rows get the same answer: nothing tells that CG-1 exists
    assert data["reportCreditRecords"] == {"accepted": 0, "errors": [
        {"index": 0, **FOREIGN}, {"index": 1, **FOREIGN}]}
    assert await count_records(session) == 1


async def test_the_owner_still_gets_conflict_and_the_credit_office_reports_anywhere(
        second_procurement: GraphQL, session: AsyncSession) -> None:
    gql = second_procurement
    await gql.data("PROCUREMENT", REPORT, {"records": [record("CG-1")]})
    # the owner of caigou learns about its own record
    own = await gql.data("PROCUREMENT", REPORT, {"records": [record("CG-1", title="改")]})
    assert [e["code"] for e in own["reportCreditRecords"]["errors"]] == ["CONFLICT"]
    # the credit office sees every record, so it may report under any system
    office = await gql.data("CREDIT_OFFICE", REPORT, {"records": [record("CG-9")]})
    assert office["reportCreditRecords"]["accepted"] == 1
    # and its records do not take a system over: a new client may still start its own
    fresh = await gql.data("PROCUREMENT_2", REPORT, {"records": [
        record("ZB-1", sourceSystem="zhaobiao"), record("CG-9", sourceSystem="caigou")]})
    assert fresh["reportCreditRecords"]["errors"] == [{"index": 1, **FOREIGN}]
    office_only = await gql.data("CREDIT_OFFICE", REPORT, {"records": [
        record("BG-1", sourceSystem="bangong")]})
    shared = await gql.data("PROCUREMENT_2", REPORT, {"records": [
        record("BG-2", sourceSystem="bangong")]})
    assert office_only["reportCreditRecords"]["accepted"] == 1
    assert shared["reportCreditRecords"]["accepted"] == 1
    assert await count_records(session) == 4
