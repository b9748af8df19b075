"""Reading one record: fields, status shown today, history order, objections, look-up by source
key and by node id (DOMAIN.md sections 0, 2, 3)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.ids import to_global_id
from tests.conftest import GraphQL
from tests.graph.credit.support import (
    add_event,
    add_objection,
    add_person,
    add_record,
    add_unit,
    at,
)
from tests.support import unit_code

RECORD = """
query Record($system: String!, $ref: String!) {
  creditRecord(sourceSystem: $system, sourceRef: $ref) {
    id nature category severity sanction domain title summary decisionNumber
    decidedBy { name } decidedOn validFrom validUntil actEndedOn disclosure shareScope status
    sourceSystem sourceRef
    subject { __typename id displayName }
    history { kind at actor note }
    objections { filedAt filedBy reason dueOn resolvedAt upheld }
  }
}"""
NODE = """
query Node($id: ID!) { node(id: $id) { id ... on CreditRecord { title status } } }"""
STATUS = """
query Status($ref: String!) { creditRecord(sourceSystem: "TEST", sourceRef: $ref) { status } }"""


async def test_a_record_with_every_field(gql: GraphQL, session: AsyncSession) -> None:
    # given a unit's record decided by another unit, with an open objection
    unit = await add_unit(session, 1, "金山区某局")
    decider = await add_unit(session, 2, "金山区市场监督管理局")
    record = await add_record(
        session, unit, "R-1", summary="未按期公示", decision_number="金市监罚〔2026〕1号",
        decided_by_id=decider.id, act_ended_on=date(2026, 2, 20),
        share_scope=["CREDIT_OFFICE", "PERSONNEL", "PROCUREMENT"])
    add_objection(session, record, date(2026, 3, 10), date(2026, 3, 19))
    await session.commit()
    # when the credit office reads it by its source key, with blanks around it
    data = await gql.data("CREDIT_OFFICE", RECORD, {"system": " TEST ", "ref": "R-1 "})
    # then every field is there, scope in enum order, history oldest first
    assert data == {"creditRecord": {
        "id": to_global_id("CreditRecord", record.id), "nature": "DISHONEST",
        "category": "ADMINISTRATIVE_PENALTY", "severity": "GENERAL", "sanction": None,
        "domain": "OTHER", "title": "记录 R-1", "summary": "未按期公示",
        "decisionNumber": "金市监罚〔2026〕1号", "decidedBy": {"name": "金山区市场监督管理局"},
        "decidedOn": "2026-03-01", "validFrom": "2026-03-01", "validUntil": "2027-02-28",
        "actEndedOn": "2026-02-20", "disclosure": "PUBLIC",
        "shareScope": ["PROCUREMENT", "PERSONNEL", "CREDIT_OFFICE"],
        "status": "UNDER_OBJECTION", "sourceSystem": "TEST", "sourceRef": "R-1",
        "subject": {"__typename": "Unit", "id": to_global_id("Unit", unit.id),
                    "displayName": "金山区某局"},
        "history": [
            {"kind": "REPORTED", "at": "2026-03-01T10:00:00+08:00", "actor": "credit_office",
             "note": None},
            {"kind": "NOTIFIED", "at": "2026-03-01T10:00:00+08:00", "actor": "system",
             "note": None},
            {"kind": "OBJECTION_FILED", "at": "2026-03-10T10:00:00+08:00",
             "actor": "supervision", "note": "异议"}],
        "objections": [{"filedAt": "2026-03-10T10:00:00+08:00", "filedBy": "supervision",
                        "reason": "事实有误", "dueOn": "2026-03-19", "resolvedAt": None,
                        "upheld": None}]}}


async def test_status_shown_today(gql: GraphQL, session: AsyncSession) -> None:
    # given records whose validity ended yesterday, ends today, and was repaired
    unit = await add_unit(session, 1)
    await add_record(session, unit, "OLD", valid_until=date(2026, 6, 14))
    await add_record(session, unit, "LAST", valid_until=date(2026, 6, 15))
    repaired = await add_record(session, unit, "FIXED")
    add_event(session, repaired, "REPAIRED", at(date(2026, 6, 10)), "REPAIRED")
    await session.commit()
    # then EXPIRED is derived for the ACTIVE one past validUntil only
    shown = {ref: (await gql.data("CREDIT_OFFICE", STATUS, {"ref": ref}))["creditRecord"]
             for ref in ("OLD", "LAST", "FIXED")}
    assert shown == {"OLD": {"status": "EXPIRED"}, "LAST": {"status": "ACTIVE"},
                     "FIXED": {"status": "REPAIRED"}}


async def test_a_person_record_and_a_resolved_objection(gql: GraphQL,
                                                        session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    person = await add_person(session, 7, unit, "张三")
    record = await add_record(session, person, "P-1", category="ADMINISTRATIVE_SANCTION",
                        sanction="WARNING", disclosure="GOVERNMENT_SHARED",
                        share_scope=["PERSONNEL"])
    add_objection(session, record, date(2026, 3, 2), date(2026, 3, 11), upheld=False,
                  resolved_on=date(2026, 3, 5))
    await session.commit()
    data = await gql.data("PERSONNEL", """{ creditRecord(sourceSystem: "TEST", sourceRef: "P-1")
      { sanction status subject { __typename displayName } history { kind }
        objections { resolvedAt upheld } } }""")
    assert data == {"creditRecord": {
        "sanction": "WARNING", "status": "ACTIVE",
        "subject": {"__typename": "CivilServant", "displayName": "张*"},
        "history": [{"kind": k} for k in (
            "REPORTED", "NOTIFIED", "OBJECTION_FILED", "OBJECTION_REJECTED")],
        "objections": [{"resolvedAt": "2026-03-05T10:00:00+08:00", "upheld": False}]}}


async def test_unknown_source_key_and_node_ids(gql: GraphQL, session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    shown = await add_record(session, unit, "SHOWN")
    hidden = await add_record(session, unit, "HIDDEN", disclosure="AUTHORIZED_QUERY")
    await session.commit()
    unknown = await gql.data("PROCUREMENT", RECORD, {"system": "TEST", "ref": "NOPE"})
    assert unknown == {"creditRecord": None}
    shown_id = to_global_id("CreditRecord", shown.id)
    hidden_id = to_global_id("CreditRecord", hidden.id)
    assert await gql.data("PROCUREMENT", NODE, {"id": shown_id}) == {
        "node": {"id": shown_id, "title": "记录 SHOWN", "status": "ACTIVE"}}
    assert await gql.data("PROCUREMENT", NODE, {"id": hidden_id}) == {"node": None}
    assert await gql.data("CREDIT_OFFICE", NODE, {"id": hidden_id}) == {
        "node": {"id": hidden_id, "title": "记录 HIDDEN", "status": "ACTIVE"}}
    # a unit's id is not a record's
    assert (await gql.data("PROCUREMENT", NODE, {"id": to_global_id("Unit", unit.id)}))[
        "node"] == {"id": to_global_id("Unit", unit.id)}
    assert unit_code(1)


async def test_source_keys_are_exact(gql: GraphQL, session: AsyncSession) -> None:
    # given records whose keys differ only in case (refs may hold case-sensitive global ids)
    unit = await add_unit(session, 1)
    await add_record(session, unit, "abc", source_system="sys")
    await add_record(session, unit, "ABC", source_system="SYS")
    await session.commit()

    async def found(system: str, ref: str) -> object:
        data = await gql.data("CREDIT_OFFICE", RECORD, {"system": system, "ref": ref})
        return data["creditRecord"] and (data["creditRecord"]["sourceSystem"],
                                         data["creditRecord"]["sourceRef"])

    # then each is found by its own key, blanks trimmed, and no other case matches
    assert await found("sys", " abc ") == ("sys", "abc")
    assert await found("SYS", "ABC") == ("SYS", "ABC")
    assert await found("Sys", "Abc") is None
