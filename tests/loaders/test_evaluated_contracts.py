"""ContractViewsByPurchaserLoader: a purchaser's evaluation reads only the contracts it counts,
and evaluates the same (issue 13).

On stored data (a generated dataset: contracts signed over the last four years, delivered,
accepted and paid on time, late or never), plus contracts on each edge of the evaluation
window of some days (signed on the window's start and the day after it, on the day and the
day after it; delivered on the day, the day after it, never), and a second version of the
rule values with a shorter window, every purchaser's evaluation read through the narrowed
loader equals the one computed from every contract, on days before, at and after the window
edges, 2028-02-29 among them; and the contracts read are exactly those `rules.is_evaluated`
keeps, so the test fails when the SQL twin keeps too many as when it keeps too few.
"""

from __future__ import annotations

import dataclasses
import io
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.procurement import evaluation, queries, rules
from domains.procurement.evaluation import PurchasedContract, PurchaserCredit
from domains.procurement.models import (
    ProcurementContract,
    ProcurementMilestone,
    ProcurementWeightsRow,
)
from domains.procurement.rules import ContractFacts, ContractMilestone, ProcurementWeights
from domains.subject.models import Unit
from graph.cli.dataset import generate_on_session
from graph.cli.dataset.copying import Progress
from loaders.base import KEYS, Loaders, Scope, any_key
from loaders.reader import RequestReader
from tests.conftest import TEST_SECRET, TODAY

D = date.fromisoformat
today = D(TODAY)
# The second rule version (a two-year window) is in force from SHORTER_FROM.
SHORTER_FROM = D("2028-03-01")
# Days whose window edges get contracts of their own: a leap day (3 years back is 2025-02-28,
# clamped), the first day of the shorter window, a past day and today.
EDGE_DAYS = (D("2028-02-29"), SHORTER_FROM, D("2026-01-10"), today)
DAYS = (D("2024-09-30"), *EDGE_DAYS, D("2028-02-28"), today + timedelta(days=200))
EVERY_CONTRACT = (queries.contracts_with_milestones()
                  .where(any_key(ProcurementContract.purchaser_id))
                  .order_by(ProcurementContract.code))


class EveryContractReader(RequestReader):
    """The request's reader as it was: every contract of the purchaser, whatever the day."""

    async def contracts_of(self, purchaser_id: uuid.UUID, as_of: date,
                           weights: ProcurementWeights) -> list[PurchasedContract]:
        rows = await self.registry.scope.session.execute(EVERY_CONTRACT, {KEYS: [purchaser_id]})
        return [PurchasedContract(row[0], ContractFacts(*row[2:11])) for row in rows]


async def given_shorter_window(session: AsyncSession) -> None:
    """The seeded rule values again from SHORTER_FROM, with a two-year window."""
    [first] = await session.scalars(select(ProcurementWeightsRow)
                                    .order_by(ProcurementWeightsRow.valid_from).limit(1))
    columns = {c.key: getattr(first, c.key) for c in ProcurementWeightsRow.__table__.columns
               if c.key != "id"}
    session.add(ProcurementWeightsRow(**{**columns, "valid_from": SHORTER_FROM,
                                         "evaluation_years": 2, "source": "test"}))
    await session.flush()


def stored(purchaser_id: uuid.UUID, code: str, signed_on: date,
           delivered_on: date | None) -> list[object]:
    """A contract (stored as it is, no checks) and its DELIVERED milestone, if any."""
    contract = ProcurementContract(
        id=uuid.uuid4(), code=code, title="edge", purchaser_id=purchaser_id,
        supplier_name="edge", supplier_is_sme=True, amount=Decimal("1000.00"),
        signed_on=signed_on, acceptance_days=10, payment_days=10, reported_by="test")
    if delivered_on is None:
        return [contract]
    return [contract, ProcurementMilestone(id=uuid.uuid4(), contract_id=contract.id,
                                           milestone=ContractMilestone.DELIVERED.value,
                                           on=delivered_on, recorded_by="test")]


async def given_edge_contracts(session: AsyncSession, purchaser_id: uuid.UUID,
                               versions: list[ProcurementWeights]) -> None:
    """For each edge day: signed on the window's start (out) and the day after (in), on the
    day (in) and the day after (out); delivered on the day (in), the day after (out), never."""
    for n, day in enumerate(EDGE_DAYS):
        start = rules.evaluation_window_start(day, rules.weights_in_force(versions, day))
        after = day + timedelta(days=1)
        edges = [(start, day), (start + timedelta(days=1), day), (day, day), (after, after),
                 (start + timedelta(days=1), after), (start + timedelta(days=1), None)]
        for m, (signed_on, delivered_on) in enumerate(edges):
            session.add_all(stored(purchaser_id, f"EDGE-{n}-{m}", signed_on, delivered_on))
    await session.flush()


def without_ids(credit: PurchaserCredit) -> PurchaserCredit:
    """The credit less the code -> id map (the full read maps every contract, the narrowed one
    those evaluated): what the API shows of it is compared on its own."""
    return dataclasses.replace(credit, contract_ids={})


@pytest.mark.slow
async def test_the_narrowed_contracts_change_no_evaluation(session: AsyncSession) -> None:
    # given a generated district, a shorter window from 2028-03-01, and edge contracts
    await generate_on_session(session, seed=7, scale=0.001, today=today, secret=TEST_SECRET,
                              progress=Progress(io.StringIO()))
    await given_shorter_window(session)
    purchasers = list(await session.scalars(select(Unit.id).order_by(Unit.id)))
    scope = Scope(session=session, today=today, audience="CREDIT_OFFICE")
    versions = await RequestReader(Loaders(scope)).weights_versions()
    assert [v.evaluation_years for v in versions] == [3, 2]
    await given_edge_contracts(session, purchasers[0], versions)
    kept_total = every_total = 0
    for day in DAYS:
        # when every purchaser is evaluated from the narrowed read and from every contract
        weights = await evaluation.weights_on(RequestReader(Loaders(scope)), day)
        narrowed_reader = RequestReader(Loaders(scope))
        full_reader = EveryContractReader(Loaders(scope))
        for purchaser in purchasers:
            kept = await narrowed_reader.contracts_of(purchaser, day, weights)
            every = await full_reader.contracts_of(purchaser, day, weights)
            # then the narrowed read is exactly the contracts the rules evaluate, unchanged...
            assert kept == [c for c in every if rules.is_evaluated(c.facts, day, weights)]
            kept_total += len(kept)
            every_total += len(every)
            # ...and the evaluation is the same, every breach's contract known by its id
            narrowed = await evaluation.evaluate_purchaser(narrowed_reader, purchaser, day)
            full = await evaluation.evaluate_purchaser(full_reader, purchaser, day)
            assert without_ids(narrowed) == without_ids(full)
            assert narrowed.contract_ids.items() <= full.contract_ids.items()
            assert {b.contract_code for b in full.evaluation.breaches} <= set(
                narrowed.contract_ids)
    # and the narrowing reads fewer contracts, but not none
    assert 0 < kept_total < every_total

