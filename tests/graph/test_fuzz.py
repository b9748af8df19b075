"""A fuzz run over the served schema (issue 7), part of every `pytest -q`.

schemathesis (GraphQL mode) writes a bounded number of operations per root field of
`graph.schema.schema`, from strategies that mix the keys of a seeded district (so the
operations reach real records, people and contracts) with hostile values (NUL, a lone
surrogate, texts longer than any column, year 0001 and 9999, JSON numbers for Decimal). Each
goes through the real app over HTTP. Expected answers (INVALID_VALUE, INVALID_USCC, NOT_FOUND,
FORBIDDEN, validation errors...) are not failures; these are:

- an HTTP status of 500 or above;
- an error with `extensions.code` INTERNAL (a masked, unexpected error);
- a full identity number in a response or in a log line.

Generation is derandomized, so every run sends the same operations.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, date
from typing import Any

import pytest
import schemathesis
from graphql import introspection_from_schema
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.core.result import Ok
from schemathesis.graphql import nodes

from graph.errors import redact_id_numbers
from graph.schema import schema
from tests.conftest import GraphQL
from tests.support import id_number, unit_code

EXAMPLES = {"CREDIT_OFFICE": 20, "PROCUREMENT": 6}  # operations per root field and audience
UNITS = [unit_code(n) for n in range(501, 504)]
PEOPLE = [id_number(n, born=date(1980 + n % 20, 1 + n % 12, 1 + n % 28)) for n in range(501, 504)]
SOURCE = ("caigou", "FZ-1")
CONTRACT = "FZ-CONTRACT-1"

HOSTILE_TEXTS = ["", " ", "\x00", "a\x00b", "\ud800", "局" * 5000, "x" * 301, "\\", "%_", "'"]
HOSTILE_DAYS = ["0001-01-01", "9999-12-31", "1899-12-31", "1900-01-01", "2099-12-31",
                "2100-01-01", "2026-06-15", "2026-02-29", "2026-13-01", "2026-06-15T00:00"]

SEED_UNITS = """mutation($units: [UnitInput!]!) {
  registerUnits(units: $units) { errors { code } } }"""
SEED_PEOPLE = """mutation($people: [CivilServantInput!]!) {
  registerCivilServants(people: $people) { errors { code } } }"""
SEED_CONTRACT = """mutation($contracts: [ProcurementContractInput!]!) {
  registerProcurementContracts(contracts: $contracts) { errors { code } } }"""
SEED_RECORDS = """mutation($records: [CreditRecordInput!]!) {
  reportCreditRecords(records: $records) { ids errors { code } } }"""


async def seed(gql: GraphQL) -> list[str]:
    """A small district: units, people, a contract, a record; returns the record's global id."""
    units = [{"uscc": uscc, "name": f"单位{n}", "kind": "GOVERNMENT_ORGAN", "regionCode": "310116"}
             for n, uscc in enumerate(UNITS)]
    people = [{"idNumber": number, "name": "张伟", "unitUscc": UNITS[0], "position": "科员",
               "startedOn": "2020-01-01"} for number in PEOPLE]
    contract = {"code": CONTRACT, "title": "办公设备", "purchaserUscc": UNITS[0],
                "responsiblePersonIdNumber": PEOPLE[0], "supplierName": "某公司",
                "supplierIsSme": True, "amount": "1000.00", "signedOn": "2026-01-05"}
    record = {"subject": {"idNumber": PEOPLE[0]}, "nature": "DISHONEST",
              "category": "ADMINISTRATIVE_SANCTION", "severity": "GENERAL", "sanction": "WARNING",
              "domain": "PROCUREMENT", "title": "违规采购警告处分", "decidedOn": "2026-04-10",
              "disclosure": "GOVERNMENT_SHARED", "sourceSystem": SOURCE[0], "sourceRef": SOURCE[1],
              "procurementContractCode": CONTRACT}
    for query, variables in ((SEED_UNITS, {"units": units}), (SEED_PEOPLE, {"people": people}),
                             (SEED_CONTRACT, {"contracts": [contract]})):
        data = await gql.data("CREDIT_OFFICE", query, variables)
        assert all(not payload["errors"] for payload in data.values()), data
    data = await gql.data("CREDIT_OFFICE", SEED_RECORDS, {"records": [record]})
    assert data["reportCreditRecords"]["errors"] == []
    ids: list[str] = data["reportCreditRecords"]["ids"]
    return ids


