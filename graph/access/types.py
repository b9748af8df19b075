"""GraphQL types of the audit trail (查询留痕)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import strawberry

from domains.access import models
from graph.pagination import Page, PageInfo, connection


@strawberry.type(name="AuditEntry", description="One read of credit data: who read whose "
                 "file, when, through which operation (查询留痕).")
class AuditEntryType:
    at: datetime = strawberry.field(description="When the read was answered.")
    client: str = strawberry.field(description="The reading client's name.")
    operation: str | None = strawberry.field(description="The GraphQL operation name, when the "
                                             "client gave one.")
    field: str = strawberry.field(description="The field path read, list indices left out "
                                  "(e.g. unit.creditFile.records).")
    subjects: list[strawberry.ID] = strawberry.field(description="Global ids of every unit and "
                                                     "civil servant whose data was read.")

    @classmethod
    def from_row(cls, row: models.AuditEntry) -> AuditEntryType:
        return cls(at=row.at, client=row.client_name, operation=row.operation, field=row.field,
                   subjects=[strawberry.ID(s) for s in row.subject_ids])


@strawberry.type(name="AuditEntryEdge", description="An entry in a page of the audit trail.")
class AuditEntryEdge:
    cursor: str = strawberry.field(description="Pass as `after` to read on from here.")
    node: AuditEntryType = strawberry.field(description="The entry.")


@strawberry.type(name="AuditEntryConnection", description="A page of the audit trail, newest "
                 "first.")
class AuditEntryConnection:
    edges: list[AuditEntryEdge] = strawberry.field(description="The entries of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page stands.")
    total_count: int = strawberry.field(description="Matching entries, ignoring paging.")

    @classmethod
    def of(cls, window: Page, rows: Sequence[models.AuditEntry],
           total: int) -> AuditEntryConnection:
        return connection(cls, AuditEntryEdge, window,
                          [AuditEntryType.from_row(r) for r in rows], total)
