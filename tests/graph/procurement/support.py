"""Operations and set-up shared by the procurement GraphQL tests (DOMAIN.md section 6)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.procurement.models import ProcurementContract, ProcurementMilestone
from tests.conftest import GraphQL
from tests.support import id_number, unit_code

REGISTER = """
mutation Register($contracts: [ProcurementContractInput!]!) {
  registerProcurementContracts(contracts: $contracts) {
    accepted ids errors { index field code message }
  }
}"""
MILESTONES = """
mutation Milestones($milestones: [ContractMilestoneInput!]!) {
  recordContractMilestones(milestones: $milestones) {
    accepted ids errors { index field code message }
  }
}"""
CONTRACT = """
query Contract($code: String!, $asOf: Date) {
  procurementContract(code: $code) {
    id code title supplierName supplierUscc supplierIsSme amount signedOn acceptanceDays
    paymentDays deliveredOn acceptanceDueOn acceptedOn paymentDueOn paidOn
    purchaser { uscc } responsiblePerson { displayName }
    breaches(asOf: $asOf) { kind dueOn resolvedOn daysLate lateInterest contract { code } }
  }
}"""
REGISTER_UNITS = """
mutation Units($units: [UnitInput!]!) { registerUnits(units: $units) { accepted errors { code } } }
"""
REGISTER_PEOPLE = """
mutation People($people: [CivilServantInput!]!) {
  registerCivilServants(people: $people) { accepted errors { code } }
}"""

SCHOOL = unit_code(201)        # a government organ
CITY_FIRM = unit_code(202)     # a state enterprise
SUPPLIER = unit_code(203, prefix="91")
OFFICER = id_number(31)
TODAY = date(2026, 6, 15)


async def given_purchasers(gql: GraphQL) -> None:
    units = [{"uscc": SCHOOL, "name": "金山区第一中学", "kind": "PUBLIC_INSTITUTION"},
             {"uscc": CITY_FIRM, "name": "金山城市建设投资有限公司", "kind": "STATE_ENTERPRISE"}]
    assert (await gql.data("CREDIT_OFFICE", REGISTER_UNITS, {"units": units}))[
        "registerUnits"]["accepted"] == 2
    people = [{"idNumber": OFFICER, "name": "王强", "unitUscc": SCHOOL, "startedOn": "2020-01-01"}]
    assert (await gql.data("PERSONNEL", REGISTER_PEOPLE, {"people": people}))[
        "registerCivilServants"]["accepted"] == 1


def contract(code: str = "JS-2026-001", **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": code, "title": "教室课桌椅", "purchaserUscc": SCHOOL,
        "responsiblePersonIdNumber": None, "supplierName": "上海某家具有限公司",
        "supplierUscc": SUPPLIER, "supplierIsSme": True, "amount": "120000.00",
        "signedOn": "2026-01-15", "acceptanceDays": None, "paymentDays": None}
    row.update(changes)
    return row


def milestone(kind: str, on: str, code: str = "JS-2026-001") -> dict[str, str]:
    return {"contractCode": code, "milestone": kind, "on": on}


def errors_of(payload: dict[str, Any]) -> list[tuple[int | None, str | None, str]]:
    return [(e["index"], e["field"], e["code"]) for e in payload["errors"]]


async def rows(session: AsyncSession) -> tuple[int, int]:
    """(contracts, milestones) stored."""
    contracts = await session.scalar(select(func.count()).select_from(ProcurementContract))
    milestones = await session.scalar(select(func.count()).select_from(ProcurementMilestone))
    return int(contracts or 0), int(milestones or 0)
