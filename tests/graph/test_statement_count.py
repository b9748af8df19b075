"""Issue item 9: a nested read over 50 units costs the same number of SQL statements as over
one (every nested field goes through a batched loader)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import GraphQL
from tests.graph.credit.support import add_objection, add_person, add_record, add_unit

NESTED = """
query Nested {
  units(first: 50) { totalCount edges { node {
    name
    civilServants { edges { node { displayName creditFile { records { edges { node {
      title history { kind } } } } } } } }
    creditFile {
      activeDishonestCount trustworthyCount
      records { totalCount edges { node {
        title status decidedBy { name } history { kind at } objections { dueOn } } } }
    }
  } } }
}"""
# the client look-up; units and their count; people; counts; unit records; person records;
# deciding units; unit histories; objections; person histories; one INSERT of every audit row;
# and the test harness's 4 savepoint statements (6 before the audit rows joined the read's own
# transaction: one rollback and one new savepoint fewer)
STATEMENTS = 16


async def given_units(session: AsyncSession, numbers: range,
                      decider: uuid.UUID | None = None) -> uuid.UUID:
    """Units with 2 people and 3 records each (one under objection), people with one record
    each, records decided by `decider` (default: the first unit made)."""
    for n in numbers:
        unit = await add_unit(session, n)
        decider = decider or unit.id
        for k in range(3):
            record = await add_record(session, unit, f"U{n}-{k}", decided_by_id=decider,
                                      decided_on=date(2026, 1, 1 + k))
        add_objection(session, record, date(2026, 3, 2), date(2026, 3, 11))
        for k in range(2):
            person = await add_person(session, n * 2 + k, unit)
            await add_record(session, person, f"P{n}-{k}", category="ADMINISTRATIVE_SANCTION")
    await session.commit()
    assert decider is not None
    return decider


async def statements_for(gql: GraphQL, count_statements: Any) -> tuple[int, dict[str, Any]]:
    with count_statements() as counter:
        data = await gql.data("CREDIT_OFFICE", NESTED)
    return counter.count, data


@pytest.mark.slow
async def test_nested_read_costs_the_same_for_1_and_50_units(
        gql: GraphQL, session: AsyncSession, count_statements: Any) -> None:
    # given one unit
    decider = await given_units(session, range(1, 2))
    one, data = await statements_for(gql, count_statements)
    assert data["units"]["totalCount"] == 1
    # when there are 50
    await given_units(session, range(2, 51), decider)
    fifty, data = await statements_for(gql, count_statements)
    # then every unit's data is there, for the same number of statements
    units = data["units"]["edges"]
    assert len(units) == 50
    assert all(len(u["node"]["creditFile"]["records"]["edges"]) == 3 for u in units)
    assert all(u["node"]["creditFile"]["activeDishonestCount"] == 3 for u in units)
    assert all(len(p["node"]["creditFile"]["records"]["edges"]) == 1
               for u in units for p in u["node"]["civilServants"]["edges"])
    assert (one, fifty) == (STATEMENTS, STATEMENTS)
