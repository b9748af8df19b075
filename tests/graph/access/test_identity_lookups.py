"""Look-ups by identity number are audited and budgeted (DOMAIN.md section 1): every `idNumber`
input, found or not, is one audit row; a read request looks up at most 5 numbers; a client's
distinct numbers per hour are capped (HTTP 429 with Retry-After beyond), and refused batches
write nothing but are still counted and shown to the credit office."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access import identity
from domains.access import service as access
from domains.access.models import IdentityLookup
from domains.core.settings import ConfigurationError
from domains.subject import keys as subject_keys
from domains.subject import service as subjects
from domains.subject.models import CivilServant
from graph import metrics
from tests.conftest import TEST_SECRET, GraphQL
from tests.graph.restriction.support import add_unit
from tests.support import id_number, unit_code

KNOWN, UNKNOWN = id_number(1), id_number(2)
PERSON = "query($n: String!) { civilServant(idNumber: $n) { id maskedIdNumber } }"
RECORDS = """query($n: String!) { creditRecords(subject: {idNumber: $n}) { totalCount } }"""
REGISTER = """mutation($people: [CivilServantInput!]!) {
  registerCivilServants(people: $people) { accepted errors { index field code } } }"""
END = """mutation($n: String!) { endEmployment(idNumber: $n, endedOn: "2026-06-01") {
  accepted errors { field code } } }"""
REPORT = """mutation($records: [CreditRecordInput!]!) {
  reportCreditRecords(records: $records) { accepted errors { index field code } } }"""
CHECK = """mutation($n: String!) { checkRestrictions(input: {subject: {idNumber: $n},
  scenario: AWARDS, businessRef: "AW-1"}) { check { id } errors { field code } } }"""
LOOKUPS = """query($client: String, $refused: Boolean!) {
  identityLookups(client: $client, refusedOnly: $refused, first: 100) {
    totalCount edges { node { client requestId found refused } } } }"""


def hashed(number: str) -> str:
    return subject_keys.hash_id_number(number, TEST_SECRET)


def person_row(number: str, **changes: object) -> dict[str, object]:
    row: dict[str, object] = {"idNumber": number, "name": "张伟", "unitUscc": unit_code(1),
                              "startedOn": "2020-01-01"}
    row.update(changes)
    return row


async def given_a_person(gql: GraphQL, session: AsyncSession) -> None:
    await add_unit(session, 1)
    await session.commit()
    data = await gql.data("PERSONNEL", REGISTER, {"people": [person_row(KNOWN)]})
    assert data["registerCivilServants"]["accepted"] == 1


async def lookups(session: AsyncSession, client: str) -> list[tuple[Any, ...]]:
    """The client's look-ups (by name: the concurrency test below commits rows of its own)."""
    stmt = select(IdentityLookup.client_name, IdentityLookup.id_hash, IdentityLookup.found,
                  IdentityLookup.refused).where(IdentityLookup.client_name == client).order_by(
                      IdentityLookup.at, IdentityLookup.id_hash)
    return [tuple(row) for row in (await session.execute(stmt)).all()]


async def with_budget(session: AsyncSession, client: str, per_hour: int) -> None:
    await access.set_lookup_budget(session, name=client, id_lookups_per_hour=per_hour)
    await session.commit()


async def post(http: httpx.AsyncClient, key: str, query: str,
               variables: dict[str, Any]) -> httpx.Response:
    return await http.post("/graphql", json={"query": query, "variables": variables},
                           headers={"Authorization": f"Bearer {key}"})


@pytest.mark.parametrize(("audience", "query", "variables"), [
    ("PROCUREMENT", PERSON, {}),
    ("PROCUREMENT", RECORDS, {}),
    ("PROCUREMENT", CHECK, {}),
    ("PERSONNEL", END, {}),
])
async def test_every_look_up_found_or_not_is_audited(
        gql: GraphQL, session: AsyncSession, audience: str, query: str,
        variables: dict[str, Any]) -> None:
    await given_a_person(gql, session)
    client = audience.lower()
    before = len(await lookups(session, client))
    for number in (KNOWN, UNKNOWN):
        await gql(audience, query, {**variables, "n": number})
    assert (await lookups(session, client))[before:] == [
        (client, hashed(KNOWN), True, None), (client, hashed(UNKNOWN), False, None)]


