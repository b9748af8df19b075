"""Mutations of the restriction domain: formal checks and their outcomes (DOMAIN.md section 4)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domains.core import clock
from domains.core.errors import DomainError
from domains.core.ids import from_global_id
from domains.restriction import service as restriction
from graph.restriction.inputs import CheckOutcomeInput, CheckRestrictionsInput
from graph.restriction.types import CheckPayload, RestrictionCheckType, subject_gid
from loaders.reader import RequestReader


@strawberry.type
class RestrictionMutation:
    @strawberry.mutation(description="A formal check inside a business process (查询留痕): "
                         "stores the assessment as it stands; a retry with the same client, "
                         "businessRef, subject, scenario and asOf (omitted is today) returns "
                         "the same check. checkedAt is now, on the server's today. Audited.")
    async def check_restrictions(self, info: Info[Any, Any],
                                 input: Annotated[CheckRestrictionsInput, strawberry.argument(
                                     description="The subject, scenario and case.")],
                                 ) -> CheckPayload:
        context = info.context
        request = restriction.CheckRequest(
            uscc=input.subject.uscc, id_number=input.subject.id_number,
            scenario=input.scenario.value, business_ref=input.business_ref, as_of=input.as_of)
        try:
            row = await context.write(
                restriction.check_restrictions, request,
                reader=RequestReader.under_lock(context.scope), client_name=context.client.name,
                today=context.today, secret=context.id_secret, now=clock.now_on(context.today))
        except DomainError as error:
            return CheckPayload.failed(error.errors)
        context.audit(info, [subject_gid(row.subject_kind, row.subject_id)])
        return CheckPayload(check=RestrictionCheckType.from_row(row), errors=[])

    @strawberry.mutation(description="The caller reports what it did with the measures of one "
                         "of its own checks (反馈), once; the same report again is a no-op.")
    async def report_check_outcome(self, info: Info[Any, Any],
                                   input: Annotated[CheckOutcomeInput, strawberry.argument(
                                       description="The check and what was done.")],
                                   ) -> CheckPayload:
        context = info.context
        report = restriction.OutcomeReport(
            check_id=from_global_id(str(input.check_id), "RestrictionCheck"),
            kind=input.kind.value, codes=input.applied_measure_codes, reason=input.reason)
        try:
            row = await context.write(restriction.report_outcome, report,
                                      client_name=context.client.name,
                                      now=clock.now_on(context.today))
        except DomainError as error:
            return CheckPayload.failed(error.errors)
        return CheckPayload(check=RestrictionCheckType.from_row(row), errors=[])
