"""Units: registration, look-up, listing (DOMAIN.md section 1)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.subject.models import Unit
from tests.conftest import GraphQL
from tests.support import unit_code

REGISTER = """
mutation Register($units: [UnitInput!]!) {
  registerUnits(units: $units) { accepted ids errors { index field code message } }
}"""
UNIT = """
query Unit($uscc: String!) {
  unit(uscc: $uscc) { id uscc name displayName kind regionCode parent { uscc name } }
}"""
UNITS = """
query Units($name: String, $first: Int, $after: String) {
  units(nameContains: $name, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { uscc name } }
  }
}"""

DISTRICT = unit_code(1)
BUREAU = unit_code(2)


def unit(uscc: str, name: str, parent: str | None = None, kind: str = "GOVERNMENT_ORGAN",
         region: str | None = "310116") -> dict[str, object]:
    return {"uscc": uscc, "name": name, "kind": kind, "regionCode": region, "parentUscc": parent}


async def count_units(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Unit)) or 0)


async def test_register_units_with_parent_later_in_the_batch(gql: GraphQL) -> None:
    # given a child listed before its parent
    rows = [unit(BUREAU, "金山区财政局", parent=DISTRICT), unit(DISTRICT, "金山区人民政府")]
    # when the credit office registers them
    data = await gql.data("CREDIT_OFFICE", REGISTER, {"units": rows})
    # then both are written, ids in row order
    payload = data["registerUnits"]
    assert payload["accepted"] == 2 and payload["errors"] == [] and len(payload["ids"]) == 2
    found = await gql.data("PROCUREMENT", UNIT, {"uscc": BUREAU.lower() + "  "})
    assert found == {"unit": {
        "id": payload["ids"][0], "uscc": BUREAU, "name": "金山区财政局",
        "displayName": "金山区财政局", "kind": "GOVERNMENT_ORGAN", "regionCode": "310116",
        "parent": {"uscc": DISTRICT, "name": "金山区人民政府"}}}


async def test_resending_updates_and_omitted_fields_become_null(gql: GraphQL) -> None:
    await gql.data("CREDIT_OFFICE", REGISTER, {"units": [
        unit(DISTRICT, "区政府"), unit(BUREAU, "财政局", parent=DISTRICT)]})
    data = await gql.data("CREDIT_OFFICE", REGISTER, {"units": [
        {"uscc": BUREAU, "name": "金山区财政局", "kind": "PUBLIC_INSTITUTION"}]})
    assert data["registerUnits"]["accepted"] == 1
    found = await gql.data("CREDIT_OFFICE", UNIT, {"uscc": BUREAU})
    assert found["unit"]["name"] == "金山区财政局"
    assert found["unit"]["kind"] == "PUBLIC_INSTITUTION"
    assert found["unit"]["regionCode"] is None and found["unit"]["parent"] is None


async def test_bad_rows_are_all_reported_and_nothing_is_written(
        gql: GraphQL, session: AsyncSession) -> None:
    rows = [
        unit(DISTRICT, "区政府"),
        unit("91310116MA1FL0X0YX", "bad check character"),
        unit(unit_code(3), "orphan", parent=unit_code(99)),
        unit(unit_code(4), " ", region="31"),
        unit(unit_code(5), "bad parent code", parent="12345"),
    ]
    data = await gql.data("CREDIT_OFFICE", REGISTER, {"units": rows})
    errors = [(e["index"], e["field"], e["code"]) for e in data["registerUnits"]["errors"]]
    assert errors == [
        (1, "uscc", "INVALID_USCC"),
        (2, "parentUscc", "NOT_FOUND"),
        (3, "name", "INVALID_VALUE"),
        (3, "regionCode", "INVALID_VALUE"),
        (4, "parentUscc", "INVALID_USCC"),
    ]
    assert data["registerUnits"]["accepted"] == 0 and data["registerUnits"]["ids"] == []
    assert await count_units(session) == 0


async def test_unknown_parent_and_cycles_are_refused(gql: GraphQL, session: AsyncSession) -> None:
    await gql.data("CREDIT_OFFICE", REGISTER, {"units": [
        unit(DISTRICT, "区政府"), unit(BUREAU, "财政局", parent=DISTRICT)]})
    before = await count_units(session)
    data = await gql.data("CREDIT_OFFICE", REGISTER, {"units": [
        unit(DISTRICT, "区政府", parent=BUREAU),
        unit(unit_code(3), "孤儿", parent=unit_code(98)),
        unit(unit_code(4), "自己", parent=unit_code(4)),
    ]})
    errors = [(e["index"], e["field"], e["code"]) for e in data["registerUnits"]["errors"]]
    assert errors == [(0, "parentUscc", "INVALID_VALUE"), (1, "parentUscc", "NOT_FOUND"),
                      (2, "parentUscc", "INVALID_VALUE")]
    assert await count_units(session) == before


async def test_a_repeated_key_counts_once_or_conflicts(gql: GraphQL, session: AsyncSession) -> None:
    same = await gql.data("CREDIT_OFFICE", REGISTER, {"units": [
        unit(DISTRICT, "区政府"), unit(DISTRICT.lower(), "区政府")]})
    assert same["registerUnits"]["accepted"] == 2
    assert same["registerUnits"]["ids"][0] == same["registerUnits"]["ids"][1]
    other = await gql.data("CREDIT_OFFICE", REGISTER, {"units": [
        unit(BUREAU, "财政局"), unit(BUREAU, "税务局")]})
    assert other["registerUnits"]["errors"] == [{
        "index": 1, "field": "uscc", "code": "CONFLICT",
        "message": "the same key appears earlier in this batch with other content"}]
    assert await count_units(session) == 1


async def test_only_the_credit_office_registers_units(gql: GraphQL, session: AsyncSession) -> None:
    for audience in ("PROCUREMENT", "PROJECT_APPROVAL", "PERSONNEL", "SUPERVISION"):
        body = await gql(audience, REGISTER, {"units": [unit(DISTRICT, "区政府")]})
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await count_units(session) == 0


async def test_a_malformed_code_is_an_error_and_an_unknown_one_is_null(gql: GraphQL) -> None:
    body = await gql("PROCUREMENT", UNIT, {"uscc": "not-a-code"})
    assert body["data"] == {"unit": None}
    assert body["errors"][0]["extensions"] == {"code": "INVALID_USCC"}
    assert await gql.data("PROCUREMENT", UNIT, {"uscc": unit_code(77)}) == {"unit": None}


async def test_units_are_paged_by_name(gql: GraphQL) -> None:
    await gql.data("CREDIT_OFFICE", REGISTER, {"units": [
        unit(unit_code(i), f"单位{i:02d}") for i in range(1, 6)]})
    first = await gql.data("PROCUREMENT", UNITS, {"first": 2})
    assert first["units"]["totalCount"] == 5
    assert [e["node"]["name"] for e in first["units"]["edges"]] == ["单位01", "单位02"]
    info = first["units"]["pageInfo"]
    assert info["hasNextPage"] is True and info["hasPreviousPage"] is False
    rest = await gql.data("PROCUREMENT", UNITS, {"first": 10, "after": info["endCursor"]})
    assert [e["node"]["name"] for e in rest["units"]["edges"]] == ["单位03", "单位04", "单位05"]
    assert rest["units"]["pageInfo"]["hasNextPage"] is False
    assert rest["units"]["pageInfo"]["hasPreviousPage"] is True
    one = await gql.data("PROCUREMENT", UNITS, {"name": "位04"})
    assert [e["node"]["uscc"] for e in one["units"]["edges"]] == [unit_code(4)]
    none = await gql.data("PROCUREMENT", UNITS, {"name": "不存在"})
    assert none["units"] == {"totalCount": 0, "edges": [], "pageInfo": {
        "hasNextPage": False, "hasPreviousPage": False, "startCursor": None, "endCursor": None}}


async def test_page_sizes_are_bounded(gql: GraphQL) -> None:
    for first in (0, 101, -1):
        body = await gql("PROCUREMENT", UNITS, {"first": first})
        assert body["errors"][0]["extensions"]["code"] == "INVALID_VALUE"
    body = await gql("PROCUREMENT", UNITS, {"after": "garbage"})
    assert body["errors"][0]["extensions"]["code"] == "INVALID_VALUE"


async def test_node_finds_a_unit_by_its_global_id(gql: GraphQL) -> None:
    data = await gql.data("CREDIT_OFFICE", REGISTER, {"units": [unit(DISTRICT, "区政府")]})
    unit_id = data["registerUnits"]["ids"][0]
    query = "query N($id: ID!) { node(id: $id) { id ... on Unit { uscc } } }"
    assert await gql.data("PROCUREMENT", query, {"id": unit_id}) == {
        "node": {"id": unit_id, "uscc": DISTRICT}}
    assert await gql.data("PROCUREMENT", query, {"id": "bm9wZQ=="}) == {"node": None}
