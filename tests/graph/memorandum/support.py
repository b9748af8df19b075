"""A district for memorandum tests: three signatory bureaus, each with its own client bound
to it, a bureau outside the memorandum, a purchaser with findings, and the operations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access import service as access
from domains.core.ids import to_global_id
from domains.credit.models import CreditRecord
from domains.memorandum.models import JointAction, JointActionResponse, MemorandumVersion
from domains.subject.models import Unit
from tests.conftest import GraphQL
from tests.graph.restriction.support import add_record, add_unit

NUMBER = "金信联〔2026〕1号"
FINANCE, DRC, MARKET, OUTSIDER = "finance", "drc", "market", "outsider"
OWN_MEASURE = {"code": "SUSPEND-BIDDING", "name": "暂停参与区级政府采购6个月",
               "effect": "PROHIBIT", "legalBasis": "《政府采购法》第二十二条；备忘录约定"}

REGISTER = """
mutation Register($input: MemorandumInput!) {
  registerMemorandum(input: $input) {
    memorandum { id number version scenario subjectKind severities categories effectiveFrom
      validUntil responseWorkingDays
      signatories { unit { uscc } measures { code name effect legalBasis published } } }
    errors { field code message }
  }
}"""
INITIATE = """
mutation Initiate($input: InitiateJointActionInput!) {
  initiateJointAction(input: $input) {
    action { id status caseRef initiatedOn responseDueOn memorandum { number version } }
    errors { field code message }
  }
}"""
RESPOND = """
mutation Respond($input: JointActionResponseInput!) {
  respondToJointAction(input: $input) {
    action { id status closedOn signatories { unit { uscc } response { kind } } }
    errors { field code message }
  }
}"""
WITHDRAW = """
mutation Withdraw($id: ID!, $reason: String!) {
  withdrawJointAction(actionId: $id, reason: $reason) {
    action { id status closedOn withdrawalReason } errors { field code message }
  }
}"""
ACTION_FIELDS = """
  id status caseRef initiatedBy initiatedOn responseDueOn closedOn
  memorandum { number version signatories { unit { uscc } } }
  initiator { uscc } subject { __typename displayName }
  basis { decidedOn severity record { title } }
  signatories { unit { uscc } initiator overdue measures { code }
    response { kind appliedMeasureCodes reason respondedBy respondedOn late } }
"""
PENDING = "query Pending { pendingJointActions(first: 100) { totalCount edges { node {" \
          + ACTION_FIELDS + "} } } }"
ACTIONS = "query Actions { jointActions(first: 100) { totalCount edges { node {" \
          + ACTION_FIELDS + "} } } }"
RESTRICTIONS = """
query Restrictions($uscc: String!, $scenario: Scenario!, $asOf: Date) {
  unit(uscc: $uscc) { restrictions(scenario: $scenario, asOf: $asOf) {
    decision measures { code effect until basis { id } memorandum { number version }
      appliedBy { uscc } } } }
}"""


@dataclass
class District:
    units: dict[str, Unit]
    purchaser: Unit
    finding: CreditRecord


async def given_district(session: AsyncSession, gql: GraphQL) -> District:
    """Bureaus 1-4 (clients finance, drc, market bound to 1-3; outsider to 4) and purchaser 10
    with a SERIOUS administrative penalty decided 2026-03-01 (in force through 2029-02-28)."""
    units = {name: await add_unit(session, n, f"区{name}局")
             for n, name in enumerate((FINANCE, DRC, MARKET, OUTSIDER), start=1)}
    purchaser = await add_unit(session, 10, "金山某街道办事处")
    finding = await add_record(session, purchaser, "F-1", severity="SERIOUS")
    for name, unit in units.items():
        _, key = await access.add_client(session, name=name, audience="PROCUREMENT",
                                         usccs=[unit.uscc])
        gql.keys[name] = key
    await session.commit()
    return District(units, purchaser, finding)


def memorandum(district: District, **fields: Any) -> dict[str, Any]:
    """A procurement memorandum signed by finance, drc and market (in that order)."""
    u = district.units
    return {"number": NUMBER, "title": "关于对政府采购领域严重失信单位实施联合惩戒的合作备忘录",
            "scenario": "GOVERNMENT_PROCUREMENT", "subjectKind": "UNIT",
            "severities": ["SERIOUS"], "effectiveFrom": "2026-01-01",
            "responseWorkingDays": 5, "signatories": [
                {"uscc": u[FINANCE].uscc, "measures": [
                    {"code": "GOVERNMENT_PROCUREMENT.SERIOUS.RESTRICT"}, OWN_MEASURE]},
                {"uscc": u[DRC].uscc, "measures": [
                    {"code": "INVESTMENT_APPROVAL.SERIOUS.RESTRICT"}]},
                {"uscc": u[MARKET].uscc, "measures": [OWN_MEASURE]}],
            **fields}


async def registered(gql: GraphQL, district: District, **fields: Any) -> dict[str, Any]:
    data = await gql.data("CREDIT_OFFICE", REGISTER, {"input": memorandum(district, **fields)})
    assert data["registerMemorandum"]["errors"] == [], data
    result: dict[str, Any] = data["registerMemorandum"]["memorandum"]
    return result


def action_input(district: District, ref: str = "CG-2026-001", **fields: Any) -> dict[str, Any]:
    return {"memorandumNumber": NUMBER, "initiatorUscc": district.units[FINANCE].uscc,
            "subject": {"uscc": district.purchaser.uscc},
            "basisRecordIds": [to_global_id("CreditRecord", district.finding.id)],
            "caseRef": ref, **fields}


async def initiated(gql: GraphQL, district: District, ref: str = "CG-2026-001",
                    client: str = FINANCE, **fields: Any) -> dict[str, Any]:
    data = await gql.data(client, INITIATE, {"input": action_input(district, ref, **fields)})
    assert data["initiateJointAction"]["errors"] == [], data
    result: dict[str, Any] = data["initiateJointAction"]["action"]
    return result


def response(action_id: str, uscc: str, kind: str = "MEASURES_APPLIED",
             codes: list[str] | None = None, reason: str | None = None) -> dict[str, Any]:
    return {"actionId": action_id, "signatoryUscc": uscc, "kind": kind,
            "appliedMeasureCodes": codes, "reason": reason}


async def counts(session: AsyncSession) -> tuple[int, int, int]:
    """(versions, actions, responses) stored."""
    return tuple([int(await session.scalar(select(func.count()).select_from(model)) or 0)
                  for model in (MemorandumVersion, JointAction, JointActionResponse)])  # type: ignore[return-value]


def at(day: str) -> date:
    return date.fromisoformat(day)
