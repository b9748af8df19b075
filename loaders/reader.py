"""The domains' readers implemented by the request's loaders.

domains.restriction.assessing and domains.procurement.evaluation decide; they read through
`AssessmentReader` / `ProcurementReader`. `RequestReader` answers each read with one loader,
so the assessments of fifty subjects asked side by side in one request share each loader's
batch: one statement per loader whatever the number of subjects or records. Nothing here
decides: it maps loaded rows to the values the domain interfaces name.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import date

from domains.credit.facts import RecordFacts
from domains.memorandum.rules import MeasureSpec, OpenAction
from domains.procurement.evaluation import PurchasedContract
from domains.procurement.rules import ProcurementWeights
from domains.restriction.promotion import SanctionPeriods
from domains.restriction.rules import MeasureRow
from loaders.base import Loaders, Scope
from loaders.credit import DecisionFactsBySubjectLoader
from loaders.memorandum import OpenActionsBySubjectLoader, SignatoriesByVersionLoader
from loaders.procurement import (
    ContractViewsByPurchaserLoader,
    ProcurementContractByIdLoader,
    ProcurementWeightsLoader,
)
from loaders.restriction import MeasureRowsLoader, SanctionPeriodsLoader


class RequestReader:
    """`AssessmentReader` (and so `ProcurementReader`) over a request's loader registry."""

    def __init__(self, registry: Loaders) -> None:
        self.registry = registry

    @classmethod
    def under_lock(cls, scope: Scope) -> RequestReader:
        """A reader for a service that runs while its caller holds `scope.lock` (a write):
        loaders of their own, on the same session, behind a lock of their own, since the
        request's lock is taken and an asyncio lock cannot be taken twice."""
        return cls(Loaders(replace(scope, lock=asyncio.Lock())))

    async def record_facts(self, subject_id: uuid.UUID, as_of: date) -> list[RecordFacts]:
        """The records a decision on `as_of` can use (assessing.may_decide), not every one."""
        facts: list[RecordFacts] = await self.registry.get(DecisionFactsBySubjectLoader).load(
            (subject_id, as_of))
        return facts

    async def measure_rows(self) -> list[MeasureRow]:
        return await MeasureRowsLoader.versions(self.registry)

    async def sanction_periods(self) -> list[SanctionPeriods]:
        return await SanctionPeriodsLoader.versions(self.registry)

    async def weights_versions(self) -> list[ProcurementWeights]:
        return await ProcurementWeightsLoader.versions(self.registry)

    async def contracts_of(self, purchaser_id: uuid.UUID, as_of: date,
                           weights: ProcurementWeights) -> list[PurchasedContract]:
        """The contracts evaluated on `as_of`; the by-id loader knows them, so a breach's
        `contract` field needs no statement of its own."""
        views = await self.registry.get(ContractViewsByPurchaserLoader).load(
            (purchaser_id, as_of, weights))
        self.registry.get(ProcurementContractByIdLoader).know(views)
        return [PurchasedContract(view.id, view.facts) for view in views]

    async def open_actions(self, subject_id: uuid.UUID, as_of: date) -> list[OpenAction]:
        """The open actions with their signatories' measures: the signatories of every
        subject's actions come in one batch after the actions' own."""
        rows = await self.registry.get(OpenActionsBySubjectLoader).load((subject_id, as_of))
        if not rows:
            return []
        signed = await self.registry.get(SignatoriesByVersionLoader).load_many(
            [row.version_id for row in rows])
        return [OpenAction(
            action_id=row.action_id, version_id=row.version_id, number=row.number,
            scenario=row.scenario, valid_until=row.valid_until,
            basis_ids=tuple(row.basis_record_ids),
            signatories=tuple((s.unit_id, tuple(MeasureSpec.of(m) for m in s.measures))
                              for s in signatories))
            for row, signatories in zip(rows, signed, strict=True)]
