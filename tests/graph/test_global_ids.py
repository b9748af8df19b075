"""Global ids (DOMAIN.md section 0): an ID argument that does not decode, or names another type,
answers NOT_FOUND in the payload of every record mutation and writes nothing; node(id:) answers
null for it."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.ids import from_global_id, parse_global_id, to_global_id
from tests.conftest import GraphQL
from tests.graph.credit.test_mutations import (
    CORRECT,
    EXEMPT,
    FILE,
    REPAIR,
    RESOLVE,
    REVOKE,
    counts,
    given_subjects,
    reported,
)

MUTATIONS = [(FILE, "fileObjection"), (RESOLVE, "resolveObjection"), (REPAIR, "repairRecord"),
             (EXEMPT, "exemptRecord"), (CORRECT, "correctRecord"), (REVOKE, "revokeRecord")]
NODE = "query N($id: ID!) { node(id: $id) { __typename id } }"


def raw(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def bad_ids(record_gid: str, unit_gid: str) -> list[str]:
    """Ids that must not reach the record: malformed, or naming another type or nothing."""
    record_pk = from_global_id(record_gid, "CreditRecord")
    unit_pk = from_global_id(unit_gid, "Unit")
    assert record_pk is not None and unit_pk is not None
    return [
        "", "not-an-id", "!!!!", raw("CreditRecord"), raw("CreditRecord:"),
        raw("CreditRecord:not-a-uuid"), raw(f"CreditRecord:{record_pk}").rstrip("="),
        raw(f"Unit:{record_pk}"), raw(f"creditrecord:{record_pk}"),
        raw(f"CivilServant:{record_pk}"), to_global_id("CreditRecord", unit_pk),
        to_global_id("CreditRecord", uuid.UUID(int=7)), unit_gid,
        "\u00e9" + record_gid,
    ]


@pytest.mark.slow
async def test_every_record_mutation_answers_not_found_for_a_bad_id_and_writes_nothing(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_subjects(gql)
    record_gid = await reported(gql, audience="CREDIT_OFFICE")
    unit_gid = (await gql.data("CREDIT_OFFICE", '{ units(first: 1) { edges { node { id } } } }'))[
        "units"]["edges"][0]["node"]["id"]
    before = await counts(session)
    variables: dict[str, Any] = {"reason": "x", "note": "x", "upheld": True,
                                 "patch": {"title": "新标题"}}
    for operation, name in MUTATIONS:
        used = {k: v for k, v in variables.items() if f"${k}" in operation}
        for bad in bad_ids(record_gid, unit_gid):
            data = await gql.data("CREDIT_OFFICE", operation, {"id": bad, **used})
            assert data == {name: {"record": None, "errors": [
                {"index": None, "field": "recordId", "code": "NOT_FOUND"}]}}, (name, bad)
    assert await counts(session) == before
    # and the real id still works
    data = await gql.data("CREDIT_OFFICE", EXEMPT, {"id": record_gid, "note": "容错"})
    assert data["exemptRecord"]["errors"] == []


async def test_node_answers_null_for_a_bad_or_foreign_id(gql: GraphQL) -> None:
    await given_subjects(gql)
    record_gid = await reported(gql, audience="CREDIT_OFFICE")
    unit_gid = (await gql.data("CREDIT_OFFICE", '{ units(first: 1) { edges { node { id } } } }'))[
        "units"]["edges"][0]["node"]["id"]
    for bad in bad_ids(record_gid, unit_gid)[:-2] + [raw(f"Nope:{uuid.UUID(int=1)}")]:
        assert await gql.data("CREDIT_OFFICE", NODE, {"id": bad}) == {"node": None}, bad
    for good, kind in ((record_gid, "CreditRecord"), (unit_gid, "Unit")):
        assert await gql.data("CREDIT_OFFICE", NODE, {"id": good}) == {
            "node": {"__typename": kind, "id": good}}


@pytest.mark.parametrize("value", ["", "x", raw("Unit"), raw("Unit:1"), raw("Unit:") + "=",
                                   "\u00e9", raw("Unit:" + "0" * 40)])
def test_ids_that_do_not_decode(value: str) -> None:
    assert parse_global_id(value) is None
