"""Resolvers other domains' types delegate to: `restrictions` on every credit subject,
`promotionEligibility` on civil servants, and `sanctionEndsOn` on credit records."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from strawberry.types import Info

from domains.restriction.promotion import sanction_ends_on as last_blocking_day
from graph.enums import SubjectKind
from graph.restriction.enums import Scenario
from graph.restriction.types import PromotionEligibilityType, RestrictionAssessmentType
from loaders import restriction as loaders


async def restrictions(info: Info[Any, Any], subject_kind: SubjectKind, subject_pk: uuid.UUID,
                       subject_gid: str, scenario: Scenario,
                       as_of: date | None) -> RestrictionAssessmentType:
    """Section 4 for the subject on `as_of` (default today); a read of credit data, audited.

    An `as_of` after today is a projection on what is known now (DOMAIN.md section 0).
    """
    day = as_of or info.context.today
    info.context.audit(info, [subject_gid])
    assessment = await loaders.assessment(info.context.loaders, subject_kind, subject_pk,
                                          scenario.value, day)
    return RestrictionAssessmentType.of(subject_kind, subject_pk, scenario.value, day, assessment)


async def promotion_eligibility(info: Info[Any, Any], person_pk: uuid.UUID, person_gid: str,
                                as_of: date | None) -> PromotionEligibilityType:
    """Section 5 for the civil servant on `as_of` (default today); audited."""
    day = as_of or info.context.today
    info.context.audit(info, [person_gid])
    result = await loaders.promotion_eligibility(info.context.loaders, person_pk, day)
    return PromotionEligibilityType.of(result)


async def sanction_ends_on(info: Info[Any, Any], record_pk: uuid.UUID,
                           person_pk: uuid.UUID | None, sanction: str | None) -> date | None:
    """Last day a record's sanction blocks promotion, chaining with the person's other
    sanctions as known today; null without a sanction, while open-ended, or not blocking."""
    if sanction is None or person_pk is None:
        return None
    registry = info.context.loaders
    facts = await loaders.record_facts(registry, person_pk, info.context.today)
    own = next((f for f in facts if f.id == record_pk), None)
    if own is None:
        return None
    periods = await loaders.SanctionPeriodsLoader.versions(registry)
    return last_blocking_day(own, facts, periods)
