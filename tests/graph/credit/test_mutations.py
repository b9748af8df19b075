"""Credit mutations through HTTP (DOMAIN.md sections 2, 3 and 9): reportCreditRecords and the
status changes, their payloads, and a permission test per mutation for an audience without it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.ids import to_global_id
from domains.credit.models import CreditRecord, Objection, RecordEvent
from tests.conftest import GraphQL
from tests.support import id_number, unit_code

FINANCE, COURT = unit_code(31), unit_code(32)
ZHANG = id_number(31)

REGISTER_UNITS = """
mutation($units: [UnitInput!]!) { registerUnits(units: $units) { errors { code } } }"""
REGISTER_PEOPLE = """
mutation($people: [CivilServantInput!]!) {
  registerCivilServants(people: $people) { errors { code } } }"""
REPORT = """
mutation Report($records: [CreditRecordInput!]!) {
  reportCreditRecords(records: $records) { accepted ids errors { index field code message } }
}"""
RECORD_FIELDS = """
  record { id status severity title validUntil shareScope
           history { kind actor note } objections { filedBy reason dueOn upheld } }
  errors { index field code }"""
FILE = f"""mutation File($id: ID!, $reason: String!) {{
  fileObjection(recordId: $id, reason: $reason) {{ {RECORD_FIELDS} }} }}"""
RESOLVE = f"""mutation Resolve($id: ID!, $upheld: Boolean!, $note: String!) {{
  resolveObjection(recordId: $id, upheld: $upheld, note: $note) {{ {RECORD_FIELDS} }} }}"""
REPAIR = f"""mutation Repair($id: ID!, $note: String!) {{
  repairRecord(recordId: $id, note: $note) {{ {RECORD_FIELDS} }} }}"""
EXEMPT = f"""mutation Exempt($id: ID!, $note: String!) {{
  exemptRecord(recordId: $id, note: $note) {{ {RECORD_FIELDS} }} }}"""
CORRECT = f"""mutation Correct($id: ID!, $patch: CreditRecordPatch!, $note: String!) {{
  correctRecord(recordId: $id, patch: $patch, note: $note) {{ {RECORD_FIELDS} }} }}"""
REVOKE = f"""mutation Revoke($id: ID!, $note: String!) {{
  revokeRecord(recordId: $id, note: $note) {{ {RECORD_FIELDS} }} }}"""
RECORD = """query Record($id: ID!) { node(id: $id) { ... on CreditRecord {
  status validUntil shareScope history { kind actor note at } } } }"""


def record(ref: str = "CG-2026-001", **changes: Any) -> dict[str, Any]:
    """A DISHONEST GENERAL administrative penalty of FINANCE in the procurement domain."""
    return {"subject": {"uscc": FINANCE}, "nature": "DISHONEST",
            "category": "ADMINISTRATIVE_PENALTY", "severity": "GENERAL", "domain": "PROCUREMENT",
            "title": "未按期组织履约验收", "decidedByUscc": COURT, "decidedOn": "2026-03-01",
            "disclosure": "GOVERNMENT_SHARED", "sourceSystem": "caigou", "sourceRef": ref,
            **changes}


async def given_subjects(gql: GraphQL) -> None:
    units = await gql.data("CREDIT_OFFICE", REGISTER_UNITS, {"units": [
        {"uscc": FINANCE, "name": "金山区财政局", "kind": "GOVERNMENT_ORGAN"},
        {"uscc": COURT, "name": "金山区人民法院", "kind": "GOVERNMENT_ORGAN"}]})
    people = await gql.data("PERSONNEL", REGISTER_PEOPLE, {"people": [
        {"idNumber": ZHANG, "name": "张伟", "unitUscc": FINANCE, "startedOn": "2020-01-01"}]})
    assert units["registerUnits"]["errors"] == people["registerCivilServants"]["errors"] == []


async def reported(gql: GraphQL, audience: str = "PROCUREMENT", **changes: Any) -> str:
    data = await gql.data(audience, REPORT, {"records": [record(**changes)]})
    assert data["reportCreditRecords"]["errors"] == []
    gid: str = data["reportCreditRecords"]["ids"][0]
    return gid


async def counts(session: AsyncSession) -> tuple[int, int, int]:
    result = []
    for model in (CreditRecord, RecordEvent, Objection):
        result.append(int(await session.scalar(select(func.count()).select_from(model)) or 0))
    return result[0], result[1], result[2]


def forbidden(body: dict[str, Any]) -> bool:
    return body["data"] is None and [e["extensions"]["code"] for e in body["errors"]] == [
        "FORBIDDEN"]


# ---------------------------------------------------------------- reportCreditRecords


async def test_a_report_answers_the_ids_and_writes_reported_then_notified(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_subjects(gql)
    data = await gql.data("PROCUREMENT", REPORT, {"records": [
        record(), record("CG-2026-002", subject={"idNumber": ZHANG.lower()},
                         category="ADMINISTRATIVE_SANCTION", sanction="WARNING",
                         shareScope=["SUPERVISION", "PERSONNEL"])]})
    stored = {r.source_ref: r.id for r in await session.scalars(select(CreditRecord))}
    assert data == {"reportCreditRecords": {"accepted": 2, "errors": [], "ids": [
        to_global_id("CreditRecord", stored["CG-2026-001"]),
        to_global_id("CreditRecord", stored["CG-2026-002"])]}}
    found = await gql.data("CREDIT_OFFICE", RECORD, {"id": data["reportCreditRecords"]["ids"][1]})
    node = found["node"]
    assert (node["status"], node["validUntil"], node["shareScope"]) == (
        "ACTIVE", "2027-02-28", ["PERSONNEL", "SUPERVISION"])
    history = node["history"]
    assert [(e["kind"], e["actor"], e["note"]) for e in history] == [
        ("REPORTED", "procurement", None), ("NOTIFIED", "system", None)]
    assert history[0]["at"] == history[1]["at"] and history[0]["at"].endswith("+08:00")


async def test_a_replay_writes_nothing_and_answers_the_same_id(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_subjects(gql)
    gid = await reported(gql)
    before = await counts(session)
    again = await gql.data("PROCUREMENT", REPORT, {"records": [record(
        subject={"uscc": f" {FINANCE.lower()} "}, validUntil="2027-02-28")]})
    assert again == {"reportCreditRecords": {"accepted": 1, "ids": [gid], "errors": []}}
    assert await counts(session) == before


async def test_bad_rows_are_all_reported_and_nothing_is_written(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_subjects(gql)
    await reported(gql)
    before = await counts(session)
    data = await gql.data("PROCUREMENT", REPORT, {"records": [
        record("A", subject={"uscc": FINANCE, "idNumber": ZHANG}),
        record("B", severity=None),
        record("C", domain="OTHER"),
        record("CG-2026-001", severity="SERIOUS"),
        record("D", severity="MINOR", disclosure="PUBLIC"),
        record("E", sourceSystem="ppp", procurementContractCode="NONE"),
    ]})
    assert data["reportCreditRecords"]["accepted"] == 0
    assert data["reportCreditRecords"]["ids"] == []
    assert [(e["index"], e["field"], e["code"]) for e in data["reportCreditRecords"]["errors"]] == [
        (0, "subject", "INVALID_VALUE"),
        (1, "severity", "SEVERITY_REQUIRED"),
        (2, None, "FORBIDDEN"),
        (3, "sourceRef", "CONFLICT"),
        (4, "disclosure", "MINOR_NOT_PUBLIC"),
        (5, "procurementContractCode", "NOT_FOUND"),
        (5, "sourceSystem", "INVALID_VALUE"),
    ]
    assert await counts(session) == before


async def test_a_batch_over_the_limit_is_refused(gql: GraphQL, session: AsyncSession) -> None:
    data = await gql.data("CREDIT_OFFICE", REPORT, {"records": [record(str(n))
                                                                for n in range(1001)]})
    assert [e["code"] for e in data["reportCreditRecords"]["errors"]] == ["INVALID_VALUE"]
    assert await counts(session) == (0, 0, 0)


# ---------------------------------------------------------------- status changes


async def test_an_objection_on_a_hidden_record_answers_no_record(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_subjects(gql)
    gid = await reported(gql, disclosure="AUTHORIZED_QUERY")
    data = await gql.data("SUPERVISION", FILE, {"id": gid, "reason": "处罚决定已撤销"})
    assert data == {"fileObjection": {"record": None, "errors": []}}
    resolved = await gql.data("CREDIT_OFFICE", RESOLVE, {"id": gid, "upheld": True,
                                                         "note": "异议成立"})
    answer = resolved["resolveObjection"]["record"]
    assert answer["status"] == "REVOKED"
    assert [(e["kind"], e["actor"]) for e in answer["history"]][2:] == [
        ("OBJECTION_FILED", "supervision"), ("OBJECTION_UPHELD", "credit_office")]
    assert answer["objections"] == [{"filedBy": "supervision", "reason": "处罚决定已撤销",
                                     "dueOn": "2026-06-25", "upheld": True}]


async def test_an_objection_filed_before_national_day_is_due_after_it(
        gql: GraphQL, monkeypatch: pytest.MonkeyPatch) -> None:
    await given_subjects(gql)
    gid = await reported(gql)
    monkeypatch.setenv("INTEGRITY_TODAY", "2026-09-30")
    data = await gql.data("SUPERVISION", FILE, {"id": gid, "reason": "事实不清"})
    answer = data["fileObjection"]["record"]
    assert answer["status"] == "UNDER_OBJECTION"
    assert answer["objections"] == [{"filedBy": "supervision", "reason": "事实不清",
                                     "dueOn": "2026-10-15", "upheld": None}]


async def test_a_rejected_objection_makes_the_record_active_again(gql: GraphQL) -> None:
    await given_subjects(gql)
    gid = await reported(gql)
    await gql.data("SUPERVISION", FILE, {"id": gid, "reason": "事实不清"})
    data = await gql.data("CREDIT_OFFICE", RESOLVE, {"id": gid, "upheld": False,
                                                     "note": "维持原决定"})
    assert data["resolveObjection"]["record"]["status"] == "ACTIVE"
    assert data["resolveObjection"]["record"]["objections"][0]["upheld"] is False


async def test_the_reporter_corrects_its_record(gql: GraphQL) -> None:
    await given_subjects(gql)
    gid = await reported(gql)
    data = await gql.data("PROCUREMENT", CORRECT, {
        "id": gid, "patch": {"severity": "SERIOUS", "title": "严重逾期验收"}, "note": "定性更正"})
    answer = data["correctRecord"]["record"]
    assert (answer["status"], answer["severity"], answer["title"], answer["validUntil"]) == (
        "ACTIVE", "SERIOUS", "严重逾期验收", "2029-02-28")
    assert answer["history"][-1] == {"kind": "CORRECTED", "actor": "procurement",
                                     "note": "定性更正"}
    refused = await gql.data("PROCUREMENT", CORRECT, {
        "id": gid, "patch": {"severity": "MINOR", "disclosure": "PUBLIC"}, "note": "x"})
    assert refused == {"correctRecord": {"record": None, "errors": [
        {"index": None, "field": "disclosure", "code": "MINOR_NOT_PUBLIC"}]}}


async def test_repair_waits_for_the_minimum_and_a_revoked_record_changes_no_more(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_subjects(gql)
    early = await reported(gql, decidedOn="2026-03-16")
    due = await reported(gql, sourceRef="CG-2026-009", decidedOn="2026-03-15")
    before = await counts(session)
    data = await gql.data("CREDIT_OFFICE", REPAIR, {"id": early, "note": "已整改"})
    assert data["repairRecord"]["errors"] == [
        {"index": None, "field": None, "code": "REPAIR_TOO_EARLY"}]
    assert await counts(session) == before
    data = await gql.data("CREDIT_OFFICE", REPAIR, {"id": due, "note": "已整改"})
    assert data["repairRecord"]["record"]["status"] == "REPAIRED"
    await gql.data("PROCUREMENT", REVOKE, {"id": early, "note": "复议撤销"})
    before = await counts(session)
    for operation, name in ((EXEMPT, "exemptRecord"), (REVOKE, "revokeRecord")):
        data = await gql.data("CREDIT_OFFICE", operation, {"id": early, "note": "再次"})
        assert data[name]["errors"] == [{"index": None, "field": None, "code": "INVALID_STATE"}]
    assert await counts(session) == before


@pytest.mark.parametrize("record_id", ["not-an-id", to_global_id("Unit", uuid.UUID(int=1)),
                                       to_global_id("CreditRecord", uuid.UUID(int=1))])
async def test_an_id_that_names_no_record_is_not_found(gql: GraphQL, record_id: str) -> None:
    data = await gql.data("CREDIT_OFFICE", EXEMPT, {"id": record_id, "note": "x"})
    assert data == {"exemptRecord": {"record": None, "errors": [
        {"index": None, "field": "recordId", "code": "NOT_FOUND"}]}}


# ---------------------------------------------------------------- permissions


@pytest.mark.parametrize(("operation", "audience"), [
    (REPORT, "SUPERVISION"), (FILE, "PROCUREMENT"), (FILE, "PERSONNEL"),
    (RESOLVE, "SUPERVISION"), (REPAIR, "PERSONNEL"), (EXEMPT, "PROJECT_APPROVAL")])
async def test_an_audience_without_the_mutation_gets_a_forbidden_error(
        gql: GraphQL, session: AsyncSession, operation: str, audience: str) -> None:
    await given_subjects(gql)
    gid = await reported(gql)
    before = await counts(session)
    variables = {"id": gid, "reason": "x", "note": "x", "upheld": True, "records": [record("Z")]}
    used = {k: v for k, v in variables.items() if f"${k}" in operation}
    assert forbidden(await gql(audience, operation, used))
    assert await counts(session) == before


@pytest.mark.parametrize(("operation", "name"), [(CORRECT, "correctRecord"),
                                                 (REVOKE, "revokeRecord")])
async def test_only_the_reporter_or_the_credit_office_corrects_or_revokes(
        gql: GraphQL, session: AsyncSession, operation: str, name: str) -> None:
    await given_subjects(gql)
    gid = await reported(gql)
    before = await counts(session)
    variables = {"id": gid, "note": "x", "patch": {"title": "改"}}
    for audience in ("PERSONNEL", "SUPERVISION", "PROJECT_APPROVAL"):
        data = await gql.data(audience, operation, variables)
        assert data[name] == {"record": None, "errors": [
            {"index": None, "field": None, "code": "FORBIDDEN"}]}
    assert await counts(session) == before
    data = await gql.data("CREDIT_OFFICE", operation, variables)
    assert data[name]["errors"] == []


async def test_personnel_reports_only_person_records_of_its_categories(
        gql: GraphQL, session: AsyncSession) -> None:
    await given_subjects(gql)
    data = await gql.data("PERSONNEL", REPORT, {"records": [
        record("P1", subject={"idNumber": ZHANG}, category="DISCIPLINARY_SANCTION",
               sanction="PARTY_WARNING", domain="OTHER"),
        record("P2", domain="OTHER"),
        record("P3", subject={"idNumber": ZHANG}, category="COMPLAINT", domain="OTHER")]})
    assert data["reportCreditRecords"]["errors"] == [
        {"index": 1, "field": None, "code": "FORBIDDEN",
         "message": "your audience may not report this record (write scope, DOMAIN.md "
                    "section 3)"},
        {"index": 2, "field": None, "code": "FORBIDDEN",
         "message": "your audience may not report this record (write scope, DOMAIN.md "
                    "section 3)"}]
    assert await counts(session) == (0, 0, 0)
