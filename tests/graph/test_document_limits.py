"""Bounds on a GraphQL document (issue 7): refused with a code before the costly step they
protect: size before parsing, repeats before validation, cost before execution; a document
with several operations must name one; a statement that runs too long is a clear error."""

from __future__ import annotations

import traceback
from typing import Any

import pytest
from graphql import parse
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.schema import schema as strawberry_schema

from domains.core.db import make_engine
from domains.subject import service as subjects
from graph import limits
from graph.errors import timed_out
from graph.schema import schema
from tests.conftest import GraphQL


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


async def test_a_thousand_repeated_fields_are_refused_before_validation(
        gql: GraphQL, monkeypatch: pytest.MonkeyPatch) -> None:
    validated = []

    def validate(*args: Any) -> list[Any]:
        validated.append(args)
        return []

    monkeypatch.setattr(strawberry_schema, "validate_document", validate)
    query = "{ " + " ".join(["viewer { name }"] * 1_000) + " }"
    body = await gql("PERSONNEL", query)
    assert body["data"] is None and codes(body) == ["QUERY_TOO_REPETITIVE"]
    assert validated == []  # refused before validation
    await gql.data("PERSONNEL", "{ viewer { name } }")
    assert len(validated) == 1


def nested(repeats: int) -> str:
    """Each level repeats its field `repeats` times: validation compares them level by level."""
    employments = ("employments { " + "unit { name } " * repeats + "} ") * repeats
    people = ("civilServants { edges { node { " + employments + "} } } ") * repeats
    return "{ units { edges { node { " + people + "} } } }"


@pytest.mark.parametrize(("query", "refused"), [
    (nested(10), True),  # 1,000 fields at one path, 3 s of validation
    (nested(4), True),
    (nested(3), False),
    ("{ " + " ".join(["viewer { name }"] * 31) + " }", False),
    ("{ " + " ".join(["viewer { name }"] * 32) + " }", True),
    ("{ " + " ".join(f"...F{i}" for i in range(32)) + " } " + " ".join(
        f"fragment F{i} on Query {{ viewer {{ name }} }}" for i in range(32)), True),
    ("{ viewer { name } } fragment F on Query { " + "viewer { name } " * 40 + "}", True),
])
async def test_repeats_are_weighed_as_validation_merges_them(gql: GraphQL, query: str,
                                                             refused: bool) -> None:
    body = await gql("CREDIT_OFFICE", query)
    assert ("QUERY_TOO_REPETITIVE" in codes(body)) == refused


async def test_a_document_over_the_byte_limit_is_refused_unparsed(
        gql: GraphQL, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTEGRITY_MAX_QUERY_BYTES", "1000")
    body = await gql("PERSONNEL", "#" + "注" * 400 + "\n{ viewer { name } }")  # 1,200 bytes
    assert codes(body) == ["QUERY_TOO_LARGE"]
    assert await gql.data("PERSONNEL", "{ viewer { name } }") == {"viewer": {"name": "personnel"}}


async def test_several_operations_need_an_operation_name(gql: GraphQL) -> None:
    document = "query A { viewer { name } } query B { viewer { audience } }"
    body = await gql.http.post("/graphql", json={"query": document}, headers={
        "Authorization": f"Bearer {gql.keys['PERSONNEL']}"})
    assert body.json()["data"] is None
    assert codes(body.json()) == ["OPERATION_NAME_REQUIRED"]
    named = await gql.http.post("/graphql", json={"query": document, "operationName": "B"},
                                headers={"Authorization": f"Bearer {gql.keys['PERSONNEL']}"})
    assert named.json() == {"data": {"viewer": {"audience": "PERSONNEL"}}}


NESTED = """query($n: Int) { %s }"""
UNIT_RECORDS = ("a%d: units(first: 100) { edges { node { creditFile { "
                "records(first: $n) { totalCount } } } } }")


@pytest.mark.parametrize(("query", "variables", "nodes"), [
    ("{ viewer { name } }", {}, 0),
    ("{ units { totalCount } }", {}, 20),
    ("query($n: Int) { units(first: $n) { totalCount } }", {"n": 7}, 7),
    ("query($n: Int) { units(first: $n) { totalCount } }", {}, 20),
    (NESTED % UNIT_RECORDS % 0, {"n": 10}, 100 + 100 * 10),
    (NESTED % " ".join(UNIT_RECORDS % i for i in range(30)), {"n": 100}, 30 * (100 + 10_000)),
    ("{ ...F } fragment F on Query { units(first: 5) { edges { node { civilServants(first: 3)"
     " { totalCount } } } } }", {}, 5 + 15),
])
def test_the_cost_is_page_sizes_times_their_nesting(query: str, variables: dict[str, Any],
                                                    nodes: int) -> None:
    assert limits.document_cost(schema._schema, parse(query), None, variables) == nodes


async def test_an_operation_over_the_node_limit_is_refused_before_it_runs(
        gql: GraphQL, count_statements: Any) -> None:
    query = NESTED % " ".join(UNIT_RECORDS % i for i in range(30))
    with count_statements() as counter:
        body = await gql("CREDIT_OFFICE", query, {"n": 100})
    assert body["data"] is None and codes(body) == ["QUERY_TOO_COSTLY"]
    assert "303000 nodes" in body["errors"][0]["message"]
    assert counter.count == 3  # authentication only: nothing of the operation ran
    small = await gql.data("CREDIT_OFFICE", NESTED % UNIT_RECORDS % 0, {"n": 10})
    assert small == {"a0": {"edges": []}}


async def test_a_statement_over_the_timeout_answers_a_clear_error(
        gql: GraphQL, monkeypatch: pytest.MonkeyPatch) -> None:
    async def slow(session: AsyncSession, **kwargs: object) -> object:
        await session.execute(text("SET LOCAL statement_timeout = 50"))
        await session.execute(text("SELECT pg_sleep(2)"))
        raise AssertionError("the statement should have been cancelled")

    monkeypatch.setattr(subjects, "list_units", slow)
    body = await gql("CREDIT_OFFICE", "{ units { totalCount } }")
    assert codes(body) == ["STATEMENT_TIMEOUT"]
    assert "statement timeout" in body["errors"][0]["message"]


async def test_served_engines_time_out_and_never_print_parameters(database_url: str) -> None:
    engine = make_engine(database_url, statement_timeout_ms=50)
    try:
        async with engine.connect() as conn:
            assert await conn.scalar(text("SHOW statement_timeout")) == "50ms"
            with pytest.raises(DBAPIError) as cancelled:
                await conn.execute(text("SELECT pg_sleep(1)"))
            assert timed_out(cancelled.value)
            await conn.rollback()
            with pytest.raises(DBAPIError) as failed:
                await conn.execute(text("SELECT CAST(:name AS text) || 1 / 0"),
                                   {"name": "王强秘密"})
    finally:
        await engine.dispose()
    printed = "".join(traceback.format_exception(failed.value))
    assert "王强秘密" not in printed
    assert "hide_parameters=True" in printed
