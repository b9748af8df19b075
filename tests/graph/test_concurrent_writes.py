"""Concurrent writes of one new natural key (issue 7): 20 requests at once over HTTP, each
with its own session and connection (real concurrency in PostgreSQL), against a database of
their own that is dropped afterwards (they commit, and nothing can be deleted here).

Each answers the idempotent accept, an update, or a payload error; never INTERNAL; and what is
stored afterwards is consistent (one person, one open employment, no overlapping periods)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from domains.core.ids import from_global_id
from domains.procurement.models import ProcurementContract, ProcurementMilestone
from domains.subject.models import Employment, Unit
from tests.graph.support import CALLS, Clients, clients_in_own_database
from tests.support import id_number, unit_code

# Each test here takes seconds: the quick loop (pytest -m "not slow") leaves them out.
pytestmark = pytest.mark.slow

FINANCE, TAX = unit_code(91), unit_code(92)
NEWCOMER = id_number(91)

REGISTER_UNITS = """
mutation($units: [UnitInput!]!) {
  registerUnits(units: $units) { accepted ids errors { index field code } } }"""
REGISTER_PEOPLE = """
mutation($people: [CivilServantInput!]!) {
  registerCivilServants(people: $people) { accepted ids errors { index field code } } }"""
CONTRACTS = """
mutation($contracts: [ProcurementContractInput!]!) {
  registerProcurementContracts(contracts: $contracts) { accepted ids errors { field code } } }"""
MILESTONES = """
mutation($milestones: [ContractMilestoneInput!]!) {
  recordContractMilestones(milestones: $milestones) { accepted ids errors { field code } } }"""


@pytest.fixture(scope="module")
async def clients(database_url: str) -> AsyncIterator[Clients]:
    async with clients_in_own_database(database_url) as found:
        yield found


async def test_one_new_unit_registered_twenty_times_at_once_is_one_unit(
        clients: Clients) -> None:
    rows = [{"units": [{"uscc": FINANCE, "name": f"金山区财政局{n}", "kind": "GOVERNMENT_ORGAN"}]}
            for n in range(CALLS)]
    answers = await clients.at_once("CREDIT_OFFICE", REGISTER_UNITS, rows)
    assert {a["registerUnits"]["accepted"] for a in answers} == {1}
    assert len({a["registerUnits"]["ids"][0] for a in answers}) == 1
    async with clients.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Unit)) == 1


@pytest.mark.parametrize("known", [False, True], ids=["new person", "known person"])
async def test_one_person_with_twenty_starts_at_once_keeps_one_consistent_history(
        clients: Clients, known: bool) -> None:
    await clients.call("CREDIT_OFFICE", REGISTER_UNITS, {"units": [
        {"uscc": FINANCE, "name": "金山区财政局", "kind": "GOVERNMENT_ORGAN"},
        {"uscc": TAX, "name": "金山区税务局", "kind": "GOVERNMENT_ORGAN"}]})
    number = id_number(93) if known else NEWCOMER
    person = {"idNumber": number, "name": "周晓明"}
    if known:  # employed since 2019: each new start closes the open employment
        await clients.call("PERSONNEL", REGISTER_PEOPLE, {"people": [
            {**person, "unitUscc": TAX, "startedOn": "2019-01-01"}]})
    starts = [date(2020, 1, 1) + timedelta(days=30 * n) for n in range(CALLS)]
    rows = [{"people": [{**person, "unitUscc": (FINANCE, TAX)[n % 2],
                         "startedOn": day.isoformat()}]} for n, day in enumerate(starts)]
    answers = await clients.at_once("PERSONNEL", REGISTER_PEOPLE, rows)
    payloads = [a["registerCivilServants"] for a in answers]
    # each was written in turn, or refused as an earlier start than the stored one
    assert all(p["accepted"] == 1 or p["errors"] == [
        {"index": 0, "field": "startedOn", "code": "INVALID_VALUE"}] for p in payloads)
    [person_id] = {p["ids"][0] for p in payloads if p["ids"]}
    async with clients.sessionmaker() as session:
        history = (await session.execute(
            select(Employment.started_on, Employment.ended_on).where(
                Employment.civil_servant_id == from_global_id(person_id, "CivilServant"))
            .order_by(Employment.started_on))).all()
    accepted = sorted(day for day, p in zip(starts, payloads, strict=True) if p["accepted"])
    accepted = [date(2019, 1, 1)] * known + accepted
    assert [start for start, _ in history] == accepted
    assert [end for _, end in history].count(None) == 1 and history[-1][1] is None
    for (_, end), (next_start, _) in zip(history, history[1:], strict=False):
        assert end == next_start - timedelta(days=1)  # closed the day before: no overlap


async def test_one_new_contract_and_its_milestone_sent_twenty_times_at_once(
        clients: Clients) -> None:
    await clients.call("CREDIT_OFFICE", REGISTER_UNITS, {"units": [
        {"uscc": FINANCE, "name": "金山区财政局", "kind": "GOVERNMENT_ORGAN"}]})
    contract = {"code": "CG-CONCURRENT-1", "title": "办公设备", "purchaserUscc": FINANCE,
                "supplierName": "某公司", "supplierIsSme": True, "amount": "100.00",
                "signedOn": "2026-01-05"}
    answers = await clients.at_once("PROCUREMENT", CONTRACTS, [{"contracts": [contract]}] * CALLS)
    assert {a["registerProcurementContracts"]["accepted"] for a in answers} == {1}
    delivered = [{"milestones": [{"contractCode": "CG-CONCURRENT-1", "milestone": "DELIVERED",
                                  "on": f"2026-02-{1 + n % 2:02d}"}]} for n in range(CALLS)]
    answers = await clients.at_once("PROCUREMENT", MILESTONES, delivered)
    payloads = [a["recordContractMilestones"] for a in answers]
    assert all(p["accepted"] == 1 or p["errors"] == [{"field": "on", "code": "CONFLICT"}]
               for p in payloads)
    async with clients.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(ProcurementContract)) == 1
        [day] = (await session.scalars(select(ProcurementMilestone.on))).all()
    # the same date again is the idempotent accept, the other one CONFLICT
    assert all((p["accepted"] == 1) == (d["milestones"][0]["on"] == day.isoformat())
               for p, d in zip(payloads, delivered, strict=True))
