"""Every error code of DOMAIN.md sections 1 to 3, through HTTP, leaves every table of subjects
and records exactly as it was (section 9: a refused write writes nothing)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import GraphQL
from tests.graph.credit.test_mutations import (
    FINANCE,
    REPAIR,
    REPORT,
    RESOLVE,
    ZHANG,
    given_subjects,
    record,
    reported,
)
from tests.support import id_number, unit_code

TABLES = ("subject_unit", "subject_civil_servant", "subject_employment", "credit_record",
          "credit_record_event", "credit_objection")
UNITS = """mutation($u: [UnitInput!]!) { registerUnits(units: $u) {
  accepted ids errors { index field code } } }"""
PEOPLE = """mutation($p: [CivilServantInput!]!) { registerCivilServants(people: $p) {
  accepted ids errors { index field code } } }"""
END = """mutation($n: String!, $d: Date!) { endEmployment(idNumber: $n, endedOn: $d) {
  accepted ids errors { index field code } } }"""


async def snapshot(session: AsyncSession) -> dict[str, str]:
    """Each table's whole content."""
    result = {}
    for table in TABLES:
        result[table] = str(await session.scalar(text(
            f"SELECT coalesce(string_agg(row_to_json(t)::text, ',' ORDER BY t.id::text), '') "
            f"FROM {table} t")))
    return result


def person_record(**changes: Any) -> dict[str, Any]:
    # the personnel system's own sourceSystem: procurement's `caigou` is another client's
    fields: dict[str, Any] = {"subject": {"idNumber": ZHANG}, "sourceSystem": "renshi",
                              "category": "ADMINISTRATIVE_SANCTION", "domain": "OTHER"}
    return record("P", **{**fields, **changes})


