"""A purchaser's procurement credit and contracts over HTTP (DOMAIN.md sections 3, 6)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access.models import AuditEntry
from domains.core.ids import to_global_id
from domains.credit import service as credit
from domains.credit.enums import Disclosure, RecordCategory, RecordNature, Severity, SourceDomain
from domains.subject import service as subjects
from tests.conftest import AUDIENCES, TEST_SECRET, GraphQL
from tests.domains.procurement.support import contract, procurement_record
from tests.support import unit_code

CREDIT = """
query Credit($uscc: String!, $asOf: Date) {
  unit(uscc: $uscc) {
    procurementCredit(asOf: $asOf) {
      asOf score grade contractsEvaluated acceptedOnTime acceptedLate acceptanceOverdue
      paidOnTime paidLate paymentOverdue overdueAmount
      breaches { kind dueOn resolvedOn daysLate lateInterest contract { code } }
      recordsCounted { id category severity decidedOn
                       record { title procurementContract { code } } }
    }
  }
}"""
CONTRACTS = """
query Contracts($uscc: String!, $first: Int, $after: String) {
  unit(uscc: $uscc) {
    procurementContracts(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { code signedOn purchaser { uscc } } }
    }
  }
}"""
NODE = """
query Node($id: ID!) { node(id: $id) { id ... on ProcurementContract { code amount } } }
"""
MANY = """
query Many($first: Int) {
  units(first: $first) { edges { node { uscc procurementCredit {
    score grade breaches { kind contract { code } }
    recordsCounted { id record { title procurementContract { code } } }
  } } } }
}"""

SCHOOL = unit_code(301)


async def given_a_purchaser(session: AsyncSession, uscc: str = SCHOOL,
                            name: str = "金山区第二中学") -> uuid.UUID:
    [unit_id] = await subjects.register_units(
        session, [subjects.UnitRow(uscc=uscc, name=name, kind="PUBLIC_INSTITUTION")])
    return unit_id


async def given_breaches(session: AsyncSession, unit_id: uuid.UUID, uscc: str = SCHOOL,
                         prefix: str = "JS") -> uuid.UUID:
    """One contract accepted 2 days late and paid on time; one SME contract left unaccepted
    and unpaid; one GENERAL PROCUREMENT record on the latter: 100 − 2 − 5 − 8 − 10 = 75."""
    await contract(session, f"{prefix}-A", purchaser=uscc, delivered=date(2026, 3, 2),
                   accepted=date(2026, 4, 3), paid=date(2026, 4, 20))
    open_id = await contract(session, f"{prefix}-B", purchaser=uscc, sme=True,
                             amount="120000.00", delivered=date(2026, 3, 2))
    await procurement_record(session, unit_id, "GENERAL", contract_id=open_id)
    return open_id


async def test_procurement_credit_today(gql: GraphQL, session: AsyncSession) -> None:
    # given a purchaser with two breached contracts and a counted PROCUREMENT record
    unit_id = await given_a_purchaser(session)
    await given_breaches(session, unit_id)
    # when the procurement system reads its credit (asOf omitted: today 2026-06-15)
    data = await gql.data("PROCUREMENT", CREDIT, {"uscc": SCHOOL})
    credit = data["unit"]["procurementCredit"]
    records = credit.pop("recordsCounted")
    # then every counter, the breaches by contract code then kind, 75 points: grade B
    assert credit == {
        "asOf": "2026-06-15", "score": 75, "grade": "B", "contractsEvaluated": 2,
        "acceptedOnTime": 0, "acceptedLate": 1, "acceptanceOverdue": 1, "paidOnTime": 1,
        "paidLate": 0, "paymentOverdue": 1, "overdueAmount": "120000.00",
        "breaches": [
            {"kind": "ACCEPTANCE_LATE", "dueOn": "2026-04-01", "resolvedOn": "2026-04-03",
             "daysLate": 2, "lateInterest": "0.00", "contract": {"code": "JS-A"}},
            {"kind": "ACCEPTANCE_OVERDUE", "dueOn": "2026-04-01", "resolvedOn": None,
             "daysLate": 75, "lateInterest": "0.00", "contract": {"code": "JS-B"}},
            {"kind": "PAYMENT_OVERDUE", "dueOn": "2026-05-01", "resolvedOn": None,
             "daysLate": 45, "lateInterest": "2700.00", "contract": {"code": "JS-B"}}]}
    assert [(r["category"], r["severity"], r["decidedOn"]) for r in records] == [
        ("CONTRACT_PERFORMANCE", "GENERAL", "2026-03-01")]
    assert records[0]["record"] == {"title": "验收拖延",
                                    "procurementContract": {"code": "JS-B"}}
    # and the read is audited (查询留痕)
    audits = (await session.scalars(
        select(AuditEntry).where(AuditEntry.field == "unit.procurementCredit"))).all()
    assert [(a.client_name, a.operation, a.subject_ids) for a in audits] == [
        ("procurement", "Credit", [to_global_id("Unit", unit_id)])]


async def test_procurement_credit_replays_as_of(gql: GraphQL, session: AsyncSession) -> None:
    # given the same purchaser, read on 2026-04-02: JS-A's acceptance had not happened yet
    unit_id = await given_a_purchaser(session)
    await given_breaches(session, unit_id)
    data = await gql.data("PROCUREMENT", CREDIT, {"uscc": SCHOOL, "asOf": "2026-04-02"})
    credit = data["unit"]["procurementCredit"]
    # then both acceptances are a day overdue, no payment is due yet; the record counts
    assert [(b["contract"]["code"], b["kind"], b["daysLate"]) for b in credit["breaches"]] == [
        ("JS-A", "ACCEPTANCE_OVERDUE", 1), ("JS-B", "ACCEPTANCE_OVERDUE", 1)]
    assert (credit["score"], credit["grade"], credit["acceptedLate"]) == (80, "B", 0)
    # and before the record was decided it did not exist: 100 − 0 (nothing delivered yet)
    early = await gql.data("PROCUREMENT", CREDIT, {"uscc": SCHOOL, "asOf": "2026-02-28"})
    assert early["unit"]["procurementCredit"]["recordsCounted"] == []
    assert early["unit"]["procurementCredit"]["score"] == 100


@pytest.mark.parametrize("audience", AUDIENCES)
async def test_every_audience_reads_procurement_credit(
        gql: GraphQL, session: AsyncSession, audience: str) -> None:
    unit_id = await given_a_purchaser(session)
    await given_breaches(session, unit_id)
    data = await gql.data(audience, CREDIT, {"uscc": SCHOOL})
    assert data["unit"]["procurementCredit"]["grade"] == "B"


async def test_contracts_page_newest_first(gql: GraphQL, session: AsyncSession) -> None:
    await given_a_purchaser(session)
    for code, signed in (("K-1", date(2025, 5, 1)), ("K-3", date(2026, 2, 1)),
                         ("K-2", date(2026, 2, 1))):
        await contract(session, code, purchaser=SCHOOL, signed_on=signed)
    first = (await gql.data("PROCUREMENT", CONTRACTS, {"uscc": SCHOOL, "first": 2}))[
        "unit"]["procurementContracts"]
    assert first["totalCount"] == 3
    assert [e["node"]["code"] for e in first["edges"]] == ["K-2", "K-3"]
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    rest = (await gql.data("PROCUREMENT", CONTRACTS, {
        "uscc": SCHOOL, "first": 2, "after": first["pageInfo"]["endCursor"]}))[
        "unit"]["procurementContracts"]
    assert [e["node"] for e in rest["edges"]] == [
        {"code": "K-1", "signedOn": "2025-05-01", "purchaser": {"uscc": SCHOOL}}]
    assert rest["pageInfo"]["hasPreviousPage"] and not rest["pageInfo"]["hasNextPage"]
    body = await gql("PROCUREMENT", CONTRACTS, {"uscc": SCHOOL, "first": 101})
    assert body["errors"][0]["extensions"]["code"] == "INVALID_VALUE"


async def test_a_unit_without_contracts(gql: GraphQL, session: AsyncSession) -> None:
    await given_a_purchaser(session)
    data = await gql.data("PROCUREMENT", CONTRACTS, {"uscc": SCHOOL})
    assert data["unit"]["procurementContracts"] == {
        "totalCount": 0, "edges": [], "pageInfo": {
            "hasNextPage": False, "hasPreviousPage": False, "startCursor": None,
            "endCursor": None}}
    credit = await gql.data("PROCUREMENT", CREDIT, {"uscc": SCHOOL})
    assert credit["unit"]["procurementCredit"]["score"] == 100


async def test_a_contract_is_a_node(gql: GraphQL, session: AsyncSession) -> None:
    await given_a_purchaser(session)
    contract_id = await contract(session, "JS-N", purchaser=SCHOOL)
    gid = to_global_id("ProcurementContract", contract_id)
    data = await gql.data("PERSONNEL", NODE, {"id": gid})
    assert data["node"] == {"id": gid, "code": "JS-N", "amount": "10000.00"}
    unknown = to_global_id("ProcurementContract", uuid.uuid4())
    assert (await gql.data("PERSONNEL", NODE, {"id": unknown}))["node"] is None


async def many_units(session: AsyncSession, count: int) -> None:
    for n in range(count):
        uscc = unit_code(400 + n)
        unit_id = await given_a_purchaser(session, uscc, name=f"单位{n:03d}")
        await given_breaches(session, unit_id, uscc, prefix=f"U{n:03d}")


async def statements_for(gql: GraphQL, count_statements: Any, first: int) -> tuple[int, Any]:
    with count_statements() as counter:
        data = await gql.data("PROCUREMENT", MANY, {"first": first})
    return counter.count, data


@pytest.mark.slow
async def test_statement_count_does_not_grow_with_units(
        gql: GraphQL, session: AsyncSession, count_statements: Any) -> None:
    # given 50 purchasers, each with breaches and a counted record
    await many_units(session, 50)
    # when their credit is read for one unit, then for all 50 in one query
    one, data_one = await statements_for(gql, count_statements, 1)
    fifty, data = await statements_for(gql, count_statements, 50)
    # then the same number of statements
    edges = data["units"]["edges"]
    assert len(edges) == 50 and len(data_one["units"]["edges"]) == 1
    assert all(e["node"]["procurementCredit"]["grade"] == "B" for e in edges)
    assert all(len(e["node"]["procurementCredit"]["breaches"]) == 3 for e in edges)
    assert all(e["node"]["procurementCredit"]["recordsCounted"][0]["record"][
        "procurementContract"]["code"].endswith("-B") for e in edges)
    assert one == fifty, (one, fifty)


RECORD = """
query Record($ref: String!) {
  creditRecord(sourceSystem: "procurement-system", sourceRef: $ref) {
    title procurementContract { code purchaser { uscc } }
  }
}"""


@pytest.mark.parametrize("audience", AUDIENCES)
async def test_a_record_names_its_contract_to_every_audience(
        gql: GraphQL, session: AsyncSession, audience: str) -> None:
    # given a PUBLIC record reported by the procurement system on one of the unit's contracts
    await given_a_purchaser(session)
    await contract(session, "JS-R", purchaser=SCHOOL, delivered=date(2026, 3, 2))
    row = credit.RecordRow(
        subject_uscc=SCHOOL, subject_id_number=None, nature=RecordNature.DISHONEST,
        category=RecordCategory.CONTRACT_PERFORMANCE, domain=SourceDomain.PROCUREMENT,
        title="逾期未验收", decided_on=date(2026, 5, 10), disclosure=Disclosure.PUBLIC,
        source_system="procurement-system", source_ref="JS-R/1", severity=Severity.GENERAL,
        procurement_contract_code="js-r")
    await credit.report_records(session, [row], actor="procurement", audience="PROCUREMENT",
                                today=date(2026, 6, 15), secret=TEST_SECRET)
    # when any client reads the record, then the contract is there
    data = await gql.data(audience, RECORD, {"ref": "JS-R/1"})
    assert data["creditRecord"] == {"title": "逾期未验收", "procurementContract": {
        "code": "JS-R", "purchaser": {"uscc": SCHOOL}}}
