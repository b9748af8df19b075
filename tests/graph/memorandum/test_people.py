"""A memorandum covering civil servants: the subject is named by identity number (looked up
through the subject domain, never shown back), and the measures show in the person's
restrictions of the memorandum's scenario."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.ids import to_global_id
from tests.conftest import GraphQL
from tests.graph.memorandum.support import (
    DRC,
    FINANCE,
    INITIATE,
    action_input,
    counts,
    given_district,
    initiated,
    registered,
)
from tests.graph.restriction.support import add_person, add_record
from tests.support import id_number

OWN = {"code": "NO-HIRING-PANEL", "name": "不得担任招聘考官", "effect": "PROHIBIT",
       "legalBasis": "备忘录约定"}
PERSON = """
query Person($idNumber: String!) { civilServant(idNumber: $idNumber) {
  restrictions(scenario: HIRING) { decision measures { code memorandum { number } } } } }"""


async def test_a_memorandum_on_civil_servants(gql: GraphQL, session: AsyncSession) -> None:
    # given a memorandum on civil servants in HIRING, and a person with a serious sanction
    district = await given_district(session, gql)
    person = await add_person(session, 1, district.units[DRC])
    sanction = await add_record(session, person, "P-1", category="ADMINISTRATIVE_SANCTION",
                                severity="SERIOUS", sanction="DEMOTION",
                                disclosure="GOVERNMENT_SHARED",
                                share_scope=["PROCUREMENT", "PERSONNEL"],
                                decided_on=date(2026, 3, 1))
    await session.commit()
    signatories = [{"uscc": u.uscc, "measures": [OWN]}
                   for u in (district.units[FINANCE], district.units[DRC])]
    await registered(gql, district, scenario="HIRING", subjectKind="PERSON",
                     signatories=signatories)
    basis = [to_global_id("CreditRecord", sanction.id)]
    # a unit is not a subject of this memorandum
    wrong = await gql.data(FINANCE, INITIATE, {"input": action_input(
        district, basisRecordIds=basis)})
    assert [(e["field"], e["code"]) for e in wrong["initiateJointAction"]["errors"]] == [
        ("subject", "INVALID_VALUE")]
    assert await counts(session) == (1, 0, 0)
    # when finance initiates against the person, named by identity number
    await initiated(gql, district, subject={"idNumber": id_number(1).lower()},
                    basisRecordIds=basis)
    # then the person's hiring restrictions list the memorandum's measure
    data = await gql.data("PERSONNEL", PERSON, {"idNumber": id_number(1)})
    measures = data["civilServant"]["restrictions"]["measures"]
    assert data["civilServant"]["restrictions"]["decision"] == "DENY"
    assert {"code": "JOINT:金信联〔2026〕1号:NO-HIRING-PANEL",
            "memorandum": {"number": "金信联〔2026〕1号"}} in measures
