"""Persisted queries (issue 13): a client sends the SHA-256 of a document on the allow-list
instead of its text (Apollo's `extensions.persistedQuery.sha256Hash`); an unknown hash answers
PERSISTED_QUERY_NOT_FOUND and runs nothing."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domains.access import operations
from graph.app import AppOptions, create_app
from graph.policy import OperationPolicy
from tests.conftest import TEST_SECRET, GraphQL

VIEWER = "query Viewer { viewer { name audience } }"


def by_hash(sha: str, **more: Any) -> dict[str, Any]:
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha}}, **more}


async def registered(session: AsyncSession, document: str) -> str:
    operation, _ = await operations.add_operation(session, document=document,
                                                  operation_names=["Viewer"])
    await session.commit()
    return operation.sha256


async def post(gql: GraphQL, body: dict[str, Any], audience: str = "PERSONNEL") -> httpx.Response:
    return await gql.http.post("/graphql", json=body, headers={
        "Authorization": f"Bearer {gql.keys[audience]}"})


async def test_a_registered_document_runs_by_its_hash(gql: GraphQL,
                                                      session: AsyncSession) -> None:
    sha = await registered(session, VIEWER + "\n")
    response = await post(gql, by_hash(sha, operationName="Viewer"))
    assert response.status_code == 200
    assert response.json() == {"data": {"viewer": {"name": "personnel",
                                                   "audience": "PERSONNEL"}}}
    upper = await post(gql, by_hash(sha.upper()), "CREDIT_OFFICE")
    assert upper.json() == {"data": {"viewer": {"name": "credit_office",
                                                "audience": "CREDIT_OFFICE"}}}


async def test_an_unknown_hash_runs_nothing(gql: GraphQL, count_statements: Any) -> None:
    for sha in ("0" * 64, "not a hash", ""):
        with count_statements() as counter:
            response = await post(gql, by_hash(sha))
        assert response.status_code == 200
        body = response.json()
        assert "data" not in body
        assert [e["extensions"]["code"] for e in body["errors"]] == [
            "PERSISTED_QUERY_NOT_FOUND"]
        # the key look-up, the hash's (when it is one) and the harness's savepoints: no more
        assert [s for s in counter.statements if not any(
            known in s for known in ("access_client", "access_persisted_operation",
                                     "SAVEPOINT"))] == []
        assert any("access_persisted_operation" in s
                   for s in counter.statements) == (sha == "0" * 64)


async def test_a_hash_sent_with_another_query_is_refused(gql: GraphQL,
                                                         session: AsyncSession) -> None:
    sha = await registered(session, VIEWER)
    response = await post(gql, by_hash(sha, query="{ viewer { name } }"))
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    same = await post(gql, by_hash(sha, query=VIEWER))  # the text and its own hash: runs
    assert same.json()["data"]["viewer"]["name"] == "personnel"


async def test_with_the_allow_list_a_removed_document_stops_running(
        sessionmaker: async_sessionmaker[AsyncSession], session: AsyncSession,
        keys: dict[str, str]) -> None:
    sha = await registered(session, VIEWER)
    app = create_app(sessionmaker, id_secret=TEST_SECRET, options=AppOptions(
        policy=OperationPolicy(production=True, allow_list=True)))
    headers = {"Authorization": f"Bearer {keys['PERSONNEL']}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://test") as http:
        ran = await http.post("/graphql", json=by_hash(sha), headers=headers)
        assert ran.json()["data"]["viewer"]["audience"] == "PERSONNEL"
        await operations.remove_operation(session, sha256=sha)
        await session.commit()
        gone = await http.post("/graphql", json=by_hash(sha), headers=headers)
        assert gone.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        text = await http.post("/graphql", json={"query": VIEWER}, headers=headers)
        assert text.status_code == 403  # nor does its text run
