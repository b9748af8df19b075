"""Issue 9 item 4: a nested read of 30 projects with their approvals, violations and records
costs the same SQL statements as one project (every nested field goes through a loader)."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQL
from tests.graph.investment.support import (
    APPROVALS,
    BUILDER,
    REGISTER,
    REGISTER_PEOPLE,
    VIOLATIONS,
    WATER,
    approval,
    given_departments,
    project,
    violation,
)
from tests.support import id_number

NESTED = """
query Nested($uscc: String!) {
  unit(uscc: $uscc) { investmentProjects {
    id code name supervisingDepartment { name }
    approvals { document submittedOn approvedOn estimatedTotal }
    estimateOverrun requiresReapproval
    violations { kind sourceRef subject { __typename displayName }
      record { id severity record { title status history { kind } investmentProject { code } } } }
  } }
}"""
# client look-up; the unit; its projects; departments; approvals; violations; records (the
# RecordRef and its record share one loader); subject units; subject people; record histories;
# projects of the records; one INSERT of the audit rows; and the harness's 4 savepoints (6
# before the audit rows joined the read's own transaction)
STATEMENTS = 16
# client look-up; the records' key locks (the credit path's own locking below finds them held);
# projects; stored violations; then the credit path: validity rules, key locks,
# stored records, units, people (people_by_hash, with the identity look-up's budget window and
# one INSERT of its audit rows), projects, one INSERT of the records, one of their events; the
# records' subjects; one INSERT of the violations; the harness's 4 savepoint statements
WRITE_STATEMENTS = 20


def code(n: int) -> str:
    return f"2026-310116-48-01-{n:06d}"


async def given_projects(gql: GraphQL, numbers: range) -> None:
    """Projects supervised by WATER, each with three approvals (its design 12% over its study)
    and two violations: one by a person of its own, one by BUILDER."""
    people = [{"idNumber": id_number(500 + n), "name": f"王{n}", "unitUscc": WATER,
               "startedOn": "2020-01-01"} for n in numbers]
    assert (await gql.data("PERSONNEL", REGISTER_PEOPLE, {"people": people}))[
        "registerCivilServants"]["accepted"] == len(people)
    writes = [
        (REGISTER, "projects", [project(code(n)) for n in numbers]),
        (APPROVALS, "approvals", [row for n in numbers for row in (
            approval("PROJECT_PROPOSAL", "2026-01-05", "2026-01-20", code=code(n)),
            approval("FEASIBILITY_STUDY", "2026-02-01", "2026-03-01", "1000000.00", code(n)),
            approval("PRELIMINARY_DESIGN", "2026-04-01", None, "1120000.00", code(n)))]),
        (VIOLATIONS, "violations", [row for n in numbers for row in (
            violation("P", code(n), subject={"idNumber": id_number(500 + n)}),
            violation("U", code(n), subject={"uscc": BUILDER}, sanction=None))]),
    ]
    for operation, argument, rows in writes:
        data = await gql.data("PROJECT_APPROVAL", operation, {argument: rows})
        assert next(iter(data.values()))["errors"] == []


async def statements_for(gql: GraphQL, count_statements: Any) -> tuple[int, list[Any]]:
    with count_statements() as counter:
        data = await gql.data("CREDIT_OFFICE", NESTED, {"uscc": WATER})
    projects: list[Any] = data["unit"]["investmentProjects"]
    return counter.count, projects


async def test_thirty_projects_cost_the_same_statements_as_one(
        gql: GraphQL, count_statements: Any) -> None:
    await given_departments(gql)
    await given_projects(gql, range(1, 2))
    one, projects = await statements_for(gql, count_statements)
    assert len(projects) == 1
    await given_projects(gql, range(2, 31))
    thirty, projects = await statements_for(gql, count_statements)
    assert len(projects) == 30
    assert all(len(p["approvals"]) == 3 and p["estimateOverrun"] == 0.12
               and p["requiresReapproval"] for p in projects)
    assert all([v["subject"]["__typename"] for v in p["violations"]] == ["CivilServant", "Unit"]
               and all(v["record"]["record"]["investmentProject"]["code"] == p["code"]
                       for v in p["violations"]) for p in projects)
    assert (one, thirty) == (STATEMENTS, STATEMENTS)


async def test_a_violation_batch_costs_the_same_statements_for_two_rows_or_forty(
        gql: GraphQL, count_statements: Any) -> None:
    await given_departments(gql)
    await given_projects(gql, range(1, 22))
    counts = []
    for numbers in (range(21, 22), range(1, 21)):  # no stored key re-sent (that costs one more)
        rows = [row for n in numbers for row in (
            violation("P2", code(n), subject={"idNumber": id_number(500 + n)}),
            violation("U2", code(n), subject={"uscc": BUILDER}, sanction=None))]
        with count_statements() as counter:
            data = await gql.data("PROJECT_APPROVAL", VIOLATIONS, {"violations": rows})
        assert data["recordInvestmentViolations"]["accepted"] == len(rows)
        counts.append(counter.count)
    assert counts == [WRITE_STATEMENTS, WRITE_STATEMENTS]
