"""Operations and set-up shared by the investment GraphQL tests (DOMAIN.md section 8)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from domains.credit.models import CreditRecord, RecordEvent
from domains.investment.models import InvestmentApproval, InvestmentProject, InvestmentViolation
from tests.conftest import GraphQL
from tests.support import id_number, unit_code

REGISTER = """
mutation Register($projects: [InvestmentProjectInput!]!) {
  registerInvestmentProjects(projects: $projects) {
    accepted ids errors { index field code message } }
}"""
APPROVALS = """
mutation Approvals($approvals: [InvestmentApprovalInput!]!) {
  recordInvestmentApprovals(approvals: $approvals) {
    accepted ids errors { index field code message } }
}"""
VIOLATIONS = """
mutation Violations($violations: [InvestmentViolationInput!]!) {
  recordInvestmentViolations(violations: $violations) {
    accepted ids errors { index field code message } }
}"""
PROJECT = """
query Project($code: String!) {
  investmentProject(code: $code) {
    id code name supervisingDepartment { uscc name }
    approvals { document submittedOn approvedOn approvalNumber estimatedTotal }
    estimateOverrun requiresReapproval
    violations { kind occurredOn description sourceRef subject { __typename displayName }
                 record { id category severity decidedOn record { title domain sourceSystem
                   sourceRef investmentProject { code } } } }
  }
}"""
REGISTER_UNITS = """
mutation Units($units: [UnitInput!]!) { registerUnits(units: $units) { accepted errors { code } } }
"""
REGISTER_PEOPLE = """
mutation People($people: [CivilServantInput!]!) {
  registerCivilServants(people: $people) { accepted errors { code } }
}"""

DRC = unit_code(401)         # 发展改革委: the approving department
WATER = unit_code(402)       # 水务局: a supervising department
BUILDER = unit_code(403, prefix="91")  # a contractor unit
OFFICIAL = id_number(401)
CODE = "2026-310116-48-01-000001"


async def given_departments(gql: GraphQL) -> None:
    units = [{"uscc": DRC, "name": "金山区发展和改革委员会", "kind": "GOVERNMENT_ORGAN"},
             {"uscc": WATER, "name": "金山区水务局", "kind": "GOVERNMENT_ORGAN"},
             {"uscc": BUILDER, "name": "上海某建设工程有限公司", "kind": "STATE_ENTERPRISE"}]
    assert (await gql.data("CREDIT_OFFICE", REGISTER_UNITS, {"units": units}))[
        "registerUnits"]["accepted"] == 3
    people = [{"idNumber": OFFICIAL, "name": "李明", "unitUscc": WATER,
               "startedOn": "2020-01-01"}]
    assert (await gql.data("PERSONNEL", REGISTER_PEOPLE, {"people": people}))[
        "registerCivilServants"]["accepted"] == 1


def project(code: str = CODE, **changes: Any) -> dict[str, Any]:
    return {"code": code, "name": "金山区某河道综合整治工程", "supervisingDepartmentUscc": WATER,
            **changes}


def approval(document: str, submitted: str, approved: str | None = None,
             estimate: str | None = None, code: str = CODE, **changes: Any) -> dict[str, Any]:
    return {"projectCode": code, "document": document, "submittedOn": submitted,
            "approvedOn": approved, "approvalNumber": None, "estimatedTotal": estimate,
            **changes}


def violation(ref: str = "WG-001", code: str = CODE, **changes: Any) -> dict[str, Any]:
    """A GENERAL 玩忽职守 of OFFICIAL, sanctioned with a WARNING."""
    return {"projectCode": code, "kind": "DERELICTION", "occurredOn": "2026-03-01",
            "description": "未按批复建设内容组织实施", "subject": {"idNumber": OFFICIAL},
            "severity": "GENERAL", "sanction": "WARNING", "decidedByUscc": DRC,
            "decidedOn": "2026-04-01", "sourceRef": ref, **changes}


async def given_project(gql: GraphQL, code: str = CODE) -> str:
    data = await gql.data("PROJECT_APPROVAL", REGISTER, {"projects": [project(code)]})
    assert data["registerInvestmentProjects"]["errors"] == []
    gid: str = data["registerInvestmentProjects"]["ids"][0]
    return gid


async def approvals_recorded(gql: GraphQL, *rows: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = (await gql.data("PROJECT_APPROVAL", APPROVALS, {
        "approvals": list(rows)}))["recordInvestmentApprovals"]
    return payload


def errors_of(payload: dict[str, Any]) -> list[tuple[int | None, str | None, str]]:
    return [(e["index"], e["field"], e["code"]) for e in payload["errors"]]


async def rows(session: AsyncSession) -> dict[str, tuple[int, str]]:
    """Each table the investment mutations write: its row count and its whole content (so an
    update that should not have happened shows too)."""
    found = {}
    for model in (InvestmentProject, InvestmentApproval, InvestmentViolation, CreditRecord,
                  RecordEvent):
        table = model.__tablename__
        count = int(await session.scalar(select(func.count()).select_from(model)) or 0)
        content = await session.scalar(text(
            f"SELECT coalesce(string_agg(row_to_json(t)::text, ',' ORDER BY t.id::text), '') "
            f"FROM {table} t"))
        found[table] = (count, str(content))
    return found
