"""POST /graphql is served without FastAPI's routing and dependency solving (graph.endpoint,
issue 13), and answers exactly as through FastAPI: the same status, headers and body for a
read, a mutation, every refusal before GraphQL and strawberry's own refusals; the request log
line and its statement count too. Other methods and paths still go through FastAPI."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from graph.app import AppOptions, create_app
from graph.endpoint import IntegrityApp
from graph.policy import OperationPolicy
from tests.conftest import TEST_SECRET

VIEWER = '{"query": "{ viewer { name audience } }"}'
UNITS = '{"query": "query Units { units(first: 2) { totalCount } }"}'
CHECK = ('{"query": "mutation { checkRestrictions(input: {subject: {uscc: \\"nonsense\\"}, '
         'scenario: INVESTMENT_APPROVAL, businessRef: \\"R-1\\"}) { errors { code } } }"}')
NO_HASH = '{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "' + "0" * 64 + '"}}}'
CASES: dict[str, tuple[str, str | None, dict[str, Any]]] = {
    "read": (VIEWER, "PERSONNEL", {}),
    "audited read": (UNITS, "CREDIT_OFFICE", {}),
    "mutation with payload errors": (CHECK, "PROJECT_APPROVAL", {}),
    "no key": (VIEWER, None, {}),
    "unknown key": (VIEWER, "igk_unknown", {}),
    "body not JSON": ("{not json", "PERSONNEL", {}),
    "body a JSON string": ('"text"', "PERSONNEL", {}),
    "no query": ('{"variables": {}}', "PERSONNEL", {}),
    "unknown persisted query": (NO_HASH, "PERSONNEL", {}),
    "over the body limit": ("{" + " " * 2_000 + "}", "PERSONNEL", {}),
    "not on the allow-list": (VIEWER, "PERSONNEL", {"allow_list": True}),
    "a form body": ("query=%7B%7D", "PERSONNEL", {"type": "application/x-www-form-urlencoded"}),
}


@pytest.fixture
async def both(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[
        dict[tuple[bool, bool], httpx.AsyncClient]]:
    """Clients of four apps: (lean path or FastAPI's) x (allow-list on or off)."""
    clients = {}
    for lean in (True, False):
        for allow_list in (True, False):
            app = create_app(sessionmaker, id_secret=TEST_SECRET, options=AppOptions(
                max_body_bytes=1_000, policy=OperationPolicy(allow_list=allow_list)))
            assert isinstance(app, IntegrityApp) and app.graphql_post is not None
            if not lean:
                app.graphql_post = None  # FastAPI's route, as before issue 13's change
            clients[(lean, allow_list)] = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://test")
    try:
        yield clients
    finally:
        for client in clients.values():
            await client.aclose()


def _logged(record: logging.LogRecord) -> dict[str, Any]:
    """The request log line's fields, but its duration."""
    fields: dict[str, Any] = dict(record.request)  # type: ignore[attr-defined]
    fields.pop("duration_ms")
    return fields


def _answer(response: httpx.Response) -> tuple[int, list[tuple[str, str]], Any]:
    headers = sorted((k, v) for k, v in response.headers.items())
    return response.status_code, headers, response.text


@pytest.mark.parametrize("case", list(CASES))
async def test_the_lean_path_answers_as_fastapi_did(
        case: str, both: dict[tuple[bool, bool], httpx.AsyncClient], keys: dict[str, str],
        caplog: pytest.LogCaptureFixture) -> None:
    body, caller, options = CASES[case]
    key = keys.get(caller or "", caller)
    headers = {"Content-Type": str(options.get("type", "application/json"))}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    answers, lines = [], []
    for lean in (True, False):
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="integrity.http"):
            response = await both[(lean, bool(options.get("allow_list")))].post(
                "/graphql", content=body.encode(), headers={**headers, "X-Request-ID": case[:8]
                                                            .replace(" ", "-")})
        answers.append(_answer(response))
        lines.append([_logged(r) for r in caplog.records if r.name == "integrity.http"])
    assert answers[0] == answers[1]
    assert lines[0] == lines[1]
    assert len(lines[0]) == 1


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/graphql"), ("POST", "/graphql/"), ("PUT", "/graphql"), ("GET", "/healthz"),
    ("GET", "/nowhere")])
async def test_other_requests_answer_as_before(
        method: str, path: str, both: dict[tuple[bool, bool], httpx.AsyncClient]) -> None:
    lean, fastapi = both[(True, False)], both[(False, False)]
    answers = [_answer(await client.request(method, path, content=VIEWER, headers={
        "X-Request-ID": "other"})) for client in (lean, fastapi)]
    assert answers[0] == answers[1]


