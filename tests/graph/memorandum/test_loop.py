"""The joint-punishment loop through HTTP (金府发〔2018〕12号 二.2: 发起、响应、反馈) with three
signatory clients and the credit office."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access.models import AuditEntry
from domains.core.ids import to_global_id
from tests.conftest import GraphQL
from tests.graph.memorandum.support import (
    ACTIONS,
    DRC,
    FINANCE,
    MARKET,
    NUMBER,
    OUTSIDER,
    PENDING,
    RESPOND,
    RESTRICTIONS,
    counts,
    given_district,
    initiated,
    registered,
    response,
)

JOINT = f"JOINT:{NUMBER}:"


def codes(data: dict[str, object]) -> list[str]:
    return [m["code"] for m in data["unit"]["restrictions"]["measures"]]  # type: ignore[index]


async def test_initiate_respond_close(gql: GraphQL, session: AsyncSession) -> None:
    # given a memorandum signed by three bureaus, each answering through its own client
    district = await given_district(session, gql)
    memo = await registered(gql, district)
    assert memo["version"] == 1 and [m["published"] for m in
                                     memo["signatories"][0]["measures"]] == [True, False]
    u = {name: unit.uscc for name, unit in district.units.items()}
    # when finance initiates an action against the purchaser
    action = await initiated(gql, district)
    assert action == {"id": action["id"], "status": "OPEN", "caseRef": "CG-2026-001",
                      "initiatedOn": "2026-06-15", "responseDueOn": "2026-06-23",  # 端午 6-19
                      "memorandum": {"number": NUMBER, "version": 1}}
    # then drc and market have it pending, finance (the initiator) and the outsider do not
    for client, expected in ((DRC, 1), (MARKET, 1), (FINANCE, 0), (OUTSIDER, 0)):
        pending = (await gql.data(client, PENDING))["pendingJointActions"]
        assert pending["totalCount"] == expected, client
    # and the purchaser's procurement restrictions list the memorandum's measures
    scenario = {"uscc": district.purchaser.uscc, "scenario": "GOVERNMENT_PROCUREMENT"}
    open_ = await gql.data("PROCUREMENT", RESTRICTIONS, scenario)
    assert open_["unit"]["restrictions"]["decision"] == "DENY"
    joint = [m for m in open_["unit"]["restrictions"]["measures"] if m["memorandum"]]
    assert [(m["code"], m["effect"], [a["uscc"] for a in m["appliedBy"]]) for m in joint] == [
        (JOINT + "SUSPEND-BIDDING", "PROHIBIT", [u[FINANCE], u[MARKET]]),
        (JOINT + "GOVERNMENT_PROCUREMENT.SERIOUS.RESTRICT", "RESTRICT", [u[FINANCE]]),
        (JOINT + "INVESTMENT_APPROVAL.SERIOUS.RESTRICT", "RESTRICT", [u[DRC]])]
    assert all(m["memorandum"] == {"number": NUMBER, "version": 1} and m["until"] is None
               and len(m["basis"]) == 1 for m in joint)
    # when drc applies its measure and market declines with a reason
    applied = await gql.data(DRC, RESPOND, {"input": response(
        action["id"], u[DRC], codes=["investment_approval.serious.restrict"])})
    assert applied["respondToJointAction"]["action"]["status"] == "OPEN"
    declined = await gql.data(MARKET, RESPOND, {"input": response(
        action["id"], u[MARKET], "NOT_APPLIED", reason="该单位本年度无采购计划")})
    # then the action is closed, and the initiator sees who responded, what and when
    closed = declined["respondToJointAction"]
    assert closed["errors"] == [] and closed["action"]["status"] == "CLOSED"
    assert closed["action"]["closedOn"] == "2026-06-15"
    mine = (await gql.data(FINANCE, ACTIONS))["jointActions"]["edges"][0]["node"]
    assert mine["initiatedBy"] == FINANCE and mine["initiator"] == {"uscc": u[FINANCE]}
    assert mine["subject"] == {"__typename": "Unit", "displayName": "金山某街道办事处"}
    assert mine["basis"] == [{"decidedOn": "2026-03-01", "severity": "SERIOUS",
                              "record": {"title": "记录 F-1"}}]
    assert [(s["unit"]["uscc"], s["initiator"], s["overdue"], s["response"])
            for s in mine["signatories"]] == [
        (u[FINANCE], True, False, None),
        (u[DRC], False, False, {"kind": "MEASURES_APPLIED",
                                "appliedMeasureCodes": ["INVESTMENT_APPROVAL.SERIOUS.RESTRICT"],
                                "reason": None, "respondedBy": DRC,
                                "respondedOn": "2026-06-15", "late": False}),
        (u[MARKET], False, False, {"kind": "NOT_APPLIED", "appliedMeasureCodes": [],
                                   "reason": "该单位本年度无采购计划", "respondedBy": MARKET,
                                   "respondedOn": "2026-06-15", "late": False})]
    # and nobody has it pending any more; the joint measures are gone, the list's own stay
    assert (await gql.data(DRC, PENDING))["pendingJointActions"]["totalCount"] == 0
    after = await gql.data("PROCUREMENT", RESTRICTIONS, scenario)
    assert codes(after) == ["GOVERNMENT_PROCUREMENT.SERIOUS.RESTRICT",
                            "GOVERNMENT_PROCUREMENT.SERIOUS.RECTIFICATION"]
    # and a replay of the day before the action knows nothing of it either
    assert codes(await gql.data("PROCUREMENT", RESTRICTIONS, {
        **scenario, "asOf": "2026-06-14"})) == codes(after)
    assert await counts(session) == (1, 1, 2)


async def test_reads_of_actions_are_audited(gql: GraphQL, session: AsyncSession) -> None:
    district = await given_district(session, gql)
    await registered(gql, district)
    await initiated(gql, district)
    # when a signatory reads its pending actions
    await gql.data(DRC, PENDING)
    # then each read of the subject's data is an audit row naming the purchaser
    rows = (await session.execute(select(AuditEntry.field, AuditEntry.subject_ids).where(
        AuditEntry.client_name == DRC))).all()
    purchaser = to_global_id("Unit", district.purchaser.id)
    assert {(field, tuple(ids)) for field, ids in rows} == {
        ("pendingJointActions.edges.node.subject", (purchaser,)),
        ("pendingJointActions.edges.node.basis", (purchaser,)),
        ("pendingJointActions.edges.node.basis.record", (purchaser,))}


async def test_only_signatories_and_the_credit_office_see_an_action(
        gql: GraphQL, session: AsyncSession) -> None:
    district = await given_district(session, gql)
    await registered(gql, district)
    action = await initiated(gql, district)
    node = "query($id: ID!) { node(id: $id) { id } }"
    for client, seen in ((MARKET, True), ("CREDIT_OFFICE", True), (OUTSIDER, False),
                         ("PROCUREMENT", False)):
        data = await gql.data(client, node, {"id": action["id"]})
        assert (data["node"] is not None) == seen, client
    assert (await gql.data(OUTSIDER, ACTIONS))["jointActions"]["totalCount"] == 0
    assert (await gql.data("CREDIT_OFFICE", PENDING))["pendingJointActions"]["totalCount"] == 1


async def test_viewer_lists_the_units_a_client_acts_for(gql: GraphQL,
                                                       session: AsyncSession) -> None:
    district = await given_district(session, gql)
    viewer = "{ viewer { name units { uscc } } }"
    assert (await gql.data(FINANCE, viewer))["viewer"] == {
        "name": FINANCE, "units": [{"uscc": district.units[FINANCE].uscc}]}
    assert (await gql.data("CREDIT_OFFICE", viewer))["viewer"]["units"] == []


CHECK = """
mutation Check($input: CheckRestrictionsInput!) { checkRestrictions(input: $input) {
  check { id assessment { decision measures { code memorandum { number } appliedBy { uscc } } } }
  errors { code } } }"""
OUTCOME = """
mutation Outcome($input: CheckOutcomeInput!) { reportCheckOutcome(input: $input) {
  check { outcome { appliedMeasureCodes } } errors { code message } } }"""


async def test_a_formal_check_keeps_the_joint_measures_it_was_told(
        gql: GraphQL, session: AsyncSession) -> None:
    # given an open action against the purchaser
    district = await given_district(session, gql)
    await registered(gql, district)
    action = await initiated(gql, district)
    check_input = {"input": {"subject": {"uscc": district.purchaser.uscc},
                             "scenario": "GOVERNMENT_PROCUREMENT", "businessRef": "CG-9"}}
    # when the procurement system checks the purchaser, and later the action is withdrawn
    checked = (await gql.data("PROCUREMENT", CHECK, check_input))["checkRestrictions"]
    await gql.data(FINANCE, "mutation($id: ID!) { withdrawJointAction(actionId: $id, "
                   "reason: \"已整改\") { errors { code } } }", {"id": action["id"]})
    # then the stored check still shows the memorandum's measures, with their memorandum
    again = (await gql.data("PROCUREMENT", CHECK, check_input))["checkRestrictions"]
    assert again == checked
    stored = [m for m in again["check"]["assessment"]["measures"] if m["memorandum"]]
    assert [(m["code"], m["memorandum"]["number"], len(m["appliedBy"])) for m in stored] == [
        (JOINT + "SUSPEND-BIDDING", NUMBER, 2),
        (JOINT + "GOVERNMENT_PROCUREMENT.SERIOUS.RESTRICT", NUMBER, 1),
        (JOINT + "INVESTMENT_APPROVAL.SERIOUS.RESTRICT", NUMBER, 1)]
    # and its outcome may name a joint measure
    report = await gql.data("PROCUREMENT", OUTCOME, {"input": {
        "checkId": again["check"]["id"], "kind": "MEASURES_APPLIED",
        "appliedMeasureCodes": [JOINT + "SUSPEND-BIDDING"]}})
    assert report["reportCheckOutcome"] == {"check": {"outcome": {
        "appliedMeasureCodes": [JOINT + "SUSPEND-BIDDING"]}}, "errors": []}
