"""recordInvestmentViolations (DOMAIN.md sections 2, 3, 8 and 9): the DISHONEST record written
through the credit path, idempotency on sourceRef, every error code with nothing written, the
record shown only where visible, and reads audited."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access.models import AuditEntry
from domains.core.ids import to_global_id
from domains.credit.models import CreditRecord
from tests.conftest import GraphQL
from tests.graph.investment.support import (
    BUILDER,
    CODE,
    DRC,
    OFFICIAL,
    PROJECT,
    VIOLATIONS,
    errors_of,
    given_departments,
    given_project,
    rows,
    violation,
)
from tests.support import id_number, unit_code

RECORD = """query($id: ID!) { node(id: $id) { ... on CreditRecord {
  nature category severity sanction domain title decidedOn validUntil disclosure shareScope
  sourceSystem sourceRef decidedBy { uscc } subject { __typename id }
  investmentProject { code } history { kind actor } } } }"""


@pytest.fixture
async def given(gql: GraphQL) -> str:
    await given_departments(gql)
    return await given_project(gql)


async def recorded(gql: GraphQL, *rows_: dict[str, Any],
                   audience: str = "PROJECT_APPROVAL") -> dict[str, Any]:
    payload: dict[str, Any] = (await gql.data(audience, VIOLATIONS, {"violations": list(rows_)}))[
        "recordInvestmentViolations"]
    return payload


async def test_a_violation_writes_its_dishonest_record(gql: GraphQL, session: AsyncSession,
                                                       given: str) -> None:
    payload = await recorded(gql, violation())
    assert (payload["accepted"], payload["errors"]) == (1, [])
    [record_id] = payload["ids"]
    stored = await session.scalar(select(CreditRecord).where(
        CreditRecord.source_ref == f"{CODE}/WG-001"))
    assert stored is not None
    assert record_id == to_global_id("CreditRecord", stored.id)
    assert (await gql.data("CREDIT_OFFICE", RECORD, {"id": record_id}))["node"] == {
        "nature": "DISHONEST", "category": "ADMINISTRATIVE_SANCTION", "severity": "GENERAL",
        "sanction": "WARNING", "domain": "INVESTMENT", "title": "未按批复建设内容组织实施",
        "decidedOn": "2026-04-01", "validUntil": "2027-03-31", "disclosure": "GOVERNMENT_SHARED",
        "shareScope": ["PERSONNEL", "SUPERVISION", "CREDIT_OFFICE"],
        "sourceSystem": "investment", "sourceRef": f"{CODE}/WG-001", "decidedBy": {"uscc": DRC},
        "subject": {"__typename": "CivilServant",
                    "id": to_global_id("CivilServant", stored.civil_servant_id)},  # type: ignore[arg-type]
        "investmentProject": {"code": CODE},
        "history": [{"kind": "REPORTED", "actor": "project_approval"},
                    {"kind": "NOTIFIED", "actor": "system"}]}


async def test_the_project_lists_violations_with_records_where_visible(
        gql: GraphQL, given: str) -> None:
    await recorded(gql, violation(), violation(
        "WG-002", kind="FALSE_DOCUMENTS", occurredOn="2026-02-01", subject={"uscc": BUILDER},
        category="ADMINISTRATIVE_PENALTY", severity="SERIOUS", sanction=None,
        description="提供虚假申报材料"))
    seen = {}
    for audience in ("PROJECT_APPROVAL", "PERSONNEL"):
        project = (await gql.data(audience, PROJECT, {"code": CODE}))["investmentProject"]
        seen[audience] = [(v["sourceRef"], v["kind"], v["subject"], v["record"]["severity"],
                           v["record"]["record"] and v["record"]["record"]["sourceRef"])
                          for v in project["violations"]]
    builder = {"__typename": "Unit", "displayName": "上海某建设工程有限公司"}
    official = {"__typename": "CivilServant", "displayName": "李*"}
    # a person's record is shared with PERSONNEL, SUPERVISION, CREDIT_OFFICE by default
    assert seen["PROJECT_APPROVAL"] == [
        ("WG-002", "FALSE_DOCUMENTS", builder, "SERIOUS", f"{CODE}/WG-002"),
        ("WG-001", "DERELICTION", official, "GENERAL", None)]
    assert seen["PERSONNEL"][1] == ("WG-001", "DERELICTION", official, "GENERAL",
                                    f"{CODE}/WG-001")


async def test_reading_violations_is_audited(gql: GraphQL, session: AsyncSession,
                                             given: str) -> None:
    await recorded(gql, violation())
    await gql.data("PROCUREMENT", "query Violations($c: String!) { investmentProject(code: $c) "
                   "{ violations { kind } } }", {"c": CODE})
    entry = await session.scalar(select(AuditEntry).where(
        AuditEntry.field == "investmentProject.violations"))
    assert entry is not None
    assert (entry.client_name, entry.operation) == ("procurement", "Violations")
    person = await session.scalar(select(CreditRecord.civil_servant_id))
    assert entry.subject_ids == [to_global_id("CivilServant", person)]  # type: ignore[arg-type]


async def test_re_sending_is_idempotent_and_other_content_conflicts(
        gql: GraphQL, session: AsyncSession, given: str) -> None:
    first = await recorded(gql, violation())
    before = await rows(session)
    assert await recorded(gql, violation(), violation()) == {
        "accepted": 2, "ids": first["ids"] * 2, "errors": []}
    assert await rows(session) == before
    changed = await recorded(gql, violation(kind="BRIBERY"), violation(severity="SERIOUS"),
                             violation(description="另一个说法"))
    assert errors_of(changed) == [(0, "sourceRef", "CONFLICT"), (1, "sourceRef", "CONFLICT"),
                                  (2, "sourceRef", "CONFLICT")]
    assert await rows(session) == before


BAD_ROWS: list[tuple[dict[str, Any], list[tuple[str | None, str]]]] = [
    (violation(code="2026-310116-48-01-999999"), [("projectCode", "NOT_FOUND")]),
    (violation(subject={"idNumber": id_number(499)}), [("subject.idNumber", "NOT_FOUND")]),
    (violation(subject={"idNumber": "310116198503150000"}),
     [("subject.idNumber", "INVALID_ID_NUMBER")]),
    (violation(subject={"uscc": unit_code(499)}, sanction=None), [("subject.uscc", "NOT_FOUND")]),
    (violation(subject={}), [("subject", "INVALID_VALUE")]),
    (violation(subject={"uscc": BUILDER}), [("sanction", "INVALID_VALUE")]),   # a unit's sanction
    (violation(sanction="PARTY_WARNING"), [("sanction", "INVALID_VALUE")]),    # wrong category
    (violation(severity="MINOR"), [("sanction", "INVALID_VALUE")]),            # MINOR sanctioned
    (violation(category="COMMENDATION", sanction=None), [("category", "INVALID_VALUE")]),
    (violation(sanctionMonths=49), [("sanctionMonths", "INVALID_VALUE")]),
    (violation(decidedOn="2026-06-16"), [("decidedOn", "INVALID_VALUE")]),
    (violation(occurredOn="2026-04-02"), [("occurredOn", "INVALID_VALUE")]),
    (violation(decidedByUscc=unit_code(499)), [("decidedByUscc", "NOT_FOUND")]),
    (violation(description=" "), [("description", "INVALID_VALUE")]),
    (violation(sourceRef=" "), [("sourceRef", "INVALID_VALUE")]),
]


@pytest.mark.parametrize(("row", "expected"), BAD_ROWS)
async def test_a_bad_row_writes_nothing(gql: GraphQL, session: AsyncSession, given: str,
                                        row: dict[str, Any],
                                        expected: list[tuple[str | None, str]]) -> None:
    before = await rows(session)
    payload = await recorded(gql, violation("OK-1"), row)
    assert errors_of(payload) == [(1, field, code) for field, code in expected]
    assert (payload["accepted"], payload["ids"]) == (0, [])
    assert await rows(session) == before


async def test_a_repeated_key_with_other_content_in_one_batch(
        gql: GraphQL, session: AsyncSession, given: str) -> None:
    before = await rows(session)
    payload = await recorded(gql, violation(), violation(kind="OTHER"))
    assert errors_of(payload) == [(1, "sourceRef", "CONFLICT")]
    assert await rows(session) == before


async def test_severity_is_required_by_the_schema(gql: GraphQL, given: str) -> None:
    body = await gql("PROJECT_APPROVAL", VIOLATIONS, {"violations": [violation(severity=None)]})
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.parametrize("audience", ["PROCUREMENT", "PERSONNEL", "SUPERVISION"])
async def test_other_audiences_may_not_record_violations(gql: GraphQL, session: AsyncSession,
                                                         given: str, audience: str) -> None:
    before = await rows(session)
    body = await gql(audience, VIOLATIONS, {"violations": [violation()]})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await rows(session) == before


async def test_the_credit_office_records_violations_too(gql: GraphQL, given: str) -> None:
    payload = await recorded(gql, violation(subject={"idNumber": f" {OFFICIAL.lower()} "}),
                             audience="CREDIT_OFFICE")
    assert payload["errors"] == []
