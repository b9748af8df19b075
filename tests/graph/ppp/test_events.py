"""recordPppEvents over HTTP (DOMAIN.md sections 2, 7 and 9): the trace on occurredOn, and the
records written in the same transaction on the agency and on each traced person."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.ids import parse_global_id
from tests.conftest import GraphQL
from tests.graph.ppp.support import (
    ACCOUNTABILITY,
    AGENCY,
    ASSIGN,
    CODE,
    LI,
    OTHER_AGENCY,
    RECORD,
    REGISTER,
    ZHANG,
    assignment,
    counts,
    errors_of,
    event,
    given_project,
    project,
)

EVENTS = """
query Events($code: String!) {
  pppProject(code: $code) {
    events {
      sourceRef occurredOn
      responsible { role startedOn endedOn person { displayName } }
      records { id category severity decidedOn }
    }
  }
}"""
RECORD_DETAILS = """
query Details($ref: String!) {
  creditRecord(sourceSystem: "ppp", sourceRef: $ref) {
    subject { __typename displayName } nature category severity domain title decidedOn
    validFrom validUntil disclosure shareScope status sourceSystem decidedBy { uscc }
    pppEvent { sourceRef project { code } }
    history { kind actor }
  }
}"""
HAND_OVER = (assignment(LI, "2025-01-01", "2025-06-30"), assignment(ZHANG, "2025-07-01"))


async def record(gql: GraphQL, *rows: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = (await gql.data("CREDIT_OFFICE", RECORD, {"events": list(rows)}))[
        "recordPppEvents"]
    return payload


async def traces(gql: GraphQL) -> dict[str, list[str]]:
    """Each event's sourceRef with the people its trace names."""
    found = (await gql.data("CREDIT_OFFICE", EVENTS, {"code": CODE}))["pppProject"]["events"]
    return {e["sourceRef"]: [r["person"]["displayName"] for r in e["responsible"]]
            for e in found}


def ref_of(event_ref: str, subject_gid: str) -> str:
    return f"{CODE}/{event_ref}/{subject_gid}"


async def test_the_trace_on_the_boundary_days_of_a_hand_over(gql: GraphQL,
                                                              session: AsyncSession) -> None:
    # given 李 answering for implementation to 2025-06-30 and 张 from 2025-07-01, open-ended
    await given_project(gql, *HAND_OVER)
    # when events happen the day before the first, on the first, the last, the day after it,
    # and today
    payload = await record(gql, event("E0", "2024-12-31"), event("E1", "2025-01-01"),
                           event("E2", "2025-06-30"), event("E3", "2025-07-01"),
                           event("E4", "2026-06-15", "COMMITMENT_KEPT", None))
    assert payload["errors"] == [] and payload["accepted"] == 5
    assert all(parse_global_id(i) is not None for i in payload["ids"])
    # then each is traced to whoever answered for the stage on its day
    assert await traces(gql) == {"E0": [], "E1": ["李*"], "E2": ["李*"], "E3": ["张*"],
                                 "E4": ["张*"]}
    # and each wrote one record on the agency and one per traced person, two events each
    assert await counts(session) == {"projects": 1, "responsibilities": 2, "events": 5,
                                     "traces": 4, "records": 9, "recordEvents": 18}


async def test_the_records_a_broken_commitment_writes(gql: GraphQL) -> None:
    await given_project(gql, *HAND_OVER)
    await record(gql, event("E2", "2025-06-30"))
    found = (await gql.data("CREDIT_OFFICE", EVENTS, {"code": CODE}))["pppProject"]["events"][0]
    person_gid = await person_gid_of(gql, LI)
    unit_gid = await unit_gid_of(gql)
    common = {"nature": "DISHONEST", "category": "CONTRACT_PERFORMANCE", "severity": "GENERAL",
              "domain": "PPP", "title": "未按合同约定按期支付可用性付费",
              "decidedOn": "2025-06-30", "validFrom": "2025-06-30",
              "validUntil": "2026-06-29",  # GENERAL: the default year
              "disclosure": "GOVERNMENT_SHARED", "status": "ACTIVE", "sourceSystem": "ppp",
              "decidedBy": {"uscc": AGENCY},
              "pppEvent": {"sourceRef": "E2", "project": {"code": CODE}},
              "history": [{"kind": "REPORTED", "actor": "credit_office"},
                          {"kind": "NOTIFIED", "actor": "system"}]}
    on_agency = await gql.data("CREDIT_OFFICE", RECORD_DETAILS, {"ref": ref_of("E2", unit_gid)})
    assert on_agency["creditRecord"] == {
        **common, "subject": {"__typename": "Unit", "displayName": "金山区发展和改革委员会"},
        "shareScope": ["PROCUREMENT", "PROJECT_APPROVAL", "PERSONNEL", "SUPERVISION",
                       "CREDIT_OFFICE"]}
    on_person = await gql.data("CREDIT_OFFICE", RECORD_DETAILS,
                               {"ref": ref_of("E2", person_gid)})
    assert on_person["creditRecord"] == {
        **common, "subject": {"__typename": "CivilServant", "displayName": "李*"},
        "shareScope": ["PERSONNEL", "SUPERVISION", "CREDIT_OFFICE"]}
    assert sorted((r["category"], r["severity"], r["decidedOn"]) for r in found["records"]) == [
        ("CONTRACT_PERFORMANCE", "GENERAL", "2025-06-30")] * 2


