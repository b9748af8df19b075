"""What a procurement client sees of a purchaser's credit and a contract's responsible person
(DOMAIN.md section 3): hidden records count but show only as a RecordRef, and of a civil
servant only id, displayName, maskedIdNumber, creditFile and restrictions."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.ids import to_global_id
from domains.subject import service as subjects
from tests.conftest import GraphQL
from tests.graph.procurement.support import (
    MILESTONES,
    OFFICER,
    REGISTER,
    SCHOOL,
    contract,
    given_purchasers,
    milestone,
)
from tests.graph.restriction.support import add_record

CREDIT = """
query Credit($uscc: String!) {
  unit(uscc: $uscc) { procurementCredit {
    score grade recordsCounted { id severity record { title } }
  } }
}"""
PERSON = """
query Contract($code: String!) {
  procurementContract(code: $code) { responsiblePerson { id displayName maskedIdNumber } }
}"""
PERSON_NAME = """
query Contract($code: String!) { procurementContract(code: $code) { responsiblePerson { name } } }
"""


async def given_an_overdue_contract_and_a_shared_record(gql: GraphQL,
                                                        session: AsyncSession) -> str:
    """A contract delivered 2026-03-02, never accepted nor paid (−5 −8), and a GENERAL
    PROCUREMENT record shared with supervision only (−10): 77, grade B."""
    await given_purchasers(gql)
    await gql.data("PROCUREMENT", REGISTER, {"contracts": [contract(
        responsiblePersonIdNumber=OFFICER)]})
    await gql.data("PROCUREMENT", MILESTONES, {"milestones": [
        milestone("DELIVERED", "2026-03-02")]})
    unit = await subjects.unit_by_uscc(session, SCHOOL)
    assert unit is not None
    record = await add_record(session, unit, "SHARED", domain="PROCUREMENT",
                              category="CONTRACT_PERFORMANCE", disclosure="GOVERNMENT_SHARED",
                              share_scope=["SUPERVISION"], decided_on=date(2026, 4, 1))
    await session.commit()
    return to_global_id("CreditRecord", record.id)


@pytest.mark.parametrize(("audience", "record"), [
    ("PROCUREMENT", None), ("PROJECT_APPROVAL", None), ("PERSONNEL", None),
    ("SUPERVISION", {"title": "记录 SHARED"}), ("CREDIT_OFFICE", {"title": "记录 SHARED"})])
async def test_a_hidden_record_lowers_the_score_but_shows_only_as_a_ref(
        gql: GraphQL, session: AsyncSession, audience: str,
        record: dict[str, str] | None) -> None:
    record_id = await given_an_overdue_contract_and_a_shared_record(gql, session)
    data = await gql.data(audience, CREDIT, {"uscc": SCHOOL})
    assert data["unit"]["procurementCredit"] == {
        "score": 77, "grade": "B",
        "recordsCounted": [{"id": record_id, "severity": "GENERAL", "record": record}]}


async def test_a_procurement_client_sees_only_the_public_fields_of_the_responsible_person(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_an_overdue_contract_and_a_shared_record(gql, session)
    seen = await gql.data("PROCUREMENT", PERSON, {"code": "JS-2026-001"})
    person = seen["procurementContract"]["responsiblePerson"]
    assert (person["displayName"], person["maskedIdNumber"]) == (
        "王*", "*" * 16 + OFFICER[-2:])
    body = await gql("PROCUREMENT", PERSON_NAME, {"code": "JS-2026-001"})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    named = await gql.data("PERSONNEL", PERSON_NAME, {"code": "JS-2026-001"})
    assert named["procurementContract"]["responsiblePerson"] == {"name": "王强"}