# (audience, operation, variables, the payload field, the expected (index, field, code) list)
CASES: list[tuple[str, str, dict[str, Any], str, list[tuple[Any, Any, str]]]] = [
    ("CREDIT_OFFICE", UNITS, {"u": [{"uscc": "bad", "name": "x", "kind": "OTHER"}]},
     "registerUnits", [(0, "uscc", "INVALID_USCC")]),
    ("CREDIT_OFFICE", UNITS, {"u": [{"uscc": unit_code(60), "name": "x", "kind": "OTHER",
                                     "parentUscc": unit_code(61)}]},
     "registerUnits", [(0, "parentUscc", "NOT_FOUND")]),
    ("CREDIT_OFFICE", UNITS, {"u": [{"uscc": FINANCE, "name": "财政局", "kind": "OTHER",
                                     "parentUscc": unit_code(62)},
                                    {"uscc": unit_code(62), "name": "y", "kind": "OTHER",
                                     "parentUscc": FINANCE}]},
     "registerUnits", [(0, "parentUscc", "INVALID_VALUE"), (1, "parentUscc", "INVALID_VALUE")]),
    ("CREDIT_OFFICE", UNITS, {"u": [{"uscc": unit_code(63), "name": "a", "kind": "OTHER"},
                                    {"uscc": unit_code(63), "name": "b", "kind": "OTHER"}]},
     "registerUnits", [(1, "uscc", "CONFLICT")]),
    ("PERSONNEL", PEOPLE, {"p": [{"idNumber": "31011619850315123", "name": "x",
                                  "unitUscc": FINANCE, "startedOn": "2020-01-01"}]},
     "registerCivilServants", [(0, "idNumber", "INVALID_ID_NUMBER")]),
    ("PERSONNEL", PEOPLE, {"p": [{"idNumber": ZHANG, "name": "张伟", "unitUscc": unit_code(32),
                                  "startedOn": "2019-01-01"}]},
     "registerCivilServants", [(0, "startedOn", "INVALID_VALUE")]),
    ("PERSONNEL", PEOPLE, {"p": [{"idNumber": id_number(70), "name": "x",
                                  "unitUscc": unit_code(64), "startedOn": "2020-01-01"}]},
     "registerCivilServants", [(0, "unitUscc", "NOT_FOUND")]),
    ("PERSONNEL", END, {"n": ZHANG, "d": "2026-06-16"}, "endEmployment",
     [(None, "endedOn", "INVALID_VALUE")]),
    ("PERSONNEL", END, {"n": id_number(71), "d": "2026-06-01"}, "endEmployment",
     [(None, "idNumber", "NOT_FOUND")]),
    ("PERSONNEL", END, {"n": "123", "d": "2026-06-01"}, "endEmployment",
     [(None, "idNumber", "INVALID_ID_NUMBER")]),
    ("PROCUREMENT", REPORT, {"records": [record("N", subject={})]}, "reportCreditRecords",
     [(0, "subject", "INVALID_VALUE")]),
    ("PROCUREMENT", REPORT, {"records": [record("N", subject={"uscc": "x"})]},
     "reportCreditRecords", [(0, "subject.uscc", "INVALID_USCC")]),
    ("PERSONNEL", REPORT, {"records": [person_record(subject={"idNumber": "x"})]},
     "reportCreditRecords", [(0, "subject.idNumber", "INVALID_ID_NUMBER")]),
    ("PROCUREMENT", REPORT, {"records": [record("N", subject={"uscc": unit_code(65)})]},
     "reportCreditRecords", [(0, "subject.uscc", "NOT_FOUND")]),
    ("PROCUREMENT", REPORT, {"records": [record("N", decidedByUscc=unit_code(66))]},
     "reportCreditRecords", [(0, "decidedByUscc", "NOT_FOUND")]),
    ("PROCUREMENT", REPORT, {"records": [record("N", nature="TRUSTWORTHY")]},
     "reportCreditRecords", [(0, "nature", "INVALID_VALUE"),
                             (0, "severity", "SEVERITY_NOT_ALLOWED")]),
    ("PROCUREMENT", REPORT, {"records": [record("N", decidedOn="2026-06-16")]},
     "reportCreditRecords", [(0, "decidedOn", "INVALID_VALUE")]),
    ("PROCUREMENT", REPORT, {"records": [record("N", severity=None)]}, "reportCreditRecords",
     [(0, "severity", "SEVERITY_REQUIRED")]),
    ("PROCUREMENT", REPORT, {"records": [record("N", nature="TRUSTWORTHY",
                                                category="CONTRACT_PERFORMANCE")]},
     "reportCreditRecords", [(0, "severity", "SEVERITY_NOT_ALLOWED")]),
    ("PROCUREMENT", REPORT, {"records": [record("N", validUntil="2026-05-30")]},
     "reportCreditRecords", [(0, "validUntil", "VALIDITY_OUT_OF_RANGE")]),
    ("PROCUREMENT", REPORT, {"records": [record("N", validUntil="2026-02-28")]},
     "reportCreditRecords", [(0, "validUntil", "VALIDITY_OUT_OF_RANGE")]),
    ("PROCUREMENT", REPORT, {"records": [record("N", actEndedOn="2021-06-01",
                                                validUntil="2026-06-15")]},
     "reportCreditRecords", [(0, "validUntil", "VALIDITY_OUT_OF_RANGE")]),
    ("PROCUREMENT", REPORT, {"records": [record("N", severity="MINOR", disclosure="PUBLIC")]},
     "reportCreditRecords", [(0, "disclosure", "MINOR_NOT_PUBLIC")]),
    ("PROCUREMENT", REPORT, {"records": [record(severity="SERIOUS")]}, "reportCreditRecords",
     [(0, "sourceRef", "CONFLICT")]),
    ("PROCUREMENT", REPORT, {"records": [record("N"), record("N", title="其他")]},
     "reportCreditRecords", [(1, "sourceRef", "CONFLICT")]),
    ("PROCUREMENT", REPORT, {"records": [record("N", sourceSystem="PPP")]},
     "reportCreditRecords", [(0, "sourceSystem", "INVALID_VALUE")]),
    ("PROCUREMENT", REPORT, {"records": [record("N", domain="OTHER")]}, "reportCreditRecords",
     [(0, None, "FORBIDDEN")]),
    ("PERSONNEL", REPORT, {"records": [person_record(category="ADMINISTRATIVE_PENALTY")]},
     "reportCreditRecords", [(0, None, "FORBIDDEN")]),
    ("PERSONNEL", REPORT, {"records": [person_record(sanction="PARTY_WARNING")]},
     "reportCreditRecords", [(0, "sanction", "INVALID_VALUE")]),
    ("PERSONNEL", REPORT, {"records": [person_record(sanction="DISMISSAL", sanctionMonths=6)]},
     "reportCreditRecords", [(0, "sanctionMonths", "INVALID_VALUE")]),
    ("PERSONNEL", REPORT, {"records": [person_record(
        category="OTHER_ACCOUNTABILITY", sanction="UNDER_INVESTIGATION",
        validUntil="2026-12-31")]},
     "reportCreditRecords", [(0, "disclosure", "INVALID_VALUE"),
                             (0, "validUntil", "INVALID_VALUE")]),
]


