"""Queries of the investment domain (every audience reads projects)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domains.investment.models import InvestmentProject
from domains.subject import keys
from graph.input_guard import text_argument
from graph.investment.types import InvestmentProjectType
from loaders import investment as loaders


@strawberry.type
class InvestmentQuery:
    @strawberry.field(description="A government investment project by its code (blanks "
                      "stripped, upper-cased); null when unknown.")
    async def investment_project(self, info: Info[Any, Any],
                                 code: Annotated[str, text_argument(
                                     InvestmentProject.code, description="The project's code.")],
                                 ) -> InvestmentProjectType | None:
        row = await info.context.loaders.get(loaders.InvestmentProjectByCodeLoader).load(
            keys.normalise_key(code))
        return InvestmentProjectType.from_row(row) if row else None
