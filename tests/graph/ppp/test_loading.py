"""What PPP reads cost in SQL statements: the same for 1 project as for 20, each with
responsibilities, events, traces and records (every nested field goes through a DataLoader)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GraphQL
from tests.graph.ppp.support import (
    AGENCY,
    ASSIGN,
    LI,
    RECORD,
    REGISTER,
    ZHANG,
    assignment,
    event,
    given_agencies_and_people,
    project,
)

PROJECTS = """
query Projects($uscc: String!) {
  unit(uscc: $uscc) {
    pppProjects {
      code implementingAgency { name }
      responsibilities { role startedOn person { displayName } project { code } }
      events {
        sourceRef project { code }
        responsible { role person { displayName } project { code } }
        records { id severity record { title subject { displayName } pppEvent { sourceRef } } }
      }
    }
  }
}"""
GAPS = """
query Gaps {
  pppResponsibilityGaps(first: 100) {
    totalCount
    edges { node { project { code implementingAgency { name } } stage from until days
      events { sourceRef responsible { person { displayName } } records { id } } } }
  }
}"""


async def given_projects(gql: GraphQL, first: int, last: int) -> None:
    """Projects P-first..P-last: a hand-over from 李 to 张 in implementation, nobody in
    financing, and per project a broken commitment traced to 张 and one nobody answered for
    (both in force today, so every audience allowed sees them)."""
    codes = [f"P-{n:02d}" for n in range(first, last + 1)]
    await gql.data("CREDIT_OFFICE", REGISTER, {"projects": [project(c) for c in codes]})
    rows = [a for c in codes for a in (assignment(LI, "2025-01-01", "2025-12-31", code=c),
                                       assignment(ZHANG, "2026-01-01", code=c))]
    assert (await gql.data("PERSONNEL", ASSIGN, {"assignments": rows}))[
        "assignPppResponsibilities"]["errors"] == []
    events = [e for c in codes for e in (
        event("B", "2026-03-01", code=c),
        event("F", "2026-04-01", stage="FINANCING", severity="MINOR", code=c))]
    assert (await gql.data("CREDIT_OFFICE", RECORD, {"events": events}))[
        "recordPppEvents"]["errors"] == []


async def statements(gql: GraphQL, count_statements: Any, audience: str, query: str,
                     variables: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    with count_statements() as counter:
        data = await gql.data(audience, query, variables)
    return counter.count, data


@pytest.mark.slow
async def test_projects_cost_the_same_statements_for_1_or_20(gql: GraphQL,
                                                               count_statements: Any) -> None:
    await given_agencies_and_people(gql)
    await given_projects(gql, 1, 1)
    one, data = await statements(gql, count_statements, "PERSONNEL", PROJECTS, {"uscc": AGENCY})
    projects = data["unit"]["pppProjects"]
    assert [len(p["events"][0]["records"]) for p in projects] == [2]
    await given_projects(gql, 2, 20)
    twenty, data = await statements(gql, count_statements, "PERSONNEL", PROJECTS,
                                    {"uscc": AGENCY})
    projects = data["unit"]["pppProjects"]
    assert len(projects) == 20
    assert all(len(p["responsibilities"]) == 2 and len(p["events"]) == 2 for p in projects)
    assert all(r["record"] is not None for p in projects for r in p["events"][0]["records"])
    assert twenty == one


async def test_gaps_cost_the_same_statements_for_1_or_20(gql: GraphQL,
                                                           count_statements: Any) -> None:
    await given_agencies_and_people(gql)
    await given_projects(gql, 1, 1)
    one, data = await statements(gql, count_statements, "CREDIT_OFFICE", GAPS, {})
    per_project = data["pppResponsibilityGaps"]["totalCount"]
    await given_projects(gql, 2, 20)
    twenty, data = await statements(gql, count_statements, "CREDIT_OFFICE", GAPS, {})
    assert data["pppResponsibilityGaps"]["totalCount"] == 20 * per_project
    assert twenty == one
