"""pppResponsibilityGaps (CREDIT_OFFICE only): per project and stage, the stretches of days in
which nobody answered for it, with the events that fell in them."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQL
from tests.graph.ppp.support import (
    CODE,
    LI,
    RECORD,
    REGISTER,
    WANG,
    ZHANG,
    assignment,
    event,
    given_project,
    project,
)

GAPS = """
query Gaps($code: String, $stage: PppStage, $from: Date, $to: Date, $first: Int,
           $after: String) {
  pppResponsibilityGaps(projectCode: $code, stage: $stage, from: $from, to: $to, first: $first,
                        after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { project { code } stage from until ongoing days
                   events { sourceRef responsible { role } } } }
  }
}"""


async def gaps(gql: GraphQL, **variables: Any) -> list[tuple[Any, ...]]:
    found = (await gql.data("CREDIT_OFFICE", GAPS, variables))["pppResponsibilityGaps"]
    assert found["totalCount"] >= len(found["edges"])
    return [(n["project"]["code"], n["stage"], n["from"], n["until"], n["ongoing"], n["days"],
             [e["sourceRef"] for e in n["events"]]) for n in (e["node"] for e in found["edges"])]


async def given_a_project_with_gaps(gql: GraphQL) -> None:
    """Preparation covered from 2024-01-01 to 2024-06-30 save 2024-04-01..04-30; tendering by 王
    from 2024-07-01 to 2024-09-30; procurement and financing never assigned; implementation by
    李 to 2025-06-30 then nobody until 张 from 2025-09-01 to 2026-05-31, then nobody up to today
    (2026-06-15); an event on 2025-08-01 nobody answered for, one on 2026-06-01 too."""
    await given_project(
        gql,
        assignment(LI, "2024-01-01", "2024-03-31", stage="PREPARATION"),
        assignment(ZHANG, "2024-05-01", "2024-06-30", stage="PREPARATION"),
        assignment(WANG, "2024-07-01", "2024-09-30", stage="TENDERING"),
        assignment(LI, "2025-01-01", "2025-06-30"),
        assignment(ZHANG, "2025-09-01", "2026-05-31"))
    payload = (await gql.data("CREDIT_OFFICE", RECORD, {"events": [
        event("E1", "2025-08-01"), event("E2", "2026-06-01"),
        event("E0", "2025-03-01", "COMMITMENT_KEPT", None)]}))["recordPppEvents"]
    assert payload["errors"] == []


async def test_the_stretches_nobody_answered_for(gql: GraphQL) -> None:
    await given_a_project_with_gaps(gql)
    assert await gaps(gql) == [
        (CODE, "PREPARATION", "2024-04-01", "2024-04-30", False, 30, []),
        (CODE, "PROCUREMENT", None, "2026-06-15", True, None, []),
        (CODE, "FINANCING", None, "2026-06-15", True, None, []),
        (CODE, "IMPLEMENTATION", "2025-07-01", "2025-08-31", False, 62, ["E1"]),
        (CODE, "IMPLEMENTATION", "2026-06-01", "2026-06-15", True, 15, ["E2"])]


async def test_filters_clip_and_page(gql: GraphQL) -> None:
    await given_a_project_with_gaps(gql)
    assert await gaps(gql, code=CODE.lower(), stage="IMPLEMENTATION", **{
        "from": "2025-08-01", "to": "2026-06-10"}) == [
        (CODE, "IMPLEMENTATION", "2025-08-01", "2025-08-31", False, 31, ["E1"]),
        (CODE, "IMPLEMENTATION", "2026-06-01", "2026-06-10", False, 10, ["E2"])]
    page = (await gql.data("CREDIT_OFFICE", GAPS, {"first": 2}))["pppResponsibilityGaps"]
    assert (page["totalCount"], len(page["edges"]), page["pageInfo"]["hasNextPage"]) == (
        5, 2, True)
    rest = (await gql.data("CREDIT_OFFICE", GAPS, {"first": 10, "after": page["pageInfo"][
        "endCursor"]}))["pppResponsibilityGaps"]
    assert [e["node"]["stage"] for e in rest["edges"]] == ["FINANCING", "IMPLEMENTATION",
                                                           "IMPLEMENTATION"]


async def test_a_project_in_an_early_stage_is_judged_on_what_dates_later_ones(
        gql: GraphQL) -> None:
    await given_a_project_with_gaps(gql)
    # a project still in tendering, with nobody since 2026-01-01: later stages are not due
    await gql.data("CREDIT_OFFICE", REGISTER, {"projects": [project(
        "PPP-JS-2026-02", currentStage="TENDERING")]})
    await gql.data("PERSONNEL", """mutation($a: [PppResponsibilityInput!]!) {
        assignPppResponsibilities(assignments: $a) { errors { code } } }""", {"a": [
        assignment(WANG, "2025-10-01", stage="PREPARATION", code="PPP-JS-2026-02"),
        assignment(WANG, "2025-11-01", "2025-12-31", stage="TENDERING",
                   code="PPP-JS-2026-02")]})
    assert await gaps(gql, code="PPP-JS-2026-02") == [
        ("PPP-JS-2026-02", "TENDERING", "2026-01-01", "2026-06-15", True, 166, [])]


async def test_bad_arguments_and_audiences(gql: GraphQL) -> None:
    await given_a_project_with_gaps(gql)
    body = await gql("CREDIT_OFFICE", GAPS, {"code": "NO-SUCH"})
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    body = await gql("CREDIT_OFFICE", GAPS, {"from": "2026-01-02", "to": "2026-01-01"})
    assert body["errors"][0]["extensions"]["code"] == "INVALID_VALUE"
    for audience in ("PROCUREMENT", "PROJECT_APPROVAL", "PERSONNEL", "SUPERVISION"):
        body = await gql(audience, GAPS, {})
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
