"""What restrictions cost in SQL statements, and the procurement grade rows, through HTTP."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domains.restriction.models import MeasureRuleRow
from tests.conftest import GraphQL
from tests.graph.restriction.support import (
    ALL_UNITS,
    PERSON_RESTRICTIONS,
    UNIT_RESTRICTIONS,
    add_person,
    add_record,
    add_unit,
)
from tests.support import id_number

# ---------------------------------------------------------------- statement counts


async def _count_all_units(gql: GraphQL, count_statements: Any, scenario: str) -> int:
    with count_statements() as counter:
        data = await gql.data("PROCUREMENT", ALL_UNITS, {"scenario": scenario})
    expected = "DENY" if scenario == "AWARDS" else "REVIEW"
    assert all(e["node"]["restrictions"]["decision"] == expected
               for e in data["units"]["edges"])
    return int(counter.count)


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["AWARDS", "GOVERNMENT_PROCUREMENT"])
async def test_statements_do_not_grow_with_subjects(
        gql: GraphQL, session: AsyncSession, count_statements: Any, scenario: str) -> None:
    # given one unit with a record (GOVERNMENT_PROCUREMENT also evaluates its grade)
    first = await add_unit(session, 1)
    await add_record(session, first, "R-1")
    await session.commit()
    one = await _count_all_units(gql, count_statements, scenario)
    # when 49 more units with a record each are read in the same query
    for n in range(2, 51):
        await add_record(session, await add_unit(session, n), f"R-{n}")
    await session.commit()
    fifty = await _count_all_units(gql, count_statements, scenario)
    # then the statements are the same
    assert fifty == one


async def test_statements_do_not_grow_with_records(
        gql: GraphQL, session: AsyncSession, count_statements: Any) -> None:
    unit = await add_unit(session, 1)
    await add_record(session, unit, "R-0")
    await session.commit()
    variables = {"uscc": unit.uscc, "scenario": "GOVERNMENT_PROCUREMENT"}
    with count_statements() as counter:
        await gql.data("PROCUREMENT", UNIT_RESTRICTIONS, variables)
    one = counter.count
    for n in range(1, 30):
        await add_record(session, unit, f"R-{n}")
    await session.commit()
    with count_statements() as counter:
        data = await gql.data("PROCUREMENT", UNIT_RESTRICTIONS, variables)
    assert len(data["unit"]["restrictions"]["measures"][0]["basis"]) == 30
    assert counter.count == one



PEOPLE = """
query People($uscc: String!) {
  unit(uscc: $uscc) { civilServants(first: 100) { edges { node {
    restrictions(scenario: PROMOTION) { decision measures { code basis { id record { title } } } }
    promotionEligibility { decision eligibleFrom cautions { code basis { record { title } } } }
  } } } }
}"""


async def _count_people(gql: GraphQL, count_statements: Any,
                        uscc: str) -> tuple[list[int], int]:
    """The number of cautions of each person read, and the statements the read cost."""
    with count_statements() as counter:
        data = await gql.data("PERSONNEL", PEOPLE, {"uscc": uscc})
    nodes = [e["node"] for e in data["unit"]["civilServants"]["edges"]]
    assert all(n["restrictions"]["decision"] == "REVIEW" for n in nodes)
    assert all(n["promotionEligibility"]["decision"] == "REVIEW" for n in nodes)
    return sorted(len(n["promotionEligibility"]["cautions"]) for n in nodes), int(counter.count)


@pytest.mark.slow
async def test_promotion_statements_do_not_grow_with_people_or_records(
        gql: GraphQL, session: AsyncSession, count_statements: Any) -> None:
    # given one civil servant with one GENERAL record (a DISHONEST_RECORD caution)
    unit = await add_unit(session, 1)
    first = await add_person(session, 1, unit)
    await add_record(session, first, "P-1")
    await session.commit()
    one = await _count_people(gql, count_statements, unit.uscc)
    # when 49 more people with a record each, and 29 more records for the first, are read
    for n in range(2, 51):
        await add_record(session, await add_person(session, n, unit), f"P-{n}")
    for n in range(1, 30):
        await add_record(session, first, f"P-1-{n}")
    await session.commit()
    fifty = await _count_people(gql, count_statements, unit.uscc)
    # then the statements are the same
    assert (one[0], fifty[0]) == ([1], [1] * 49 + [30])
    assert fifty[1] == one[1]


# ---------------------------------------------------------------- procurement grade

CONTRACTS = """
mutation Register($contracts: [ProcurementContractInput!]!) {
  registerProcurementContracts(contracts: $contracts) { accepted errors { code } }
}"""
MILESTONES = """
mutation Milestones($milestones: [ContractMilestoneInput!]!) {
  recordContractMilestones(milestones: $milestones) { accepted errors { code } }
}"""


async def given_overdue_contracts(gql: GraphQL, uscc: str, codes: list[str]) -> None:
    """Contracts delivered 2026-02-01, never accepted nor paid: each costs 5 + 8 points."""
    contracts = [{"code": code, "title": "办公设备", "purchaserUscc": uscc,
                  "supplierName": "上海某设备有限公司", "supplierIsSme": False,
                  "amount": "100000.00", "signedOn": "2026-01-15"} for code in codes]
    data = await gql.data("PROCUREMENT", CONTRACTS, {"contracts": contracts})
    assert data["registerProcurementContracts"]["errors"] == []
    milestones = [{"contractCode": code, "milestone": "DELIVERED", "on": "2026-02-01"}
                  for code in codes]
    data = await gql.data("PROCUREMENT", MILESTONES, {"milestones": milestones})
    assert data["recordContractMilestones"]["errors"] == []


@pytest.mark.slow
async def test_grade_rows_use_the_procurement_grade(gql: GraphQL, session: AsyncSession) -> None:
    # given a purchaser with three overdue contracts (score 61: grade C)
    unit = await add_unit(session, 1)
    await session.commit()
    await given_overdue_contracts(gql, unit.uscc, ["C-1", "C-2", "C-3"])
    variables = {"uscc": unit.uscc, "scenario": "GOVERNMENT_PROCUREMENT"}
    grade_c = (await gql.data("PROCUREMENT", UNIT_RESTRICTIONS, variables))["unit"]
    # then the grade C row applies, with the grade, until asOf and no basis
    assert grade_c["restrictions"]["decision"] == "REVIEW"
    assert grade_c["restrictions"]["measures"] == [{
        "code": "GOVERNMENT_PROCUREMENT.GRADE_C.WRITTEN_EXPLANATION",
        "effect": "WRITTEN_EXPLANATION", "grade": "C", "until": "2026-06-15", "basis": []}]
    # when a fourth contract is overdue (score 48: grade D)
    await given_overdue_contracts(gql, unit.uscc, ["C-4"])
    grade_d = (await gql.data("PROCUREMENT", UNIT_RESTRICTIONS, variables))["unit"]
    assert [(m["code"], m["grade"]) for m in grade_d["restrictions"]["measures"]] == [
        ("GOVERNMENT_PROCUREMENT.GRADE_D.RESTRICT", "D"),
        ("GOVERNMENT_PROCUREMENT.GRADE_D.RECTIFICATION", "D")]
    # and the grade rows belong to government procurement only
    ppp = await gql.data("PROCUREMENT", UNIT_RESTRICTIONS, {**variables, "scenario": "PPP"})
    assert ppp["unit"]["restrictions"]["measures"] == []


async def test_grade_and_factor_rows_apply_wherever_the_table_puts_them(
        gql: GraphQL, session: AsyncSession) -> None:
    # given a deployment that also publishes a grade D row for PPP and a factor row for AWARDS
    session.add_all([
        MeasureRuleRow(code="PPP.GRADE_D.RESTRICT", name="PPP：采购人履约验收信用D级，限制",
                       scenario="PPP", subject_kind="UNIT", condition="GRADE_D",
                       effect="RESTRICT", legal_basis="测试", valid_from=date(2026, 1, 1),
                       valid_to=None, domains=[]),
        MeasureRuleRow(code="AWARDS.PROMOTION_FACTOR.PROHIBIT", name="评优：晋升阻却因素，不得",
                       scenario="AWARDS", subject_kind="PERSON", condition="PROMOTION_FACTOR",
                       effect="PROHIBIT", legal_basis="测试", valid_from=date(2026, 1, 1),
                       valid_to=None, domains=[])])
    unit = await add_unit(session, 1)
    person = await add_person(session, 1, unit)
    await add_record(session, person, "W", category="ADMINISTRATIVE_SANCTION",
                     sanction="WARNING", decided_on=date(2026, 3, 1))
    await session.commit()
    # and a purchaser of grade D
    await given_overdue_contracts(gql, unit.uscc, ["C-1", "C-2", "C-3", "C-4"])
    # then the grade row applies in PPP, with the grade, until asOf and no basis
    ppp = await gql.data("PROCUREMENT", UNIT_RESTRICTIONS, {"uscc": unit.uscc,
                                                            "scenario": "PPP"})
    assert ppp["unit"]["restrictions"]["measures"] == [{
        "code": "PPP.GRADE_D.RESTRICT", "effect": "RESTRICT", "grade": "D",
        "until": "2026-06-15", "basis": []}]
    # and the factor row adds the promotion factors in AWARDS, beside the scenario's own rows
    awards = await gql.data("PERSONNEL", PERSON_RESTRICTIONS, {"idNumber": id_number(1),
                                                               "scenario": "AWARDS"})
    assert awards["civilServant"]["restrictions"]["decision"] == "DENY"
    assert [m["code"] for m in awards["civilServant"]["restrictions"]["measures"]] == [
        "AWARDS.DISHONEST.PROHIBIT", "PROMOTION.SANCTION_WARNING"]
