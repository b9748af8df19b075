"""node(id:) resolvers of the investment domain."""

from __future__ import annotations

import uuid
from typing import Any

from strawberry.types import Info

from graph.investment.types import InvestmentProjectType
from graph.node import node_resolver
from loaders import investment as loaders


@node_resolver("InvestmentProject")
async def investment_project_node(info: Info[Any, Any],
                                  pk: uuid.UUID) -> InvestmentProjectType | None:
    row = await info.context.loaders.get(loaders.InvestmentProjectByIdLoader).load(pk)
    return InvestmentProjectType.from_row(row) if row else None
