"""Types shared by every domain of the schema."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated

import strawberry

from domains.core.errors import InputError

AsOf = Annotated[date | None, strawberry.argument(
    description="The day judged, YYYY-MM-DD (default today).")]


@strawberry.interface(description="An object with a Relay global id (base64 of Type:uuid).")
class Node:
    id: strawberry.ID = strawberry.field(description="The Relay global id; node(id:) finds it.")


@strawberry.type(name="InputError", description="Why a write was refused (DOMAIN.md section 9).")
class InputErrorType:
    index: int | None = strawberry.field(
        description="Index of the row in the batch, when the error belongs to one.")
    field: str | None = strawberry.field(
        description="Dot path inside the row in input casing, e.g. subject.idNumber.")
    code: str = strawberry.field(description="Stable error code.")
    message: str = strawberry.field(description="Readable explanation.")

    @classmethod
    def from_error(cls, error: InputError) -> InputErrorType:
        return cls(index=error.index, field=error.field, code=error.code, message=error.message)


def input_errors(errors: Sequence[InputError]) -> list[InputErrorType]:
    return [InputErrorType.from_error(e) for e in errors]


@strawberry.type(description="The answer to a batch write: all rows accepted, or none.")
class BatchPayload:
    accepted: int = strawberry.field(
        description="Rows written or already present; 0 when errors is not empty.")
    ids: list[strawberry.ID] = strawberry.field(
        description="The ids of the rows, in row order; empty when errors is not empty.")
    errors: list[InputErrorType] = strawberry.field(description="One entry per bad row or field.")

    @classmethod
    def ok(cls, ids: Sequence[str]) -> BatchPayload:
        return cls(accepted=len(ids), ids=[strawberry.ID(i) for i in ids], errors=[])

    @classmethod
    def failed(cls, errors: Sequence[InputError]) -> BatchPayload:
        return cls(accepted=0, ids=[], errors=input_errors(errors))


MAX_BATCH = 1000


def batch_too_large(rows: Sequence[object]) -> BatchPayload | None:
    """A payload error when a batch exceeds MAX_BATCH rows (bounded work per request)."""
    if len(rows) <= MAX_BATCH:
        return None
    return BatchPayload.failed([InputError(
        code="INVALID_VALUE", message=f"a batch holds at most {MAX_BATCH} rows", index=None,
        field=None)])
