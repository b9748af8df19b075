"""Operating the service over HTTP: request ids on every route, UTF-8 answers, production mode
(introspection), the allow-list of persisted operations, /metrics, the JSON request log and the
console served from the package."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from domains.access import operations
from domains.subject.models import Unit
from graph import metrics
from graph.app import AppOptions, create_app
from graph.logformat import JsonFormatter
from graph.policy import OperationPolicy
from graph.router import CONSOLE, CONSOLE_ASSETS
from tests.conftest import TEST_SECRET, GraphQL
from tests.graph.credit.test_mutations import ZHANG, given_subjects
from tests.support import id_number, unit_code

VIEWER = "query Viewer { viewer { name audience } }"
SCHEMA = "{ __schema { queryType { name } } }"
TYPE = '{ __type(name: "Unit") { name } }'
REGISTER = """mutation Register($units: [UnitInput!]!) {
  registerUnits(units: $units) { accepted errors { code } } }"""
PERSON = "query Person($n: String!) { civilServant(idNumber: $n) { name } }"
TOKEN = "scrape-secret"


@asynccontextmanager
async def served(sessionmaker: async_sessionmaker[AsyncSession],
                 **options: Any) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(sessionmaker, id_secret=TEST_SECRET, options=AppOptions(**options))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://test") as client:
        yield client


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/healthz", 200), ("GET", "/readyz", 200), ("GET", "/nowhere", 404),
    ("POST", "/graphql", 401), ("GET", "/metrics", 404)])
async def test_the_request_id_is_echoed_on_every_route(
        http: httpx.AsyncClient, method: str, path: str, status: int) -> None:
    response = await http.request(method, path, headers={"X-Request-ID": "trace-42"})
    assert response.status_code == status
    assert response.headers["X-Request-ID"] == "trace-42"

    fresh = await http.request(method, path)
    assert len(fresh.headers["X-Request-ID"]) == 32


async def test_an_identity_number_is_never_kept_as_a_request_id(
        http: httpx.AsyncClient) -> None:
    response = await http.get("/healthz", headers={"X-Request-ID": id_number(5)})
    assert response.headers["X-Request-ID"] != id_number(5)


async def test_answers_are_utf8_without_escapes(http: httpx.AsyncClient,
                                                keys: dict[str, str]) -> None:
    response = await http.post("/graphql", headers=bearer(keys["CREDIT_OFFICE"]), json={
        "query": REGISTER, "variables": {"units": [
            {"uscc": unit_code(7), "name": "金山区数据局", "kind": "GOVERNMENT_ORGAN"}]}})
    unit = await http.post("/graphql", headers=bearer(keys["PROCUREMENT"]), json={
        "query": f'{{ unit(uscc: "{unit_code(7)}") {{ name }} }}'})
    assert "金山区数据局".encode() in unit.content
    assert b"\\u" not in unit.content
    assert response.json()["data"]["registerUnits"]["accepted"] == 1


@pytest.mark.parametrize("query", [SCHEMA, TYPE])
async def test_introspection_is_refused_in_production_mode_only(
        sessionmaker: async_sessionmaker[AsyncSession], keys: dict[str, str], query: str) -> None:
    async with served(sessionmaker) as open_server:
        allowed = (await open_server.post("/graphql", headers=bearer(keys["PROCUREMENT"]),
                                          json={"query": query})).json()
    assert "errors" not in allowed and allowed["data"]

    async with served(sessionmaker, policy=OperationPolicy(production=True)) as production:
        refused = (await production.post("/graphql", headers=bearer(keys["PROCUREMENT"]),
                                         json={"query": query})).json()
        viewer = (await production.post("/graphql", headers=bearer(keys["PROCUREMENT"]),
                                        json={"query": "{ viewer { __typename name } }"})).json()
        console = await production.get("/graphql", headers={"Accept": "text/html"})
    assert refused.get("data") is None
    assert refused["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "introspection has been disabled" in refused["errors"][0]["message"]
    assert viewer == {"data": {"viewer": {"__typename": "Viewer", "name": "procurement"}}}
    assert console.status_code != 200


def test_the_console_is_never_built_in_production_mode(
        sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    with pytest.raises(ValueError, match="never served in production"):
        create_app(sessionmaker, id_secret=TEST_SECRET,
                   options=AppOptions(dev_mode=True, policy=OperationPolicy(production=True)))


async def test_only_persisted_operations_run_on_the_allow_list(
        sessionmaker: async_sessionmaker[AsyncSession], keys: dict[str, str],
        session: AsyncSession) -> None:
    await operations.add_operation(session, document=f"\n{VIEWER}\n", operation_names=["Viewer"])
    await session.commit()
    units_before = await session.scalar(select(func.count()).select_from(Unit))
    policy = OperationPolicy(production=True, allow_list=True)
    async with served(sessionmaker, policy=policy) as server:
        ok = await server.post("/graphql", headers=bearer(keys["PROCUREMENT"]),
                               json={"query": VIEWER})
        refused = await server.post("/graphql", headers=bearer(keys["CREDIT_OFFICE"]), json={
            "query": REGISTER, "variables": {"units": [
                {"uscc": unit_code(8), "name": "不在清单", "kind": "GOVERNMENT_ORGAN"}]}})
        anonymous = await server.post("/graphql", json={"query": VIEWER})

    assert ok.json() == {"data": {"viewer": {"name": "procurement", "audience": "PROCUREMENT"}}}
    assert refused.status_code == 403
    sha = hashlib.sha256(REGISTER.encode()).hexdigest()
    assert refused.json()["errors"][0]["extensions"] == {"code": "OPERATION_NOT_ALLOWED",
                                                         "sha256": sha}
    assert await session.scalar(select(func.count()).select_from(Unit)) == units_before
    assert anonymous.status_code == 401  # the key is checked first


async def test_metrics_need_their_own_token(sessionmaker: async_sessionmaker[AsyncSession],
                                            keys: dict[str, str]) -> None:
    async with served(sessionmaker) as no_token:
        assert (await no_token.get("/metrics", headers=bearer(TOKEN))).status_code == 404
    async with served(sessionmaker, metrics_token=TOKEN) as server:
        assert (await server.get("/metrics")).status_code == 401
        refused = await server.get("/metrics", headers=bearer(keys["CREDIT_OFFICE"]))
        assert refused.status_code == 401


def _sample(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        metric, _, value = line.rpartition(" ")
        if metric.startswith(name + "{"):
            given = ",".join(sorted(metric[len(name) + 1:-1].split(",")))
            if given == wanted:
                return float(value)
        elif metric == name and not labels:
            return float(value)
    return 0.0


async def test_metrics_count_requests_errors_statements_and_refusals(
        engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession],
        keys: dict[str, str]) -> None:
    labels = {"operation": "Viewer", "audience": "PROCUREMENT"}
    async with served(sessionmaker, metrics_token=TOKEN) as server:
        before = (await server.get("/metrics", headers=bearer(TOKEN))).text
        for _ in range(3):
            await server.post("/graphql", headers=bearer(keys["PROCUREMENT"]),
                              json={"query": VIEWER})
        await server.post("/graphql", headers=bearer(keys["PROCUREMENT"]),
                          json={"query": "query Viewer { viewer { nope } }"})
        await server.post("/graphql", json={"query": VIEWER})
        metrics.identity_lookup_refused("PERSONNEL")
        after = (await server.get("/metrics", headers=bearer(TOKEN))).text

    def grew(name: str, **extra: str) -> float:
        return _sample(after, name, **extra) - _sample(before, name, **extra)

    assert grew("integrity_graphql_requests_total", **labels, status="200") == 4
    assert grew("integrity_graphql_request_duration_seconds_count", **labels) == 4
    assert grew("integrity_graphql_sql_statements_count", **labels) == 4
    assert grew("integrity_graphql_sql_statements_sum", **labels) >= 3  # the key look-ups
    assert grew("integrity_graphql_errors_total", **labels,
                code="GRAPHQL_VALIDATION_FAILED") == 1
    assert grew("integrity_graphql_errors_total", operation="-", audience="NONE",
                code="UNAUTHENTICATED") == 1
    assert grew("integrity_identity_lookups_refused_total", audience="PERSONNEL") == 1
    assert "integrity_db_pool_connections_in_use" in after


async def test_metrics_report_the_pool_of_the_engine(engine: AsyncEngine) -> None:
    app = create_app(async_sessionmaker(engine), id_secret=TEST_SECRET,
                     options=AppOptions(metrics_token=TOKEN))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://test") as client:
        async with engine.connect():
            text = (await client.get("/metrics", headers=bearer(TOKEN))).text
    assert _sample(text, "integrity_db_pool_connections_in_use") >= 1


async def test_the_json_request_log_names_the_request_and_never_personal_data(
        http: httpx.AsyncClient, keys: dict[str, str], gql: GraphQL) -> None:
    await given_subjects(gql)  # before the handler: only the two requests below are read
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("integrity.http")
    logger.addHandler(handler)
    previous = logger.level
    number = ZHANG  # a registered civil servant: the answer holds the name 张伟
    logger.setLevel(logging.INFO)
    try:
        response = await http.post(
            "/graphql", headers={**bearer(keys["PERSONNEL"]), "X-Request-ID": "log-1"},
            json={"query": PERSON, "variables": {"n": number}})
        await http.get(f"/units/{number}")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
    assert response.json() == {"data": {"civilServant": {"name": "张伟"}}}
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    first = lines[0]
    assert {k: first[k] for k in ("request_id", "method", "path", "status", "client",
                                  "audience", "operation", "error_codes")} == {
        "request_id": "log-1", "method": "POST", "path": "/graphql", "status": 200,
        "client": "personnel", "audience": "PERSONNEL", "operation": "Person",
        "error_codes": []}
    assert first["statements"] >= 2 and first["duration_ms"] > 0
    assert first["level"] == "INFO" and first["logger"] == "integrity.http"
    text = stream.getvalue()
    for secret in (number, "张伟", keys["PERSONNEL"], "variables", "SELECT"):
        assert secret not in text
    assert lines[1]["status"] == 404 and lines[1]["path"] == "/units/" + "*" * 16 + \
        number[-2:]


def _sri(data: bytes) -> str:
    return base64.b64encode(hashlib.sha384(data).digest()).decode()


async def test_the_console_is_served_from_the_package(
        sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    sources = (CONSOLE / "SOURCES.md").read_text()
    async with served(sessionmaker, dev_mode=True) as dev:
        page = await dev.get("/graphql", headers={"Accept": "text/html"})
        assets = {name: await dev.get(f"/console/{name}") for name in CONSOLE_ASSETS}
        outside = await dev.get("/console/SOURCES.md")
    assert page.status_code == 200
    assert "http://" not in page.text and "https://" not in page.text
    assert '"Authorization": "Bearer' in page.text and "integrity clients add" in page.text
    for name, response in assets.items():
        assert response.status_code == 200, name
        assert f"/console/{name}" in page.text
        assert _sri(response.content) in sources, name
    assert outside.status_code == 404
    async with served(sessionmaker) as not_dev:
        assert (await not_dev.get("/console/graphiql.min.js")).status_code == 404


async def test_the_allow_list_costs_one_statement_per_request(
        sessionmaker: async_sessionmaker[AsyncSession], keys: dict[str, str],
        session: AsyncSession, count_statements: Any) -> None:
    await operations.add_operation(session, document=VIEWER, operation_names=["Viewer"])
    await session.commit()
    counted = []
    for policy in (OperationPolicy(), OperationPolicy(production=True, allow_list=True)):
        async with served(sessionmaker, policy=policy) as server:
            with count_statements() as counter:
                response = await server.post("/graphql", headers=bearer(keys["PROCUREMENT"]),
                                             json={"query": VIEWER})
            assert response.status_code == 200
            counted.append(counter.count)
    assert counted[1] == counted[0] + 1


async def test_an_unexpected_error_outside_graphql_is_answered_with_the_request_id(
        sessionmaker: async_sessionmaker[AsyncSession],
        caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(sessionmaker, id_secret=TEST_SECRET)

    async def boom() -> None:
        raise RuntimeError(f"failed for {id_number(3)}")

    app.add_api_route("/boom", boom)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://test") as client:
        with caplog.at_level(logging.ERROR, logger="integrity.http"):
            response = await client.get("/boom", headers={"X-Request-ID": "boom-1"})
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "boom-1"
    assert response.json() == {"errors": [{"message": "Unexpected error.", "extensions": {
        "code": "INTERNAL", "requestId": "boom-1"}}]}
    assert any("boom-1" in r.getMessage() and r.exc_info for r in caplog.records)
    assert "failed for " + "*" * 16 in caplog.text and id_number(3) not in caplog.text
