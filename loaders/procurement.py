"""Loaders of the procurement domain: contracts, their milestones and the rule values. A
purchaser's evaluation is domains.procurement.evaluation, read through loaders.reader."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.procurement import queries
from domains.procurement import service as procurement
from domains.procurement.models import ProcurementContract
from domains.procurement.rules import ContractFacts, ContractMilestone, ProcurementWeights
from loaders.base import (
    KEYS,
    Loader,
    RankedPages,
    VersionsLoader,
    any_key,
    grouped,
    in_key_order,
)

MilestoneDates = dict[ContractMilestone, date]


class ProcurementContractByIdLoader(Loader[uuid.UUID, ProcurementContract | None]):
    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[ProcurementContract | None]:
        rows = await session.scalars(CONTRACTS_BY_ID, {KEYS: keys})
        return in_key_order(keys, {c.id: c for c in rows}, None)


CONTRACTS_BY_ID = select(ProcurementContract).where(any_key(ProcurementContract.id))


class ProcurementContractByCodeLoader(Loader[str, ProcurementContract | None]):
    """Keys are normalised codes (blanks stripped, upper-cased)."""

    async def fetch(self, session: AsyncSession,
                    keys: list[str]) -> Sequence[ProcurementContract | None]:
        rows = await session.scalars(queries.contracts_by_codes(keys))
        return in_key_order(keys, {c.code: c for c in rows}, None)


class MilestonesByContractLoader(Loader[uuid.UUID, MilestoneDates]):
    """The recorded milestone dates of a contract (empty before delivery)."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[MilestoneDates]:
        found = await procurement.milestone_dates(session, keys)
        return [found.get(key, {}) for key in keys]


@dataclass(frozen=True)
class ContractView:
    """A stored contract with its milestone dates and the facts the rules take."""

    contract: ProcurementContract
    dates: MilestoneDates
    facts: ContractFacts


class ContractViewsByPurchaserLoader(Loader[uuid.UUID, list[ContractView]]):
    """Every contract of a purchaser with its milestones, by code: one query per batch."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[list[ContractView]]:
        rows = (await session.execute(CONTRACT_VIEWS, {KEYS: keys})).all()
        pairs = []
        for contract, *on in rows:
            dates = {kind: day for kind, day in zip(ContractMilestone, on, strict=True) if day}
            view = ContractView(contract, dates, procurement.contract_facts(contract, dates))
            pairs.append((contract.purchaser_id, view))
        return grouped(keys, pairs)


# built once: every purchaser's contracts with their milestone dates, by code
CONTRACT_VIEWS = (queries.contracts_with_milestones()
                  .where(any_key(ProcurementContract.purchaser_id))
                  .order_by(ProcurementContract.code))

PurchaserPageKey = tuple[uuid.UUID, int, int]


class ProcurementContractsByPurchaserLoader(
        Loader[PurchaserPageKey, tuple[list[ProcurementContract], int]]):
    """A page (purchaser, offset, limit) of a purchaser's contracts, newest signature first,
    with the total: one query for every purchaser of the batch (a window function)."""

    async def fetch(self, session: AsyncSession, keys: list[PurchaserPageKey],
                    ) -> Sequence[tuple[list[ProcurementContract], int]]:
        last = max(offset + limit for _, offset, limit in keys)
        rows = (await session.execute(
            queries.ranked_contracts({k[0] for k in keys}, last))).all()
        pages = RankedPages((c.purchaser_id, n, total, c) for c, n, total in rows)
        return [pages.page(purchaser_id, offset, limit) for purchaser_id, offset, limit in keys]


class ProcurementWeightsLoader(VersionsLoader[ProcurementWeights]):
    """Every version of the rule values: read once per request."""

    async def read(self, session: AsyncSession) -> list[ProcurementWeights]:
        return await procurement.weights_versions(session)
