"""Page bounds on every connection (DOMAIN.md section 0): `first` 1 to 100 (default 20),
otherwise a GraphQL error INVALID_VALUE, as is an `after` that is not a cursor;
hasPreviousPage iff `after` is given and an item precedes it; totalCount ignores paging."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.conftest import GraphQL
from tests.graph.credit.test_mutations import FINANCE, given_subjects, reported

PAGE = "totalCount pageInfo { hasPreviousPage hasNextPage startCursor endCursor } edges { cursor }"
CONNECTIONS = {
    "units": f"query($f: Int, $a: String) {{ units(first: $f, after: $a) {{ {PAGE} }} }}",
    "civilServants": "query($f: Int, $a: String, $u: String!) { unit(uscc: $u) { "
                     f"civilServants(first: $f, after: $a) {{ {PAGE} }} }} }}",
    "records": "query($f: Int, $a: String, $u: String!) { unit(uscc: $u) { creditFile { "
               f"records(first: $f, after: $a) {{ {PAGE} }} }} }} }}",
    "creditRecords": f"query($f: Int, $a: String) {{ creditRecords(first: $f, after: $a) {{ "
                     f"{PAGE} }} }}",
    "auditLog": f"query($f: Int, $a: String) {{ auditLog(first: $f, after: $a) {{ {PAGE} }} }}",
}


def cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def connection(data: dict[str, Any], name: str) -> dict[str, Any]:
    found = data.get("unit") or data
    found = found.get("creditFile") or found
    result: dict[str, Any] = found[name]
    return result


async def ask(gql: GraphQL, name: str, **variables: Any) -> dict[str, Any]:
    return await gql("CREDIT_OFFICE", CONNECTIONS[name], {"u": FINANCE, **variables}
                     if "$u" in CONNECTIONS[name] else variables)


@pytest.mark.parametrize("name", list(CONNECTIONS))
async def test_bad_bounds_are_invalid_value(gql: GraphQL, name: str) -> None:
    await given_subjects(gql)
    await reported(gql)
    bad: list[dict[str, Any]] = [
        {"f": 0}, {"f": 101}, {"f": -1}, {"a": "garbage"}, {"a": cursor("cursor:-1")},
        {"a": cursor("other:1")}, {"a": cursor("cursor:x")}, {"a": ""}]
    for variables in bad:
        body = await ask(gql, name, **variables)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID_VALUE"], (
            name, variables)


@pytest.mark.parametrize("name", list(CONNECTIONS))
async def test_good_bounds_and_has_previous_page(gql: GraphQL, name: str) -> None:
    await given_subjects(gql)
    await reported(gql)
    await ask(gql, "records")  # an audited read, so that auditLog has an entry
    for first in (None, 1, 100):
        body = await ask(gql, name, f=first)
        assert "errors" not in body, body
        page = connection(body["data"], name)
        assert page["totalCount"] >= 1
        assert page["pageInfo"]["hasPreviousPage"] is False
        assert len(page["edges"]) == min(page["totalCount"], first or 20)
    first_page = connection((await ask(gql, name, f=1))["data"], name)
    after = connection((await ask(gql, name, f=1, a=first_page["pageInfo"]["endCursor"]))[
        "data"], name)
    assert after["pageInfo"]["hasPreviousPage"] is True
    assert after["totalCount"] == first_page["totalCount"]
