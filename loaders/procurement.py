"""Loaders of the procurement domain: contracts, their milestones and the rule values. A
purchaser's evaluation is domains.procurement.evaluation, read through loaders.reader."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Row, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.procurement import queries
from domains.procurement import service as procurement
from domains.procurement.models import ProcurementContract
from domains.procurement.rules import ContractFacts, ContractMilestone, ProcurementWeights
from loaders.base import (
    KEYS,
    Loader,
    RankedPages,
    Scope,
    VersionsLoader,
    any_key,
    grouped,
    in_key_order,
)

MilestoneDates = dict[ContractMilestone, date]


class ProcurementContractByIdLoader(Loader[uuid.UUID, ProcurementContract | None]):
    """A contract by id. The contracts of a purchaser's evaluation are known to it (`know`):
    a breach's `contract` is then built from the columns already read, without a statement."""

    def __init__(self, scope: Scope) -> None:
        super().__init__(scope)
        self._known: dict[uuid.UUID, ContractView] = {}

    def know(self, views: Iterable[ContractView]) -> None:
        """Contracts read with their columns (ContractViewsByPurchaserLoader)."""
        self._known.update((view.id, view) for view in views)

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[ProcurementContract | None]:
        found: dict[uuid.UUID, ProcurementContract | None] = {
            k: self._known[k].entity() for k in keys if k in self._known}
        missing = [k for k in keys if k not in found]
        if missing:
            found.update({c.id: c for c in await session.scalars(CONTRACTS_BY_ID,
                                                                 {KEYS: missing})})
        return in_key_order(keys, found, None)


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


class ContractView(NamedTuple):
    """A stored contract as a row of its columns (no ORM entity: most only become facts) and
    the facts the rules take."""

    id: uuid.UUID
    row: Row[Any]
    facts: ContractFacts

    def entity(self) -> ProcurementContract:
        """The contract as an entity for the GraphQL types, built from the row: transient
        (read only, never added to the session)."""
        mapping = self.row._mapping
        return ProcurementContract(**{c.key: mapping[c.key] for c in queries.CONTRACT_COLUMNS})


EvaluationKey = tuple[uuid.UUID, date, ProcurementWeights]


class ContractViewsByPurchaserLoader(Loader[EvaluationKey, list[ContractView]]):
    """(purchaser, asOf, rule values in force) -> the contracts its evaluation counts on asOf
    (`rules.is_evaluated`), with their milestones, by code: one query per day and rule values
    asked in the batch (a request normally asks one). PostgreSQL leaves out the contracts
    signed outside the window or not yet delivered, so neither the wire nor Python carries
    them."""

    async def fetch(self, session: AsyncSession,
                    keys: list[EvaluationKey]) -> Sequence[list[ContractView]]:
        pairs: list[tuple[EvaluationKey, ContractView]] = []
        for day, weights in dict.fromkeys((day, weights) for _, day, weights in keys):
            purchasers = [p for p, d, w in keys if (d, w) == (day, weights)]
            rows = await session.execute(contract_views(day, weights), {KEYS: purchasers})
            # by position (contracts_with_milestones): id, purchaser, ContractFacts' fields
            pairs.extend(((row[1], day, weights), ContractView(row[0], row,
                                                               ContractFacts(*row[2:11])))
                         for row in rows)
        return grouped(keys, pairs)


@lru_cache(maxsize=64)
def contract_views(as_of: date, weights: ProcurementWeights) -> Select[Any]:
    """The contracts of the purchasers `:keys` that an evaluation counts on `as_of`, by code:
    built once per day and rule values asked."""
    return (queries.evaluated_contracts(as_of, weights)
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
