"""Mutations of the credit domain (DOMAIN.md sections 2 and 3): reporting records and changing
their status. Who may call a mutation at all is a permission class (GraphQL FORBIDDEN); rows or
records outside the caller's rights are payload errors, decided by the service."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from domains.core.errors import DomainError, InputError
from domains.core.ids import from_global_id, to_global_id
from domains.credit import errors as codes
from domains.credit import service
from domains.credit.models import CreditRecord, Objection, RecordEvent
from domains.credit.transitions import OBJECTORS
from graph.common import BatchPayload, InputErrorType, batch_too_large, input_errors
from graph.credit.inputs import CreditRecordInput, CreditRecordPatch
from graph.credit.types import CreditRecordType, visible_record
from graph.enums import Audience
from graph.input_guard import text_argument
from graph.permissions import CreditOfficeOnly, allow

Reporters = allow(Audience.PROCUREMENT, Audience.PROJECT_APPROVAL, Audience.PERSONNEL)
# Who may file an objection is the domain's rule (transitions.OBJECTORS); the field asks it too.
Objectors = allow(*OBJECTORS)
Transition = Callable[..., Awaitable[CreditRecord]]
RecordId = Annotated[strawberry.ID, strawberry.argument(description="The record's global id.")]
Note = Annotated[str, text_argument(RecordEvent.note, description="Why, in the caller's words; "
                                    "kept in the record's history.")]


@strawberry.type(name="RecordPayload", description="The answer to a change of one record.")
class RecordPayload:
    record: CreditRecordType | None = strawberry.field(
        description="The record after the change; null on error, or when the caller may not "
        "see its details (it is then known to it only as a RecordRef).")
    errors: list[InputErrorType] = strawberry.field(description="Why the change was refused.")

    @classmethod
    def failed(cls, errors: list[InputError]) -> RecordPayload:
        return cls(record=None, errors=input_errors(errors))


async def _change(info: Info[Any, Any], fn: Transition, record_id: strawberry.ID,
                  **kwargs: Any) -> RecordPayload:
    """Run one status change as the caller and answer the record as the caller may see it."""
    pk: uuid.UUID | None = from_global_id(str(record_id), "CreditRecord")
    if pk is None:
        return RecordPayload.failed([InputError(codes.NOT_FOUND, codes.NO_RECORD,
                                                field="recordId")])
    client = info.context.client

    async def run(session: AsyncSession) -> CreditRecord:
        return await fn(session, pk, actor=client.name, audience=client.audience,
                        today=info.context.today, **kwargs)
    try:
        record = await info.context.write(run)
    except DomainError as error:
        return RecordPayload.failed(error.errors)
    return RecordPayload(record=await visible_record(info, record.id), errors=[])


@strawberry.type
class CreditMutation:
    @strawberry.mutation(description="Report credit records; all-or-nothing, idempotent on "
                         "(sourceSystem, sourceRef). Rows outside the caller's write scope are "
                         "FORBIDDEN (DOMAIN.md section 3). PROCUREMENT, PROJECT_APPROVAL, "
                         "PERSONNEL and CREDIT_OFFICE.", permission_classes=[Reporters])
    async def report_credit_records(
            self, info: Info[Any, Any],
            records: Annotated[list[CreditRecordInput], strawberry.argument(
                description="The records, at most 1000.")]) -> BatchPayload:
        if (too_large := batch_too_large(records)) is not None:
            return too_large
        client = info.context.client
        try:
            ids = await info.context.write(
                service.report_records, [r.to_row() for r in records], actor=client.name,
                audience=client.audience, today=info.context.today,
                secret=info.context.id_secret)
        except DomainError as error:
            return BatchPayload.failed(error.errors)
        return BatchPayload.ok([to_global_id("CreditRecord", i) for i in ids])

    @strawberry.mutation(description="Object to an ACTIVE record: UNDER_OBJECTION, due 7 "
                         "working days later. SUPERVISION and CREDIT_OFFICE.",
                         permission_classes=[Objectors])
    async def file_objection(self, info: Info[Any, Any], record_id: RecordId,
                             reason: Annotated[str, text_argument(
                                 Objection.reason,
                                 description="The grounds of the objection; not blank.")],
                             ) -> RecordPayload:
        return await _change(info, service.file_objection, record_id, reason=reason)

    @strawberry.mutation(description="Resolve the open objection: upheld -> REVOKED, rejected "
                         "-> ACTIVE. CREDIT_OFFICE.", permission_classes=[CreditOfficeOnly])
    async def resolve_objection(self, info: Info[Any, Any], record_id: RecordId,
                                upheld: Annotated[bool, strawberry.argument(
                                    description="true: the record is REVOKED; false: it is "
                                    "ACTIVE again.")],
                                note: Note) -> RecordPayload:
        return await _change(info, service.resolve_objection, record_id, upheld=upheld,
                             note=note)

    @strawberry.mutation(description="Credit repair of an ACTIVE DISHONEST record, from "
                         "decidedOn + the minimum of the repair day's rule. CREDIT_OFFICE.",
                         permission_classes=[CreditOfficeOnly])
    async def repair_record(self, info: Info[Any, Any], record_id: RecordId,
                            note: Note) -> RecordPayload:
        return await _change(info, service.repair_record, record_id, note=note)

    @strawberry.mutation(description="Exempt an ACTIVE or UNDER_OBJECTION DISHONEST record "
                         "(免责/容错). CREDIT_OFFICE.", permission_classes=[CreditOfficeOnly])
    async def exempt_record(self, info: Info[Any, Any], record_id: RecordId,
                            note: Note) -> RecordPayload:
        return await _change(info, service.exempt_record, record_id, note=note)

    @strawberry.mutation(description="Correct an ACTIVE or UNDER_OBJECTION record; the patch is "
                         "validated like a report. CREDIT_OFFICE or the reporting client.")
    async def correct_record(self, info: Info[Any, Any], record_id: RecordId,
                             patch: Annotated[CreditRecordPatch, strawberry.argument(
                                 description="The fields to change; null or omitted ones stay "
                                 "as they are.")],
                             note: Note) -> RecordPayload:
        return await _change(info, service.correct_record, record_id, patch=patch.to_patch(),
                             note=note)

    @strawberry.mutation(description="Revoke an ACTIVE or UNDER_OBJECTION record whose decision "
                         "was annulled. CREDIT_OFFICE or the reporting client.")
    async def revoke_record(self, info: Info[Any, Any], record_id: RecordId,
                            note: Note) -> RecordPayload:
        return await _change(info, service.revoke_record, record_id, note=note)