async def test_a_refused_batch_writes_nothing_but_its_look_ups_are_audited(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_a_person(gql, session)
    records = [{"subject": {"idNumber": number}, "nature": "DISHONEST",
                "category": "ADMINISTRATIVE_SANCTION", "severity": "GENERAL",
                "domain": "PROCUREMENT", "title": "t", "decidedOn": "2026-04-10",
                "disclosure": "GOVERNMENT_SHARED", "sourceSystem": "caigou",
                "sourceRef": f"R-{number}"} for number in (KNOWN, UNKNOWN)]
    data = await gql.data("PROCUREMENT", REPORT, {"records": records})
    assert data["reportCreditRecords"] == {"accepted": 0, "errors": [
        {"index": 1, "field": "subject.idNumber", "code": "NOT_FOUND"}]}
    assert await session.scalar(text("SELECT count(*) FROM credit_record")) == 0
    assert sorted(await lookups(session, "procurement")) == sorted([
        ("procurement", hashed(KNOWN), True, None), ("procurement", hashed(UNKNOWN), False, None)])


async def test_a_read_request_looks_up_at_most_five_numbers(
        gql: GraphQL, session: AsyncSession) -> None:
    numbers = [id_number(n) for n in range(10, 16)]
    query = "query {" + " ".join(
        f'p{i}: civilServant(idNumber: "{n}") {{ id }}' for i, n in enumerate(numbers)) + "}"
    body = await gql("PROCUREMENT", query)
    assert body["data"] == {f"p{i}": None for i in range(6)}
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["p5"], "TOO_MANY_ID_LOOKUPS")]
    rows = await lookups(session, "procurement")
    assert [(r[2], r[3]) for r in rows] == [(False, None)] * 5 + [(None, "PER_REQUEST")]


async def test_over_the_hourly_budget_the_client_gets_429_with_retry_after(
        gql: GraphQL, http: httpx.AsyncClient, keys: dict[str, str],
        session: AsyncSession) -> None:
    await with_budget(session, "procurement", 3)
    counted = metrics.IDENTITY_LOOKUPS_REFUSED.labels(audience="PROCUREMENT")._value.get()
    for n in (1, 2, 3, 1, 2):  # numbers already looked up this hour do not count again
        assert (await post(http, keys["PROCUREMENT"], PERSON, {"n": id_number(n)})
                ).status_code == 200
    refused = await post(http, keys["PROCUREMENT"], PERSON, {"n": id_number(4)})
    assert refused.status_code == 429
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    error = refused.json()["errors"][0]
    assert error["extensions"]["code"] == "ID_LOOKUP_BUDGET_EXCEEDED"
    assert error["extensions"]["requestId"] == refused.headers["X-Request-ID"]
    assert refused.json()["data"] == {"civilServant": None}
    # the operator sees it in /metrics: integrity_identity_lookups_refused_total
    assert metrics.IDENTITY_LOOKUPS_REFUSED.labels(
        audience="PROCUREMENT")._value.get() == counted + 1
    # another client has its own budget
    assert (await post(http, keys["SUPERVISION"], PERSON, {"n": id_number(4)})).status_code == 200
    seen = await gql.data("CREDIT_OFFICE", LOOKUPS, {"client": "procurement", "refused": True})
    assert seen["identityLookups"] == {"totalCount": 1, "edges": [{"node": {
        "client": "procurement", "requestId": refused.headers["X-Request-ID"], "found": None,
        "refused": "HOURLY_BUDGET"}}]}


async def test_a_batch_over_the_budget_is_refused_whole_and_writes_nothing(
        gql: GraphQL, http: httpx.AsyncClient, keys: dict[str, str],
        session: AsyncSession) -> None:
    await add_unit(session, 1)
    await with_budget(session, "personnel", 2)
    people = [person_row(id_number(n)) for n in (1, 2, 3)]
    response = await post(http, keys["PERSONNEL"], REGISTER, {"people": people})
    assert response.status_code == 429
    assert response.json()["errors"][0]["extensions"]["code"] == "ID_LOOKUP_BUDGET_EXCEEDED"
    assert int(response.headers["Retry-After"]) == 3600  # the batch alone exceeds the budget
    assert await session.scalar(select(func.count()).select_from(CivilServant)) == 0
    assert [r[3] for r in await lookups(session, "personnel")] == ["HOURLY_BUDGET"] * 3
    # within the budget the same client goes on
    data = await gql.data("PERSONNEL", REGISTER, {"people": people[:2]})
    assert data["registerCivilServants"]["accepted"] == 2


