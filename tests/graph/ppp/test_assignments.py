"""assignPppResponsibilities over HTTP (DOMAIN.md sections 3, 7 and 9)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import GraphQL
from tests.graph.ppp.support import (
    ACCOUNTABILITY,
    ASSIGN,
    CODE,
    LI,
    PROJECT,
    WANG,
    ZHANG,
    assignment,
    counts,
    errors_of,
    given_project,
)
from tests.support import id_number

PERSON = """
query Person($idNumber: String!) {
  civilServant(idNumber: $idNumber) {
    pppResponsibilities { project { code } stage role startedOn endedOn }
  }
}"""


async def assign(gql: GraphQL, *rows: dict[str, object], audience: str = "PERSONNEL",
                 ) -> dict[str, object]:
    data = await gql.data(audience, ASSIGN, {"assignments": list(rows)})
    payload: dict[str, object] = data["assignPppResponsibilities"]
    return payload


async def test_assign_and_close_by_re_sending_the_key(gql: GraphQL) -> None:
    # given a project with an open assignment
    await given_project(gql, assignment(LI, "2025-01-01", role="项目经理"))
    # when the same key is re-sent with another role and an end: the assignment is closed
    payload = await assign(gql, assignment(LI, "2025-01-01", "2025-06-30", role="项目负责人"),
                           assignment(ZHANG, "2025-07-01"))
    assert payload["errors"] == [] and payload["accepted"] == 2
    # then one row per key, updated in place, and the ids are the project's
    found = (await gql.data("CREDIT_OFFICE", PROJECT, {"code": CODE}))["pppProject"]
    assert payload["ids"] == [found["id"], found["id"]]
    assert [(r["role"], r["startedOn"], r["endedOn"], r["person"]["displayName"])
            for r in found["responsibilities"]] == [
        ("项目负责人", "2025-01-01", "2025-06-30", "李*"),
        ("项目负责人", "2025-07-01", None, "张*")]
    # and the number is never returned: only the masked form
    assert found["responsibilities"][0]["person"]["maskedIdNumber"] == "*" * 16 + LI[-2:]


async def test_responsibilities_are_listed_by_stage_order_then_start(gql: GraphQL) -> None:
    await given_project(gql, assignment(LI, "2024-03-01", stage="TENDERING"),
                        assignment(WANG, "2023-01-01", "2023-12-31", stage="PREPARATION"),
                        assignment(ZHANG, "2024-01-01", stage="PREPARATION"))
    found = (await gql.data("PROCUREMENT", PROJECT, {"code": CODE}))["pppProject"]
    assert [(r["stage"], r["startedOn"]) for r in found["responsibilities"]] == [
        ("PREPARATION", "2023-01-01"), ("PREPARATION", "2024-01-01"), ("TENDERING", "2024-03-01")]
    only = await gql.data("PROCUREMENT", """
        query($code: String!) { pppProject(code: $code) { responsibilities(stage: TENDERING) {
          stage startedOn } } }""", {"code": CODE})
    assert only["pppProject"]["responsibilities"] == [
        {"stage": "TENDERING", "startedOn": "2024-03-01"}]


async def test_overlaps_with_stored_periods_and_within_the_batch(gql: GraphQL,
                                                                 session: AsyncSession) -> None:
    # given 李 responsible for implementation from 2025-01-01 to 2025-06-30
    await given_project(gql, assignment(LI, "2025-01-01", "2025-06-30"))
    before = await counts(session)
    payload = await assign(
        gql,
        assignment(LI, "2025-06-30", role="另一角色"),          # shares 06-30 with the stored one
        assignment(ZHANG, "2025-01-01", "2025-03-31"),
        assignment(ZHANG, "2025-03-31"),                       # shares 03-31 with row 1
        assignment(WANG, "2025-01-01", stage="FINANCING"),
        assignment(LI, "2025-07-01", stage="FINANCING"))       # another stage: no overlap
    assert errors_of(payload) == [(0, None, "OVERLAPPING_ASSIGNMENT"),
                                  (2, None, "OVERLAPPING_ASSIGNMENT")]
    assert await counts(session) == before
    # given a later period too, re-sending the first key with a later end reaches it
    assert (await assign(gql, assignment(LI, "2025-07-01", role="项目顾问")))["errors"] == []
    before = await counts(session)
    payload = await assign(gql, assignment(LI, "2025-01-01", "2025-07-01"))
    assert errors_of(payload) == [(0, None, "OVERLAPPING_ASSIGNMENT")]
    # and re-opening it (endedOn omitted) too, whatever the role
    payload = await assign(gql, assignment(LI, "2025-01-01", role="其他"))
    assert errors_of(payload) == [(0, None, "OVERLAPPING_ASSIGNMENT")]
    assert await counts(session) == before


async def test_a_closed_period_may_be_followed_from_the_next_day(gql: GraphQL) -> None:
    await given_project(gql, assignment(LI, "2025-01-01", "2025-06-30"))
    payload = await assign(gql, assignment(LI, "2025-07-01", role="项目顾问"))
    assert payload["errors"] == []
    # shortening the stored period to make room is one batch too
    payload = await assign(gql, assignment(ZHANG, "2025-01-01"))
    payload = await assign(gql, assignment(ZHANG, "2025-01-01", "2025-02-28"),
                           assignment(ZHANG, "2025-03-01", role="副组长"))
    assert payload["errors"] == []


async def test_every_bad_row_is_reported_and_nothing_written(gql: GraphQL,
                                                             session: AsyncSession) -> None:
    await given_project(gql)
    before = await counts(session)
    payload = await assign(
        gql,
        assignment(LI, "2025-07-01", "2025-06-30"),            # ends before it starts
        assignment("310116198503150000", "2025-01-01"),        # malformed number
        assignment(id_number(499), "2025-01-01"),              # unknown person
        assignment(LI, "2025-01-01", code="NO-SUCH"),          # unknown project
        assignment(LI, "2026-06-16"),                          # starts after today
        assignment(ZHANG, "2025-01-01", role=" "),             # blank role
        assignment(WANG, "2025-01-01", role="甲"),
        assignment(WANG, "2025-01-01", role="乙"))             # same key, other content
    assert errors_of(payload) == [
        (0, "endedOn", "INVALID_VALUE"), (1, "idNumber", "INVALID_ID_NUMBER"),
        (2, "idNumber", "NOT_FOUND"), (3, "projectCode", "NOT_FOUND"),
        (4, "startedOn", "INVALID_VALUE"), (5, "role", "INVALID_VALUE"),
        (7, "startedOn", "CONFLICT")]
    assert all(LI not in e["message"] for e in payload["errors"])  # type: ignore[attr-defined]
    assert await counts(session) == before


async def test_personnel_and_the_credit_office_assign_others_may_not(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_project(gql)
    assert (await assign(gql, assignment(LI, "2025-01-01"), audience="CREDIT_OFFICE"))[
        "errors"] == []
    before = await counts(session)
    for audience in ("PROCUREMENT", "PROJECT_APPROVAL", "SUPERVISION"):
        body = await gql(audience, ASSIGN, {"assignments": [assignment(ZHANG, "2025-01-01")]})
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await counts(session) == before


async def test_accountability_on_the_boundary_days(gql: GraphQL) -> None:
    # given a hand-over: 李 to 2025-06-30, 张 from 2025-07-01 (open-ended)
    await given_project(gql, assignment(LI, "2025-01-01", "2025-06-30"),
                        assignment(ZHANG, "2025-07-01"))

    async def who(on: str) -> list[str]:
        found = await gql.data("PROCUREMENT", ACCOUNTABILITY,
                               {"code": CODE.lower(), "stage": "IMPLEMENTATION", "on": on})
        return [r["person"]["displayName"] for r in found["pppAccountability"]]

    assert await who("2024-12-31") == []        # the day before the first
    assert await who("2025-01-01") == ["李*"]    # first day
    assert await who("2025-06-30") == ["李*"]    # last day
    assert await who("2025-07-01") == ["张*"]    # the day after: the successor
    assert await who("2030-01-01") == ["张*"]    # an open end never ends
    other_stage = await gql.data("PROCUREMENT", ACCOUNTABILITY,
                                 {"code": CODE, "stage": "FINANCING", "on": "2025-07-01"})
    assert other_stage["pppAccountability"] == []


async def test_accountability_of_an_unknown_project_is_not_found(gql: GraphQL) -> None:
    body = await gql("PROCUREMENT", ACCOUNTABILITY,
                     {"code": "NO-SUCH", "stage": "FINANCING", "on": "2025-07-01"})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_a_persons_responsibilities_are_for_personnel_readers(gql: GraphQL) -> None:
    await given_project(gql, assignment(LI, "2025-01-01", "2025-06-30"),
                        assignment(LI, "2024-01-01", "2024-12-31", stage="PREPARATION"))
    found = await gql.data("SUPERVISION", PERSON, {"idNumber": LI})
    assert found["civilServant"]["pppResponsibilities"] == [
        {"project": {"code": CODE}, "stage": "PREPARATION", "role": "项目负责人",
         "startedOn": "2024-01-01", "endedOn": "2024-12-31"},
        {"project": {"code": CODE}, "stage": "IMPLEMENTATION", "role": "项目负责人",
         "startedOn": "2025-01-01", "endedOn": "2025-06-30"}]
    body = await gql("PROCUREMENT", PERSON, {"idNumber": LI})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
