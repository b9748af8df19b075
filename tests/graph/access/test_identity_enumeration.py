"""The enumeration of issue 7, replayed over HTTP: a PROCUREMENT client knows a person's masked
number, the district's region code and a birth-date range, builds every candidate with a valid
check character and asks `civilServant(idNumber:)` for 30 of them per request. Before, it found
the number in 76 requests; now a read request looks up 5 numbers at most and the client's
hourly budget (100 distinct numbers) answers HTTP 429 after 20 requests, long before the
number is reached, and every look-up and refusal is in the credit office's view."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from stdnum.cn import ric

from domains.access.models import IdentityLookup
from domains.subject import keys as subject_keys
from tests.conftest import GraphQL
from tests.graph.restriction.support import add_unit
from tests.support import unit_code

REGISTER = """mutation($people: [CivilServantInput!]!) {
  registerCivilServants(people: $people) { accepted } }"""
ALIASES = 30


def candidates(masked: str, region: str, born_from: date, born_to: date) -> Iterator[str]:
    """Every number of this region and birth range that the masked form does not rule out."""
    day = born_from
    while day <= born_to:
        for sequence in range(100):
            body = f"{region}{day:%Y%m%d}{sequence:02d}{masked[-2]}"
            number = body + ric.calc_check_digit(body + "X")
            if subject_keys.mask_id_number(number) == masked:
                yield number
        day += timedelta(days=1)


def query_of(numbers: list[str]) -> str:
    return "query {" + " ".join(f'c{i}: civilServant(idNumber: "{n}") {{ id }}'
                                for i, n in enumerate(numbers)) + "}"


@pytest.mark.slow
async def test_the_masked_form_can_no_longer_be_enumerated_back_into_the_number(
        gql: GraphQL, http: httpx.AsyncClient, keys: dict[str, str],
        session: AsyncSession) -> None:
    # given a person whose number is the 2,000th candidate of a year's births in 310116
    pool = list(candidates("*" * 16 + "3X", "310116", date(1985, 1, 1), date(1985, 12, 31)))
    assert len(pool) > 3_000  # one birth year alone: 30 times the hourly budget
    victim = pool[2_000]
    await add_unit(session, 1)
    await session.commit()
    await gql.data("PERSONNEL", REGISTER, {"people": [{
        "idNumber": victim, "name": "李娜", "unitUscc": unit_code(1), "startedOn": "2020-01-01"}]})
    shown = await gql.data("PERSONNEL", "query($n: String!) { civilServant(idNumber: $n) { "
                           "maskedIdNumber } }", {"n": victim})
    assert shown["civilServant"]["maskedIdNumber"] == "*" * 16 + "3X"
    # when the procurement client walks the candidates, 30 aliases a request
    statuses, found = [], []
    attacker = {"Authorization": f"Bearer {keys['PROCUREMENT']}"}
    for start in range(0, 30 * ALIASES, ALIASES):
        response = await http.post("/graphql", headers=attacker,
                                   json={"query": query_of(pool[start:start + ALIASES])})
        statuses.append(response.status_code)
        found += [v for v in (response.json().get("data") or {}).values() if v]
        if response.status_code == 429:
            break
    # then each request looked up 5 numbers, the 21st was refused, and nothing was found
    assert statuses == [200] * 20 + [429]
    assert found == []
    counted = await session.execute(
        select(IdentityLookup.refused, func.count()).where(
            IdentityLookup.client_name == "procurement").group_by(IdentityLookup.refused)
        .order_by(IdentityLookup.refused.nulls_first()))
    assert counted.all() == [(None, 100), ("HOURLY_BUDGET", 30), ("PER_REQUEST", 500)]


@pytest.mark.slow
async def test_check_restrictions_is_no_way_around_the_budget(
        http: httpx.AsyncClient, keys: dict[str, str], session: AsyncSession) -> None:
    """checkRestrictions is a mutation (it records the check), but its look-up is a read: 5
    numbers a request, and the hourly budget stops the walk after 100 distinct numbers."""
    pool = list(candidates("*" * 16 + "3X", "310116", date(1985, 1, 1), date(1985, 12, 31)))
    statuses, codes = [], []
    for start in range(0, 30 * ALIASES, ALIASES):
        checks = " ".join(
            f'c{i}: checkRestrictions(input: {{subject: {{idNumber: "{n}"}}, scenario: AWARDS, '
            f'businessRef: "E-{start + i}"}}) {{ errors {{ code }} }}'
            for i, n in enumerate(pool[start:start + ALIASES]))
        response = await http.post("/graphql", json={"query": "mutation {" + checks + "}"},
                                   headers={"Authorization": f"Bearer {keys['PROCUREMENT']}"})
        statuses.append(response.status_code)
        codes.append(sorted({e["extensions"]["code"] for e in response.json()["errors"]}))
        if response.status_code == 429:
            break
    assert statuses == [200] * 20 + [429]
    assert codes[0] == ["TOO_MANY_ID_LOOKUPS"] and codes[-1] == ["ID_LOOKUP_BUDGET_EXCEEDED"]
    admitted = await session.scalar(select(func.count()).select_from(IdentityLookup).where(
        IdentityLookup.client_name == "procurement", IdentityLookup.refused.is_(None)))
    assert admitted == 100
