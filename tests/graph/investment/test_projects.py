"""registerInvestmentProjects and the project reads (DOMAIN.md sections 3, 8 and 9)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.ids import to_global_id
from tests.conftest import GraphQL
from tests.graph.investment.support import (
    CODE,
    DRC,
    PROJECT,
    REGISTER,
    WATER,
    errors_of,
    given_departments,
    project,
    rows,
)
from tests.support import unit_code

UNIT_PROJECTS = """
query($uscc: String!) { unit(uscc: $uscc) { investmentProjects { code name } } }"""
NODE = """query($id: ID!) { node(id: $id) { __typename ... on InvestmentProject { code } } }"""


async def test_a_project_is_registered_read_and_updated_when_re_sent(gql: GraphQL) -> None:
    await given_departments(gql)
    first = await gql.data("PROJECT_APPROVAL", REGISTER, {"projects": [
        project(code=f" {CODE.lower()} ")]})
    assert first["registerInvestmentProjects"]["errors"] == []
    [gid] = first["registerInvestmentProjects"]["ids"]
    again = await gql.data("CREDIT_OFFICE", REGISTER, {"projects": [
        project(name="金山区某河道综合整治工程（二期）", supervisingDepartmentUscc=DRC)]})
    assert again["registerInvestmentProjects"] == {"accepted": 1, "ids": [gid], "errors": []}

    read = await gql.data("PROCUREMENT", PROJECT, {"code": CODE})
    assert read["investmentProject"] == {
        "id": gid, "code": CODE, "name": "金山区某河道综合整治工程（二期）",
        "supervisingDepartment": {"uscc": DRC, "name": "金山区发展和改革委员会"},
        "approvals": [], "estimateOverrun": None, "requiresReapproval": False, "violations": []}
    assert (await gql.data("PERSONNEL", NODE, {"id": gid}))["node"] == {
        "__typename": "InvestmentProject", "code": CODE}


async def test_unknown_codes_and_ids_answer_null(gql: GraphQL) -> None:
    assert (await gql.data("SUPERVISION", PROJECT, {"code": "NOPE"}))["investmentProject"] is None
    unknown = to_global_id("InvestmentProject", uuid.uuid4())
    assert (await gql.data("SUPERVISION", NODE, {"id": unknown}))["node"] is None


@pytest.mark.parametrize("count", [0, 1, 3])
async def test_a_unit_lists_the_projects_it_supervises_by_code(gql: GraphQL, count: int) -> None:
    await given_departments(gql)
    codes = [f"2026-310116-48-01-00000{n}" for n in range(count, 0, -1)]
    if codes:
        await gql.data("PROJECT_APPROVAL", REGISTER, {"projects": [project(c) for c in codes]})
    data = await gql.data("PROCUREMENT", UNIT_PROJECTS, {"uscc": WATER})
    assert [p["code"] for p in data["unit"]["investmentProjects"]] == sorted(codes)
    assert (await gql.data("PROCUREMENT", UNIT_PROJECTS, {"uscc": DRC}))["unit"][
        "investmentProjects"] == []


async def test_a_bad_batch_writes_nothing(gql: GraphQL, session: AsyncSession) -> None:
    await given_departments(gql)
    before = await rows(session)
    data = await gql.data("PROJECT_APPROVAL", REGISTER, {"projects": [
        project(supervisingDepartmentUscc=unit_code(499)),             # unknown unit
        project("B", supervisingDepartmentUscc="113101160000049900"),  # wrong check character
        project("C", name="  "),                                       # blank name
        project(" ", name="x"),                                        # blank code
        project("D"), project("D", name="另一个名称"),                   # same key, other content
    ]})
    assert errors_of(data["registerInvestmentProjects"]) == [
        (0, "supervisingDepartmentUscc", "NOT_FOUND"),
        (1, "supervisingDepartmentUscc", "INVALID_USCC"),
        (2, "name", "INVALID_VALUE"),
        (3, "code", "INVALID_VALUE"),
        (5, "code", "CONFLICT"),
    ]
    assert data["registerInvestmentProjects"]["accepted"] == 0
    assert await rows(session) == before


@pytest.mark.parametrize("audience", ["PROCUREMENT", "PERSONNEL", "SUPERVISION"])
async def test_other_audiences_may_not_register(gql: GraphQL, session: AsyncSession,
                                                audience: str) -> None:
    await given_departments(gql)
    before = await rows(session)
    body = await gql(audience, REGISTER, {"projects": [project()]})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await rows(session) == before


async def test_a_refused_batch_updates_nothing_either(gql: GraphQL, session: AsyncSession) -> None:
    await given_departments(gql)
    await gql.data("PROJECT_APPROVAL", REGISTER, {"projects": [project()]})
    before = await rows(session)
    data = await gql.data("PROJECT_APPROVAL", REGISTER, {"projects": [
        project(name="改名后的工程", supervisingDepartmentUscc=DRC),
        project("E", supervisingDepartmentUscc=unit_code(499))]})
    assert errors_of(data["registerInvestmentProjects"]) == [
        (1, "supervisingDepartmentUscc", "NOT_FOUND")]
    assert await rows(session) == before
    read = await gql.data("PROCUREMENT", PROJECT, {"code": CODE})
    assert read["investmentProject"]["supervisingDepartment"]["uscc"] == WATER
