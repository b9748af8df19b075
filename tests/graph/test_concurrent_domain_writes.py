"""Concurrent writes of one new key in the PPP, investment and memorandum domains (issue 7):
the harness of tests/graph/test_concurrent_writes.py (20 requests at once, one connection
each, a database of their own). Half the requests send one content, half another: each answers
the idempotent accept (or an update, where the key is updatable) or CONFLICT, never INTERNAL,
and one row is stored for the key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, cast

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import DeclarativeBase

from domains.core.ids import to_global_id
from domains.credit.models import CreditRecord
from domains.investment.models import InvestmentApproval, InvestmentProject, InvestmentViolation
from domains.memorandum.models import JointAction, JointActionResponse, MemorandumVersion
from domains.ppp.models import PppEvent, PppProject, PppResponsibility
from tests.conftest import GraphQL
from tests.graph.investment import support as inv
from tests.graph.memorandum import support as memo
from tests.graph.ppp import support as ppp
from tests.graph.restriction.support import add_record
from tests.graph.support import CALLS, Clients, clients_in_own_database

# Each test here takes seconds: the quick loop (pytest -m "not slow") leaves them out.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
async def clients(database_url: str) -> AsyncIterator[Clients]:
    async with clients_in_own_database(database_url) as found:
        yield found


def gql(clients: Clients) -> GraphQL:
    """For the support modules' set-up helpers, which use gql.data and gql.keys only."""
    return cast(GraphQL, clients)


async def stored(clients: Clients, model: type[DeclarativeBase]) -> int:
    async with clients.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


INVESTMENT: list[bool] = []


async def given_investment(clients: Clients) -> None:
    """A PROJECT_APPROVAL client, the departments and project inv.CODE."""
    if not INVESTMENT:
        INVESTMENT.append(True)
        await inv.given_departments(gql(clients))
        await clients.call("PROJECT_APPROVAL", inv.REGISTER, {"projects": [inv.project()]})


def outcomes(payloads: list[dict[str, Any]]) -> set[tuple[int, tuple[str, ...]]]:
    return {(p["accepted"], tuple(e["code"] for e in p["errors"])) for p in payloads}


async def test_one_new_ppp_project_registered_twenty_times_at_once(clients: Clients) -> None:
    await ppp.given_agencies_and_people(gql(clients))
    rows = [{"projects": [ppp.project("PPP-CONCURRENT-1", name=f"项目{n % 2}")]}
            for n in range(CALLS)]
    answers = await clients.at_once("CREDIT_OFFICE", ppp.REGISTER, rows)
    payloads = [a["registerPppProjects"] for a in answers]
    assert outcomes(payloads) == {(1, ())}  # a re-sent project is updated
    assert len({p["ids"][0] for p in payloads}) == 1
    assert await stored(clients, PppProject) == 1


async def test_one_new_ppp_responsibility_assigned_twenty_times_at_once(
        clients: Clients) -> None:
    await ppp.given_agencies_and_people(gql(clients))
    await clients.call("CREDIT_OFFICE", ppp.REGISTER, {"projects": [ppp.project()]})
    same_key = [{"assignments": [ppp.assignment(ppp.LI, "2025-01-01", role=f"负责人{n % 2}")]}
                for n in range(CALLS)]
    personnel = await clients.add_clients("personnel", "PERSONNEL")  # each its own budget
    answers = await clients.at_once(personnel, ppp.ASSIGN, same_key)
    assert outcomes([a["assignPppResponsibilities"] for a in answers]) == {(1, ())}
    # open periods from twenty different days: only one may stand, across batches too
    overlapping = [{"assignments": [ppp.assignment(ppp.ZHANG, f"2025-02-{1 + n:02d}")]}
                   for n in range(CALLS)]
    answers = await clients.at_once(personnel, ppp.ASSIGN, overlapping)
    assert outcomes([a["assignPppResponsibilities"] for a in answers]) == {
        (1, ()), (0, ("OVERLAPPING_ASSIGNMENT",))}
    assert sum(a["assignPppResponsibilities"]["accepted"] for a in answers) == 1
    assert await stored(clients, PppResponsibility) == 2


async def test_one_new_ppp_event_recorded_twenty_times_at_once(clients: Clients) -> None:
    await ppp.given_agencies_and_people(gql(clients))
    await clients.call("CREDIT_OFFICE", ppp.REGISTER, {"projects": [ppp.project()]})
    rows = [{"events": [ppp.event("EV-CONCURRENT-1", f"2026-03-0{1 + n % 2}")]}
            for n in range(CALLS)]
    answers = await clients.at_once("CREDIT_OFFICE", ppp.RECORD, rows)
    payloads = [a["recordPppEvents"] for a in answers]
    assert outcomes(payloads) == {(1, ()), (0, ("CONFLICT",))}
    assert await stored(clients, PppEvent) == 1
    assert len({p["ids"][0] for p in payloads if p["accepted"]}) == 1


