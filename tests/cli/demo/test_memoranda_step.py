"""The demo's memoranda: two memoranda, a closed action and an open one with an overdue
signatory, read back through the API by the demo clients bound to the signatory bureaus."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from graph.cli.demo import seed
from tests.conftest import TEST_SECRET, GraphQL

ACTIONS = """
query { jointActions { totalCount edges { node {
  status initiatedOn responseDueOn closedOn memorandum { number }
  initiator { name } subject { ... on Unit { uscc } }
  signatories { unit { name } overdue response { kind respondedOn late } } } } } }"""
DRC, FINANCE = "上海市金山区发展和改革委员会", "上海市金山区财政局"
CONSTRUCTION = "上海市金山区建设和管理委员会"
RESTRICTIONS = """
query($uscc: String!) { unit(uscc: $uscc) { restrictions(scenario: INVESTMENT_APPROVAL) {
  decision measures { code appliedBy { name } } } } }"""


@pytest.mark.slow
async def test_the_demo_shows_a_closed_and_an_open_action(
        gql: GraphQL, session: AsyncSession) -> None:
    lines: list[str] = []
    await seed.load_demo(session, secret=TEST_SECRET, today=date(2026, 6, 15),
                         progress=lines.append)
    await session.commit()
    assert any("memoranda: 2 memoranda, 2 joint actions (1 closed" in line for line in lines)
    for _audience, name, key in await seed.issue_demo_keys(session):
        assert key is not None
        gql.keys[name] = key
    await session.commit()
    # the development and reform commission signed both memoranda and started both actions
    edges = (await gql.data("demo-project_approval", ACTIONS))["jointActions"]["edges"]
    opened, closed = (e["node"] for e in edges)
    assert (opened["status"], opened["memorandum"]["number"]) == ("OPEN", "金信联〔2026〕2号")
    assert (opened["initiatedOn"], opened["responseDueOn"]) == ("2026-05-26", "2026-06-02")
    assert [(s["unit"]["name"], s["overdue"], s["response"] and s["response"]["kind"])
            for s in opened["signatories"]] == [
        (DRC, False, None), (FINANCE, False, "MEASURES_APPLIED"), (CONSTRUCTION, True, None)]
    assert (closed["status"], closed["closedOn"]) == ("CLOSED", "2026-05-22")
    assert [s["response"] and s["response"]["kind"] for s in closed["signatories"]] == [
        None, "MEASURES_APPLIED", "NOT_APPLIED"]
    # the overdue bureau has it pending; the finance bureau answered everything
    pending = "{ pendingJointActions { totalCount } }"
    assert (await gql.data("demo-project_approval", pending))[
        "pendingJointActions"]["totalCount"] == 1
    assert (await gql.data("demo-procurement", pending))["pendingJointActions"][
        "totalCount"] == 0
    # and the open action's measures show in the subject's investment-approval restrictions
    data = await gql.data("demo-project_approval", RESTRICTIONS,
                          {"uscc": opened["subject"]["uscc"]})
    joint = [m for m in data["unit"]["restrictions"]["measures"]
             if m["code"].startswith("JOINT:")]
    memo = "JOINT:金信联〔2026〕2号:"
    assert [(m["code"], [u["name"] for u in m["appliedBy"]]) for m in joint] == [
        (memo + "INVESTMENT_APPROVAL.SERIOUS.RESTRICT", [DRC]),
        (memo + "SPOT-CHECK", [CONSTRUCTION]),
        (memo + "GOVERNMENT_PROCUREMENT.SERIOUS.RECTIFICATION", [FINANCE])]
