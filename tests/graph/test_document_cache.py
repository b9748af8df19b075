"""The per-app cache of parsed and validated documents (issue 13): a document is parsed and
validated once, yet every request still gets the per-request checks, and a refused document
answers the same errors every time."""

from __future__ import annotations

from typing import Any

import pytest
from strawberry.schema import schema as strawberry_schema

from graph import limits
from tests.conftest import GraphQL


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every validation strawberry runs, counted."""
    seen: list[object] = []
    validate = strawberry_schema.validate_document

    def counting(*args: Any) -> Any:
        seen.append(args[1])
        return validate(*args)

    monkeypatch.setattr(strawberry_schema, "validate_document", counting)
    return seen


async def test_a_document_is_parsed_and_validated_once(
        gql: GraphQL, validations: list[object], monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    parse = strawberry_schema.parse  # type: ignore[attr-defined]

    def counting_parse(source: str, **options: Any) -> Any:
        parsed.append(source)
        return parse(source, **options)

    monkeypatch.setattr(strawberry_schema, "parse", counting_parse)
    for _ in range(3):
        assert await gql.data("PERSONNEL", "{ viewer { name } }") == {
            "viewer": {"name": "personnel"}}
    assert len(parsed) == 1 and len(validations) == 1
    await gql.data("PERSONNEL", "{ viewer { audience } }")
    assert len(parsed) == 2 and len(validations) == 2


async def test_an_invalid_document_answers_the_same_errors_every_time(
        gql: GraphQL, validations: list[object]) -> None:
    answers = [await gql("PERSONNEL", "{ viewer { nope } }") for _ in range(3)]
    assert answers[0] == answers[1] == answers[2]
    assert answers[0]["data"] is None and codes(answers[0]) == ["GRAPHQL_VALIDATION_FAILED"]
    assert len(validations) == 3  # refusals are never cached


async def test_a_cached_document_still_gets_the_per_request_checks(
        gql: GraphQL, validations: list[object]) -> None:
    fields = " ".join(f"a{i}: units(first: 100) {{ edges {{ node {{ creditFile {{ "
                      "records(first: $n) { totalCount } } } } }" for i in range(30))
    query = "query($n: Int) { " + fields + " }"
    assert await gql.data("CREDIT_OFFICE", query, {"n": 10}) == {
        f"a{i}": {"edges": []} for i in range(30)}
    costly = await gql("CREDIT_OFFICE", query, {"n": 100})  # cached, and over the limit now
    assert costly["data"] is None and codes(costly) == ["QUERY_TOO_COSTLY"]
    several = "query A { viewer { name } } query B { viewer { audience } }"
    named = await gql.http.post("/graphql", json={"query": several, "operationName": "A"},
                                headers={"Authorization": f"Bearer {gql.keys['PERSONNEL']}"})
    assert named.json() == {"data": {"viewer": {"name": "personnel"}}}
    unnamed = await gql.http.post("/graphql", json={"query": several}, headers={
        "Authorization": f"Bearer {gql.keys['PERSONNEL']}"})
    assert codes(unnamed.json()) == ["OPERATION_NAME_REQUIRED"]  # though validated before
    assert len(validations) == 2


def test_the_cache_is_keyed_by_the_rules_and_bounded() -> None:
    cache = limits.DocumentCache(size=2)
    cache.keep_valid(("{ a }", (1,)))
    assert cache.is_valid(("{ a }", (1,))) and not cache.is_valid(("{ a }", (1, 2)))
    cache.keep_valid(("{ b }", (1,)))
    cache.keep_valid(("{ c }", (1,)))  # the least recently used entry goes
    assert not cache.is_valid(("{ a }", (1,))) and cache.is_valid(("{ c }", (1,)))
