"""Formal checks and their outcomes through HTTP (DOMAIN.md section 4, 查询、比对、反馈)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access.models import AuditEntry
from domains.core.ids import to_global_id
from domains.credit import service as credit
from domains.credit.enums import Severity
from domains.credit.models import CreditRecord
from domains.restriction.models import RestrictionCheck
from tests.conftest import GraphQL
from tests.graph.restriction.support import add_person, add_record, add_unit, change
from tests.support import id_number, unit_code

CHECK = """
mutation Check($input: CheckRestrictionsInput!) {
  checkRestrictions(input: $input) {
    check {
      id requestedBy businessRef checkedAt outcome { kind }
      assessment {
        subject { __typename id } scenario asOf decision
        measures { code effect until basis { id severity record { title } } }
      }
    }
    errors { index field code message }
  }
}"""
REPORT = """
mutation Report($input: CheckOutcomeInput!) {
  reportCheckOutcome(input: $input) {
    check { id outcome { kind appliedMeasureCodes reason reportedAt } }
    errors { index field code }
  }
}"""
MINE = """
query Mine($ref: String!) { restrictionChecks(businessRef: $ref) { id businessRef } }"""
PENDING = """
query Pending($first: Int, $after: String) {
  pendingRestrictionChecks(first: $first, after: $after) {
    edges { cursor node { id requestedBy } } totalCount
    pageInfo { hasNextPage hasPreviousPage }
  }
}"""
NODE = """
query Node($id: ID!) {
  node(id: $id) { id ... on RestrictionCheck { requestedBy assessment { decision } } }
}"""
PROCUREMENT_CODES = ["GOVERNMENT_PROCUREMENT.SERIOUS.RESTRICT",
                     "GOVERNMENT_PROCUREMENT.SERIOUS.RECTIFICATION"]


async def checks(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(RestrictionCheck)) or 0)


async def given_serious_unit(session: AsyncSession) -> CreditRecord:
    unit = await add_unit(session, 1, "金山区某局")
    record = await add_record(session, unit, "S", severity="SERIOUS",
                              valid_until=date(2029, 2, 28))
    await session.commit()
    return record


def check_input(ref: str = "SP-2026-001", **changes: Any) -> dict[str, Any]:
    value: dict[str, Any] = {"subject": {"uscc": unit_code(1)},
                             "scenario": "GOVERNMENT_PROCUREMENT", "businessRef": ref}
    value.update(changes)
    return {"input": value}


async def make_check(gql: GraphQL, audience: str = "PROCUREMENT", **changes: Any) -> str:
    data = await gql.data(audience, CHECK, check_input(**changes))
    assert data["checkRestrictions"]["errors"] == []
    check_id: str = data["checkRestrictions"]["check"]["id"]
    return check_id


# ---------------------------------------------------------------- checkRestrictions


async def test_a_check_stores_the_assessment_and_a_retry_returns_it(
        gql: GraphQL, session: AsyncSession) -> None:
    record = await given_serious_unit(session)
    first = await gql.data("PROCUREMENT", CHECK, check_input(" SP-2026-001 "))
    again = await gql.data("PROCUREMENT", CHECK, check_input("SP-2026-001"))
    check = first["checkRestrictions"]["check"]
    assert first == again
    assert first["checkRestrictions"]["errors"] == []
    assert (check["requestedBy"], check["businessRef"], check["outcome"]) == (
        "procurement", "SP-2026-001", None)
    assert check["checkedAt"].endswith("+08:00")
    assert check["assessment"] == {
        "subject": {"__typename": "Unit", "id": to_global_id("Unit", record.subject_id)},
        "scenario": "GOVERNMENT_PROCUREMENT", "asOf": "2026-06-15", "decision": "REVIEW",
        "measures": [{"code": code, "effect": code.rsplit(".", 1)[1], "until": "2029-02-28",
                      "basis": [{"id": to_global_id("CreditRecord", record.id),
                                 "severity": "SERIOUS", "record": {"title": "记录 S"}}]}
                     for code in PROCUREMENT_CODES]}
    assert await checks(session) == 1
    audited = (await session.scalars(select(AuditEntry.subject_ids))).all()
    assert audited and all(s == [to_global_id("Unit", record.subject_id)] for s in audited)


async def test_a_check_of_a_person_for_promotion_and_an_earlier_day(
        gql: GraphQL, session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    person = await add_person(session, 1, unit)
    await add_record(session, person, "W", category="ADMINISTRATIVE_SANCTION",
                     sanction="WARNING", decided_on=date(2026, 3, 1))
    await session.commit()
    data = await gql.data("PERSONNEL", CHECK, check_input(
        "RS-7", subject={"idNumber": id_number(1).lower()}, scenario="PROMOTION",
        asOf="2026-06-01"))
    assessment = data["checkRestrictions"]["check"]["assessment"]
    assert (assessment["subject"]["__typename"], assessment["asOf"], assessment["decision"]) == (
        "CivilServant", "2026-06-01", "DENY")
    assert [(m["code"], m["effect"], m["until"]) for m in assessment["measures"]] == [
        ("PROMOTION.SANCTION_WARNING", "PROHIBIT", "2026-08-31")]


ERROR_CASES = [
    ("asOf after today", {"asOf": "2026-06-16"}, "asOf", "INVALID_VALUE"),
    ("neither key", {"subject": {}}, "subject", "INVALID_VALUE"),
    ("both keys", {"subject": {"uscc": unit_code(1), "idNumber": id_number(1)}}, "subject",
     "INVALID_VALUE"),
    ("bad uscc", {"subject": {"uscc": unit_code(1)[:-1] + "0"}}, "subject.uscc",
     "INVALID_USCC"),
    ("bad id number", {"subject": {"idNumber": id_number(1)[:-1] + "0"}}, "subject.idNumber",
     "INVALID_ID_NUMBER"),
    ("unknown unit", {"subject": {"uscc": unit_code(2)}}, "subject.uscc", "NOT_FOUND"),
    ("unknown person", {"subject": {"idNumber": id_number(2)}}, "subject.idNumber", "NOT_FOUND"),
    ("blank businessRef", {"businessRef": "  "}, "businessRef", "INVALID_VALUE"),
]


@pytest.mark.parametrize(("changes", "field", "code"), [c[1:] for c in ERROR_CASES],
                         ids=[c[0] for c in ERROR_CASES])
async def test_check_errors_write_nothing(gql: GraphQL, session: AsyncSession,
                                          changes: dict[str, Any], field: str,
                                          code: str) -> None:
    await given_serious_unit(session)
    data = await gql.data("PROCUREMENT", CHECK, check_input(**changes))
    payload = data["checkRestrictions"]
    assert payload["check"] is None
    assert [(e["index"], e["field"], e["code"]) for e in payload["errors"]] == [
        (None, field, code)]
    assert await checks(session) == 0


async def test_a_check_never_changes_but_its_refs_resolve_now(
        gql: GraphQL, session: AsyncSession) -> None:
    # given a check of a unit with a SERIOUS record
    record = await given_serious_unit(session)
    check_id = await make_check(gql)
    # when the record is corrected to GENERAL and then revoked
    await credit.correct_record(
        session, record.id, patch=credit.RecordPatch(severity=Severity.GENERAL,
                                                     valid_until=date(2027, 2, 28)),
        note="更正", actor="credit_office", audience="CREDIT_OFFICE", today=date(2026, 6, 15))
    await change(session, record, "revoke", date(2026, 6, 15))
    await session.commit()
    # then the check still says what the client was told; the record is now hidden from it
    data = await gql.data("PROCUREMENT", NODE, {"id": check_id})
    assert data["node"]["assessment"]["decision"] == "REVIEW"
    stored = await gql.data("PROCUREMENT", MINE, {"ref": "SP-2026-001"})
    assert [c["id"] for c in stored["restrictionChecks"]] == [check_id]
    full = await gql.data("PROCUREMENT", CHECK, check_input())
    measures = full["checkRestrictions"]["check"]["assessment"]["measures"]
    assert [(m["code"], m["basis"][0]["severity"], m["basis"][0]["record"])
            for m in measures] == [(code, "SERIOUS", None) for code in PROCUREMENT_CODES]
    # and a fresh check for another case sees the revocation
    fresh = await gql.data("PROCUREMENT", CHECK, check_input("SP-2026-002"))
    assert fresh["checkRestrictions"]["check"]["assessment"]["decision"] == "ALLOW"
    row = await session.scalar(select(RestrictionCheck).where(
        RestrictionCheck.business_ref == "SP-2026-001"))
    assert row is not None and row.decision == "REVIEW"


# ---------------------------------------------------------------- reportCheckOutcome


async def test_an_outcome_is_reported_once(gql: GraphQL, session: AsyncSession) -> None:
    await given_serious_unit(session)
    check_id = await make_check(gql)
    report = {"checkId": check_id, "kind": "MEASURES_APPLIED",
              "appliedMeasureCodes": [c.lower() for c in reversed(PROCUREMENT_CODES)]}
    first = await gql.data("PROCUREMENT", REPORT, {"input": report})
    again = await gql.data("PROCUREMENT", REPORT, {"input": report})
    outcome = first["reportCheckOutcome"]["check"]["outcome"]
    assert first == again
    assert (outcome["kind"], outcome["appliedMeasureCodes"], outcome["reason"]) == (
        "MEASURES_APPLIED", PROCUREMENT_CODES, None)
    other = await gql.data("PROCUREMENT", REPORT, {"input": {
        "checkId": check_id, "kind": "NOT_APPLIED", "reason": "已书面说明"}})
    assert other["reportCheckOutcome"] == {"check": None, "errors": [
        {"index": None, "field": None, "code": "INVALID_STATE"}]}
    row = await session.scalar(select(RestrictionCheck))
    assert row is not None and (row.outcome_kind, row.outcome_reason) == (
        "MEASURES_APPLIED", None)
    pending = await gql.data("CREDIT_OFFICE", PENDING)
    assert pending["pendingRestrictionChecks"]["totalCount"] == 0


OUTCOME_ERRORS = [
    ("no codes", {"kind": "MEASURES_APPLIED"}, "appliedMeasureCodes", "UNKNOWN_MEASURE"),
    ("empty codes", {"kind": "MEASURES_APPLIED", "appliedMeasureCodes": []},
     "appliedMeasureCodes", "UNKNOWN_MEASURE"),
    ("unknown code", {"kind": "MEASURES_APPLIED",
                      "appliedMeasureCodes": [PROCUREMENT_CODES[0], "PPP.SERIOUS.RESTRICT"]},
     "appliedMeasureCodes", "UNKNOWN_MEASURE"),
    ("no reason", {"kind": "NOT_APPLIED"}, "reason", "REASON_REQUIRED"),
    ("blank reason", {"kind": "NOT_APPLIED", "reason": "  "}, "reason", "REASON_REQUIRED"),
    ("codes with not applied", {"kind": "NOT_APPLIED", "reason": "理由",
                                "appliedMeasureCodes": [PROCUREMENT_CODES[0]]},
     "appliedMeasureCodes", "INVALID_VALUE"),
]


@pytest.mark.parametrize(("report", "field", "code"), [c[1:] for c in OUTCOME_ERRORS],
                         ids=[c[0] for c in OUTCOME_ERRORS])
async def test_outcome_errors_write_nothing(gql: GraphQL, session: AsyncSession,
                                            report: dict[str, Any], field: str,
                                            code: str) -> None:
    await given_serious_unit(session)
    check_id = await make_check(gql)
    data = await gql.data("PROCUREMENT", REPORT, {"input": {"checkId": check_id, **report}})
    assert data["reportCheckOutcome"] == {"check": None, "errors": [
        {"index": None, "field": field, "code": code}]}
    row = await session.scalar(select(RestrictionCheck))
    assert row is not None and row.outcome_kind is None


async def test_only_the_requesting_client_reports(gql: GraphQL, session: AsyncSession) -> None:
    await given_serious_unit(session)
    check_id = await make_check(gql)
    report = {"checkId": check_id, "kind": "NOT_APPLIED", "reason": "采购已终止"}
    for audience in ("PROJECT_APPROVAL", "CREDIT_OFFICE"):
        data = await gql.data(audience, REPORT, {"input": report})
        assert data["reportCheckOutcome"] == {"check": None, "errors": [
            {"index": None, "field": "checkId", "code": "FORBIDDEN"}]}
    row = await session.scalar(select(RestrictionCheck))
    assert row is not None and row.outcome_kind is None
    data = await gql.data("PROCUREMENT", REPORT, {"input": report})
    assert data["reportCheckOutcome"]["check"]["outcome"]["reason"] == "采购已终止"


@pytest.mark.parametrize("check_id", ["not-a-global-id", "CREDIT_RECORD"])
async def test_an_unknown_check_id_is_not_found(gql: GraphQL, session: AsyncSession,
                                                check_id: str) -> None:
    record = await given_serious_unit(session)
    if check_id == "CREDIT_RECORD":
        check_id = to_global_id("CreditRecord", record.id)
    data = await gql.data("PROCUREMENT", REPORT, {"input": {
        "checkId": check_id, "kind": "NOT_APPLIED", "reason": "x"}})
    assert data["reportCheckOutcome"] == {"check": None, "errors": [
        {"index": None, "field": "checkId", "code": "NOT_FOUND"}]}
    assert await checks(session) == 0


# ---------------------------------------------------------------- lists and nodes


async def test_each_client_lists_only_its_own_checks(gql: GraphQL,
                                                     session: AsyncSession) -> None:
    await given_serious_unit(session)
    mine = await make_check(gql, "PROCUREMENT", businessRef="CASE-1")
    await make_check(gql, "PROJECT_APPROVAL", businessRef="CASE-1",
                     scenario="INVESTMENT_APPROVAL")
    data = await gql.data("PROCUREMENT", MINE, {"ref": "CASE-1"})
    assert data == {"restrictionChecks": [{"id": mine, "businessRef": "CASE-1"}]}
    assert await gql.data("PROCUREMENT", MINE, {"ref": "CASE-2"}) == {"restrictionChecks": []}


async def test_a_check_node_is_seen_by_its_client_and_the_credit_office(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_serious_unit(session)
    check_id = await make_check(gql)
    seen = {a: (await gql.data(a, NODE, {"id": check_id}))["node"]
            for a in ("PROCUREMENT", "CREDIT_OFFICE", "SUPERVISION")}
    expected = {"id": check_id, "requestedBy": "procurement",
                "assessment": {"decision": "REVIEW"}}
    assert seen == {"PROCUREMENT": expected, "CREDIT_OFFICE": expected, "SUPERVISION": None}


async def test_pending_checks_are_paged_for_the_credit_office_only(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_serious_unit(session)
    ids = [await make_check(gql, businessRef=f"CASE-{n}") for n in range(3)]
    await gql.data("PROCUREMENT", REPORT, {"input": {
        "checkId": ids[1], "kind": "NOT_APPLIED", "reason": "撤回申请"}})
    first = await gql.data("CREDIT_OFFICE", PENDING, {"first": 1})
    page = first["pendingRestrictionChecks"]
    assert ([e["node"]["id"] for e in page["edges"]], page["totalCount"], page["pageInfo"]) == (
        [ids[0]], 2, {"hasNextPage": True, "hasPreviousPage": False})
    second = await gql.data("CREDIT_OFFICE", PENDING,
                            {"first": 1, "after": page["edges"][0]["cursor"]})
    page = second["pendingRestrictionChecks"]
    assert ([e["node"]["id"] for e in page["edges"]], page["pageInfo"]) == (
        [ids[2]], {"hasNextPage": False, "hasPreviousPage": True})
    for audience in ("PROCUREMENT", "PERSONNEL"):
        body = await gql(audience, PENDING)
        assert body["data"] is None
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    bad = await gql("CREDIT_OFFICE", PENDING, {"first": 0})
    assert [e["extensions"]["code"] for e in bad["errors"]] == ["INVALID_VALUE"]
