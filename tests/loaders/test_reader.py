"""loaders.reader.RequestReader: the domains' reader over the request's loaders, on PostgreSQL.

The domain functions await one read after another; what keeps a list of subjects at the cost
of one is that assessments running side by side meet in each loader's batch."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domains.procurement.models import ProcurementContract
from domains.procurement.queries import CONTRACT_COLUMNS
from domains.procurement.rules import ContractFacts
from domains.restriction import assessing
from loaders.base import Loaders, Scope
from loaders.procurement import ProcurementContractByIdLoader, contract_views
from loaders.reader import RequestReader
from tests.domains.procurement.support import contract
from tests.domains.procurement.test_rules import WEIGHTS
from tests.graph.restriction.support import add_record, add_unit

TODAY = date(2026, 6, 15)
# measure rows, record facts, contracts with milestones, procurement weights, open actions
ONE_STATEMENT_PER_LOADER = 5


def scope(session: AsyncSession) -> Scope:
    return Scope(session=session, today=TODAY, audience="CREDIT_OFFICE")


async def test_side_by_side_assessments_share_one_statement_per_loader(
        session: AsyncSession, count_statements: Any) -> None:
    # given three units with a SERIOUS PROCUREMENT record each
    units = [await add_unit(session, n) for n in range(1, 4)]
    for unit in units:
        await add_record(session, unit, f"R-{unit.uscc}", domain="PROCUREMENT",
                         severity="SERIOUS")
    # when one unit is assessed in GOVERNMENT_PROCUREMENT (its grade evaluated), then three
    # side by side through one reader
    with count_statements() as one:
        alone = await assessing.assessment(RequestReader(Loaders(scope(session))), "UNIT",
                                           units[0].id, "GOVERNMENT_PROCUREMENT", TODAY)
    reader = RequestReader(Loaders(scope(session)))
    with count_statements() as three:
        together = await asyncio.gather(*(
            assessing.assessment(reader, "UNIT", unit.id, "GOVERNMENT_PROCUREMENT", TODAY)
            for unit in units))
    # then each loader sent one statement, for one unit as for three, and the answers agree
    assert (one.count, three.count) == (ONE_STATEMENT_PER_LOADER, ONE_STATEMENT_PER_LOADER)
    assert [a.decision for a in together] == [alone.decision] * 3 == ["REVIEW"] * 3
    assert [m.code for m in together[0].measures] == [m.code for m in alone.measures]


async def test_a_reader_under_lock_reads_while_its_caller_holds_the_session(
        session: AsyncSession) -> None:
    """checkRestrictions runs inside Context.write, which holds the request's lock: a reader
    on the request's own loaders would wait for it forever."""
    request = scope(session)
    async with request.lock:
        rows = await asyncio.wait_for(RequestReader.under_lock(request).measure_rows(), 30)
    assert rows and all(row.code for row in rows)


async def test_a_breached_contract_comes_from_the_evaluation_without_a_statement(
        session: AsyncSession, count_statements: Any) -> None:
    """The evaluation reads a purchaser's contracts as plain rows; the contract of a breach
    is then built from its row by the by-id loader: no statement, the stored values."""
    unit = await add_unit(session, 7)
    contract_id = await contract(session, "JS-7", purchaser=unit.uscc,
                                 delivered=date(2026, 3, 2))
    reader = RequestReader(Loaders(scope(session)))
    [purchased] = await reader.contracts_of(unit.id, TODAY, WEIGHTS)
    with count_statements() as counter:
        built = await reader.registry.get(ProcurementContractByIdLoader).load(contract_id)
    stored = await session.get(ProcurementContract, contract_id)
    assert counter.count == 0 and purchased.id == contract_id
    assert built is not None and stored is not None and built is not stored
    columns = [c.key for c in CONTRACT_COLUMNS]
    assert [getattr(built, c) for c in columns] == [getattr(stored, c) for c in columns]
    assert purchased.facts.delivered_on == date(2026, 3, 2)


def test_the_contract_views_columns_are_the_contract_facts_fields_in_order() -> None:
    """ContractViewsByPurchaserLoader builds ContractFacts from columns 2 to 10 by position,
    and the entity from every column by name."""
    names = [c.name for c in contract_views(TODAY, WEIGHTS).selected_columns]
    assert names[:2] == ["id", "purchaser_id"]
    assert names[2:11] == [f.name for f in dataclasses.fields(ContractFacts)]
    assert sorted(names) == sorted([c.key for c in CONTRACT_COLUMNS]
                                   + ["delivered_on", "accepted_on", "paid_on"])
