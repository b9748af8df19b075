"""What one subject's restriction reads and checks cost in SQL statements, pinned.

The assessment, promotion eligibility and procurement evaluation are domain functions over a
reader the loaders implement (domains.restriction.assessing, domains.procurement.evaluation,
loaders.reader): these pins say that moving the orchestration out of the loaders sent no
statement more than the loaders sent themselves. A pin is an upper bound: a cheaper request
path passes, one statement more fails.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import GraphQL
from tests.graph.restriction.support import (
    PERSON_RESTRICTIONS,
    PROMOTION,
    SANCTION_ENDS,
    UNIT_RESTRICTIONS,
    add_person,
    add_record,
    add_unit,
)
from tests.graph.restriction.test_checks import CHECK, check_input
from tests.support import id_number, unit_code

CREDIT = """
query Credit($uscc: String!) {
  unit(uscc: $uscc) { procurementCredit { score grade breaches { kind } } }
}"""

# Statements per request as the loaders' own orchestration sent them before it moved to the
# domains, the test harness's savepoints included; a check of a person was 24 then: its
# identity look-up is now committed with the check instead of in a commit of its own.
PINS = {"unit restrictions": 16, "person restrictions": 19, "promotion": 16,
        "sanction ends": 12, "procurement credit": 12, "unit check": 20, "person check": 22}


async def _given_a_unit_and_a_person(session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    person = await add_person(session, 1, unit)
    await add_record(session, unit, "U-1", domain="PROCUREMENT")
    await add_record(session, person, "P-1", category="ADMINISTRATIVE_SANCTION",
                     sanction="WARNING", decided_on=date(2026, 3, 1))
    await session.commit()


async def _cost(gql: GraphQL, count_statements: Any, audience: str, query: str,
                variables: dict[str, Any]) -> int:
    with count_statements() as counter:
        data = await gql.data(audience, query, variables)
    assert all(value is not None for value in data.values()), data
    return int(counter.count)


async def test_each_flow_costs_no_more_statements_than_pinned(
        gql: GraphQL, session: AsyncSession, count_statements: Any) -> None:
    # given a unit with a PROCUREMENT record and a civil servant with a sanction
    await _given_a_unit_and_a_person(session)
    uscc, number = unit_code(1), id_number(1)
    unit_scenario = {"uscc": uscc, "scenario": "GOVERNMENT_PROCUREMENT"}
    person_scenario = {"idNumber": number, "scenario": "PROMOTION"}
    # when each flow is asked once
    costs = {
        "unit restrictions": await _cost(gql, count_statements, "PROCUREMENT",
                                         UNIT_RESTRICTIONS, unit_scenario),
        "person restrictions": await _cost(gql, count_statements, "PERSONNEL",
                                           PERSON_RESTRICTIONS, person_scenario),
        "promotion": await _cost(gql, count_statements, "PERSONNEL", PROMOTION,
                                 {"idNumber": number}),
        "sanction ends": await _cost(gql, count_statements, "CREDIT_OFFICE", SANCTION_ENDS,
                                     {"ref": "P-1"}),
        "procurement credit": await _cost(gql, count_statements, "PROCUREMENT", CREDIT,
                                          {"uscc": uscc}),
        "unit check": await _cost(gql, count_statements, "PROCUREMENT", CHECK,
                                  check_input("SP-1")),
        "person check": await _cost(gql, count_statements, "PERSONNEL", CHECK, check_input(
            "RS-1", subject={"idNumber": number}, scenario="PROMOTION")),
    }
    # then none costs more than pinned
    assert {flow: min(cost, PINS[flow]) for flow, cost in costs.items()} == costs
