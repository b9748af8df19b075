"""Responses and withdrawals: FORBIDDEN for a client not bound to the signatory, idempotent on
(action, signatory), CONFLICT for other content, and the rules of the answer itself."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import GraphQL
from tests.graph.memorandum.support import (
    DRC,
    FINANCE,
    MARKET,
    OUTSIDER,
    RESPOND,
    RESTRICTIONS,
    WITHDRAW,
    counts,
    given_district,
    initiated,
    registered,
    response,
)

DRC_CODE = "INVESTMENT_APPROVAL.SERIOUS.RESTRICT"


async def _respond(gql: GraphQL, client: str, **fields: Any) -> dict[str, Any]:
    data = await gql.data(client, RESPOND, {"input": response(**fields)})
    result: dict[str, Any] = data["respondToJointAction"]
    return result


@pytest.fixture
async def opened(gql: GraphQL, session: AsyncSession) -> tuple[dict[str, str], str]:
    district = await given_district(session, gql)
    await registered(gql, district)
    action = await initiated(gql, district)
    return {name: unit.uscc for name, unit in district.units.items()}, action["id"]


async def test_a_client_not_bound_to_the_signatory_is_forbidden(
        gql: GraphQL, session: AsyncSession, opened: tuple[dict[str, str], str]) -> None:
    units, action_id = opened
    before = await counts(session)
    # the outsider answering for drc, and a procurement client bound to no unit
    for client in (OUTSIDER, "PROCUREMENT", MARKET):
        answer = await _respond(gql, client, action_id=action_id, uscc=units[DRC],
                                codes=[DRC_CODE])
        assert answer == {"action": None, "errors": [{
            "field": "signatoryUscc", "code": "FORBIDDEN",
            "message": "your client does not act for this unit (integrity clients bind)"}]}
    assert await counts(session) == before


async def test_the_credit_office_may_answer_for_any_signatory(
        gql: GraphQL, session: AsyncSession, opened: tuple[dict[str, str], str]) -> None:
    units, action_id = opened
    answer = await _respond(gql, "CREDIT_OFFICE", action_id=action_id, uscc=units[DRC],
                            codes=[DRC_CODE])
    assert answer["errors"] == []


async def test_the_same_response_twice_is_one_response(
        gql: GraphQL, session: AsyncSession, opened: tuple[dict[str, str], str]) -> None:
    units, action_id = opened
    first = await _respond(gql, DRC, action_id=action_id, uscc=units[DRC], codes=[DRC_CODE])
    again = await _respond(gql, DRC, action_id=action_id, uscc=units[DRC],
                           codes=[f" {DRC_CODE.lower()} "])
    assert first == again and again["errors"] == []
    assert await counts(session) == (1, 1, 1)


async def test_other_content_is_a_conflict(
        gql: GraphQL, session: AsyncSession, opened: tuple[dict[str, str], str]) -> None:
    units, action_id = opened
    await _respond(gql, DRC, action_id=action_id, uscc=units[DRC], codes=[DRC_CODE])
    other = await _respond(gql, DRC, action_id=action_id, uscc=units[DRC], kind="NOT_APPLIED",
                           reason="无在审项目")
    assert other["action"] is None and [e["code"] for e in other["errors"]] == ["CONFLICT"]
    assert await counts(session) == (1, 1, 1)


@pytest.mark.parametrize(("client", "fields", "expected"), [
    (DRC, {"codes": ["GOVERNMENT_PROCUREMENT.SERIOUS.RESTRICT"]},
     [("appliedMeasureCodes", "UNKNOWN_MEASURE")]),  # finance's measure, not drc's
    (DRC, {"kind": "NOT_APPLIED"}, [("reason", "REASON_REQUIRED")]),
    (DRC, {"kind": "NOT_APPLIED", "codes": [DRC_CODE], "reason": "x"},
     [("appliedMeasureCodes", "INVALID_VALUE")]),
    (FINANCE, {"uscc": FINANCE, "codes": ["SUSPEND-BIDDING"]},
     [("signatoryUscc", "INVALID_VALUE")]),  # the initiator does not respond
    (OUTSIDER, {"uscc": OUTSIDER, "codes": [DRC_CODE]},
     [("signatoryUscc", "INVALID_VALUE")]),  # not a signatory
    (DRC, {"uscc": "NOT-A-CODE", "codes": [DRC_CODE]}, [("signatoryUscc", "INVALID_USCC")]),
    (DRC, {"action_id": "bm9wZTox", "codes": [DRC_CODE]}, [("actionId", "NOT_FOUND")]),
])
async def test_bad_responses_write_nothing(
        gql: GraphQL, session: AsyncSession, opened: tuple[dict[str, str], str], client: str,
        fields: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    units, action_id = opened
    values = {"action_id": action_id, "uscc": units[DRC], **fields}
    values["uscc"] = units.get(values["uscc"], values["uscc"])
    answer = await _respond(gql, client, **values)
    assert [(e["field"], e["code"]) for e in answer["errors"]] == expected
    if expected[0][1] == "UNKNOWN_MEASURE":
        assert answer["errors"][0]["message"] == ("GOVERNMENT_PROCUREMENT.SERIOUS.RESTRICT is "
                                                  "not a measure of this signatory")
    assert await counts(session) == (1, 1, 0)


async def test_withdrawal_ends_the_action_and_its_effect(
        gql: GraphQL, session: AsyncSession, opened: tuple[dict[str, str], str]) -> None:
    units, action_id = opened
    purchaser = {"uscc": (await _purchaser(gql, action_id)), "scenario": "GOVERNMENT_PROCUREMENT"}
    assert any(m["memorandum"] for m in await _measures(gql, purchaser))
    # a withdrawal needs the initiator and a reason
    refused = [(await gql.data(client, WITHDRAW, {"id": action_id, "reason": reason}))[
        "withdrawJointAction"]["errors"] for client, reason in ((DRC, "误发"), (FINANCE, " "))]
    assert [[e["code"] for e in errors] for errors in refused] == [
        ["FORBIDDEN"], ["REASON_REQUIRED"]]
    # when the initiator withdraws it (twice: the same withdrawal is a no-op)
    for _ in range(2):
        done = (await gql.data(FINANCE, WITHDRAW, {"id": action_id, "reason": "已整改到位"}))[
            "withdrawJointAction"]
        assert done["errors"] == [] and done["action"]["status"] == "WITHDRAWN"
        assert done["action"]["withdrawalReason"] == "已整改到位"
    # then its measures are gone and no response is taken
    assert not any(m["memorandum"] for m in await _measures(gql, purchaser))
    late = await _respond(gql, DRC, action_id=action_id, uscc=units[DRC], codes=[DRC_CODE])
    assert [e["code"] for e in late["errors"]] == ["INVALID_STATE"]
    other = (await gql.data(FINANCE, WITHDRAW, {"id": action_id, "reason": "另一理由"}))[
        "withdrawJointAction"]
    assert [e["code"] for e in other["errors"]] == ["INVALID_STATE"]
    assert await counts(session) == (1, 1, 0)


async def _purchaser(gql: GraphQL, action_id: str) -> str:
    data = await gql.data("CREDIT_OFFICE", "query($id: ID!) { node(id: $id) { ... on "
                          "JointAction { subject { ... on Unit { uscc } } } } }", {"id": action_id})
    uscc: str = data["node"]["subject"]["uscc"]
    return uscc


async def _measures(gql: GraphQL, variables: dict[str, str]) -> list[dict[str, Any]]:
    data = await gql.data("PROCUREMENT", RESTRICTIONS, variables)
    measures: list[dict[str, Any]] = data["unit"]["restrictions"]["measures"]
    return measures
