"""Mutations of the investment domain: projects, approvals, violations (DOMAIN.md section 8).
PROJECT_APPROVAL and CREDIT_OFFICE; any other audience gets the GraphQL error FORBIDDEN."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domains.core.errors import DomainError
from domains.core.ids import to_global_id
from domains.investment import service as investment
from domains.investment import violations
from graph.common import BatchPayload, batch_too_large
from graph.enums import Audience
from graph.investment.inputs import (
    InvestmentApprovalInput,
    InvestmentProjectInput,
    InvestmentViolationInput,
)
from graph.permissions import allow

InvestmentWriters = allow(Audience.PROJECT_APPROVAL)


@strawberry.type
class InvestmentMutation:
    @strawberry.mutation(description="Create or update investment projects (key code); "
                         "all-or-nothing, idempotent. PROJECT_APPROVAL and CREDIT_OFFICE.",
                         permission_classes=[InvestmentWriters])
    async def register_investment_projects(
            self, info: Info[Any, Any],
            projects: Annotated[list[InvestmentProjectInput], strawberry.argument(
                description="The projects, at most 1000.")]) -> BatchPayload:
        if (too_large := batch_too_large(projects)) is not None:
            return too_large
        try:
            ids = await info.context.write(
                investment.register_projects, [p.to_row() for p in projects],
                reported_by=info.context.client.name)
        except DomainError as error:
            return BatchPayload.failed(error.errors)
        return BatchPayload.ok([to_global_id("InvestmentProject", i) for i in ids])

    @strawberry.mutation(description="Record approvals (key project + document + "
                         "submittedOn), in procedure order; all-or-nothing, idempotent. The ids "
                         "are the projects'. PROJECT_APPROVAL and CREDIT_OFFICE.",
                         permission_classes=[InvestmentWriters])
    async def record_investment_approvals(
            self, info: Info[Any, Any],
            approvals: Annotated[list[InvestmentApprovalInput], strawberry.argument(
                description="The approvals, at most 1000.")]) -> BatchPayload:
        if (too_large := batch_too_large(approvals)) is not None:
            return too_large
        try:
            ids = await info.context.write(
                investment.record_approvals, [a.to_row() for a in approvals],
                today=info.context.today, recorded_by=info.context.client.name)
        except DomainError as error:
            return BatchPayload.failed(error.errors)
        return BatchPayload.ok([to_global_id("InvestmentProject", i) for i in ids])

    @strawberry.mutation(description="Record violations (key project + sourceRef), each "
                         "writing a DISHONEST record on its subject in the same transaction; "
                         "all-or-nothing, idempotent. The ids are the records'. "
                         "PROJECT_APPROVAL and CREDIT_OFFICE.",
                         permission_classes=[InvestmentWriters])
    async def record_investment_violations(
            self, info: Info[Any, Any],
            violations_: Annotated[list[InvestmentViolationInput], strawberry.argument(
                name="violations", description="The violations, at most 1000.")],
    ) -> BatchPayload:
        if (too_large := batch_too_large(violations_)) is not None:
            return too_large
        context = info.context
        try:
            ids = await context.write(
                violations.record_violations, [v.to_row() for v in violations_],
                actor=context.client.name, audience=context.client.audience,
                today=context.today, secret=context.id_secret)
        except DomainError as error:
            return BatchPayload.failed(error.errors)
        return BatchPayload.ok([to_global_id("CreditRecord", i) for i in ids])