def register_scalars(record_ids: list[str]) -> None:
    """Strategies for the scalars: the seeded keys, hostile values and arbitrary ones."""
    known = [*UNITS, *PEOPLE, *SOURCE, CONTRACT, PEOPLE[0].lower(), f" {UNITS[0].lower()} "]
    text = st.one_of(st.sampled_from(known), st.sampled_from(HOSTILE_TEXTS), st.text(max_size=20))
    schemathesis.graphql.scalar("String", text.map(nodes.String))
    schemathesis.graphql.scalar("ID", st.one_of(
        st.sampled_from(record_ids), st.sampled_from(HOSTILE_TEXTS), st.text(max_size=12),
    ).map(nodes.String))
    schemathesis.graphql.scalar("Date", st.one_of(
        st.sampled_from(HOSTILE_DAYS), st.dates().map(date.isoformat)).map(nodes.String))
    schemathesis.graphql.scalar("DateTime", st.datetimes(timezones=st.just(UTC)).map(
        lambda moment: nodes.String(moment.isoformat())))
    schemathesis.graphql.scalar("Decimal", st.one_of(
        st.from_regex(r"-?[0-9]{1,20}(\.[0-9]{1,3})?", fullmatch=True).map(nodes.String),
        st.sampled_from(["NaN", "1e3", "0.00", "1000.00"]).map(nodes.String),
        st.integers().map(nodes.Int)))


def operations(count: int) -> list[tuple[str, str]]:
    """(root field, document) pairs: `count` generated documents per root field."""
    loaded = schemathesis.graphql.from_dict(dict(introspection_from_schema(schema._schema)))
    found: list[tuple[str, str]] = []
    for result in loaded.get_all_operations():
        assert isinstance(result, Ok), result.err()  # the schema loads whole
        operation = result.ok()
        found += [(operation.label, document) for document in _documents(operation, count)]
    return found


def _documents(operation: Any, count: int) -> list[str]:
    documents: list[str] = []

    @settings(max_examples=count, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy())
    def collect(case: Any) -> None:
        documents.append(str(case.body))

    collect()
    return documents


def failures(label: str, document: str, status: int, text: str) -> list[str]:
    """What is wrong with one answer (empty when it is an expected answer)."""
    where = f"{label}: {document[:300]!r}"
    if status >= 500:
        return [f"HTTP {status} for {where}: {text[:300]}"]
    problems = []
    errors = json.loads(text).get("errors") or []
    if any((e.get("extensions") or {}).get("code") == "INTERNAL" for e in errors):
        problems.append(f"INTERNAL for {where}: {errors}")
    if redact_id_numbers(text) != text or any(number in text for number in PEOPLE):
        problems.append(f"an identity number in the answer to {where}")
    return problems


def leaking_lines(records: list[logging.LogRecord],
                  render: Callable[[logging.LogRecord], str]) -> list[str]:
    return [line for line in map(render, records)
            if redact_id_numbers(line) != line or any(number in line for number in PEOPLE)]


def rendered(record: logging.LogRecord) -> str:
    return record.getMessage() + (record.exc_text or "")


@pytest.mark.slow
async def test_fuzzed_operations_answer_without_500_internal_or_identity_numbers(
        gql: GraphQL, caplog: pytest.LogCaptureFixture) -> None:
    started = time.monotonic()
    caplog.set_level(logging.DEBUG)
    register_scalars(await seed(gql))
    problems: list[str] = []
    sent = 0
    for audience, count in EXAMPLES.items():
        for label, document in operations(count):
            response = await gql.http.post(
                "/graphql", content=json.dumps({"query": document}).encode(),
                headers={"Authorization": f"Bearer {gql.keys[audience]}",
                         "Content-Type": "application/json"})
            sent += 1
            problems += failures(label, document, response.status_code, response.text)
    assert problems == [], "\n".join(problems[:20])
    assert leaking_lines(caplog.records, rendered) == []
    assert sent >= 26 * sum(EXAMPLES.values()) * 0.5  # every root field was exercised
    logging.getLogger("integrity.tests").info("fuzz: %d operations in %.1f s", sent,
                                              time.monotonic() - started)
