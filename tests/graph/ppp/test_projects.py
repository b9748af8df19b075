"""registerPppProjects over HTTP (DOMAIN.md sections 3, 7 and 9)."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.ids import parse_global_id
from tests.conftest import GraphQL
from tests.graph.ppp.support import (
    AGENCY,
    ASSIGN,
    CODE,
    LI,
    OTHER_AGENCY,
    PROJECT,
    RECORD,
    REGISTER,
    assignment,
    counts,
    errors_of,
    event,
    given_agencies_and_people,
    project,
)
from tests.support import unit_code

UNIT_PROJECTS = """
query UnitProjects($uscc: String!) { unit(uscc: $uscc) { pppProjects { code name } } }"""


async def test_register_then_update_a_project(gql: GraphQL) -> None:
    # given an implementing agency
    await given_agencies_and_people(gql)
    # when the credit office registers a project, code with blanks and lower case
    data = await gql.data("CREDIT_OFFICE", REGISTER, {"projects": [project(
        " ppp-js-2025-01 ", implementingAgencyUscc=AGENCY.lower(), currentStage="FINANCING")]})
    payload = data["registerPppProjects"]
    assert payload["errors"] == [] and payload["accepted"] == 1
    parsed = parse_global_id(payload["ids"][0])
    assert parsed is not None and parsed[0] == "PppProject"
    # then every audience reads it, its parties, consultants and contracts public
    found = (await gql.data("PROCUREMENT", PROJECT, {"code": CODE}))["pppProject"]
    assert found == {
        "id": payload["ids"][0], "code": CODE, "name": "金山区污水处理厂提标改造PPP项目",
        "currentStage": "FINANCING", "socialCapitalParties": ["上海某水务集团有限公司"],
        "consultants": ["上海某工程咨询有限公司"], "contracts": ["PPP项目合同(2025)第1号"],
        "implementingAgency": {"uscc": AGENCY}, "responsibilities": [], "events": []}
    # when it is re-sent with another stage, agency and no consultants
    again = await gql.data("CREDIT_OFFICE", REGISTER, {"projects": [project(
        currentStage="IMPLEMENTATION", implementingAgencyUscc=OTHER_AGENCY, consultants=None)]})
    # then the same project is updated
    assert again["registerPppProjects"]["ids"] == payload["ids"]
    updated = (await gql.data("PROCUREMENT", PROJECT, {"code": CODE}))["pppProject"]
    assert (updated["currentStage"], updated["implementingAgency"], updated["consultants"]) == (
        "IMPLEMENTATION", {"uscc": OTHER_AGENCY}, [])
    units = await gql.data("PROCUREMENT", UNIT_PROJECTS, {"uscc": OTHER_AGENCY})
    assert units["unit"]["pppProjects"] == [
        {"code": CODE, "name": "金山区污水处理厂提标改造PPP项目"}]
    assert (await gql.data("PROCUREMENT", UNIT_PROJECTS, {"uscc": AGENCY}))["unit"] == {
        "pppProjects": []}


async def test_an_unknown_project_is_null(gql: GraphQL) -> None:
    assert await gql.data("PERSONNEL", PROJECT, {"code": "NOPE"}) == {"pppProject": None}


async def test_every_bad_row_is_reported_and_nothing_written(gql: GraphQL,
                                                             session: AsyncSession) -> None:
    await given_agencies_and_people(gql)
    before = await counts(session)
    rows = [
        project("OK-1"),
        project("BAD/1"),                                          # '/' in the code
        project("X-2", implementingAgencyUscc="123"),              # malformed code
        project("X-3", implementingAgencyUscc=unit_code(399)),     # unknown unit
        project("X-4", name="  ", consultants=["甲", " "]),       # blank name and item
        project("OK-1", name="另一个名称"),                          # same key, other content
        project(""),                                               # empty code
    ]
    payload = (await gql.data("CREDIT_OFFICE", REGISTER, {"projects": rows}))[
        "registerPppProjects"]
    assert errors_of(payload) == [
        (1, "code", "INVALID_VALUE"), (2, "implementingAgencyUscc", "INVALID_USCC"),
        (3, "implementingAgencyUscc", "NOT_FOUND"), (4, "consultants", "INVALID_VALUE"),
        (4, "name", "INVALID_VALUE"), (5, "code", "CONFLICT"), (6, "code", "INVALID_VALUE")]
    assert (payload["accepted"], payload["ids"]) == (0, [])
    assert await counts(session) == before


async def test_an_item_longer_than_its_column_is_refused_alone(gql: GraphQL,
                                                               session: AsyncSession) -> None:
    # the input guard answers bad texts before any other check (graph/input_guard.py)
    await given_agencies_and_people(gql)
    before = await counts(session)
    rows = [project("BAD/1"), project("X-5", contracts=["合同", "x" * 301])]
    payload = (await gql.data("CREDIT_OFFICE", REGISTER, {"projects": rows}))[
        "registerPppProjects"]
    assert errors_of(payload) == [(1, "contracts", "INVALID_VALUE")]
    assert await counts(session) == before


async def test_the_same_row_twice_counts_once(gql: GraphQL) -> None:
    await given_agencies_and_people(gql)
    payload = (await gql.data("CREDIT_OFFICE", REGISTER, {"projects": [project(), project()]}))[
        "registerPppProjects"]
    assert payload["errors"] == [] and len(set(payload["ids"])) == 1


async def test_only_the_credit_office_registers_projects(gql: GraphQL,
                                                         session: AsyncSession) -> None:
    await given_agencies_and_people(gql)
    for audience in ("PROCUREMENT", "PROJECT_APPROVAL", "PERSONNEL", "SUPERVISION"):
        body = await gql(audience, REGISTER, {"projects": [project()]})
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await counts(session))["projects"] == 0


@pytest.mark.parametrize(("mutation", "argument", "row"), [
    (REGISTER, "projects", project()),
    (ASSIGN, "assignments", assignment(LI, "2025-01-01")),
    (RECORD, "events", event("E", "2025-01-01")),
])
async def test_a_batch_holds_at_most_1000_rows(gql: GraphQL, session: AsyncSession,
                                               mutation: str, argument: str,
                                               row: dict[str, object]) -> None:
    await given_agencies_and_people(gql)
    before = await counts(session)
    data = await gql.data("CREDIT_OFFICE", mutation, {argument: [row] * 1001})
    payload = next(iter(data.values()))
    assert errors_of(payload) == [(None, None, "INVALID_VALUE")]
    assert await counts(session) == before
