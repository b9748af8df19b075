"""Operations and set-up shared by the PPP GraphQL tests (DOMAIN.md section 7)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.credit.models import CreditRecord, RecordEvent
from domains.ppp.models import PppEvent, PppProject, PppResponsibility, PppTrace
from tests.conftest import GraphQL
from tests.support import id_number, unit_code

REGISTER = """
mutation Register($projects: [PppProjectInput!]!) {
  registerPppProjects(projects: $projects) { accepted ids errors { index field code message } }
}"""
ASSIGN = """
mutation Assign($assignments: [PppResponsibilityInput!]!) {
  assignPppResponsibilities(assignments: $assignments) {
    accepted ids errors { index field code message }
  }
}"""
RECORD = """
mutation Record($events: [PppEventInput!]!) {
  recordPppEvents(events: $events) { accepted ids errors { index field code message } }
}"""
PROJECT = """
query Project($code: String!) {
  pppProject(code: $code) {
    id code name currentStage socialCapitalParties consultants contracts
    implementingAgency { uscc }
    responsibilities { stage role startedOn endedOn person { displayName maskedIdNumber } }
    events {
      id stage kind occurredOn description severity sourceRef
      responsible { stage role startedOn endedOn person { displayName } project { code } }
      records { category severity decidedOn record { sourceSystem sourceRef } }
    }
  }
}"""
ACCOUNTABILITY = """
query Accountability($code: String!, $stage: PppStage!, $on: Date!) {
  pppAccountability(projectCode: $code, stage: $stage, on: $on) {
    role startedOn endedOn person { displayName }
  }
}"""
REGISTER_UNITS = """
mutation Units($units: [UnitInput!]!) { registerUnits(units: $units) { accepted errors { code } } }
"""
REGISTER_PEOPLE = """
mutation People($people: [CivilServantInput!]!) {
  registerCivilServants(people: $people) { accepted errors { code } }
}"""

AGENCY = unit_code(301)        # 金山区发展和改革委员会, the implementing agency
OTHER_AGENCY = unit_code(302)  # 金山区住房和城乡建设管理委员会
LI = id_number(41)             # 李明
ZHANG = id_number(42)          # 张伟
WANG = id_number(43)           # 王芳
CODE = "PPP-JS-2025-01"


async def given_agencies_and_people(gql: GraphQL) -> None:
    units = [{"uscc": AGENCY, "name": "金山区发展和改革委员会", "kind": "GOVERNMENT_ORGAN"},
             {"uscc": OTHER_AGENCY, "name": "金山区住房和城乡建设管理委员会",
              "kind": "GOVERNMENT_ORGAN"}]
    assert (await gql.data("CREDIT_OFFICE", REGISTER_UNITS, {"units": units}))[
        "registerUnits"]["accepted"] == 2
    people = [{"idNumber": number, "name": name, "unitUscc": AGENCY, "startedOn": "2020-01-01"}
              for number, name in ((LI, "李明"), (ZHANG, "张伟"), (WANG, "王芳"))]
    assert (await gql.data("PERSONNEL", REGISTER_PEOPLE, {"people": people}))[
        "registerCivilServants"]["accepted"] == 3


def project(code: str = CODE, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": code, "name": "金山区污水处理厂提标改造PPP项目", "implementingAgencyUscc": AGENCY,
        "currentStage": "IMPLEMENTATION", "socialCapitalParties": ["上海某水务集团有限公司"],
        "consultants": ["上海某工程咨询有限公司"], "contracts": ["PPP项目合同(2025)第1号"]}
    row.update(changes)
    return row


def assignment(person: str, started: str, ended: str | None = None, *,
               stage: str = "IMPLEMENTATION", role: str = "项目负责人",
               code: str = CODE) -> dict[str, Any]:
    return {"projectCode": code, "stage": stage, "idNumber": person, "role": role,
            "startedOn": started, "endedOn": ended}


def event(ref: str, on: str, kind: str = "COMMITMENT_BROKEN", severity: str | None = "GENERAL",
          *, stage: str = "IMPLEMENTATION", code: str = CODE,
          description: str = "未按合同约定按期支付可用性付费") -> dict[str, Any]:
    return {"projectCode": code, "stage": stage, "kind": kind, "occurredOn": on,
            "description": description, "severity": severity, "sourceRef": ref}


async def given_project(gql: GraphQL, *assignments: dict[str, Any]) -> None:
    await given_agencies_and_people(gql)
    assert (await gql.data("CREDIT_OFFICE", REGISTER, {"projects": [project()]}))[
        "registerPppProjects"]["accepted"] == 1
    if assignments:
        payload = (await gql.data("PERSONNEL", ASSIGN, {"assignments": list(assignments)}))[
            "assignPppResponsibilities"]
        assert payload["errors"] == [], payload


def errors_of(payload: dict[str, Any]) -> list[tuple[int | None, str | None, str]]:
    return [(e["index"], e["field"], e["code"]) for e in payload["errors"]]


async def counts(session: AsyncSession) -> dict[str, int]:
    """Rows stored per table of the PPP domain, and the credit records and their events."""
    found = {}
    for name, model in (("projects", PppProject), ("responsibilities", PppResponsibility),
                        ("events", PppEvent), ("traces", PppTrace), ("records", CreditRecord),
                        ("recordEvents", RecordEvent)):
        found[name] = int(await session.scalar(select(func.count()).select_from(model)) or 0)
    return found
