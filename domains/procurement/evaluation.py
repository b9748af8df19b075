"""A purchaser's procurement credit (DOMAIN.md section 6), read through a `ProcurementReader`.

The rules (`domains.procurement.rules`) are pure; this module says what they are fed: the
purchaser's contracts with their milestones, its records replayed for asOf, the rule values in
force. It reads them through a small interface rather than a session, so that the request's
loaders (loaders.reader.RequestReader) can batch the reads of every purchaser evaluated in one
request into the same few statements, and a test can hand it plain values instead.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from domains.credit.facts import RecordFacts
from domains.procurement import rules
from domains.procurement import service as procurement
from domains.procurement.rules import ContractFacts, ProcurementWeights


@dataclass(frozen=True)
class PurchasedContract:
    """One stored contract of a purchaser: its id and what the rules take of it."""

    id: uuid.UUID
    facts: ContractFacts


class ProcurementReader(Protocol):
    """What a purchaser's evaluation reads. Each call is for one key; an implementation may
    batch concurrent calls (the loaders do), so callers await them one stage at a time."""

    async def contracts_of(self, purchaser_id: uuid.UUID, as_of: date,
                           weights: ProcurementWeights) -> list[PurchasedContract]:
        """The contracts the unit signed as purchaser, with their milestones, by code: every
        one, or at least those evaluated on `as_of` with `weights` (`rules.is_evaluated`,
        the only ones an evaluation counts)."""
        ...

    async def record_facts(self, subject_id: uuid.UUID, as_of: date) -> list[RecordFacts]:
        """The subject's records decided on or before `as_of`, each replayed for it: every
        one, or at least those in force on `as_of` (the only ones a score counts)."""
        ...

    async def weights_versions(self) -> list[ProcurementWeights]:
        """Every version of the section 6 rule values, oldest first."""
        ...


@dataclass(frozen=True)
class PurchaserCredit:
    """A purchaser's procurement credit on `as_of` (DOMAIN.md section 6).

    `records` are the counted PROCUREMENT records that lowered the score (`decidedOn` asc,
    then id); `contract_ids` maps the code of each contract read (every one evaluated, so every
    breach's) to its id.
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


async def weights_on(reader: ProcurementReader, day: date) -> ProcurementWeights:
    """The rule values in force on `day` (the first version for a day before every version)."""
    return procurement.weights_on(await reader.weights_versions(), day)


async def evaluate_purchaser(reader: ProcurementReader, unit_id: uuid.UUID,
                             as_of: date) -> PurchaserCredit:
    """The unit's procurement credit on `as_of`: its contracts' breaches and its counted
    PROCUREMENT records, scored with the rule values in force on `as_of`.

    The reads come one after the other in a fixed order (rule values, contracts, records), so
    that evaluations running side by side ask for the same thing in the same tick and a
    batching reader answers all of them with one statement per stage. The rule values come
    first (a process keeps them): their evaluation window narrows the contracts read.
    """
    weights = await weights_on(reader, as_of)
    contracts = await reader.contracts_of(unit_id, as_of, weights)
    facts = await reader.record_facts(unit_id, as_of)
    records = rules.records_lowering_score(facts, as_of)
    general, serious = rules.record_counts(records)
    evaluation = rules.evaluate([c.facts for c in contracts], as_of, weights, general, serious)
    return PurchaserCredit(as_of=as_of, evaluation=evaluation, records=records,
                           contract_ids={c.facts.code: c.id for c in contracts})
