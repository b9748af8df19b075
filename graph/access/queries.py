"""auditLog: who read whose credit data (查询留痕); identityLookups: who looked up identity
numbers, and who was refused. CREDIT_OFFICE only."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domains.access import identity
from domains.access import service as access
from domains.access.models import AuditEntry, IdentityLookup
from graph.access.types import AuditEntryType, IdentityLookupType
from graph.credit.inputs import SubjectKey
from graph.credit.queries import subject_of_key
from graph.input_guard import text_argument
from graph.pagination import After, Connection, First, connection, page
from graph.permissions import CreditOfficeOnly


@strawberry.type
class AccessQuery:
    @strawberry.field(description="Who read whose credit data (查询留痕), newest first; "
                      "`from` and `to` are Asia/Shanghai days, both included. CREDIT_OFFICE "
                      "only.", permission_classes=[CreditOfficeOnly])
    async def audit_log(
        self, info: Info[Any, Any],
        subject: Annotated[SubjectKey | None, strawberry.argument(
            description="Only reads of this subject.")] = None,
        client: Annotated[str | None, text_argument(
            AuditEntry.client_name, description="Only reads by this client (its name).")] = None,
        from_: Annotated[date | None, strawberry.argument(
            name="from", description="Only reads on or after this day.")] = None,
        to: Annotated[date | None, strawberry.argument(
            description="Only reads on or before this day.")] = None,
        first: First = None, after: After = None,
    ) -> Connection[AuditEntryType]:
        window = page(first, after)
        subject_id: str | None = None
        if subject is not None:
            found = await subject_of_key(info, subject)
            if found is None:
                return connection(window, [], 0)
            subject_id = found[0]
        rows, total = await info.context.read(
            access.audit_page, subject_id=subject_id,
            client=client.strip() if client is not None else None, from_day=from_, to_day=to,
            offset=window.offset, limit=window.limit)
        return connection(window, [AuditEntryType.from_row(r) for r in rows], total)

    @strawberry.field(description="Look-ups by identity number, found or not, and the ones "
                      "refused by a client's budget, newest first. CREDIT_OFFICE only.",
                      permission_classes=[CreditOfficeOnly])
    async def identity_lookups(
        self, info: Info[Any, Any],
        client: Annotated[str | None, text_argument(
            IdentityLookup.client_name,
            description="Only look-ups by this client (its name).")] = None,
        refused_only: Annotated[bool, strawberry.argument(
            description="Only the refused look-ups.")] = False,
        first: First = None, after: After = None,
    ) -> Connection[IdentityLookupType]:
        window = page(first, after)
        rows, total = await info.context.read(
            identity.lookup_page, client=client.strip() if client is not None else None,
            refused_only=refused_only, offset=window.offset, limit=window.limit)
        return connection(window, [IdentityLookupType.from_row(r) for r in rows], total)
