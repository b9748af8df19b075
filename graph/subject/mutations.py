"""Mutations of the subject domain."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domains.core.errors import DomainError
from domains.core.ids import to_global_id
from domains.subject import service as subjects
from domains.subject.models import CivilServant, Employment, Unit
from graph.common import BatchPayload, batch_too_large
from graph.enums import Audience, UnitKind
from graph.input_guard import key_argument, key_field, text_field
from graph.permissions import CreditOfficeOnly, allow

PersonnelWriters = allow(Audience.PERSONNEL)


@strawberry.input(description="A unit to create or update (key uscc).")
class UnitInput:
    uscc: str = key_field(description="Unified social credit code (统一社会信用代码), the key.")
    name: str = text_field(Unit.name, description="The unit's name.")
    kind: UnitKind = strawberry.field(description="What kind of unit it is.")
    region_code: str | None = text_field(
        Unit.region_code, default=None,
        description="Administrative division code (GB/T 2260), 6, 9 or 12 digits.")
    parent_uscc: str | None = key_field(
        default=None, description="The unit above this one, in the batch or already stored.")


@strawberry.input(description="A civil servant and the post held from startedOn (key idNumber).")
class CivilServantInput:
    id_number: str = key_field(description="The 18-character identity-card number, the key; "
                               "stored only as a keyed hash and masked.")
    name: str = text_field(CivilServant.name, description="Full name.")
    unit_uscc: str = key_field(description="The unit of the post.")
    position: str | None = text_field(Employment.position, default=None,
                                      description="Position (职务).")
    rank: str | None = text_field(Employment.rank, default=None, description="Rank (职级).")
    started_on: date = strawberry.field(description="First day of the post; not after today.")


@strawberry.type
class SubjectMutation:
    @strawberry.mutation(description="Create or update units; all-or-nothing. CREDIT_OFFICE.",
                         permission_classes=[CreditOfficeOnly])
    async def register_units(
            self, info: Info[Any, Any],
            units: Annotated[list[UnitInput], strawberry.argument(
                description="The units, at most 1000.")]) -> BatchPayload:
        if (too_large := batch_too_large(units)) is not None:
            return too_large
        rows = [subjects.UnitRow(uscc=u.uscc, name=u.name, kind=u.kind.value,
                                 region_code=u.region_code, parent_uscc=u.parent_uscc)
                for u in units]
        try:
            ids = await info.context.write(subjects.register_units, rows)
        except DomainError as error:
            return BatchPayload.failed(error.errors)
        return BatchPayload.ok([to_global_id("Unit", i) for i in ids])

    @strawberry.mutation(description="Create or update civil servants and their employment "
                         "history; all-or-nothing. PERSONNEL and CREDIT_OFFICE.",
                         permission_classes=[PersonnelWriters])
    async def register_civil_servants(
            self, info: Info[Any, Any],
            people: Annotated[list[CivilServantInput], strawberry.argument(
                description="The people, at most 1000.")]) -> BatchPayload:
        if (too_large := batch_too_large(people)) is not None:
            return too_large
        rows = [subjects.PersonRow(id_number=p.id_number, name=p.name, unit_uscc=p.unit_uscc,
                                   started_on=p.started_on, position=p.position, rank=p.rank)
                for p in people]
        try:
            ids = await info.context.write(subjects.register_civil_servants, rows,
                                           secret=info.context.id_secret,
                                           today=info.context.today)
        except DomainError as error:
            return BatchPayload.failed(error.errors)
        return BatchPayload.ok([to_global_id("CivilServant", i) for i in ids])

    @strawberry.mutation(description="Close the open employment (retirement, resignation, "
                         "dismissal). PERSONNEL and CREDIT_OFFICE.",
                         permission_classes=[PersonnelWriters])
    async def end_employment(
            self, info: Info[Any, Any],
            id_number: Annotated[str, key_argument(
                description="The person's identity-card number.")],
            ended_on: Annotated[date, strawberry.argument(
                description="Last day of the post.")]) -> BatchPayload:
        try:
            person_id = await info.context.write(
                subjects.end_employment, id_number=id_number, ended_on=ended_on,
                secret=info.context.id_secret, today=info.context.today)
        except DomainError as error:
            return BatchPayload.failed(error.errors)
        return BatchPayload.ok([to_global_id("CivilServant", person_id)])
