"""Enumerations of the subject domain (names as in the contract)."""

from enum import StrEnum


class UnitKind(StrEnum):
    GOVERNMENT_ORGAN = "GOVERNMENT_ORGAN"
    PUBLIC_INSTITUTION = "PUBLIC_INSTITUTION"
    TOWN_OR_STREET = "TOWN_OR_STREET"
    INDUSTRIAL_ZONE = "INDUSTRIAL_ZONE"
    STATE_ENTERPRISE = "STATE_ENTERPRISE"
    OTHER = "OTHER"
