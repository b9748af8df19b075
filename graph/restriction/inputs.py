"""Inputs of the restriction domain's mutations."""

from __future__ import annotations

from datetime import date

import strawberry

from domains.restriction.models import RestrictionCheck
from graph.credit.inputs import SubjectKey
from graph.input_guard import text_field
from graph.restriction.enums import CheckOutcomeKind, Scenario


@strawberry.input(name="CheckRestrictionsInput", description="A formal check inside a "
                  "business process (查询留痕).")
class CheckRestrictionsInput:
    subject: SubjectKey = strawberry.field(description="The unit or civil servant checked.")
    scenario: Scenario = strawberry.field(description="The business process.")
    business_ref: str = text_field(RestrictionCheck.business_ref,
                                   description="The caller's own case number.")
    as_of: date | None = strawberry.field(default=None, description="Default today; not after "
                                          "today (INVALID_VALUE).")


@strawberry.input(name="CheckOutcomeInput", description="What the caller did with a check's "
                  "measures (反馈).")
class CheckOutcomeInput:
    check_id: strawberry.ID = strawberry.field(description="The check's global id.")
    kind: CheckOutcomeKind = strawberry.field(description="Applied, or not applied.")
    applied_measure_codes: list[str] | None = text_field(
        RestrictionCheck.outcome_codes,
        default=None, description="MEASURES_APPLIED: at least one code among the check's "
        "measures; NOT_APPLIED: none.")
    reason: str | None = text_field(RestrictionCheck.outcome_reason, default=None,
                                    description="Required when kind is NOT_APPLIED.")
