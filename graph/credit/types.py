"""GraphQL types of the credit domain (being built)."""

from __future__ import annotations

import uuid

import strawberry


@strawberry.type(name="CreditFile", description="A subject's credit file (诚信档案).")
class CreditFile:
    subject_kind: strawberry.Private[str]
    subject_pk: strawberry.Private[uuid.UUID]
    subject_gid: strawberry.Private[str]
    trustworthy_count: int = 0

    @classmethod
    def of(cls, kind: str, pk: uuid.UUID, gid: str) -> CreditFile:
        return cls(subject_kind=kind, subject_pk=pk, subject_gid=gid)
