"""Mutations of the PPP domain: projects, responsibilities and events (DOMAIN.md section 7)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domains.core.errors import DomainError
from domains.core.ids import to_global_id
from domains.ppp import service as ppp
from graph.common import BatchPayload, batch_too_large
from graph.enums import Audience
from graph.permissions import CreditOfficeOnly, allow
from graph.ppp.inputs import PppEventInput, PppProjectInput, PppResponsibilityInput

ResponsibilityWriters = allow(Audience.PERSONNEL)


@strawberry.type
class PppMutation:
    @strawberry.mutation(description="Create or update PPP projects (key code); all-or-nothing, "
                         "idempotent. CREDIT_OFFICE only.", permission_classes=[CreditOfficeOnly])
    async def register_ppp_projects(
            self, info: Info[Any, Any],
            projects: Annotated[list[PppProjectInput], strawberry.argument(
                description="The projects, at most 1000.")]) -> BatchPayload:
        if (too_large := batch_too_large(projects)) is not None:
            return too_large
        try:
            ids = await info.context.write(ppp.register_projects, [p.to_row() for p in projects],
                                           reported_by=info.context.client.name)
        except DomainError as error:
            return BatchPayload.failed(error.errors)
        return BatchPayload.ok([to_global_id("PppProject", i) for i in ids])

    @strawberry.mutation(description="Assign who answers for a stage of a project (key project "
                         "+ stage + person + startedOn; re-sending updates role and endedOn, "
                         "which is how an assignment is closed); all-or-nothing. The ids are the "
                         "projects'. PERSONNEL and CREDIT_OFFICE.",
                         permission_classes=[ResponsibilityWriters])
    async def assign_ppp_responsibilities(
            self, info: Info[Any, Any],
            assignments: Annotated[list[PppResponsibilityInput], strawberry.argument(
                description="The assignments, at most 1000.")]) -> BatchPayload:
        if (too_large := batch_too_large(assignments)) is not None:
            return too_large
        try:
            ids = await info.context.write(
                ppp.assign_responsibilities, [a.to_row() for a in assignments],
                secret=info.context.id_secret, today=info.context.today,
                assigned_by=info.context.client.name)
        except DomainError as error:
            return BatchPayload.failed(error.errors)
        return BatchPayload.ok([to_global_id("PppProject", i) for i in ids])

    @strawberry.mutation(description="Record commitments kept or broken (key project + "
                         "sourceRef); each is traced on its occurredOn and writes, in the same "
                         "transaction, a CONTRACT_PERFORMANCE record on the implementing agency "
                         "and on each traced person. A replay writes nothing. CREDIT_OFFICE "
                         "only.", permission_classes=[CreditOfficeOnly])
    async def record_ppp_events(
            self, info: Info[Any, Any],
            events: Annotated[list[PppEventInput], strawberry.argument(
                description="The events, at most 1000.")]) -> BatchPayload:
        if (too_large := batch_too_large(events)) is not None:
            return too_large
        try:
            ids = await info.context.write(ppp.record_events, [e.to_row() for e in events],
                                           today=info.context.today,
                                           recorded_by=info.context.client.name)
        except DomainError as error:
            return BatchPayload.failed(error.errors)
        return BatchPayload.ok([to_global_id("PppEvent", i) for i in ids])