async def test_a_kept_commitment_writes_trustworthy_records(gql: GraphQL) -> None:
    await given_project(gql, *HAND_OVER)
    await record(gql, event("K1", "2025-09-01", "COMMITMENT_KEPT", None,
                            description="按期完成年度绩效目标"))
    person_gid = await person_gid_of(gql, ZHANG)
    found = (await gql.data("CREDIT_OFFICE", RECORD_DETAILS, {"ref": ref_of("K1", person_gid)}))[
        "creditRecord"]
    assert (found["nature"], found["severity"], found["title"], found["validUntil"]) == (
        "TRUSTWORTHY", None, "按期完成年度绩效目标", "2028-08-31")  # 3 years (platform default)


async def test_an_event_nobody_answered_for_is_kept_with_the_agencys_record(
        gql: GraphQL, session: AsyncSession) -> None:
    # given nobody responsible for financing
    await given_project(gql, *HAND_OVER)
    payload = await record(gql, event("F1", "2025-03-01", stage="FINANCING", severity="SERIOUS"))
    assert payload["errors"] == []
    found = (await gql.data("CREDIT_OFFICE", EVENTS, {"code": CODE}))["pppProject"]["events"]
    assert [(e["sourceRef"], e["responsible"], len(e["records"])) for e in found] == [
        ("F1", [], 1)]
    assert (await counts(session))["traces"] == 0


async def test_a_replay_writes_nothing_twice(gql: GraphQL, session: AsyncSession) -> None:
    await given_project(gql, *HAND_OVER)
    first = await record(gql, event("E2", "2025-06-30"), event("E3", "2025-07-01"))
    stored = await counts(session)
    # when the source re-sends the same events (keys with blanks, code in lower case), twice in
    # one batch
    again = await record(gql, event(" E3 ", "2025-07-01", code=CODE.lower()),
                         event("E2", "2025-06-30"), event("E2", "2025-06-30"))
    # then the stored ids, and nothing written
    assert again["errors"] == []
    assert again["ids"] == [first["ids"][1], first["ids"][0], first["ids"][0]]
    assert await counts(session) == stored


async def test_other_content_under_a_key_is_a_conflict(gql: GraphQL,
                                                       session: AsyncSession) -> None:
    await given_project(gql, *HAND_OVER)
    await record(gql, event("E2", "2025-06-30"))
    stored = await counts(session)
    payload = await record(gql, event("E2", "2025-06-30", severity="SERIOUS"),
                           event("N1", "2025-05-01"), event("N1", "2025-05-02"),
                           event("E2", "2025-06-30", severity="MINOR"))
    # a later row of a key is judged against the first row only: one CONFLICT each
    assert errors_of(payload) == [(0, "sourceRef", "CONFLICT"), (2, "sourceRef", "CONFLICT"),
                                  (3, "sourceRef", "CONFLICT")]
    assert await counts(session) == stored


async def test_every_bad_row_is_reported_and_nothing_written(gql: GraphQL,
                                                             session: AsyncSession) -> None:
    await given_project(gql, *HAND_OVER)
    before = await counts(session)
    payload = await record(
        gql,
        event("A", "2025-06-30", severity=None),                      # broken needs severity
        event("B", "2025-06-30", "COMMITMENT_KEPT", "MINOR"),          # kept has none
        event("C", "2026-06-16"),                                      # after today
        event("D", "2025-06-30", code="NO-SUCH"),                      # unknown project
        event("E", "2025-06-30", description="  "),                    # blank description
        event("G", "2025-06-30", code="A/B"))                          # not a project code
    assert errors_of(payload) == [
        (0, "severity", "SEVERITY_REQUIRED"), (1, "severity", "SEVERITY_NOT_ALLOWED"),
        (2, "occurredOn", "INVALID_VALUE"), (3, "projectCode", "NOT_FOUND"),
        (4, "description", "INVALID_VALUE"), (5, "projectCode", "INVALID_VALUE")]
    assert (payload["accepted"], payload["ids"]) == (0, [])
    assert payload["errors"][2]["message"] == "occurredOn may not be after today (2026-06-15)"
    assert await counts(session) == before


