"""Issue 9 item 5: the approval system's flow end to end through HTTP. Register a project,
record its approvals, record a violation by a civil servant (and one by the supervising unit),
then checkRestrictions for the unit in INVESTMENT_APPROVAL and promotionEligibility for the
person both show the records the violations wrote. The README example is this flow's answer."""

from __future__ import annotations

import json
import os
from typing import Any

from tests.conftest import GraphQL
from tests.graph.investment.support import (
    APPROVALS,
    DRC,
    OFFICIAL,
    REGISTER,
    VIOLATIONS,
    WATER,
    given_departments,
)

CODE = "2605-310116-04-01-512345"
PROJECT = """
query Project($code: String!) {
  investmentProject(code: $code) {
    code name supervisingDepartment { name }
    approvals { document submittedOn approvedOn approvalNumber estimatedTotal }
    estimateOverrun requiresReapproval
    violations { kind occurredOn sourceRef subject { __typename displayName }
                 record { id category severity decidedOn record { title } } }
  }
}"""
CHECK = """
mutation Check($input: CheckRestrictionsInput!) {
  checkRestrictions(input: $input) {
    check { assessment { scenario asOf decision
      measures { code effect until basis { id category severity decidedOn
        record { title investmentProject { code } } } } } }
    errors { field code message }
  }
}"""
PROMOTION = """
query Promotion($idNumber: String!) {
  civilServant(idNumber: $idNumber) {
    displayName
    promotionEligibility { asOf decision eligibleFrom
      blockers { code until basis { id category severity decidedOn
        record { title investmentProject { code } } } } cautions { code } }
  }
}"""
TITLE = "未按批复建设内容组织实施，擅自扩大建设规模"
OVERRUN = "初步设计概算超出可研估算10%以上未报告"


def example(step: str, variables: dict[str, Any], answer: dict[str, Any]) -> None:
    """Prints a step for the README (INVESTMENT_FLOW_EXAMPLE=1 pytest -s)."""
    if os.environ.get("INVESTMENT_FLOW_EXAMPLE"):
        print(f"\n### {step}\n{json.dumps(variables, ensure_ascii=False)}\n"
              f"{json.dumps(answer, ensure_ascii=False)}")


async def step(gql: GraphQL, name: str, audience: str, operation: str,
               variables: dict[str, Any]) -> dict[str, Any]:
    answer = await gql.data(audience, operation, variables)
    example(name, variables, answer)
    return answer


async def the_writes(gql: GraphQL) -> list[str]:
    """The approval system registers the project, its approvals and two violations."""
    await step(gql, "register", "PROJECT_APPROVAL", REGISTER, {"projects": [
        {"code": CODE, "name": "金山区山阳镇污水管网改造工程",
         "supervisingDepartmentUscc": WATER}]})
    await step(gql, "approvals", "PROJECT_APPROVAL", APPROVALS, {"approvals": [
        {"projectCode": CODE, "document": "PROJECT_PROPOSAL", "submittedOn": "2026-01-05",
         "approvedOn": "2026-01-20", "approvalNumber": "金发改投〔2026〕5号"},
        {"projectCode": CODE, "document": "FEASIBILITY_STUDY", "submittedOn": "2026-02-02",
         "approvedOn": "2026-03-02", "approvalNumber": "金发改投〔2026〕18号",
         "estimatedTotal": "1000000.00"},
        {"projectCode": CODE, "document": "PRELIMINARY_DESIGN", "submittedOn": "2026-03-20",
         "estimatedTotal": "1150000.00"}]})
    common = {"projectCode": CODE, "decidedByUscc": DRC, "decidedOn": "2026-05-10"}
    answer = await step(gql, "violations", "PROJECT_APPROVAL", VIOLATIONS, {"violations": [
        {**common, "kind": "DERELICTION", "occurredOn": "2026-04-20", "description": TITLE,
         "subject": {"idNumber": OFFICIAL}, "severity": "GENERAL", "sanction": "WARNING",
         "sourceRef": "WG-2026-007"},
        {**common, "kind": "UNAUTHORISED_OVERRUN", "occurredOn": "2026-04-20",
         "description": OVERRUN, "subject": {"uscc": WATER}, "category": "OTHER_ACCOUNTABILITY",
         "severity": "GENERAL", "sourceRef": "WG-2026-008"}]})
    payload = answer["recordInvestmentViolations"]
    assert payload["errors"] == []
    ids: list[str] = payload["ids"]
    return ids


async def test_the_approval_systems_flow(gql: GraphQL) -> None:
    await given_departments(gql)
    person_record, unit_record = await the_writes(gql)

    project = await step(gql, "project", "PROJECT_APPROVAL", PROJECT, {"code": CODE})
    assert project["investmentProject"]["estimateOverrun"] == 0.15
    assert project["investmentProject"]["requiresReapproval"] is True
    assert [(v["sourceRef"], v["record"]["id"], v["record"]["record"])
            for v in project["investmentProject"]["violations"]] == [
        ("WG-2026-007", person_record, None),  # a person's record: PERSONNEL, SUPERVISION only
        ("WG-2026-008", unit_record, {"title": OVERRUN})]

    check = await step(gql, "check", "PROJECT_APPROVAL", CHECK, {"input": {
        "subject": {"uscc": WATER}, "scenario": "INVESTMENT_APPROVAL", "businessRef": CODE}})
    unit_basis = [{"id": unit_record, "category": "OTHER_ACCOUNTABILITY", "severity": "GENERAL",
                   "decidedOn": "2026-05-10",
                   "record": {"title": OVERRUN, "investmentProject": {"code": CODE}}}]
    assert check["checkRestrictions"] == {"errors": [], "check": {"assessment": {
        "scenario": "INVESTMENT_APPROVAL", "asOf": "2026-06-15", "decision": "REVIEW",
        "measures": [{"code": "INVESTMENT_APPROVAL.GENERAL.WRITTEN_EXPLANATION",
                      "effect": "WRITTEN_EXPLANATION", "until": "2027-05-09",
                      "basis": unit_basis}]}}}

    promotion = await step(gql, "promotion", "PERSONNEL", PROMOTION, {"idNumber": OFFICIAL})
    assert promotion["civilServant"] == {"displayName": "李*", "promotionEligibility": {
        "asOf": "2026-06-15", "decision": "DENY", "eligibleFrom": "2026-11-10",
        "blockers": [{"code": "SANCTION_WARNING", "until": "2026-11-09", "basis": [{
            "id": person_record, "category": "ADMINISTRATIVE_SANCTION", "severity": "GENERAL",
            "decidedOn": "2026-05-10",
            "record": {"title": TITLE, "investmentProject": {"code": CODE}}}]}],
        "cautions": []}}
