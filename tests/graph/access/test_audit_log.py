"""查询留痕 (DOMAIN.md section 3): every read of a subject's credit data leaves an audit row
naming every subject read; auditLog lists them for the credit office only."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access.models import AuditEntry
from domains.core.ids import to_global_id
from tests.conftest import AUDIENCES, GraphQL
from tests.graph.credit.support import add_person, add_record, add_unit
from tests.support import id_number, unit_code

SHANGHAI = timezone(timedelta(hours=8))
LOG = """
query Log($subject: SubjectKey, $client: String, $from: Date, $to: Date, $first: Int,
          $after: String) {
  auditLog(subject: $subject, client: $client, from: $from, to: $to, first: $first,
           after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage }
    edges { node { at client operation field subjects } }
  }
}"""
READ_FILE = """
query ReadFile($uscc: String!) {
  unit(uscc: $uscc) { name creditFile { activeDishonestCount records { totalCount } } }
}"""
READ_UNITS = """
query ReadUnits { units { edges { node { creditFile { trustworthyCount } } } } }"""


async def log(gql: GraphQL, **variables: Any) -> dict[str, Any]:
    data = await gql.data("CREDIT_OFFICE", LOG, variables)
    result: dict[str, Any] = data["auditLog"]
    return result


async def test_reading_a_file_writes_audit_rows(gql: GraphQL, session: AsyncSession) -> None:
    # given a unit with a record
    unit = await add_unit(session, 1)
    await add_record(session, unit, "R")
    await session.commit()
    # when the procurement client reads its credit file
    await gql.data("PROCUREMENT", READ_FILE, {"uscc": unit_code(1)})
    # then one row per field read names the unit, the client and the operation
    entries = [e["node"] for e in (await log(gql, client="procurement"))["edges"]]
    gid = to_global_id("Unit", unit.id)
    assert sorted((e["field"], e["operation"], e["client"], tuple(e["subjects"]))
                  for e in entries) == [
        ("unit.creditFile.activeDishonestCount", "ReadFile", "procurement", (gid,)),
        ("unit.creditFile.records", "ReadFile", "procurement", (gid,))]
    assert all(e["at"].endswith("+08:00") for e in entries)


async def test_reading_a_unit_without_its_credit_data_is_not_audited(
        gql: GraphQL, session: AsyncSession) -> None:
    await add_unit(session, 1)
    await session.commit()
    await gql.data("PROCUREMENT", "query { units { totalCount } }")
    assert (await log(gql))["totalCount"] == 0


async def test_a_list_read_names_every_subject(gql: GraphQL, session: AsyncSession) -> None:
    units = [await add_unit(session, n) for n in range(1, 4)]
    await session.commit()
    await gql.data("SUPERVISION", READ_UNITS)
    named = {s for e in (await log(gql))["edges"] for s in e["node"]["subjects"]}
    assert named == {to_global_id("Unit", u.id) for u in units}


async def test_records_read_by_key_and_across_subjects_are_audited(
        gql: GraphQL, session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    person = await add_person(session, 2, unit)
    await add_record(session, unit, "U")
    await add_record(session, person, "P", category="ADMINISTRATIVE_SANCTION")
    await session.commit()
    await gql.data("PERSONNEL", """query Key { creditRecord(sourceSystem: "TEST",
        sourceRef: "U") { id } }""")
    await gql.data("PERSONNEL", "query Across { creditRecords { totalCount } }")
    entries = {e["node"]["operation"]: set(e["node"]["subjects"])
               for e in (await log(gql, client="personnel"))["edges"]}
    assert entries == {
        "Key": {to_global_id("Unit", unit.id)},
        "Across": {to_global_id("Unit", unit.id), to_global_id("CivilServant", person.id)}}


def entry(client: str, day: int, subjects: list[str], hour: int = 9) -> AuditEntry:
    return AuditEntry(id=uuid.uuid4(), at=datetime(2026, 6, day, hour, tzinfo=SHANGHAI),
                      client_name=client, operation="Op", field="unit.creditFile.records",
                      request_id=uuid.uuid4().hex, subject_ids=subjects)


async def test_audit_log_filters_newest_first(gql: GraphQL, session: AsyncSession) -> None:
    # given a unit, a person and audit rows on 1, 2 and 3 June (the 3rd just after midnight)
    unit = await add_unit(session, 1)
    person = await add_person(session, 2, unit)
    u, p = to_global_id("Unit", unit.id), to_global_id("CivilServant", person.id)
    session.add_all([entry("procurement", 1, [u]), entry("personnel", 2, [p, u]),
                     entry("personnel", 3, [p], hour=0)])
    await session.commit()

    def days(result: dict[str, Any]) -> list[str]:
        return [e["node"]["at"][:10] for e in result["edges"]]

    assert days(await log(gql)) == ["2026-06-03", "2026-06-02", "2026-06-01"]
    assert days(await log(gql, client="personnel")) == ["2026-06-03", "2026-06-02"]
    assert days(await log(gql, subject={"uscc": unit_code(1)})) == ["2026-06-02", "2026-06-01"]
    assert days(await log(gql, subject={"idNumber": id_number(2)})) == [
        "2026-06-03", "2026-06-02"]
    assert days(await log(gql, **{"from": "2026-06-02", "to": "2026-06-02"})) == ["2026-06-02"]
    assert days(await log(gql, **{"from": "2026-06-03"})) == ["2026-06-03"]
    assert days(await log(gql, subject={"uscc": unit_code(9)})) == []
    first = await log(gql, first=2)
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"] is True
    assert first["edges"][0]["node"] == {"at": "2026-06-03T00:00:00+08:00", "client": "personnel",
                                         "operation": "Op", "field": "unit.creditFile.records",
                                         "subjects": [p]}


@pytest.mark.parametrize("audience", [a for a in AUDIENCES if a != "CREDIT_OFFICE"])
async def test_audit_log_is_forbidden_to_others(gql: GraphQL, session: AsyncSession,
                                                audience: str) -> None:
    body = await gql(audience, LOG)
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    written = await session.scalar(select(func.count()).select_from(AuditEntry))
    assert written == 0


async def test_audit_log_with_a_malformed_subject(gql: GraphQL) -> None:
    body = await gql("CREDIT_OFFICE", LOG, {"subject": {"uscc": "bad"}})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID_USCC"]


async def test_records_of_one_subject_are_audited_even_when_none_is_shown(
        gql: GraphQL, session: AsyncSession) -> None:
    # given a unit whose only record the procurement client may not see
    unit = await add_unit(session, 1)
    await add_record(session, unit, "H", disclosure="AUTHORIZED_QUERY", share_scope=[])
    await session.commit()
    # when it lists the unit's records (and learns there is none it may see)
    data = await gql.data("PROCUREMENT", """query Of($u: String!) {
        creditRecords(subject: {uscc: $u}) { totalCount } }""", {"u": unit_code(1)})
    assert data["creditRecords"]["totalCount"] == 0
    # then the read of the unit's file is audited
    entries = [e["node"] for e in (await log(gql, client="procurement"))["edges"]]
    assert [(e["operation"], e["subjects"]) for e in entries] == [
        ("Of", [to_global_id("Unit", unit.id)])]
