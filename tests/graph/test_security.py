"""Authentication, operation bounds, error masking and strict scalars (DOMAIN.md 0, 3, 9)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domains.access import service as access
from domains.subject import service as subjects
from graph.app import AppOptions, create_app
from tests.conftest import GraphQL

UNAUTHENTICATED = {"errors": [{"message": "unauthenticated",
                               "extensions": {"code": "UNAUTHENTICATED"}}]}
VIEWER = {"query": "{ viewer { name } }"}


async def post(http: httpx.AsyncClient, key: str | None,
               body: Mapping[str, object]) -> httpx.Response:
    headers = {"Authorization": key} if key is not None else {}
    return await http.post("/graphql", json=body, headers=headers)


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer igk_unknown", "Basic abc"])
async def test_requests_without_a_valid_key_get_401(http: httpx.AsyncClient,
                                                    header: str | None) -> None:
    response = await post(http, header, VIEWER)
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


async def test_revoked_and_expired_keys_get_401(
        http: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker() as session:
        _, revoked = await access.add_client(session, name="old", audience="PROCUREMENT")
        await access.revoke_client(session, name="old")
        _, expired = await access.add_client(
            session, name="temp", audience="PROCUREMENT",
            expires_at=datetime.now(UTC) - timedelta(seconds=1))
        _, valid = await access.add_client(session, name="ok", audience="PROCUREMENT")
        await session.commit()
    for key in (revoked, expired):
        response = await post(http, f"Bearer {key}", VIEWER)
        assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)
    response = await post(http, f"Bearer {valid}", VIEWER)
    assert response.json() == {"data": {"viewer": {"name": "ok"}}}


async def test_deep_queries_are_refused(gql: GraphQL) -> None:
    nested = "parent { " * 16 + "uscc" + " }" * 16
    body = await gql("PROCUREMENT", f'{{ unit(uscc: "x") {{ {nested} }} }}')
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_too_many_aliases_are_refused(gql: GraphQL) -> None:
    aliases = " ".join(f"a{i}: viewer {{ name }}" for i in range(31))
    body = await gql("PROCUREMENT", f"{{ {aliases} }}")
    assert "aliases found" in body["errors"][0]["message"]
    assert "data" not in body or body["data"] is None


async def test_too_many_tokens_are_refused(gql: GraphQL) -> None:
    body = await gql("PROCUREMENT", "{ viewer { " + "name " * 5000 + "} }")
    assert "token" in body["errors"][0]["message"].lower()


async def test_unexpected_errors_are_masked_and_logged_with_a_request_id(
        http: httpx.AsyncClient, keys: dict[str, str], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(subjects, "list_units", broken)
    with caplog.at_level(logging.ERROR, logger="integrity.graphql"):
        response = await http.post(
            "/graphql", json={"query": "{ units { totalCount } }"},
            headers={"Authorization": f"Bearer {keys['PROCUREMENT']}"})
    error = response.json()["errors"][0]
    request_id = response.headers["x-request-id"]
    assert error["message"] == "Unexpected error."
    assert error["extensions"] == {"code": "INTERNAL", "requestId": request_id}
    assert "secret internal detail" not in response.text
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged and logged[0].exc_info is not None
    assert "secret internal detail" in str(logged[0].exc_info[1])


async def test_client_errors_keep_their_message(gql: GraphQL) -> None:
    body = await gql("PROCUREMENT", "{ viewer { nope } }")
    assert body["errors"][0]["message"] == (
        "Cannot query field 'nope' on type 'Viewer'. Did you mean 'name'?")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.parametrize("started", ["2020-1-1", "2020-02-30", "20200101", 20200101])
async def test_dates_are_strict(gql: GraphQL, started: object) -> None:
    query = """mutation($d: Date!) { endEmployment(idNumber: "x", endedOn: $d) { accepted } }"""
    body = await gql("PERSONNEL", query, {"d": started})
    assert body.get("data") is None
    assert "Date" in body["errors"][0]["message"] or "date" in body["errors"][0]["message"]


async def test_date_literals_must_be_strings(gql: GraphQL) -> None:
    body = await gql("PERSONNEL", 'mutation { endEmployment(idNumber: "x", endedOn: 20200101) '
                     '{ accepted } }')
    assert body.get("data") is None
    assert "Date must be given as a string" in body["errors"][0]["message"]


async def test_health_and_readiness(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    ready = await http.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"


async def test_graphiql_is_served_in_dev_mode_only(
        http: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    html = {"Accept": "text/html"}
    assert (await http.get("/graphql", headers=html)).status_code == 401
    dev = create_app(sessionmaker, id_secret=b"x", options=AppOptions(dev_mode=True))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=dev),
                                 base_url="http://test") as client:
        page = await client.get("/graphql", headers=html)
        assert page.status_code == 200 and "graphiql" in page.text.lower()
        query = await client.get("/graphql", params={"query": "{ viewer { name } }"})
        assert query.status_code != 200


@pytest.mark.parametrize(("sent", "kept"), [("abc-123_x.y", True), ("a" * 65, False),
                                            ("x\r\nFAKE log line", False), ("", False)])
async def test_a_client_request_id_is_kept_only_when_it_is_a_plain_token(
        http: httpx.AsyncClient, keys: dict[str, str], sent: str, kept: bool) -> None:
    response = await http.post("/graphql", json=VIEWER, headers={
        "Authorization": f"Bearer {keys['PROCUREMENT']}", "X-Request-ID": sent})
    assert (response.headers["x-request-id"] == sent) is kept
    assert len(response.headers["x-request-id"]) <= 64


async def test_every_request_is_logged_once_with_its_id_and_client(
        http: httpx.AsyncClient, keys: dict[str, str], caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="integrity.http"):
        response = await http.post(
            "/graphql", json={"query": "{ viewer { name } }"},
            headers={"Authorization": f"Bearer {keys['PROCUREMENT']}"})
    request_id = response.headers["X-Request-ID"]
    lines = [r.getMessage() for r in caplog.records if r.name == "integrity.http"]
    assert len(lines) == 1
    assert lines[0].startswith(f"{request_id} POST /graphql 200 ")
    assert "client=procurement operation=- statements=" in lines[0]
