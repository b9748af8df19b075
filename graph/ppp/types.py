"""GraphQL types of the PPP domain: projects, who answered for each stage, the events and the
accountability trace each froze (项目责任回溯, DOMAIN.md section 7).

Projects, responsibilities and events are readable by every audience (section 3); the people
in them are CivilServant objects with that type's own field permissions, and the records an
event wrote are RecordRefs, resolved for the reader (null where hidden) and audited.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domains.core.ids import to_global_id
from domains.ppp.models import PppEvent, PppProject, PppResponsibility, PppTrace
from graph.common import Node
from graph.credit.types import RecordRef, subject_gid
from graph.enums import Severity
from graph.ppp.enums import PppEventKind, PppStage
from graph.subject.types import CivilServantType, UnitType
from loaders import credit as credit_loaders
from loaders import ppp as loaders
from loaders import subject as subject_loaders


async def project_of(info: Info[Any, Any], pk: uuid.UUID) -> PppProjectType:
    row = await info.context.loaders.get(loaders.PppProjectByIdLoader).load(pk)
    assert row is not None  # projects are never deleted
    return PppProjectType.from_row(row)


@strawberry.type(name="PppResponsibility", description="Who answered for a stage of a PPP "
                 "project, and when (政府方责任人). Periods are inclusive; an open end never ends.")
class PppResponsibilityType:
    project_id: strawberry.Private[uuid.UUID]
    person_id: strawberry.Private[uuid.UUID]
    stage: PppStage = strawberry.field(description="The stage answered for.")
    role: str = strawberry.field(description="The person's role in that stage.")
    started_on: date = strawberry.field(description="First day of the responsibility.")
    ended_on: date | None = strawberry.field(description="Last day; null while it is held.")

    @classmethod
    def from_row(cls, row: PppResponsibility) -> PppResponsibilityType:
        return cls(project_id=row.project_id, person_id=row.civil_servant_id,
                   stage=PppStage(row.stage), role=row.role, started_on=row.started_on,
                   ended_on=row.ended_on)

    @classmethod
    def from_trace(cls, row: PppTrace, event: PppEvent) -> PppResponsibilityType:
        """A traced responsibility as it stood when the event was recorded."""
        return cls(project_id=event.project_id, person_id=row.civil_servant_id,
                   stage=PppStage(event.stage), role=row.role, started_on=row.started_on,
                   ended_on=row.ended_on)

    @strawberry.field(description="The project.")
    async def project(self, info: Info[Any, Any]) -> PppProjectType:
        return await project_of(info, self.project_id)

    @strawberry.field(description="The civil servant responsible (full name and posts for "
                      "PERSONNEL, SUPERVISION and CREDIT_OFFICE only, as on CivilServant).")
    async def person(self, info: Info[Any, Any]) -> CivilServantType:
        row = await info.context.loaders.get(subject_loaders.CivilServantByIdLoader).load(
            self.person_id)
        assert row is not None
        return CivilServantType.from_row(row)


@strawberry.type(name="PppEvent", description="A commitment of the government side kept or "
                 "broken on a day, with everyone who answered for that stage then and the "
                 "records it wrote.")
class PppEventType(Node):
    row: strawberry.Private[PppEvent]
    stage: PppStage = strawberry.field(description="The stage it belongs to.")
    kind: PppEventKind = strawberry.field(description="Kept or broken.")
    occurred_on: date = strawberry.field(description="The day it happened (the records' "
                                         "decidedOn, and the day the trace is taken on).")
    description: str = strawberry.field(description="What happened (the records' title).")
    severity: Severity | None = strawberry.field(description="Of a broken commitment; null for "
                                                 "a kept one.")
    source_ref: str = strawberry.field(description="The reporting system's key (unique per "
                                       "project).")

    @classmethod
    def from_row(cls, row: PppEvent) -> PppEventType:
        return cls(id=strawberry.ID(to_global_id("PppEvent", row.id)), row=row,
                   stage=PppStage(row.stage), kind=PppEventKind(row.kind),
                   occurred_on=row.occurred_on, description=row.description,
                   severity=Severity(row.severity) if row.severity else None,
                   source_ref=row.source_ref)

    @strawberry.field(description="The project.")
    async def project(self, info: Info[Any, Any]) -> PppProjectType:
        return await project_of(info, self.row.project_id)

    @strawberry.field(description="Everyone responsible for that stage on occurredOn: the "
                      "accountability trace (责任回溯), frozen when the event was recorded (role "
                      "and period as they stood then); empty when nobody was responsible.")
    async def responsible(self, info: Info[Any, Any]) -> list[PppResponsibilityType]:
        rows = await info.context.loaders.get(loaders.PppTracesByEventLoader).load(self.row.id)
        return [PppResponsibilityType.from_trace(r, self.row) for r in rows]

    @strawberry.field(description="The records it wrote (the implementing agency's, and one per "
                      "traced person), decidedOn descending then id; record is null where the "
                      "caller may not see it. Audited (查询留痕).")
    async def records(self, info: Info[Any, Any]) -> list[RecordRef]:
        rows = await info.context.loaders.get(loaders.CreditRecordsByPppEventLoader).load(
            self.row.id)
        by_id = info.context.loaders.get(credit_loaders.CreditRecordByIdLoader)
        for row in rows:  # RecordRef.record then needs no query of its own
            by_id.prime(row.id, row)
        if rows:
            info.context.audit(info, sorted({subject_gid(r) for r in rows}))
        return [RecordRef.of(r.id, r.category, r.severity, r.decided_on) for r in rows]


@strawberry.type(name="PppProject", description="A PPP project (政府和社会资本合作项目), key code. "
                 "The parties, consultants and contracts are public (财金〔2017〕1号).")
class PppProjectType(Node):
    row: strawberry.Private[PppProject]
    code: str = strawberry.field(description="The project's code (key).")
    name: str = strawberry.field(description="The project's name.")
    current_stage: PppStage = strawberry.field(description="The stage the project is in.")
    social_capital_parties: list[str] = strawberry.field(
        description="The social-capital parties (社会资本方), as registered.")
    consultants: list[str] = strawberry.field(description="The consultants (咨询机构).")
    contracts: list[str] = strawberry.field(
        description="Signed project contracts (names or numbers), public.")

    @classmethod
    def from_row(cls, row: PppProject) -> PppProjectType:
        return cls(id=strawberry.ID(to_global_id("PppProject", row.id)), row=row,
                   code=row.code, name=row.name, current_stage=PppStage(row.current_stage),
                   social_capital_parties=list(row.social_capital_parties),
                   consultants=list(row.consultants), contracts=list(row.contracts))

    @strawberry.field(description="The implementing agency (实施机构), on which every event "
                      "writes a record.")
    async def implementing_agency(self, info: Info[Any, Any]) -> UnitType:
        row = await info.context.loaders.get(subject_loaders.UnitByIdLoader).load(
            self.row.implementing_agency_id)
        return UnitType.from_row(row)

    @strawberry.field(description="Who answered for each stage, by stage order then startedOn "
                      "(as assigned now: later closings show here, not in events' traces).")
    async def responsibilities(
            self, info: Info[Any, Any],
            stage: Annotated[PppStage | None, strawberry.argument(
                description="Only this stage; omitted: every stage.")] = None,
    ) -> list[PppResponsibilityType]:
        rows = await info.context.loaders.get(loaders.PppResponsibilitiesByProjectLoader).load(
            self.row.id)
        return [PppResponsibilityType.from_row(r) for r in rows
                if stage is None or r.stage == stage.value]

    @strawberry.field(description="The project's events, occurredOn ascending then id.")
    async def events(self, info: Info[Any, Any]) -> list[PppEventType]:
        rows = await info.context.loaders.get(loaders.PppEventsByProjectLoader).load(self.row.id)
        return [PppEventType.from_row(r) for r in rows]
