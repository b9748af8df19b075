"""GraphQL types of the audit trail (查询留痕) and of identity-number look-ups."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from domains.access import models
from graph.page_wording import PageWording, word_pages


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


word_pages("AuditEntry", PageWording(
    edge="An entry in a page of the audit trail.", node="The entry.",
    connection="A page of the audit trail, newest first.", edges="The entries of this page.",
    total_count="Matching entries, ignoring paging."))


@strawberry.enum(name="IdentityLookupRefusal", description="Why a look-up by identity number "
                 "was refused (the number was not looked up).")
class IdentityLookupRefusal(Enum):
    HOURLY_BUDGET = strawberry.enum_value(
        "HOURLY_BUDGET", description="The client's budget of distinct numbers per hour was "
        "spent (HTTP 429).")
    PER_REQUEST = strawberry.enum_value(
        "PER_REQUEST", description="A read request named more numbers than one request may.")


@strawberry.type(name="IdentityLookup", description="One identity number a client looked up, "
                 "found or not, or was refused (DOMAIN.md section 1). The number itself is "
                 "never kept or shown.")
class IdentityLookupType:
    at: datetime = strawberry.field(description="When the look-up was made or refused.")
    client: str = strawberry.field(description="The client's name.")
    request_id: str = strawberry.field(description="The request it was part of (X-Request-ID).")
    found: bool | None = strawberry.field(description="Whether the number named a civil "
                                          "servant; null when refused.")
    refused: IdentityLookupRefusal | None = strawberry.field(
        description="Why it was refused; null when it was made.")

    @classmethod
    def from_row(cls, row: models.IdentityLookup) -> IdentityLookupType:
        refused = IdentityLookupRefusal(row.refused) if row.refused else None
        return cls(at=row.at, client=row.client_name, request_id=row.request_id,
                   found=row.found, refused=refused)


word_pages("IdentityLookup", PageWording(
    edge="A look-up in a page.", node="The look-up.",
    connection="A page of identity-number look-ups, newest first.",
    edges="The look-ups of this page.", total_count="Matching look-ups, ignoring paging."))
