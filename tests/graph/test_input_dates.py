"""Dates a client sends (issue 7): a day outside 1900-01-01..2099-12-31 is INVALID_VALUE on its
field (a payload error in a mutation, a GraphQL error elsewhere), so that no date arithmetic
overflows into a masked INTERNAL; an identity number born before 1900 is malformed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.dates import EARLIEST_DAY, LATEST_DAY, day_problem
from domains.credit.models import CreditRecord
from domains.procurement.models import ProcurementContract
from domains.subject import keys
from domains.subject.models import CivilServant, Employment
from tests.conftest import GraphQL
from tests.support import id_number, unit_code

FINANCE = unit_code(81)
ZHANG = id_number(81)
OUT_OF_RANGE = "must be a day from 1900-01-01 to 2099-12-31"

REGISTER_UNITS = """
mutation($units: [UnitInput!]!) { registerUnits(units: $units) { errors { code } } }"""
REGISTER_PEOPLE = """
mutation($people: [CivilServantInput!]!) {
  registerCivilServants(people: $people) { accepted errors { index field code message } } }"""
REPORT = """
mutation($records: [CreditRecordInput!]!) {
  reportCreditRecords(records: $records) { accepted errors { index field code message } } }"""
CONTRACTS = """
mutation($contracts: [ProcurementContractInput!]!) {
  registerProcurementContracts(contracts: $contracts) { accepted errors { index field code } } }"""
CREDIT = """
query($uscc: String!, $asOf: Date) {
  unit(uscc: $uscc) { procurementCredit(asOf: $asOf) { score } } }"""
PROMOTION = """
query($idNumber: String!, $asOf: Date) {
  civilServant(idNumber: $idNumber) { promotionEligibility(asOf: $asOf) { decision } } }"""
RULES = """query($asOf: Date) { measureRules(asOf: $asOf) { code } }"""


async def given_finance_and_zhang(gql: GraphQL) -> None:
    units = await gql.data("CREDIT_OFFICE", REGISTER_UNITS, {"units": [
        {"uscc": FINANCE, "name": "金山区财政局", "kind": "GOVERNMENT_ORGAN"}]})
    people = await gql.data("PERSONNEL", REGISTER_PEOPLE, {"people": [
        {"idNumber": ZHANG, "name": "张伟", "unitUscc": FINANCE, "startedOn": "2020-01-01"}]})
    assert units["registerUnits"]["errors"] == people["registerCivilServants"]["errors"] == []


def record(**changes: Any) -> dict[str, Any]:
    return {"subject": {"uscc": FINANCE}, "nature": "DISHONEST",
            "category": "ADMINISTRATIVE_PENALTY", "severity": "GENERAL", "domain": "PROCUREMENT",
            "title": "未按期组织履约验收", "decidedOn": "2026-03-01",
            "disclosure": "GOVERNMENT_SHARED", "sourceSystem": "caigou", "sourceRef": "CG-1",
            **changes}


@pytest.mark.parametrize(("day", "problem"), [
    (date(1, 1, 1), OUT_OF_RANGE), (date(1899, 12, 31), OUT_OF_RANGE), (EARLIEST_DAY, None),
    (LATEST_DAY, None), (date(2100, 1, 1), OUT_OF_RANGE), (date(9999, 12, 31), OUT_OF_RANGE)])
def test_the_range_of_days_has_its_boundaries(day: date, problem: str | None) -> None:
    assert day_problem(day) == problem


def test_an_identity_number_born_before_1900_is_malformed() -> None:
    today = date(2026, 6, 15)
    assert not keys.is_valid_id_number(id_number(1, born=date(1899, 12, 31)), today)
    assert keys.is_valid_id_number(id_number(1, born=date(1900, 1, 1)), today)


@pytest.mark.parametrize("changes", [
    {"actEndedOn": "9999-12-31"},          # + 5 years overflowed
    {"decidedOn": "9999-12-31"},           # + the default period overflowed
    {"decidedOn": "0001-01-01"},
    {"validUntil": "0001-01-01"},
])
async def test_a_report_with_a_day_out_of_range_is_invalid_and_writes_nothing(
        gql: GraphQL, session: AsyncSession, changes: dict[str, str]) -> None:
    await given_finance_and_zhang(gql)
    data = await gql.data("PROCUREMENT", REPORT, {"records": [record(), record(**changes)]})
    [field] = changes
    assert data["reportCreditRecords"] == {"accepted": 0, "errors": [
        {"index": 1, "field": field, "code": "INVALID_VALUE", "message": OUT_OF_RANGE}]}
    assert await session.scalar(select(func.count()).select_from(CreditRecord)) == 0


async def test_a_start_in_year_one_is_invalid_and_writes_nothing(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_finance_and_zhang(gql)
    data = await gql.data("PERSONNEL", REGISTER_PEOPLE, {"people": [
        {"idNumber": id_number(82), "name": "李娜", "unitUscc": FINANCE,
         "startedOn": "0001-01-01"}]})
    assert data["registerCivilServants"] == {"accepted": 0, "errors": [
        {"index": 0, "field": "startedOn", "code": "INVALID_VALUE", "message": OUT_OF_RANGE}]}
    assert await session.scalar(select(func.count()).select_from(CivilServant)) == 1
    assert await session.scalar(select(func.count()).select_from(Employment)) == 1


async def test_a_contract_signed_in_year_one_is_invalid(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_finance_and_zhang(gql)
    contract = {"code": "CG-1", "title": "办公设备", "purchaserUscc": FINANCE,
                "supplierName": "某公司", "supplierIsSme": True, "amount": "100.00",
                "signedOn": "0001-01-01"}
    data = await gql.data("PROCUREMENT", CONTRACTS, {"contracts": [contract]})
    assert data["registerProcurementContracts"] == {"accepted": 0, "errors": [
        {"index": 0, "field": "signedOn", "code": "INVALID_VALUE"}]}
    assert await session.scalar(select(func.count()).select_from(ProcurementContract)) == 0


@pytest.mark.parametrize(("query", "variables", "path"), [
    (CREDIT, {"uscc": FINANCE, "asOf": "0001-01-01"}, ["unit", "procurementCredit"]),
    (PROMOTION, {"idNumber": ZHANG, "asOf": "9999-12-31"},
     ["civilServant", "promotionEligibility"]),
    (RULES, {"asOf": "0001-01-01"}, ["measureRules"]),
])
async def test_a_read_as_of_a_day_out_of_range_is_a_graphql_error_with_its_code(
        gql: GraphQL, query: str, variables: dict[str, Any], path: list[str]) -> None:
    await given_finance_and_zhang(gql)
    body = await gql("CREDIT_OFFICE", query, variables)
    [error] = body["errors"]
    assert error["path"] == path
    assert error["extensions"] == {"code": "INVALID_VALUE", "field": "asOf"}
    assert error["message"] == f"asOf: {OUT_OF_RANGE}"