async def test_a_source_ref_longer_than_its_column_is_refused_alone(
        gql: GraphQL, session: AsyncSession) -> None:
    # the input guard answers bad texts before any other check (graph/input_guard.py)
    await given_project(gql, *HAND_OVER)
    before = await counts(session)
    payload = await record(gql, event("A", "2025-06-30", severity=None),
                           event("x" * 121, "2025-06-30"))
    assert errors_of(payload) == [(1, "sourceRef", "INVALID_VALUE")]
    assert await counts(session) == before


async def test_only_the_credit_office_records_events(gql: GraphQL,
                                                     session: AsyncSession) -> None:
    await given_project(gql, *HAND_OVER)
    before = await counts(session)
    for audience in ("PROCUREMENT", "PROJECT_APPROVAL", "PERSONNEL", "SUPERVISION"):
        body = await gql(audience, RECORD, {"events": [event("E1", "2025-03-01")]})
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await counts(session) == before


async def test_later_changes_to_responsibilities_never_rewrite_records(
        gql: GraphQL, session: AsyncSession) -> None:
    # given 李 open-ended from 2025-01-01, and an event on 2025-08-01 traced to 李
    await given_project(gql, assignment(LI, "2025-01-01"))
    first = await record(gql, event("E1", "2025-08-01"))
    before = (await gql.data("CREDIT_OFFICE", EVENTS, {"code": CODE}))["pppProject"]["events"]
    stored = await counts(session)
    # when personnel later closes 李's assignment before that day and puts 张 on it
    payload = (await gql.data("PERSONNEL", ASSIGN, {"assignments": [
        assignment(LI, "2025-01-01", "2025-06-30", role="原项目负责人"),
        assignment(ZHANG, "2025-07-01")]}))["assignPppResponsibilities"]
    assert payload["errors"] == []
    # then the accountability of that day is 张 now
    now = await gql.data("CREDIT_OFFICE", ACCOUNTABILITY,
                         {"code": CODE, "stage": "IMPLEMENTATION", "on": "2025-08-01"})
    assert [r["person"]["displayName"] for r in now["pppAccountability"]] == ["张*"]
    # but the event keeps its trace as recorded (李, open-ended, 项目负责人) and its records
    after = (await gql.data("CREDIT_OFFICE", EVENTS, {"code": CODE}))["pppProject"]["events"]
    assert after == before
    assert after[0]["responsible"] == [{"role": "项目负责人", "startedOn": "2025-01-01",
                                        "endedOn": None, "person": {"displayName": "李*"}}]
    # and a replay of the event writes nothing for 张
    assert (await record(gql, event("E1", "2025-08-01")))["ids"] == first["ids"]
    assert await counts(session) == {**stored, "responsibilities": 2}


async def person_gid_of(gql: GraphQL, number: str) -> str:
    found = await gql.data("CREDIT_OFFICE", "query($n: String!) { civilServant(idNumber: $n) "
                           "{ id } }", {"n": number})
    gid: str = found["civilServant"]["id"]
    return gid


async def unit_gid_of(gql: GraphQL) -> str:
    found = await gql.data("CREDIT_OFFICE", "query($u: String!) { unit(uscc: $u) { id } }",
                           {"u": AGENCY})
    gid: str = found["unit"]["id"]
    return gid


async def test_a_new_implementing_agency_takes_later_events_only(gql: GraphQL) -> None:
    # given an event recorded while 发改委 implemented the project
    await given_project(gql, *HAND_OVER)
    await record(gql, event("E2", "2025-06-30"))
    # when the project is re-sent with another agency, and a later event is recorded
    await gql.data("CREDIT_OFFICE", REGISTER, {"projects": [project(
        implementingAgencyUscc=OTHER_AGENCY)]})
    await record(gql, event("E3", "2025-07-01"))
    # then each event's agency record stays on the agency of its day
    found = await gql.data("CREDIT_OFFICE", """query($code: String!) { pppProject(code: $code) {
        events { sourceRef records { record { subject { __typename displayName }
        decidedBy { uscc } } } } } }""", {"code": CODE})
    agencies = {e["sourceRef"]: [(r["record"]["subject"]["displayName"],
                                  r["record"]["decidedBy"]["uscc"]) for r in e["records"]
                                 if r["record"]["subject"]["__typename"] == "Unit"]
                for e in found["pppProject"]["events"]}
    assert agencies == {"E2": [("金山区发展和改革委员会", AGENCY)],
                        "E3": [("金山区住房和城乡建设管理委员会", OTHER_AGENCY)]}
