"""An in-memory `AssessmentReader` (and so `ProcurementReader`): the domains' decisions tested
with plain values, no database. The real one is loaders.reader.RequestReader, tested through
the API (tests/graph/restriction, tests/graph/procurement) and tests/loaders/test_reader.py."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from domains.credit.facts import RecordFacts
from domains.memorandum.rules import OpenAction
from domains.procurement.evaluation import PurchasedContract
from domains.procurement.rules import ProcurementWeights
from domains.restriction.assessing import AssessmentReader
from domains.restriction.defaults import DEFAULT_MEASURE_ROWS, DEFAULT_SANCTION_PERIODS
from domains.restriction.promotion import SanctionPeriods
from domains.restriction.rules import MeasureRow
from tests.domains.procurement.test_rules import WEIGHTS


@dataclass
class FakeReader:
    """Stored values by subject; the seeded rule tables by default. `reads` lists every read
    in the order asked, so a test can say what a decision needed and what it left alone."""

    records: dict[uuid.UUID, list[RecordFacts]] = field(default_factory=dict)
    contracts: dict[uuid.UUID, list[PurchasedContract]] = field(default_factory=dict)
    actions: dict[uuid.UUID, list[OpenAction]] = field(default_factory=dict)
    rows: list[MeasureRow] = field(default_factory=lambda: list(DEFAULT_MEASURE_ROWS))
    periods: list[SanctionPeriods] = field(default_factory=lambda: [DEFAULT_SANCTION_PERIODS])
    weights: list[ProcurementWeights] = field(default_factory=lambda: [WEIGHTS])
    reads: list[str] = field(default_factory=list)

    async def record_facts(self, subject_id: uuid.UUID, as_of: date) -> list[RecordFacts]:
        """The records decided by `as_of` (their status is taken as already replayed)."""
        self.reads.append("record_facts")
        return [r for r in self.records.get(subject_id, []) if r.decided_on <= as_of]

    async def contracts_of(self, purchaser_id: uuid.UUID, as_of: date,
                           weights: ProcurementWeights) -> list[PurchasedContract]:
        """Every contract, evaluated or not (the protocol allows it; the rules filter)."""
        self.reads.append("contracts_of")
        return list(self.contracts.get(purchaser_id, []))

    async def weights_versions(self) -> list[ProcurementWeights]:
        self.reads.append("weights_versions")
        return list(self.weights)

    async def measure_rows(self) -> list[MeasureRow]:
        self.reads.append("measure_rows")
        return list(self.rows)

    async def sanction_periods(self) -> list[SanctionPeriods]:
        self.reads.append("sanction_periods")
        return list(self.periods)

    async def open_actions(self, subject_id: uuid.UUID, as_of: date) -> list[OpenAction]:
        self.reads.append("open_actions")
        return list(self.actions.get(subject_id, []))


def _conforms(reader: FakeReader) -> AssessmentReader:
    """mypy checks here that the fake implements the whole Protocol."""
    return reader
