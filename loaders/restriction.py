"""Loaders of the restriction domain: the rule tables, stored checks, and the assessments built
on them.

The rule tables are read once per request (`VersionsLoader`) and a subject's records through
`RecordFactsBySubjectLoader` (one query per asOf for every subject of the batch), so assessing
one subject or fifty, with one record or thirty, costs the same number of statements.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from domains.restriction import queries
from domains.restriction import service as restriction
from domains.restriction.models import RestrictionCheck
from domains.restriction.promotion import PromotionResult, SanctionPeriods, evaluate_promotion
from domains.restriction.rules import (
    GRADE_CONDITIONS,
    Assessment,
    Condition,
    MeasureRow,
    RecordFacts,
    assess,
)
from domains.subject.enums import SubjectKind
from loaders.base import Loader, Loaders, VersionsLoader, in_key_order
from loaders.credit import RecordFactsBySubjectLoader
from loaders.memorandum import joint_measures_of
from loaders.procurement import procurement_evaluation


class MeasureRowsLoader(VersionsLoader[MeasureRow]):
    """Every version of every measure row: read once per request."""

    async def read(self, session: AsyncSession) -> list[MeasureRow]:
        return await restriction.measure_rows(session)


class SanctionPeriodsLoader(VersionsLoader[SanctionPeriods]):
    """Every version of the promotion rule values: read once per request."""

    async def read(self, session: AsyncSession) -> list[SanctionPeriods]:
        return await restriction.sanction_periods(session)


class RestrictionCheckByIdLoader(Loader[uuid.UUID, RestrictionCheck | None]):
    """A stored check by id, whoever asks: callers judge who may see it."""

    async def fetch(self, session: AsyncSession,
                    keys: list[uuid.UUID]) -> Sequence[RestrictionCheck | None]:
        rows = await session.scalars(queries.checks_by_id(keys))
        return in_key_order(keys, {c.id: c for c in rows}, None)


async def record_facts(registry: Loaders, subject_id: uuid.UUID,
                       as_of: date) -> list[RecordFacts]:
    """The subject's records that exist for `as_of`, each with its status replayed for it."""
    facts: list[RecordFacts] = await registry.get(RecordFactsBySubjectLoader).load(
        (subject_id, as_of))
    return facts


async def promotion_eligibility(registry: Loaders, person_id: uuid.UUID,
                                as_of: date) -> PromotionResult:
    """Section 5 for a civil servant on `as_of`."""
    periods = await SanctionPeriodsLoader.versions(registry)
    return evaluate_promotion(await record_facts(registry, person_id, as_of), as_of, periods)


async def assessment(registry: Loaders, subject_kind: str, subject_id: uuid.UUID,
                     scenario: str, as_of: date) -> Assessment:
    """Section 4 for a subject in a scenario on `as_of`.

    The rule table says what else is needed: the procurement grade (section 6) only where the
    scenario has a grade row for the subject kind (by default a unit in GOVERNMENT_PROCUREMENT),
    the section 5 result only where it has a factor row (by default PROMOTION), so both agree;
    the measures of joint-punishment memoranda whose actions are open against the subject.
    """
    rows = await MeasureRowsLoader.versions(registry)
    records = await record_facts(registry, subject_id, as_of)
    conditions = {r.condition for r in rows
                  if r.scenario == scenario and r.subject_kind == subject_kind}
    grade = None
    if subject_kind == SubjectKind.UNIT and conditions & set(GRADE_CONDITIONS):
        grade = await procurement_grade(registry, subject_id, as_of)
    promotion = None
    if subject_kind == SubjectKind.PERSON and Condition.PROMOTION_FACTOR in conditions:
        promotion = await promotion_eligibility(registry, subject_id, as_of)
    joint = await joint_measures_of(registry, subject_id, scenario, as_of, records)
    return assess(scenario, subject_kind, records, as_of, rows, grade, promotion, joint)


async def procurement_grade(registry: Loaders, unit_id: uuid.UUID, as_of: date) -> str:
    """The unit's procurement grade as purchaser on `as_of` (section 6): the procurement
    loaders own how a grade is evaluated."""
    credit = await procurement_evaluation(registry, unit_id, as_of)
    return str(credit.evaluation.grade)
