"""Mutations of the procurement domain: contracts and their milestones (DOMAIN.md section 6)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domains.core.errors import DomainError
from domains.core.ids import to_global_id
from domains.procurement import service as procurement
from graph.common import BatchPayload, batch_too_large
from graph.enums import Audience
from graph.permissions import allow
from graph.procurement.inputs import ContractMilestoneInput, ProcurementContractInput

ProcurementWriters = allow(Audience.PROCUREMENT)


@strawberry.type
class ProcurementMutation:
    @strawberry.mutation(description="Create or update procurement contracts (key code); "
                         "all-or-nothing, idempotent. PROCUREMENT and CREDIT_OFFICE.",
                         permission_classes=[ProcurementWriters])
    async def register_procurement_contracts(
            self, info: Info[Any, Any],
            contracts: Annotated[list[ProcurementContractInput], strawberry.argument(
                description="The contracts, at most 1000.")]) -> BatchPayload:
        if (too_large := batch_too_large(contracts)) is not None:
            return too_large
        try:
            ids = await info.context.write(
                procurement.register_contracts, [c.to_row() for c in contracts],
                secret=info.context.id_secret, today=info.context.today,
                reported_by=info.context.client.name)
        except DomainError as error:
            return BatchPayload.failed(error.errors)
        return BatchPayload.ok([to_global_id("ProcurementContract", i) for i in ids])

    @strawberry.mutation(description="Record DELIVERED, ACCEPTED and PAID (key contract + "
                         "milestone; the same date again is a no-op); all-or-nothing. The ids "
                         "are the contracts'. PROCUREMENT and CREDIT_OFFICE.",
                         permission_classes=[ProcurementWriters])
    async def record_contract_milestones(
            self, info: Info[Any, Any],
            milestones: Annotated[list[ContractMilestoneInput], strawberry.argument(
                description="The milestones, at most 1000.")]) -> BatchPayload:
        if (too_large := batch_too_large(milestones)) is not None:
            return too_large
        try:
            ids = await info.context.write(
                procurement.record_milestones, [m.to_row() for m in milestones],
                today=info.context.today, recorded_by=info.context.client.name)
        except DomainError as error:
            return BatchPayload.failed(error.errors)
        return BatchPayload.ok([to_global_id("ProcurementContract", i) for i in ids])
