"""The HTTP edge (issue 7): bodies over the limit answer 413 before they are read whole; a body
that is not a JSON object, or an unreachable database, answers JSON with a code and the request
id (never a plain-text 500)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domains.core.db import make_engine, make_sessionmaker
from domains.subject import service as subjects
from graph.app import AppOptions, create_app
from tests.conftest import TEST_SECRET, GraphQL

VIEWER = b'{"query": "{ viewer { name } }"}'


@pytest.fixture
async def small(sessionmaker: async_sessionmaker[AsyncSession]
                ) -> AsyncIterator[httpx.AsyncClient]:
    """The app with a body limit of 1,000 bytes."""
    app = create_app(sessionmaker, id_secret=TEST_SECRET,
                     options=AppOptions(max_body_bytes=1_000))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://test") as client:
        yield client


def assert_refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": code, "requestId": response.headers["X-Request-ID"]}


async def test_a_declared_length_over_the_limit_is_refused_unread(
        small: httpx.AsyncClient, keys: dict[str, str]) -> None:
    response = await small.post("/graphql", content=b"x" * 1_001, headers={
        "Authorization": f"Bearer {keys['PERSONNEL']}", "Content-Type": "application/json"})
    assert_refused(response, 413, "BODY_TOO_LARGE")


async def test_a_streamed_body_is_refused_as_soon_as_it_passes_the_limit(
        small: httpx.AsyncClient, keys: dict[str, str]) -> None:
    sent = []

    async def chunks() -> AsyncIterator[bytes]:
        for n in range(100):  # 100 chunks of 400 bytes, no Content-Length
            sent.append(n)
            yield b" " * 400

    response = await small.post("/graphql", content=chunks(), headers={
        "Authorization": f"Bearer {keys['PERSONNEL']}", "Content-Type": "application/json",
        "X-Request-ID": "big-1"})
    assert_refused(response, 413, "BODY_TOO_LARGE")
    assert response.headers["X-Request-ID"] == "big-1"
    assert len(sent) == 3  # the third chunk passed 1,000 bytes: the rest was never read


async def test_a_streamed_body_under_the_limit_is_served(
        small: httpx.AsyncClient, keys: dict[str, str]) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for part in (VIEWER[:10], VIEWER[10:]):
            yield part

    response = await small.post("/graphql", content=chunks(), headers={
        "Authorization": f"Bearer {keys['PERSONNEL']}", "Content-Type": "application/json"})
    assert response.json() == {"data": {"viewer": {"name": "personnel"}}}


async def test_a_ten_megabyte_comment_is_refused_without_parsing(
        http: httpx.AsyncClient, keys: dict[str, str]) -> None:
    response = await http.post("/graphql", json={"query": "#" + "x" * 10_000_000 + "\n{ viewer "
                                                 "{ name } }"},
                               headers={"Authorization": f"Bearer {keys['PERSONNEL']}"})
    assert_refused(response, 413, "BODY_TOO_LARGE")


@pytest.mark.parametrize(("body", "content_type"), [
    (b'"hello"', "application/json"),
    (b"[]", "application/json"),
    (b"\xff\xfe{}", "application/json"),
    (b"[" * 100_000 + b"]" * 100_000, "application/json"),
    (b'{"query": ', "application/json"),
    (b'{"query": 5}', "application/json"),
    (b"{ viewer { name } }", "text/plain"),
])
async def test_a_body_that_is_not_a_json_object_is_a_json_400(
        http: httpx.AsyncClient, keys: dict[str, str], body: bytes, content_type: str) -> None:
    response = await http.post("/graphql", content=body, headers={
        "Authorization": f"Bearer {keys['PERSONNEL']}", "Content-Type": content_type})
    assert_refused(response, 400, "BAD_REQUEST")


async def test_with_the_database_down_requests_get_a_json_503(
        caplog: pytest.LogCaptureFixture) -> None:
    engine = make_engine("postgresql://nobody:x@127.0.0.1:9/none",
                         connect_args={"timeout": 2})
    app = create_app(make_sessionmaker(engine), id_secret=TEST_SECRET)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://test") as client:
            response = await client.post("/graphql", content=VIEWER, headers={
                "Authorization": "Bearer igk_anything", "Content-Type": "application/json"})
    finally:
        await engine.dispose()
    assert_refused(response, 503, "DATABASE_UNAVAILABLE")
    assert response.headers["Retry-After"] == "5"
    assert response.headers["X-Request-ID"] in caplog.text


REGISTER = ('mutation R($u: [UnitInput!]!) { registerUnits(units: $u) { accepted } } '
            'query Q { viewer { name } }')
UNITS = {"u": [{"uscc": "11310116000000011K", "name": "金山区某局", "kind": "GOVERNMENT_ORGAN"}]}


@pytest.mark.parametrize(("payload", "status", "code"), [
    ({"query": REGISTER, "variables": UNITS}, 200, "OPERATION_NAME_REQUIRED"),
    ({"query": REGISTER, "operationName": "R", "variables": UNITS, "pad": "x" * 2_000},
     413, "BODY_TOO_LARGE"),
    ({"query": "#" + "x" * 100_001 + "\n" + REGISTER, "operationName": "R", "variables": UNITS},
     200, "QUERY_TOO_LARGE"),
])
async def test_a_refused_mutation_writes_nothing(
        sessionmaker: async_sessionmaker[AsyncSession], keys: dict[str, str],
        session: AsyncSession, payload: dict[str, object], status: int, code: str) -> None:
    app = create_app(sessionmaker, id_secret=TEST_SECRET,
                     options=AppOptions(max_body_bytes=1_000 if status == 413 else None))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://test") as client:
        response = await client.post("/graphql", json=payload, headers={
            "Authorization": f"Bearer {keys['CREDIT_OFFICE']}"})
    assert response.status_code == status
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == [code]
    assert await session.scalar(text("SELECT count(*) FROM subject_unit")) == 0


async def test_losing_the_database_during_an_operation_is_a_clear_error(
        gql: GraphQL, monkeypatch: pytest.MonkeyPatch) -> None:
    async def lost(*args: object, **kwargs: object) -> object:
        raise ConnectionResetError("connection lost")

    monkeypatch.setattr(subjects, "list_units", lost)
    body = await gql("CREDIT_OFFICE", "{ units { totalCount } }")
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "DATABASE_UNAVAILABLE"
    assert error["extensions"]["requestId"]
