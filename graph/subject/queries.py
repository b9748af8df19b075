"""Queries of the subject domain."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domains.credit.enums import Audience as AudienceValue
from domains.subject import keys
from domains.subject import service as subjects
from domains.subject.models import CivilServant, Unit
from graph.errors import graph_error
from graph.input_guard import key_argument, text_argument
from graph.pagination import After, Connection, First, connection, page
from graph.subject.types import CivilServantType, UnitType, Viewer


async def unit_by_uscc(info: Info[Any, Any], uscc: str) -> Unit | None:
    """The unit a client's code names (None when unknown); a malformed code is the GraphQL
    error INVALID_USCC."""
    code = keys.parse_uscc(uscc)
    if code is None:
        raise graph_error("INVALID_USCC", f"{uscc!r} is not a valid unified social credit code")
    unit: Unit | None = await info.context.read(subjects.unit_by_uscc, code)
    return unit


async def person_by_id_number(info: Info[Any, Any], id_number: str) -> CivilServant | None:
    """The civil servant a client's identity-card number names (None when unknown); a malformed
    number is the GraphQL error INVALID_ID_NUMBER."""
    number = keys.parse_id_number(id_number, info.context.today)
    if number is None:
        raise graph_error("INVALID_ID_NUMBER", "not a valid identity-card number")
    person: CivilServant | None = await info.context.read(
        subjects.person_by_id_number, number, secret=info.context.id_secret)
    return person


@strawberry.type
class SubjectQuery:
    @strawberry.field(description="The calling client system.")
    def viewer(self, info: Info[Any, Any]) -> Viewer:
        client = info.context.client
        return Viewer(name=client.name, audience=AudienceValue(client.audience))

    @strawberry.field(description="A unit by its unified social credit code; a malformed code "
                      "is the error INVALID_USCC, an unknown one null.")
    async def unit(self, info: Info[Any, Any], uscc: Annotated[str, key_argument(
            description="The unit's code; blanks and case do not matter.")]) -> UnitType | None:
        row = await unit_by_uscc(info, uscc)
        return UnitType.from_row(row) if row else None

    @strawberry.field(description="Units ordered by name, optionally those whose name contains "
                      "a text.")
    async def units(
            self, info: Info[Any, Any],
            name_contains: Annotated[str | None, text_argument(
                Unit.name, description="Only units whose name contains this text.")] = None,
            first: First = None, after: After = None) -> Connection[UnitType]:
        window = page(first, after)
        rows, total = await info.context.read(subjects.list_units, name_contains=name_contains,
                                              offset=window.offset, limit=window.limit)
        return connection(window, [UnitType.from_row(r) for r in rows], total)

    @strawberry.field(description="Look a civil servant up by identity-card number (input "
                      "only); a malformed number is the error INVALID_ID_NUMBER.")
    async def civil_servant(
            self, info: Info[Any, Any],
            id_number: Annotated[str, key_argument(
                description="The 18-character identity-card number.")],
    ) -> CivilServantType | None:
        row = await person_by_id_number(info, id_number)
        return CivilServantType.from_row(row) if row else None
