"""GraphQL types of units and civil servants."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from domains.core.ids import to_global_id
from domains.subject import models
from domains.subject.keys import mask_name
from graph.common import AsOf, Node
from graph.enums import Audience, SubjectKind, UnitKind
from graph.page_wording import PageWording, word_pages
from graph.pagination import After, Connection, First, connection, page
from graph.permissions import PersonnelOnly
from graph.restriction.enums import Scenario
from loaders import subject as loaders

if TYPE_CHECKING:
    from graph.credit.files import CreditFile
    from graph.investment.types import InvestmentProjectType
    from graph.ppp.types import PppProjectType, PppResponsibilityType
    from graph.procurement.credit import ProcurementCreditType
    from graph.procurement.types import ProcurementContractType
    from graph.restriction.types import PromotionEligibilityType, RestrictionAssessmentType


@strawberry.interface(description="Anything that holds a credit file (诚信档案): a unit or a "
                      "civil servant.")
class CreditSubject:
    id: strawberry.ID = strawberry.field(description="The Relay global id.")
    display_name: str = strawberry.field(description=(
        "The name every client may see: a unit's name; a civil servant's surname with the rest "
        "masked (王*), since the full name is for PERSONNEL, SUPERVISION and CREDIT_OFFICE."))
    subject_kind: strawberry.Private[SubjectKind]
    pk: strawberry.Private[uuid.UUID]

    @strawberry.field(description="The subject's credit file (诚信档案).")
    def credit_file(self) -> Annotated[CreditFile, strawberry.lazy("graph.credit.files")]:
        from graph.credit.files import CreditFile
        return CreditFile.of(self.subject_kind, self.pk, self.id)

    @strawberry.field(description="What the scenario's measures say about this subject on asOf "
                      "(default today). Read-only; audited.")
    async def restrictions(self, info: Info[Any, Any],
                           scenario: Annotated[Scenario, strawberry.argument(
                               description="The business process asking.")],
                           as_of: AsOf = None,
                           ) -> Annotated[RestrictionAssessmentType,
                                          strawberry.lazy("graph.restriction.types")]:
        from graph.restriction.resolvers import restrictions
        return await restrictions(info, self.subject_kind, self.pk, self.id, scenario, as_of)


@strawberry.type(name="Unit", description="A government unit (单位), keyed by its unified "
                 "social credit code (统一社会信用代码).")
class UnitType(Node, CreditSubject):
    uscc: str = strawberry.field(description="Unified social credit code (统一社会信用代码).")
    name: str = strawberry.field(description="The unit's name.")
    kind: UnitKind = strawberry.field(description="What kind of unit it is.")
    region_code: str | None = strawberry.field(
        description="Administrative division code (GB/T 2260), e.g. 310116 for Jinshan.")
    parent_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def from_row(cls, row: models.Unit) -> UnitType:
        return cls(id=strawberry.ID(to_global_id("Unit", row.id)), pk=row.id,
                   subject_kind=SubjectKind.UNIT, uscc=row.uscc, name=row.name,
                   display_name=row.name,
                   kind=UnitKind(row.kind), region_code=row.region_code,
                   parent_id=row.parent_id)

    @strawberry.field(description="The unit above this one in the hierarchy.")
    async def parent(self, info: Info[Any, Any]) -> UnitType | None:
        if self.parent_id is None:
            return None
        row = await info.context.loaders.get(loaders.UnitByIdLoader).load(self.parent_id)
        return UnitType.from_row(row) if row else None

    @strawberry.field(description="People with an open employment here, by name. PERSONNEL, "
                      "SUPERVISION and CREDIT_OFFICE only.", permission_classes=[PersonnelOnly])
    async def civil_servants(self, info: Info[Any, Any], first: First = None,
                             after: After = None) -> Connection[CivilServantType]:
        window = page(first, after)
        people, total = await info.context.loaders.get(loaders.CivilServantsByUnitLoader).load(
            (self.pk, window.offset, window.limit))
        return connection(window, [CivilServantType.from_row(p) for p in people], total)

    @strawberry.field(description="Procurement acceptance and payment credit of this unit as "
                      "purchaser (采购人) on asOf (default today).")
    async def procurement_credit(self, info: Info[Any, Any], as_of: AsOf = None,
                                 ) -> Annotated[ProcurementCreditType,
                                                strawberry.lazy("graph.procurement.credit")]:
        from graph.procurement.credit import unit_procurement_credit
        return await unit_procurement_credit(info, self.pk, self.id, as_of)

    @strawberry.field(description="The unit's procurement contracts as purchaser, newest "
                      "signature first.")
    async def procurement_contracts(
            self, info: Info[Any, Any], first: First = None, after: After = None,
    ) -> Connection[Annotated[ProcurementContractType,
                              strawberry.lazy("graph.procurement.types")]]:
        from graph.procurement.credit import unit_procurement_contracts
        return await unit_procurement_contracts(info, self.pk, first, after)

    @strawberry.field(description="The government investment projects this unit supervises "
                      "(主管部门), by code.")
    async def investment_projects(
            self, info: Info[Any, Any],
    ) -> list[Annotated[InvestmentProjectType, strawberry.lazy("graph.investment.types")]]:
        from graph.investment.types import unit_investment_projects
        return await unit_investment_projects(info, self.pk)
    @strawberry.field(description="The PPP projects this unit implements (实施机构), by code.")
    async def ppp_projects(self, info: Info[Any, Any],
                           ) -> list[Annotated[PppProjectType, strawberry.lazy("graph.ppp.types")]]:
        from graph.ppp.fields import unit_ppp_projects
        return await unit_ppp_projects(info, self.pk)


@strawberry.type(name="Employment", description="A post held from startedOn to endedOn.")
class EmploymentType:
    unit_id: strawberry.Private[uuid.UUID]
    position: str | None = strawberry.field(description="Position (职务).")
    rank: str | None = strawberry.field(description="Rank (职级).")
    started_on: date = strawberry.field(description="First day of the post.")
    ended_on: date | None = strawberry.field(description="Last day of the post; null while "
                                             "it is held.")

    @classmethod
    def from_row(cls, row: models.Employment) -> EmploymentType:
        return cls(unit_id=row.unit_id, position=row.position, rank=row.rank,
                   started_on=row.started_on, ended_on=row.ended_on)

    @strawberry.field(description="Where the post was held.")
    async def unit(self, info: Info[Any, Any]) -> UnitType:
        row = await info.context.loaders.get(loaders.UnitByIdLoader).load(self.unit_id)
        return UnitType.from_row(row)


@strawberry.type(name="CivilServant", description="A civil servant (公务员). The identity-card "
                 "number is an input only: it is never returned in full.")
class CivilServantType(Node, CreditSubject):
    masked_id_number: str = strawberry.field(
        description="e.g. ****************3X: only the last 2 characters kept (with the name "
        "and the unit, enough to tell two people apart, too little to rebuild the number).")
    full_name: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: models.CivilServant) -> CivilServantType:
        return cls(id=strawberry.ID(to_global_id("CivilServant", row.id)), pk=row.id,
                   subject_kind=SubjectKind.PERSON, display_name=mask_name(row.name),
                   full_name=row.name, masked_id_number=row.masked_id_number)

    @strawberry.field(description="Full name. PERSONNEL, SUPERVISION and CREDIT_OFFICE only.",
                      permission_classes=[PersonnelOnly])
    def name(self) -> str:
        return self.full_name

    async def _current(self, info: Info[Any, Any]) -> models.Employment | None:
        loader = info.context.loaders.get(loaders.CurrentEmploymentByCivilServantLoader)
        current: models.Employment | None = await loader.load(self.pk)
        return current

    @strawberry.field(description="The unit of the open employment; null once it ended.",
                      permission_classes=[PersonnelOnly])
    async def unit(self, info: Info[Any, Any]) -> UnitType | None:
        current = await self._current(info)
        if current is None:
            return None
        row = await info.context.loaders.get(loaders.UnitByIdLoader).load(current.unit_id)
        return UnitType.from_row(row) if row else None

    @strawberry.field(description="Position (职务) of the open employment.",
                      permission_classes=[PersonnelOnly])
    async def position(self, info: Info[Any, Any]) -> str | None:
        current = await self._current(info)
        return current.position if current else None

    @strawberry.field(description="Rank (职级) of the open employment.",
                      permission_classes=[PersonnelOnly])
    async def rank(self, info: Info[Any, Any]) -> str | None:
        current = await self._current(info)
        return current.rank if current else None

    @strawberry.field(description="Every employment, startedOn ascending; never overwritten.",
                      permission_classes=[PersonnelOnly])
    async def employments(self, info: Info[Any, Any]) -> list[EmploymentType]:
        rows = await info.context.loaders.get(loaders.EmploymentsByCivilServantLoader).load(
            self.pk)
        return [EmploymentType.from_row(r) for r in rows]

    @strawberry.field(description="Promotion advice on asOf (default today), DOMAIN.md section "
                      "5. PERSONNEL, SUPERVISION and CREDIT_OFFICE only; audited.",
                      permission_classes=[PersonnelOnly])
    async def promotion_eligibility(
            self, info: Info[Any, Any], as_of: AsOf = None,
    ) -> Annotated[PromotionEligibilityType, strawberry.lazy("graph.restriction.types")]:
        from graph.restriction.resolvers import promotion_eligibility
        return await promotion_eligibility(info, self.pk, self.id, as_of)

    @strawberry.field(description="The PPP stages this person answers or answered for, by "
                      "project code, stage order, then startedOn. PERSONNEL, SUPERVISION and "
                      "CREDIT_OFFICE only.", permission_classes=[PersonnelOnly])
    async def ppp_responsibilities(
            self, info: Info[Any, Any],
    ) -> list[Annotated[PppResponsibilityType, strawberry.lazy("graph.ppp.types")]]:
        from graph.ppp.fields import person_ppp_responsibilities
        return await person_ppp_responsibilities(info, self.pk)


async def subject_object(info: Info[Any, Any], kind: SubjectKind,
                         pk: uuid.UUID) -> CreditSubject:
    """The Unit (kind UNIT) or CivilServant (PERSON) object of a credit subject."""
    if kind == SubjectKind.UNIT:
        unit = await info.context.loaders.get(loaders.UnitByIdLoader).load(pk)
        return UnitType.from_row(unit)
    person = await info.context.loaders.get(loaders.CivilServantByIdLoader).load(pk)
    return CivilServantType.from_row(person)


word_pages("Unit", PageWording(
    edge="A unit in a page of units.", node="The unit.", connection="A page of units.",
    edges="The units of this page.", total_count="All matching units, ignoring paging."))
word_pages("CivilServant", PageWording(
    edge="A civil servant in a page.", node="The civil servant.",
    connection="A page of civil servants.", edges="The people of this page.",
    total_count="All matching people, ignoring paging."))


@strawberry.type(name="Viewer", description="The calling client system, as the service knows it.")
class Viewer:
    name: str = strawberry.field(description="The client's name, as registered.")
    audience: Audience = strawberry.field(description="What the client may read and write "
                                          "(DOMAIN.md section 3).")

    @strawberry.field(description="Extension: the units this client acts for in joint-punishment "
                      "memoranda (integrity clients add --unit, clients bind), by code.")
    async def units(self, info: Info[Any, Any]) -> list[UnitType]:
        from loaders.memorandum import UnitsByClientLoader

        ids = await info.context.loaders.get(UnitsByClientLoader).load(self.name)
        rows = await info.context.loaders.get(loaders.UnitByIdLoader).load_many(sorted(ids))
        return sorted((UnitType.from_row(r) for r in rows if r is not None),
                      key=lambda u: u.uscc)