@pytest.mark.parametrize(("audience", "operation", "variables", "name", "expected"), CASES)
async def test_a_refused_write_writes_nothing(
        gql: GraphQL, session: AsyncSession, audience: str, operation: str,
        variables: dict[str, Any], name: str, expected: list[tuple[Any, Any, str]]) -> None:
    await given_subjects(gql)
    await reported(gql)
    before = await snapshot(session)
    data = await gql.data(audience, operation, variables)
    payload = data[name]
    assert [(e.get("index"), e["field"], e["code"]) for e in payload["errors"]] == expected
    assert (payload["accepted"], payload["ids"]) == (0, [])
    assert await snapshot(session) == before


async def test_refused_status_changes_write_nothing(gql: GraphQL, session: AsyncSession) -> None:
    await given_subjects(gql)
    record_id = await reported(gql)
    early = await reported(gql, sourceRef="E", decidedOn="2026-06-01")
    before = await snapshot(session)
    cases: list[tuple[str, dict[str, Any], str]] = [
        (RESOLVE, {"id": record_id, "upheld": True, "note": "x"}, "INVALID_STATE"),
        (REPAIR, {"id": early, "note": "x"}, "REPAIR_TOO_EARLY"),
        (REPAIR, {"id": "x", "note": "x"}, "NOT_FOUND"),
    ]
    for operation, variables, code in cases:
        data = await gql.data("CREDIT_OFFICE", operation, variables)
        (payload,) = data.values()
        assert [e["code"] for e in payload["errors"]] == [code]
    revoke = """mutation($id: ID!) { revokeRecord(recordId: $id, note: "x") {
      errors { code } } }"""
    assert (await gql.data("PERSONNEL", revoke, {"id": record_id}))["revokeRecord"][
        "errors"] == [{"code": "FORBIDDEN"}]
    file = """mutation($id: ID!) { fileObjection(recordId: $id, reason: " ") {
      errors { field code } } }"""
    assert (await gql.data("SUPERVISION", file, {"id": record_id}))["fileObjection"][
        "errors"] == [{"field": "reason", "code": "INVALID_VALUE"}]
    await gql.data("PERSONNEL", END, {"n": ZHANG, "d": "2026-06-01"})
    before = await snapshot(session)
    again = await gql.data("PERSONNEL", END, {"n": ZHANG, "d": "2026-06-02"})
    assert again["endEmployment"]["errors"] == [
        {"index": None, "field": None, "code": "INVALID_STATE"}]
    assert await snapshot(session) == before


async def test_forbidden_and_unauthenticated_writes_write_nothing(
        gql: GraphQL, http: httpx.AsyncClient, session: AsyncSession) -> None:
    await given_subjects(gql)
    before = await snapshot(session)
    units = {"u": [{"uscc": unit_code(67), "name": "x", "kind": "OTHER"}]}
    body = await gql("PROCUREMENT", UNITS, units)
    assert body["data"] is None and [e["extensions"]["code"] for e in body["errors"]] == [
        "FORBIDDEN"]
    body = await gql("SUPERVISION", REPORT, {"records": [record("Z")]})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    for header in ({}, {"Authorization": "Bearer igk_nope"}):
        response = await http.post("/graphql", json={"query": UNITS, "variables": units},
                                   headers=header)
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert await snapshot(session) == before
