"""Queries of the PPP domain: a project, the accountability trace of a stage on a day (every
audience), and the gaps in responsibility (CREDIT_OFFICE only)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domains.ppp import rules
from domains.ppp import service as ppp
from domains.ppp.models import PppProject
from domains.subject import keys
from graph.errors import graph_error
from graph.input_guard import text_argument
from graph.pagination import After, Connection, First, connection, page
from graph.permissions import CreditOfficeOnly
from graph.ppp.enums import PppStage
from graph.ppp.gaps import PppResponsibilityGapType
from graph.ppp.types import PppProjectType, PppResponsibilityType
from loaders import ppp as loaders

ProjectCode = Annotated[str, text_argument(PppProject.code, description="The project's code "
                                             "(blanks stripped, upper-cased).")]


async def known_project(info: Info[Any, Any], code: str) -> PppProject:
    """The project a code names; an unknown code is the GraphQL error NOT_FOUND (an empty
    answer would read as "nobody was responsible")."""
    row: PppProject | None = await info.context.loaders.get(
        loaders.PppProjectByCodeLoader).load(keys.normalise_key(code))
    if row is None:
        raise graph_error("NOT_FOUND", f"no PPP project {keys.normalise_key(code)}")
    return row


@strawberry.type
class PppQuery:
    @strawberry.field(description="A PPP project by its code (blanks stripped, upper-cased); "
                      "null when unknown.")
    async def ppp_project(self, info: Info[Any, Any], code: ProjectCode) -> PppProjectType | None:
        row = await info.context.loaders.get(loaders.PppProjectByCodeLoader).load(
            keys.normalise_key(code))
        return PppProjectType.from_row(row) if row else None

    @strawberry.field(description="Who answered for this stage of this project on this day: "
                      "every responsibility with startedOn ≤ on ≤ endedOn, as assigned now, by "
                      "startedOn. An unknown project is the error NOT_FOUND.")
    async def ppp_accountability(
            self, info: Info[Any, Any], project_code: ProjectCode,
            stage: Annotated[PppStage, strawberry.argument(description="The stage.")],
            on: Annotated[date, strawberry.argument(description="The day.")],
    ) -> list[PppResponsibilityType]:
        project = await known_project(info, project_code)
        rows = await info.context.loaders.get(loaders.PppResponsibilitiesByProjectLoader).load(
            project.id)
        owned = [(r, rules.Period(r.started_on, r.ended_on)) for r in rows
                 if r.stage == stage.value]
        return [PppResponsibilityType.from_row(r) for r in rules.traced(owned, on)]

    @strawberry.field(description="Stretches of days in which nobody answered for a stage of a "
                      "PPP project (责任空档), as of today, by project code, stage order, then "
                      "from. CREDIT_OFFICE only.", permission_classes=[CreditOfficeOnly])
    async def ppp_responsibility_gaps(
            self, info: Info[Any, Any],
            project_code: Annotated[str | None, text_argument(
                PppProject.code, description="Only this project (NOT_FOUND when unknown).")] = None,
            stage: Annotated[PppStage | None, strawberry.argument(
                description="Only this stage.")] = None,
            from_on: Annotated[date | None, strawberry.argument(
                name="from", description="Only days from this one (stretches are clipped).")
            ] = None,
            to_on: Annotated[date | None, strawberry.argument(
                name="to", description="Only days up to this one (stretches are clipped).")
            ] = None,
            first: First = None, after: After = None,
    ) -> Connection[PppResponsibilityGapType]:
        window = page(first, after)
        if from_on is not None and to_on is not None and from_on > to_on:
            raise graph_error("INVALID_VALUE", "from may not be after to")
        code = None if project_code is None else (await known_project(info, project_code)).code
        found = await info.context.read(
            ppp.responsibility_gaps, ppp.GapQuery(code, stage, from_on, to_on),
            today=info.context.today)
        shown = found[window.offset:window.offset + window.limit]
        return connection(window, [PppResponsibilityGapType.of(g) for g in shown], len(found))
