"""Memoranda: CREDIT_OFFICE writes and every audience reads; amending makes a new
effective-dated version, and an action keeps the version it started under."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import GraphQL
from tests.graph.memorandum.support import (
    ACTIONS,
    DRC,
    FINANCE,
    INITIATE,
    NUMBER,
    OWN_MEASURE,
    REGISTER,
    District,
    action_input,
    counts,
    given_district,
    initiated,
    memorandum,
    registered,
)

READ = """
query Read($number: String!, $asOf: Date) {
  memorandum(number: $number, asOf: $asOf) { number version title versions { version
    effectiveFrom } }
  memoranda(asOf: $asOf) { totalCount edges { node { number version } } }
}"""


async def _register(gql: GraphQL, district: District, **fields: Any) -> dict[str, Any]:
    data = await gql.data("CREDIT_OFFICE", REGISTER, {"input": memorandum(district, **fields)})
    result: dict[str, Any] = data["registerMemorandum"]
    return result


async def test_amending_makes_a_version_and_actions_keep_theirs(
        gql: GraphQL, session: AsyncSession) -> None:
    district = await given_district(session, gql)
    first = await registered(gql, district)
    action = await initiated(gql, district)
    # the same content again is the same version
    assert await registered(gql, district) == first
    # when the memorandum is amended from tomorrow (a new title, drc drops out)
    signatories = memorandum(district)["signatories"]
    amended = await registered(gql, district, title="修订后的备忘录", effectiveFrom="2026-06-16",
                               signatories=[signatories[0], signatories[2]])
    assert (amended["version"], amended["effectiveFrom"]) == (2, "2026-06-16")
    # then today still reads version 1, tomorrow version 2, and both versions are listed
    today = (await gql.data("PROJECT_APPROVAL", READ, {"number": NUMBER}))
    assert today["memorandum"]["version"] == 1
    assert today["memorandum"]["versions"] == [
        {"version": 1, "effectiveFrom": "2026-01-01"},
        {"version": 2, "effectiveFrom": "2026-06-16"}]
    tomorrow = await gql.data("PERSONNEL", READ, {"number": NUMBER, "asOf": "2026-06-16"})
    assert tomorrow["memorandum"]["title"] == "修订后的备忘录"
    assert tomorrow["memoranda"] == {"totalCount": 1, "edges": [
        {"node": {"number": NUMBER, "version": 2}}]}
    before = await gql.data("PERSONNEL", READ, {"number": NUMBER, "asOf": "2025-12-31"})
    assert before["memorandum"] is None and before["memoranda"]["totalCount"] == 0
    # and the open action keeps version 1, with drc still a signatory
    node = (await gql.data(DRC, ACTIONS))["jointActions"]["edges"][0]["node"]
    assert node["id"] == action["id"] and node["memorandum"]["version"] == 1
    assert len(node["memorandum"]["signatories"]) == 3
    assert await counts(session) == (2, 1, 0)


@pytest.mark.parametrize(("fields", "expected"), [
    ({"title": "另一标题"}, [("effectiveFrom", "CONFLICT")]),  # version 1's day, other content
    ({"title": "另一标题", "effectiveFrom": "2025-12-01"}, [("effectiveFrom", "INVALID_VALUE")]),
    ({"title": "另一标题", "effectiveFrom": "2026-06-14"}, [("effectiveFrom", "INVALID_VALUE")]),
])
async def test_versions_are_only_appended(gql: GraphQL, session: AsyncSession,
                                          fields: dict[str, Any],
                                          expected: list[tuple[str, str]]) -> None:
    district = await given_district(session, gql)
    await registered(gql, district)
    answer = await _register(gql, district, **fields)
    assert [(e["field"], e["code"]) for e in answer["errors"]] == expected
    assert await counts(session) == (1, 0, 0)


def _signatory(uscc: str, *measures: dict[str, Any]) -> dict[str, Any]:
    return {"uscc": uscc, "measures": list(measures)}


@pytest.mark.parametrize(("fields", "expected"), [
    ({"severities": []}, [("severities", "INVALID_VALUE")]),
    ({"severities": ["MINOR"]}, [("severities", "INVALID_VALUE")]),
    ({"categories": ["COMMENDATION"]}, [("categories", "INVALID_VALUE")]),
    ({"validUntil": "2025-12-31"}, [("validUntil", "INVALID_VALUE")]),
    ({"responseWorkingDays": 0}, [("responseWorkingDays", "INVALID_VALUE")]),
    ({"number": " "}, [("number", "INVALID_VALUE")]),
    ({"signatories": "one"}, [("signatories", "INVALID_VALUE")]),
    ({"signatories": "unknown code"}, [("signatories.1.measures.0.code", "UNKNOWN_MEASURE")]),
    ({"signatories": "published with fields"}, [("signatories.1.measures.0", "INVALID_VALUE")]),
    ({"signatories": "twice"}, [("signatories.1.uscc", "INVALID_VALUE")]),
    ({"signatories": "no measures"}, [("signatories.1.measures", "INVALID_VALUE")]),
    ({"signatories": "bad uscc"}, [("signatories.1.uscc", "INVALID_USCC")]),
    ({"signatories": "own differs"}, [("signatories.1.measures.0", "INVALID_VALUE")]),
])
async def test_bad_memoranda_write_nothing(gql: GraphQL, session: AsyncSession,
                                           fields: dict[str, Any],
                                           expected: list[tuple[str, str]]) -> None:
    district = await given_district(session, gql)
    finance, drc = district.units[FINANCE].uscc, district.units[DRC].uscc
    first = _signatory(finance, OWN_MEASURE)
    variants = {
        "one": [first],
        "unknown code": [first, _signatory(drc, {"code": "NO.SUCH.MEASURE"})],
        "published with fields": [first, _signatory(drc, {
            "code": "INVESTMENT_APPROVAL.SERIOUS.RESTRICT", "name": "x"})],
        "twice": [first, _signatory(finance, OWN_MEASURE)],
        "no measures": [first, _signatory(drc)],
        "bad uscc": [first, _signatory("X", OWN_MEASURE)],
        "own differs": [first, _signatory(drc, {**OWN_MEASURE, "effect": "RESTRICT"})],
    }
    if isinstance(fields.get("signatories"), str):
        fields = {"signatories": variants[fields["signatories"]]}
    answer = await _register(gql, district, **fields)
    assert [(e["field"], e["code"]) for e in answer["errors"]] == expected
    assert await counts(session) == (0, 0, 0)


async def test_only_the_credit_office_registers(gql: GraphQL, session: AsyncSession) -> None:
    district = await given_district(session, gql)
    body = await gql(FINANCE, REGISTER, {"input": memorandum(district)})
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert await counts(session) == (0, 0, 0)


async def test_a_memorandum_past_its_period_takes_no_action(
        gql: GraphQL, session: AsyncSession) -> None:
    district = await given_district(session, gql)
    await registered(gql, district, validUntil="2026-06-14")
    read = await gql.data("PROCUREMENT", READ, {"number": NUMBER})
    assert read["memorandum"]["version"] == 1 and read["memoranda"]["totalCount"] == 0
    on_last_day = await gql.data("PROCUREMENT", READ, {"number": NUMBER, "asOf": "2026-06-14"})
    assert on_last_day["memoranda"]["totalCount"] == 1
    data = await gql.data(FINANCE, INITIATE, {"input": action_input(district)})
    assert data["initiateJointAction"]["errors"] == [{
        "field": "memorandumNumber", "code": "INVALID_STATE",
        "message": f"memorandum {NUMBER} is not in force on 2026-06-15"}]
    assert await counts(session) == (1, 0, 0)
