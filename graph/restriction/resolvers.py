"""Resolvers other domains' types delegate to: `restrictions` on every credit subject,
`promotionEligibility` on civil servants, and `sanctionEndsOn` on credit records."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from strawberry.types import Info

from domains.restriction import assessing
from graph.enums import SubjectKind
from graph.restriction.enums import Scenario
from graph.restriction.types import PromotionEligibilityType, RestrictionAssessmentType
from loaders.reader import RequestReader


async def restrictions(info: Info[Any, Any], subject_kind: SubjectKind, subject_pk: uuid.UUID,
                       subject_gid: str, scenario: Scenario,
                       as_of: date | None) -> RestrictionAssessmentType:
    """Section 4 for the subject on `as_of` (default today); a read of credit data, audited.

    An `as_of` after today is a projection on what is known now (DOMAIN.md section 0).
    """
    day = as_of or info.context.today
    info.context.audit(info, [subject_gid])
    assessment = await assessing.assessment(RequestReader(info.context.loaders), subject_kind,
                                            subject_pk, scenario.value, day)
    return RestrictionAssessmentType.of(subject_kind, subject_pk, scenario.value, day, assessment)


async def promotion_eligibility(info: Info[Any, Any], person_pk: uuid.UUID, person_gid: str,
                                as_of: date | None) -> PromotionEligibilityType:
    """Section 5 for the civil servant on `as_of` (default today); audited."""
    day = as_of or info.context.today
    info.context.audit(info, [person_gid])
    result = await assessing.promotion_eligibility(RequestReader(info.context.loaders),
                                                   person_pk, day)
    return PromotionEligibilityType.of(result)


async def sanction_ends_on(info: Info[Any, Any], record_pk: uuid.UUID,
                           person_pk: uuid.UUID | None, sanction: str | None) -> date | None:
    """Last day a record's sanction blocks promotion, chaining with the person's other
    sanctions as known today; null without a sanction, while open-ended, or not blocking."""
    return await assessing.sanction_last_day(RequestReader(info.context.loaders), record_pk,
                                             person_pk, sanction, info.context.today)