async def test_one_new_investment_project_registered_twenty_times_at_once(
        clients: Clients) -> None:
    await given_investment(clients)
    rows = [{"projects": [inv.project("INV-CONCURRENT-1", name=f"工程{n % 2}")]}
            for n in range(CALLS)]
    answers = await clients.at_once("PROJECT_APPROVAL", inv.REGISTER, rows)
    payloads = [a["registerInvestmentProjects"] for a in answers]
    assert outcomes(payloads) == {(1, ())}  # a re-sent project is updated
    assert len({p["ids"][0] for p in payloads}) == 1
    assert await stored(clients, InvestmentProject) == 2  # and inv.CODE


async def test_one_new_investment_approval_recorded_twenty_times_at_once(
        clients: Clients) -> None:
    await given_investment(clients)
    rows = [{"approvals": [inv.approval("PROJECT_PROPOSAL", "2026-01-05", "2026-01-20",
                                        approvalNumber=f"金发改〔2026〕{n % 2}号")]}
            for n in range(CALLS)]
    answers = await clients.at_once("PROJECT_APPROVAL", inv.APPROVALS, rows)
    payloads = [a["recordInvestmentApprovals"] for a in answers]
    assert outcomes(payloads) == {(1, ()), (0, ("CONFLICT",))}  # approved: frozen
    assert await stored(clients, InvestmentApproval) == 1


async def test_one_new_investment_violation_recorded_twenty_times_at_once(
        clients: Clients) -> None:
    await given_investment(clients)
    rows = [{"violations": [inv.violation("WG-CONCURRENT-1", occurredOn=f"2026-03-0{1 + n % 2}")]}
            for n in range(CALLS)]
    answers = await clients.at_once("CREDIT_OFFICE", inv.VIOLATIONS, rows)
    payloads = [a["recordInvestmentViolations"] for a in answers]
    assert outcomes(payloads) == {(1, ()), (0, ("CONFLICT",))}
    assert await stored(clients, InvestmentViolation) == 1
    async with clients.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(CreditRecord).where(
            CreditRecord.investment_project_id.is_not(None))) == 1


def memo_errors(payloads: list[dict[str, Any]], key: str) -> set[tuple[str, ...]]:
    return {tuple(e["code"] for e in p["errors"]) for p in payloads if p[key] is None}


async def given_memorandum(clients: Clients) -> tuple[memo.District, list[str]]:
    """The memorandum district, memorandum NUMBER registered, and two findings of the
    purchaser (global ids), once per module."""
    if not DISTRICT:
        async with clients.sessionmaker() as session:
            district = await memo.given_district(session, gql(clients))
            second = await add_record(session, district.purchaser, "F-2", severity="SERIOUS")
            await session.commit()
        await memo.registered(gql(clients), district)
        DISTRICT.append((district, [to_global_id("CreditRecord", r.id)
                                    for r in (district.finding, second)]))
    return DISTRICT[0]


DISTRICT: list[tuple[memo.District, list[str]]] = []


async def test_one_new_memorandum_registered_twenty_times_at_once(clients: Clients) -> None:
    district, _ = await given_memorandum(clients)
    drafts = [{"input": memo.memorandum(district, number="金信联〔2026〕2号",
                                        title=f"备忘录{n % 2}")} for n in range(CALLS)]
    payloads = [a["registerMemorandum"] for a in
                await clients.at_once("CREDIT_OFFICE", memo.REGISTER, drafts)]
    assert memo_errors(payloads, "memorandum") == {("CONFLICT",)}
    assert len({p["memorandum"]["id"] for p in payloads if p["memorandum"]}) == 1
    assert await stored(clients, MemorandumVersion) == 2  # and NUMBER's


async def test_one_new_joint_action_initiated_twenty_times_at_once(clients: Clients) -> None:
    district, basis = await given_memorandum(clients)
    starts = [{"input": memo.action_input(district, "CG-CONCURRENT-1",
                                          basisRecordIds=basis[:1 + n % 2])}
              for n in range(CALLS)]
    payloads = [a["initiateJointAction"] for a in
                await clients.at_once(memo.FINANCE, memo.INITIATE, starts)]
    assert memo_errors(payloads, "action") == {("CONFLICT",)}
    assert len({p["action"]["id"] for p in payloads if p["action"]}) == 1
    async with clients.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(JointAction).where(
            JointAction.case_ref == "CG-CONCURRENT-1")) == 1


async def test_one_new_response_sent_twenty_times_at_once(clients: Clients) -> None:
    district, _ = await given_memorandum(clients)
    action_id = (await memo.initiated(gql(clients), district, "CG-CONCURRENT-2"))["id"]
    uscc = district.units[memo.DRC].uscc
    answers = [{"input": memo.response(action_id, uscc, codes=[
        "INVESTMENT_APPROVAL.SERIOUS.RESTRICT"]) if n % 2 else memo.response(
        action_id, uscc, kind="NOT_APPLIED", reason="无在审项目")} for n in range(CALLS)]
    payloads = [a["respondToJointAction"] for a in
                await clients.at_once(await clients.add_clients("drc", "PROCUREMENT", [uscc]),
                                      memo.RESPOND, answers)]
    assert memo_errors(payloads, "action") == {("CONFLICT",)}
    assert await stored(clients, JointActionResponse) == 1
