"""Enumerations of the subject domain (names as in the contract)."""

import uuid
from enum import StrEnum


class UnitKind(StrEnum):
    GOVERNMENT_ORGAN = "GOVERNMENT_ORGAN"
    PUBLIC_INSTITUTION = "PUBLIC_INSTITUTION"
    TOWN_OR_STREET = "TOWN_OR_STREET"
    INDUSTRIAL_ZONE = "INDUSTRIAL_ZONE"
    STATE_ENTERPRISE = "STATE_ENTERPRISE"
    OTHER = "OTHER"


class SubjectKind(StrEnum):
    """What a credit subject is: a unit (key uscc) or a civil servant (key idNumber).

    One enum for every layer: its values are what the database stores (`subject_kind`
    columns), what loaders group by and what GraphQL's `SubjectKind` enum sends, so a kind
    never has to be spelled as a string.
    """

    UNIT = "UNIT"
    PERSON = "PERSON"


def kind_of(unit_id: uuid.UUID | None) -> SubjectKind:
    """The kind of a row that references its subject by `unit_id` or `civil_servant_id`
    (exactly one is set, a CHECK constraint of each such table)."""
    return SubjectKind.UNIT if unit_id is not None else SubjectKind.PERSON


def subject_columns(kind: SubjectKind, subject_id: uuid.UUID) -> dict[str, uuid.UUID | None]:
    """`unit_id` and `civil_servant_id` of a row about the subject: the inverse of `kind_of`."""
    unit = kind == SubjectKind.UNIT
    return {"unit_id": subject_id if unit else None,
            "civil_servant_id": None if unit else subject_id}
