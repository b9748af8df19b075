"""The credit office's list of gaps in responsibility (责任空档): per project and stage, the
stretches of days in which nobody answered for it (DOMAIN.md section 7; additive to the
contract)."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from domains.ppp import service as ppp
from graph.page_wording import PageWording, word_pages
from graph.ppp.enums import PppStage
from graph.ppp.types import PppEventType, PppProjectType
from loaders import ppp as loaders


@strawberry.type(name="PppResponsibilityGap", description="A stretch of days in which nobody "
                 "answered for a stage of a PPP project. A stage's days run from its first "
                 "assignment or event to today while it is the project's current stage, else to "
                 "its last assignment's end or last event.")
class PppResponsibilityGapType:
    found: strawberry.Private[ppp.StageGap]
    stage: PppStage = strawberry.field(description="The stage nobody answered for.")
    from_on: date | None = strawberry.field(
        name="from", description="First day of the stretch; null when nothing dates the stage "
        "(no assignment, no event) although the project has reached it.")
    until: date = strawberry.field(description="Last day of the stretch: today (or `to`) "
                                   "while it lasts (see ongoing).")
    ongoing: bool = strawberry.field(description="Whether the stretch lasts until today: the "
                                     "stage is current (or was never dated) and still has "
                                     "nobody.")

    @classmethod
    def of(cls, found: ppp.StageGap) -> PppResponsibilityGapType:
        return cls(found=found, stage=found.stage, from_on=found.gap.from_on,
                   until=found.gap.until, ongoing=found.gap.ongoing)

    @strawberry.field(description="The project.")
    def project(self) -> PppProjectType:
        return PppProjectType.from_row(self.found.project)

    @strawberry.field(description="Days in the stretch (from and until included); null when "
                      "from is.")
    def days(self) -> int | None:
        start = self.found.gap.from_on
        return None if start is None else (self.found.gap.until - start).days + 1

    @strawberry.field(description="Events of the stage on a day of the stretch (their traces "
                      "are empty unless an assignment was later closed or moved), occurredOn "
                      "ascending then id.")
    async def events(self, info: Info[Any, Any]) -> list[PppEventType]:
        rows = await info.context.loaders.get(loaders.PppEventByIdLoader).load_many(
            self.found.event_ids)
        return [PppEventType.from_row(r) for r in rows if r is not None]


word_pages("PppResponsibilityGap", PageWording(
    edge="A gap in a page.", node="The gap.",
    connection="A page of gaps, by project code, stage order, then from (null first).",
    edges="The page's gaps.", total_count="All matching gaps, ignoring paging.",
    page_info="Where the page stands."))
