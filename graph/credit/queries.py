"""Queries of the credit domain: one record by its source key, and records across subjects."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domains.core.ids import to_global_id
from domains.credit.models import CreditRecord
from domains.credit.visibility import record_visible
from domains.subject import keys
from graph.credit.files import RecordFilterArg, record_filter, records_connection
from graph.credit.inputs import SubjectKey
from graph.credit.types import CreditRecordType, page_subject_gid, subject_gid
from graph.errors import graph_error
from graph.input_guard import text_argument
from graph.pagination import After, Connection, First, page
from graph.subject.queries import person_by_id_number, unit_by_uscc
from loaders import credit as credit_loaders


async def subject_of_key(info: Info[Any, Any], key: SubjectKey) -> tuple[str, uuid.UUID] | None:
    """(global id, pk) of the subject a SubjectKey names; None when unknown. A key naming
    neither or both is a GraphQL error INVALID_VALUE, a malformed one INVALID_USCC or
    INVALID_ID_NUMBER (DOMAIN.md section 1)."""
    if (key.uscc is None) == (key.id_number is None):
        raise graph_error(keys.INVALID_VALUE, keys.SUBJECT_KEY_MESSAGES[keys.INVALID_VALUE])
    if key.uscc is not None:
        unit = await unit_by_uscc(info, key.uscc)
        return (to_global_id("Unit", unit.id), unit.id) if unit else None
    assert key.id_number is not None
    person = await person_by_id_number(info, key.id_number)
    return (to_global_id("CivilServant", person.id), person.id) if person else None


@strawberry.type
class CreditQuery:
    @strawberry.field(description="A record by the reporting system's own key, as reported "
                      "(blanks trimmed; case matters); null when unknown or hidden from the "
                      "caller.")
    async def credit_record(
            self, info: Info[Any, Any],
            source_system: Annotated[str, text_argument(
                CreditRecord.source_system, description="The reporting system, as reported.")],
            source_ref: Annotated[str, text_argument(
                CreditRecord.source_ref,
                description="The reporting system's own key, as reported.")],
    ) -> CreditRecordType | None:
        key = (source_system.strip(), source_ref.strip())
        row = await info.context.loaders.get(credit_loaders.CreditRecordBySourceKeyLoader).load(
            key)
        if row is None:
            return None
        if not record_visible(row, info.context.client.audience, info.context.today):
            return None
        info.context.audit(info, [subject_gid(row)])
        return CreditRecordType.from_row(row, info.context.today)

    @strawberry.field(description="Records across subjects, or of one subject, that the caller "
                      "may see (e.g. the credit office's queue of objections); decidedOn desc "
                      "then id desc.")
    async def credit_records(self, info: Info[Any, Any], first: First = None,
                             after: After = None, filter: RecordFilterArg = None,
                             subject: Annotated[SubjectKey | None, strawberry.argument(
                                 description="Only this subject's records.")] = None,
                             ) -> Connection[CreditRecordType]:
        window = page(first, after)
        subject_id: uuid.UUID | None = None
        if subject is not None:
            found = await subject_of_key(info, subject)
            if found is None:
                return await records_connection(info, window, ([], 0))
            # the subject's file was read, even when none of its records is shown
            info.context.audit(info, [found[0]])
            subject_id = found[1]
        result = await info.context.loaders.get(credit_loaders.RecordsByFilterLoader).load(
            (subject_id, record_filter(filter), window.offset, window.limit))
        if result[0]:
            info.context.audit(info, [page_subject_gid(r) for r in result[0]])
        return await records_connection(info, window, result)
