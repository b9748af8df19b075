"""What joint actions cost in SQL statements: a list of 20 actions with their memoranda,
signatories and responses, and the restrictions of 20 subjects with open actions, cost what
one costs."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.ids import to_global_id
from tests.conftest import GraphQL
from tests.graph.memorandum.support import (
    ACTIONS,
    DRC,
    FINANCE,
    RESPOND,
    District,
    given_district,
    initiated,
    registered,
    response,
)
from tests.graph.restriction.support import add_record, add_unit

ALL_RESTRICTIONS = """
query All { units(first: 100) { edges { node { restrictions(scenario: GOVERNMENT_PROCUREMENT) {
  decision measures { code basis { id record { title } } memorandum { number signatories {
    unit { uscc } } } appliedBy { uscc } } } } } } }"""


async def _add_actions(gql: GraphQL, session: AsyncSession, district: District,
                       numbers: range) -> None:
    """An action against a new purchaser per number, answered by drc (market still owes)."""
    for n in numbers:
        purchaser = await add_unit(session, 100 + n)
        finding = await add_record(session, purchaser, f"L-{n}", severity="SERIOUS")
        await session.commit()
        action = await initiated(gql, district, ref=f"CG-{n}", subject={"uscc": purchaser.uscc},
                                 basisRecordIds=[to_global_id("CreditRecord", finding.id)])
        data = await gql.data(DRC, RESPOND, {"input": response(
            action["id"], district.units[DRC].uscc,
            codes=["INVESTMENT_APPROVAL.SERIOUS.RESTRICT"])})
        assert data["respondToJointAction"]["errors"] == []


async def _cost(gql: GraphQL, count_statements: Any, client: str,
                query: str) -> tuple[dict[str, Any], int]:
    with count_statements() as counter:
        data = await gql.data(client, query)
    return data, int(counter.count)


@pytest.mark.slow
async def test_statements_do_not_grow_with_actions(
        gql: GraphQL, session: AsyncSession, count_statements: Any) -> None:
    # given one open action with one response
    district = await given_district(session, gql)
    await registered(gql, district)
    await _add_actions(gql, session, district, range(1, 2))
    one, actions_one = await _cost(gql, count_statements, FINANCE, ACTIONS)
    _, restrictions_one = await _cost(gql, count_statements, "PROCUREMENT", ALL_RESTRICTIONS)
    # when 19 more actions, each with its response, are read in the same queries
    await _add_actions(gql, session, district, range(2, 21))
    twenty, actions_twenty = await _cost(gql, count_statements, FINANCE, ACTIONS)
    data, restrictions_twenty = await _cost(gql, count_statements, "PROCUREMENT",
                                            ALL_RESTRICTIONS)
    # then every action is there with its responses, and the statements are the same
    assert one["jointActions"]["totalCount"] == 1
    assert twenty["jointActions"]["totalCount"] == 20
    assert all([s["response"] is not None for s in e["node"]["signatories"]] ==
               [False, True, False] for e in twenty["jointActions"]["edges"])
    joint = [m for e in data["units"]["edges"] for m in e["node"]["restrictions"]["measures"]
             if m["memorandum"]]
    assert len(joint) == 20 * 3
    assert actions_twenty == actions_one
    assert restrictions_twenty == restrictions_one