async def test_the_budget_comes_from_the_server_default_unless_the_client_has_its_own(
        session: AsyncSession, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTEGRITY_ID_LOOKUPS_PER_HOUR", "7")
    assert identity.default_lookups_per_hour() == 7
    monkeypatch.setenv("INTEGRITY_ID_LOOKUPS_PER_HOUR", "0")
    with pytest.raises(ConfigurationError, match="at least 1"):
        identity.default_lookups_per_hour()
    client, _ = await access.add_client(session, name="c", audience="PERSONNEL",
                                        id_lookups_per_hour=500)
    assert client.id_lookups_per_hour == 500
    with pytest.raises(access.ClientError, match="budget"):
        await access.set_lookup_budget(session, name="c", id_lookups_per_hour=0)


async def test_only_the_credit_office_reads_the_look_ups(gql: GraphQL) -> None:
    body = await gql("PROCUREMENT", LOOKUPS, {"refused": False})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


async def test_a_look_up_costs_two_statements_and_one_audit_insert(
        gql: GraphQL, session: AsyncSession, count_statements: Any) -> None:
    await given_a_person(gql, session)
    with count_statements() as counter:
        await gql.data("PROCUREMENT", PERSON, {"n": KNOWN})
    lookup_statements = [s for s in counter.statements if "identity_lookup" in s]
    assert len(lookup_statements) == 2  # the window (with the client's lock) and one INSERT
    with count_statements() as counter:
        await gql.data("PROCUREMENT", "query { viewer { name } }")
    assert not [s for s in counter.statements if "identity_lookup" in s]


async def test_look_up_rows_cannot_be_changed_or_deleted(session: AsyncSession) -> None:
    session.add(IdentityLookup(client_name="x", request_id="r", id_hash="h", found=True))
    await session.flush()
    for statement in ("UPDATE access_identity_lookup SET found = false",
                      "DELETE FROM access_identity_lookup",
                      "TRUNCATE access_identity_lookup"):
        with pytest.raises(DBAPIError, match="is not allowed"):
            async with session.begin_nested():
                await session.execute(text(statement))


def test_the_birth_date_is_never_in_the_masked_form() -> None:
    number = id_number(7, born=date(1990, 12, 31))
    assert subject_keys.mask_id_number(number) == "*" * 16 + number[-2:]


async def test_a_clients_window_waits_for_its_other_requests_look_ups(engine: Any) -> None:
    """Two requests of one client at once: the second counts the first one's look-ups (the
    window takes the client's lock, then reads what was committed before it got it)."""
    client = f"concurrent-{uuid.uuid4().hex[:8]}"  # committed rows: a name of this test only
    window = text("SELECT id_hash FROM identity_lookup_window(:c, now() - interval '1 hour')")
    async with engine.connect() as first, engine.connect() as second:
        assert (await first.execute(window, {"c": client})).all() == []
        waiting = asyncio.create_task(second.execute(window, {"c": client}))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # blocked on the first request's lock
        await first.execute(insert(IdentityLookup).values(
            client_name=client, request_id="r1", id_hash="h1", found=False))
        await first.commit()
        assert [tuple(r) for r in (await waiting).all()] == [("h1",)]
        await second.commit()


async def test_look_ups_are_kept_when_the_write_fails_in_the_database(
        gql: GraphQL, session: AsyncSession, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write whose transaction fails after its look-ups (here a division by zero): the
    client gets INTERNAL, the transaction is rolled back, the look-ups are still audited."""
    async def failing(session: AsyncSession, rows: Any, **kwargs: Any) -> Any:
        await subjects.people_by_hash(session, [hashed(KNOWN)])
        await session.execute(text("SELECT 1 / 0"))

    monkeypatch.setattr(subjects, "register_civil_servants", failing)
    body = await gql("PERSONNEL", REGISTER, {"people": [person_row(KNOWN)]})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INTERNAL"]
    assert await lookups(session, "personnel") == [("personnel", hashed(KNOWN), False, None)]
