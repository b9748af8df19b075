"""Queries of the procurement domain (every audience reads contracts)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domains.procurement.models import ProcurementContract
from domains.subject import keys
from graph.input_guard import text_argument
from graph.procurement.types import ProcurementContractType
from loaders import procurement as loaders


@strawberry.type
class ProcurementQuery:
    @strawberry.field(description="A procurement contract by its code (blanks stripped, "
                      "upper-cased); null when unknown.")
    async def procurement_contract(self, info: Info[Any, Any],
                                   code: Annotated[str, text_argument(
                                       ProcurementContract.code,
                                       description="The contract's code.")],
                                   ) -> ProcurementContractType | None:
        row = await info.context.loaders.get(loaders.ProcurementContractByCodeLoader).load(
            keys.normalise_key(code))
        return ProcurementContractType.from_row(row) if row else None
