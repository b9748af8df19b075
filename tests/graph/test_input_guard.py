"""One rule for every String input (issue 7, graph/input_guard.py): a NUL character, a lone
surrogate or a text longer than its column is INVALID_VALUE on the field, in the payload of a
mutation and as a GraphQL error elsewhere; never a masked INTERNAL, and nothing is written."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from graphql import GraphQLInputObjectType, GraphQLObjectType, get_named_type
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.ids import to_global_id
from domains.credit.models import CreditRecord, RecordEvent
from domains.procurement.models import ProcurementContract
from domains.restriction.models import RestrictionCheck
from domains.subject.models import CivilServant, Employment, Unit
from graph.input_guard import WIDTH, InputGuard
from graph.schema import schema
from tests.conftest import GraphQL
from tests.support import id_number, unit_code

FINANCE = unit_code(71)
ZHANG = id_number(71)
NUL, SURROGATE = "\u0000", "\ud800"

REGISTER_UNITS = """
mutation($units: [UnitInput!]!) {
  registerUnits(units: $units) { accepted ids errors { index field code message } } }"""
REGISTER_PEOPLE = """
mutation($people: [CivilServantInput!]!) {
  registerCivilServants(people: $people) { accepted ids errors { index field code message } } }"""
REPORT = """
mutation($records: [CreditRecordInput!]!) {
  reportCreditRecords(records: $records) { accepted ids errors { index field code message } } }"""
CONTRACTS = """
mutation($contracts: [ProcurementContractInput!]!) {
  registerProcurementContracts(contracts: $contracts) { accepted errors { index field code } } }"""
FILE = """
mutation($id: ID!, $reason: String!) {
  fileObjection(recordId: $id, reason: $reason) { record { id } errors { index field code } } }"""
CHECK = """
mutation($input: CheckRestrictionsInput!) {
  checkRestrictions(input: $input) { check { id } errors { index field code } } }"""
UNITS = """query($name: String) { units(nameContains: $name) { totalCount } }"""
RECORD = """
query($system: String!, $ref: String!) {
  creditRecord(sourceSystem: $system, sourceRef: $ref) { id } }"""


async def post_raw(http: httpx.AsyncClient, key: str, query: str,
                   variables: dict[str, Any]) -> dict[str, Any]:
    """POST with the JSON escaped as a client would send it (a lone surrogate cannot be encoded
    as UTF-8, so it travels as the escape `\\ud800`)."""
    response = await http.post(
        "/graphql", content=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def count(session: AsyncSession, *models: type) -> list[int]:
    return [int(await session.scalar(select(func.count()).select_from(m)) or 0) for m in models]


def person(**changes: Any) -> dict[str, Any]:
    return {"idNumber": ZHANG, "name": "张伟", "unitUscc": FINANCE, "startedOn": "2020-01-01",
            "position": "科员", "rank": "一级科员", **changes}


def report(**changes: Any) -> dict[str, Any]:
    return {"subject": {"uscc": FINANCE}, "nature": "DISHONEST",
            "category": "ADMINISTRATIVE_PENALTY", "severity": "GENERAL", "domain": "PROCUREMENT",
            "title": "未按期组织履约验收", "decidedOn": "2026-03-01",
            "disclosure": "GOVERNMENT_SHARED", "sourceSystem": "caigou", "sourceRef": "CG-1",
            **changes}


async def given_finance(gql: GraphQL) -> None:
    data = await gql.data("CREDIT_OFFICE", REGISTER_UNITS, {"units": [
        {"uscc": FINANCE, "name": "金山区财政局", "kind": "GOVERNMENT_ORGAN"}]})
    assert data["registerUnits"]["errors"] == []


@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", f"财政{NUL}局", "contains a NUL character at position 2, which is not text"),
    ("name", f"财政{SURROGATE}局", "contains a lone UTF-16 surrogate at position 2, which is "
     "not text"),
    ("name", "局" * 201, "at most 200 characters"),
    ("regionCode", f"3101{NUL}6", "contains a NUL character at position 4, which is not text"),
])
async def test_a_bad_unit_text_is_invalid_on_its_field_and_nothing_is_written(
        http: httpx.AsyncClient, keys: dict[str, str], session: AsyncSession, field: str,
        value: str, message: str) -> None:
    rows = [{"uscc": unit_code(72), "name": "金山区税务局", "kind": "GOVERNMENT_ORGAN"},
            {"uscc": FINANCE, "name": "金山区财政局", "kind": "GOVERNMENT_ORGAN", field: value}]
    body = await post_raw(http, keys["CREDIT_OFFICE"], REGISTER_UNITS, {"units": rows})
    assert body == {"data": {"registerUnits": {"accepted": 0, "ids": [], "errors": [
        {"index": 1, "field": field, "code": "INVALID_VALUE", "message": message}]}}}
    assert await count(session, Unit) == [0]


async def test_rank_and_position_longer_than_their_columns_are_invalid(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_finance(gql)
    data = await gql.data("PERSONNEL", REGISTER_PEOPLE, {"people": [
        person(rank="级" * 101, position="职" * 201)]})
    assert data["registerCivilServants"]["errors"] == [
        {"index": 0, "field": "position", "code": "INVALID_VALUE",
         "message": "at most 200 characters"},
        {"index": 0, "field": "rank", "code": "INVALID_VALUE", "message": "at most 100 characters"}]
    assert await count(session, CivilServant, Employment) == [0, 0]


async def test_a_text_as_long_as_its_column_is_accepted_without_its_blanks(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_finance(gql)
    data = await gql.data("PERSONNEL", REGISTER_PEOPLE, {"people": [
        person(rank=" " + "级" * 100 + " ", position="职" * 200)]})
    assert data["registerCivilServants"]["errors"] == []
    assert (await session.scalar(select(Employment.rank))) == "级" * 100


async def test_a_nul_in_a_nested_key_is_invalid_on_its_dot_path(
        http: httpx.AsyncClient, keys: dict[str, str], gql: GraphQL,
        session: AsyncSession) -> None:
    await given_finance(gql)
    records = [report(), report(sourceRef="CG-2", subject={"idNumber": ZHANG[:5] + NUL}),
               report(sourceRef=f"CG-{SURROGATE}"), report(sourceSystem=f"cai{NUL}gou")]
    body = await post_raw(http, keys["PROCUREMENT"], REPORT, {"records": records})
    errors = body["data"]["reportCreditRecords"]["errors"]
    assert [(e["index"], e["field"], e["code"]) for e in errors] == [
        (1, "subject.idNumber", "INVALID_VALUE"), (2, "sourceRef", "INVALID_VALUE"),
        (3, "sourceSystem", "INVALID_VALUE")]
    assert all("which is not text" in e["message"] for e in errors)
    assert await count(session, CreditRecord, RecordEvent) == [0, 0]


async def test_a_nul_in_a_contract_code_is_invalid(
        gql: GraphQL, session: AsyncSession) -> None:
    contract = {"code": f"CG{NUL}1", "title": "办公设备", "purchaserUscc": FINANCE,
                "supplierName": "某公司", "supplierIsSme": True, "amount": "100.00",
                "signedOn": "2026-01-05"}
    data = await gql.data("PROCUREMENT", CONTRACTS, {"contracts": [contract]})
    assert data["registerProcurementContracts"] == {"accepted": 0, "errors": [
        {"index": 0, "field": "code", "code": "INVALID_VALUE"}]}
    assert await count(session, ProcurementContract) == [0]


async def test_a_single_input_mutation_answers_in_its_payload(
        http: httpx.AsyncClient, keys: dict[str, str], session: AsyncSession) -> None:
    record_id = to_global_id("CreditRecord", uuid.UUID(int=1))
    body = await post_raw(http, keys["SUPERVISION"], FILE,
                          {"id": record_id, "reason": f"理由{SURROGATE}"})
    assert body == {"data": {"fileObjection": {"record": None, "errors": [
        {"index": None, "field": "reason", "code": "INVALID_VALUE"}]}}}
    check = {"subject": {"uscc": FINANCE}, "scenario": "AWARDS", "businessRef": f"B{NUL}1"}
    body = await post_raw(http, keys["PROCUREMENT"], CHECK, {"input": check})
    assert body == {"data": {"checkRestrictions": {"check": None, "errors": [
        {"index": None, "field": "businessRef", "code": "INVALID_VALUE"}]}}}
    assert await count(session, RestrictionCheck) == [0]


async def test_the_permission_check_comes_before_the_text_rule(
        http: httpx.AsyncClient, keys: dict[str, str]) -> None:
    body = await post_raw(http, keys["SUPERVISION"], REPORT,
                          {"records": [report(title=f"标题{NUL}")]})
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


async def test_an_id_that_does_not_decode_stays_not_found(
        http: httpx.AsyncClient, keys: dict[str, str]) -> None:
    body = await post_raw(http, keys["SUPERVISION"], FILE, {"id": f"x{NUL}{SURROGATE}",
                                                            "reason": "理由"})
    assert body == {"data": {"fileObjection": {"record": None, "errors": [
        {"index": None, "field": "recordId", "code": "NOT_FOUND"}]}}}


@pytest.mark.parametrize(("query", "variables", "field", "data"), [
    (UNITS, {"name": SURROGATE}, "nameContains", None),
    (UNITS, {"name": f"财政{NUL}"}, "nameContains", None),
    (UNITS, {"name": "局" * 201}, "nameContains", None),
    (RECORD, {"system": f"caigou{NUL}", "ref": "CG-1"}, "sourceSystem", {"creditRecord": None}),
    (RECORD, {"system": "caigou", "ref": SURROGATE}, "sourceRef", {"creditRecord": None}),
])
async def test_a_bad_query_argument_is_a_graphql_error_with_its_code(
        http: httpx.AsyncClient, keys: dict[str, str], query: str, variables: dict[str, Any],
        field: str, data: dict[str, Any] | None) -> None:
    body = await post_raw(http, keys["PROCUREMENT"], query, variables)
    assert body["data"] == data
    [error] = body["errors"]
    assert error["extensions"] == {"code": "INVALID_VALUE", "field": field}
    assert error["message"].startswith(f"{field}: ")


def test_every_string_input_declares_its_width_or_that_it_is_a_key() -> None:
    """A String input without a declaration would reach the database unbounded: declare it
    with graph.input_guard's text_field/text_argument (a column) or key_field/key_argument."""
    undeclared = []
    for name, type_ in schema._schema.type_map.items():
        if isinstance(type_, GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                if get_named_type(field.type).name == "String":
                    definition = field.extensions["strawberry-definition"]
                    if WIDTH not in definition.metadata:
                        undeclared.append(f"{name}.{field_name}")
        if isinstance(type_, GraphQLObjectType) and not name.startswith("__"):
            for field_name, out in type_.fields.items():
                for arg_name, arg in out.args.items():
                    definition = arg.extensions["strawberry-definition"]
                    if (get_named_type(arg.type).name == "String"
                            and WIDTH not in definition.metadata):
                        undeclared.append(f"{name}.{field_name}({arg_name})")
    assert undeclared == []


def test_every_field_with_arguments_is_guarded() -> None:
    unguarded = [
        f"{name}.{field_name}"
        for name, type_ in schema._schema.type_map.items()
        if isinstance(type_, GraphQLObjectType) and not name.startswith("__")
        for field_name, field in type_.fields.items()
        if field.args and not any(isinstance(e, InputGuard) for e in
                                  field.extensions["strawberry-definition"].extensions)]
    assert unguarded == []
