"""node(id:) resolvers of the procurement domain."""

from __future__ import annotations

import uuid
from typing import Any

from strawberry.types import Info

from graph.node import node_resolver
from graph.procurement.types import ProcurementContractType
from loaders import procurement as loaders


@node_resolver("ProcurementContract")
async def procurement_contract_node(info: Info[Any, Any],
                                    pk: uuid.UUID) -> ProcurementContractType | None:
    row = await info.context.loaders.get(loaders.ProcurementContractByIdLoader).load(pk)
    return ProcurementContractType.from_row(row) if row else None
