"""Loaders of the procurement domain: contracts, their milestones, the rule values, and a
purchaser's evaluation (`procurement_evaluation`), batched across purchasers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from domains.credit.facts import RecordFacts
from domains.procurement import queries, rules
from domains.procurement import service as procurement
from domains.procurement.models import ProcurementContract
from domains.procurement.rules import ContractFacts, ContractMilestone, ProcurementWeights
from loaders.base import Loader, Loaders, RankedPages, VersionsLoader, grouped, in_key_order
from loaders.credit import RecordFactsBySubjectLoader

MilestoneDates = dict[ContractMilestone, date]


class ProcurementContractByIdLoader(Loader[uuid.UUID, ProcurementContract | None]):
    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[ProcurementContract | None]:
        rows = await session.scalars(queries.contracts_by_ids(keys))
        return in_key_order(keys, {c.id: c for c in rows}, None)


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
        rows = (await session.execute(
            queries.contracts_with_milestones()
            .where(ProcurementContract.purchaser_id.in_(keys))
            .order_by(ProcurementContract.code))).all()
        pairs = []
        for contract, *on in rows:
            dates = {kind: day for kind, day in zip(ContractMilestone, on, strict=True) if day}
            view = ContractView(contract, dates, procurement.contract_facts(contract, dates))
            pairs.append((contract.purchaser_id, view))
        return grouped(keys, pairs)


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


async def weights_on(loaders: Loaders, day: date) -> ProcurementWeights:
    """The rule values in force on `day`, from the versions read once per request."""
    return procurement.weights_on(await ProcurementWeightsLoader.versions(loaders), day)


@dataclass(frozen=True)
class PurchaserCredit:
    """A purchaser's procurement credit on `as_of` (DOMAIN.md section 6).

    `records` are the counted PROCUREMENT records that lowered the score (`decidedOn` asc,
    then id); `contract_ids` maps each contract code of the purchaser to its id.
    """

    as_of: date
    evaluation: rules.CreditEvaluation
    records: list[RecordFacts]
    contract_ids: dict[str, uuid.UUID]

    @property
    def grade(self) -> str:
        """'A', 'B', 'C' or 'D' (restriction rows GRADE_C / GRADE_D)."""
        return self.evaluation.grade

    @property
    def score(self) -> int:
        return self.evaluation.score


async def procurement_evaluation(loaders: Loaders, unit_id: uuid.UUID,
                                 as_of: date) -> PurchaserCredit:
    """The unit's procurement credit on `as_of`, batched through the request's loaders: any
    number of units evaluated in one tick cost the same few queries (contracts with their
    milestones, replayed record facts per asOf, the rule values)."""
    views = await loaders.get(ContractViewsByPurchaserLoader).load(unit_id)
    by_id = loaders.get(ProcurementContractByIdLoader)
    for view in views:  # ProcurementBreach.contract then needs no query of its own
        by_id.prime(view.contract.id, view.contract)
    facts = await loaders.get(RecordFactsBySubjectLoader).load((unit_id, as_of))
    weights = await weights_on(loaders, as_of)
    records = rules.records_lowering_score(facts, as_of)
    general, serious = rules.record_counts(records)
    evaluation = rules.evaluate([v.facts for v in views], as_of, weights, general, serious)
    return PurchaserCredit(as_of=as_of, evaluation=evaluation, records=records,
                           contract_ids={v.contract.code: v.contract.id for v in views})
