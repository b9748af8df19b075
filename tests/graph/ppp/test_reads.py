"""Reading what PPP events wrote (DOMAIN.md sections 3, 4, 5 and 7): visibility per audience,
the audit trail, node(id:), CreditRecord.pppEvent, and the records counting in restrictions
and promotion eligibility like any other."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQL
from tests.graph.ppp.support import (
    AGENCY,
    CODE,
    LI,
    RECORD,
    ZHANG,
    assignment,
    event,
    given_project,
)
from tests.graph.restriction.support import PROMOTION, UNIT_RESTRICTIONS

EVENT_RECORDS = """
query EventRecords($code: String!) {
  pppProject(code: $code) {
    events { sourceRef records { id category severity decidedOn record { title subject {
      __typename } } } }
  }
}"""
LOG = """
query Log($client: String) {
  auditLog(client: $client) { edges { node { client operation field subjects } } }
}"""
NODE = """
query Node($id: ID!) {
  node(id: $id) {
    __typename
    ... on PppEvent { sourceRef project { code } }
    ... on PppProject { code }
  }
}"""
RECORD_EVENT = """
query RecordEvent($id: ID!) {
  node(id: $id) { ... on CreditRecord { sourceSystem pppEvent { sourceRef kind stage } } }
}"""


async def given_events(gql: GraphQL) -> dict[str, Any]:
    """李 answers for implementation; a GENERAL broken commitment on 2026-03-01 and a kept one
    on 2026-01-05 (both in force today, 2026-06-15)."""
    await given_project(gql, assignment(LI, "2025-01-01"))
    payload: dict[str, Any] = (await gql.data("CREDIT_OFFICE", RECORD, {"events": [
        event("B1", "2026-03-01"),
        event("K1", "2026-01-05", "COMMITMENT_KEPT", None, description="按期完成建设任务")]}))[
        "recordPppEvents"]
    assert payload["errors"] == []
    return payload


async def records_as(gql: GraphQL, audience: str) -> dict[str, list[tuple[str, str]]]:
    """Per event, each record's subject kind as the audience sees it ("hidden": null)."""
    found = (await gql.data(audience, EVENT_RECORDS, {"code": CODE}))["pppProject"]["events"]
    return {e["sourceRef"]: sorted(
        (r["category"], r["record"]["subject"]["__typename"] if r["record"] else "hidden")
        for r in e["records"]) for e in found}


async def test_personnel_sees_the_persons_record_procurement_only_its_reference(
        gql: GraphQL) -> None:
    await given_events(gql)
    # a person's record is shared with PERSONNEL, SUPERVISION and CREDIT_OFFICE by default
    assert await records_as(gql, "PERSONNEL") == {
        "K1": [("CONTRACT_PERFORMANCE", "CivilServant"), ("CONTRACT_PERFORMANCE", "Unit")],
        "B1": [("CONTRACT_PERFORMANCE", "CivilServant"), ("CONTRACT_PERFORMANCE", "Unit")]}
    # PROCUREMENT sees the agency's record, and of the person's only that it exists
    assert await records_as(gql, "PROCUREMENT") == {
        "K1": [("CONTRACT_PERFORMANCE", "Unit"), ("CONTRACT_PERFORMANCE", "hidden")],
        "B1": [("CONTRACT_PERFORMANCE", "Unit"), ("CONTRACT_PERFORMANCE", "hidden")]}


async def test_reading_an_events_records_is_audited(gql: GraphQL) -> None:
    await given_events(gql)
    await gql.data("PROCUREMENT", EVENT_RECORDS, {"code": CODE})
    person = (await gql.data("CREDIT_OFFICE", "query($n: String!) { civilServant(idNumber: $n) "
                             "{ id } }", {"n": LI}))["civilServant"]["id"]
    agency = (await gql.data("CREDIT_OFFICE", "query($u: String!) { unit(uscc: $u) { id } }",
                             {"u": AGENCY}))["unit"]["id"]
    entries = [e["node"] for e in (await gql.data("CREDIT_OFFICE", LOG, {
        "client": "procurement"}))["auditLog"]["edges"]]
    # both subjects' data were read (the references), the agency's record also in full
    assert sorted((e["field"], tuple(e["subjects"])) for e in entries) == sorted([
        ("pppProject.events.records", tuple(sorted([person, agency]))),
        ("pppProject.events.records.record", (agency,))])


async def test_node_and_credit_record_ppp_event(gql: GraphQL) -> None:
    payload = await given_events(gql)
    found = await gql.data("PROCUREMENT", NODE, {"id": payload["ids"][0]})
    assert found["node"] == {"__typename": "PppEvent", "sourceRef": "B1",
                             "project": {"code": CODE}}
    records = (await gql.data("CREDIT_OFFICE", EVENT_RECORDS, {"code": CODE}))["pppProject"]
    project_id = (await gql.data("PROCUREMENT", "query($c: String!) { pppProject(code: $c) "
                                 "{ id } }", {"c": CODE}))["pppProject"]["id"]
    assert (await gql.data("PROCUREMENT", NODE, {"id": project_id}))["node"] == {
        "__typename": "PppProject", "code": CODE}
    record_id = records["events"][0]["records"][0]["id"]
    assert (await gql.data("PERSONNEL", RECORD_EVENT, {"id": record_id}))["node"] == {
        "sourceSystem": "ppp", "pppEvent": {"sourceRef": "K1", "kind": "COMMITMENT_KEPT",
                                            "stage": "IMPLEMENTATION"}}
    # an id of another type, or one that does not decode, is null
    assert (await gql.data("PROCUREMENT", NODE, {"id": "UHBwRXZlbnQ6eA=="}))["node"] is None


async def test_a_broken_commitment_cautions_promotion_while_in_force(gql: GraphQL) -> None:
    # given 李 traced by a GENERAL broken commitment decided 2026-03-01 (in force to 2027-02-28)
    await given_events(gql)
    found = await gql.data("PERSONNEL", PROMOTION, {"idNumber": LI})
    eligibility = found["civilServant"]["promotionEligibility"]
    # then promotion is under review, with the PPP record as the basis, until it expires
    assert (eligibility["decision"], eligibility["blockers"]) == ("REVIEW", [])
    assert [(c["code"], c["until"]) for c in eligibility["cautions"]] == [
        ("DISHONEST_RECORD", "2027-02-28")]
    # and the day after it expires the kept commitment is an incentive again
    later = (await gql.data("PERSONNEL", PROMOTION, {"idNumber": LI, "asOf": "2027-03-01"}))[
        "civilServant"]["promotionEligibility"]
    assert (later["decision"], [i["code"] for i in later["incentives"]]) == (
        "ALLOW_WITH_PRIORITY", ["TRUSTWORTHY_RECORD"])
    # 张 was not responsible: nothing
    other = (await gql.data("PERSONNEL", PROMOTION, {"idNumber": ZHANG}))[
        "civilServant"]["promotionEligibility"]
    assert other["decision"] == "ALLOW"


async def test_the_agencys_record_counts_in_the_ppp_scenario(gql: GraphQL) -> None:
    await given_events(gql)
    found = await gql.data("PROCUREMENT", UNIT_RESTRICTIONS, {"uscc": AGENCY, "scenario": "PPP"})
    restrictions = found["unit"]["restrictions"]
    assert restrictions["decision"] == "REVIEW"
    assert [(m["code"], [b["category"] for b in m["basis"]]) for m in restrictions["measures"]] == [
        ("PPP.GENERAL.WRITTEN_EXPLANATION", ["CONTRACT_PERFORMANCE"])]
