"""The credit domain's enums, member for member and in the order of the contract.

Members are `StrEnum`s whose values are their names, so they compare equal to the contract's
enum values and iterate in contract order ("in enum order" in DOMAIN.md section 0).
"""

from __future__ import annotations

from enum import StrEnum


class RecordNature(StrEnum):
    """Good or bad: 守信 or 失信."""

    TRUSTWORTHY = "TRUSTWORTHY"
    DISHONEST = "DISHONEST"


class RecordCategory(StrEnum):
    """The record types of the plan, plus contract performance (履约) and commendation."""

    JUDICIAL_JUDGMENT = "JUDICIAL_JUDGMENT"
    ADMINISTRATIVE_PENALTY = "ADMINISTRATIVE_PENALTY"
    ADMINISTRATIVE_RECONSIDERATION = "ADMINISTRATIVE_RECONSIDERATION"
    MOTION_PROPOSAL_HANDLING = "MOTION_PROPOSAL_HANDLING"
    DISCIPLINARY_SANCTION = "DISCIPLINARY_SANCTION"
    ADMINISTRATIVE_SANCTION = "ADMINISTRATIVE_SANCTION"
    PERFORMANCE_ASSESSMENT = "PERFORMANCE_ASSESSMENT"
    COMPLAINT = "COMPLAINT"
    OTHER_ACCOUNTABILITY = "OTHER_ACCOUNTABILITY"
    CONTRACT_PERFORMANCE = "CONTRACT_PERFORMANCE"
    COMMENDATION = "COMMENDATION"


class Severity(StrEnum):
    """轻微 / 一般 / 严重; none for TRUSTWORTHY records."""

    MINOR = "MINOR"
    GENERAL = "GENERAL"
    SERIOUS = "SERIOUS"


class Sanction(StrEnum):
    """The sanction or handling a record imposes on a person (periods: DOMAIN.md section 5)."""

    WARNING = "WARNING"
    DEMERIT = "DEMERIT"
    MAJOR_DEMERIT = "MAJOR_DEMERIT"
    DEMOTION = "DEMOTION"
    REMOVAL = "REMOVAL"
    DISMISSAL = "DISMISSAL"
    PARTY_WARNING = "PARTY_WARNING"
    PARTY_SERIOUS_WARNING = "PARTY_SERIOUS_WARNING"
    PARTY_POST_REVOCATION = "PARTY_POST_REVOCATION"
    ADMONISHMENT = "ADMONISHMENT"
    POST_ADJUSTMENT = "POST_ADJUSTMENT"
    RANK_REDUCTION = "RANK_REDUCTION"
    UNDER_INVESTIGATION = "UNDER_INVESTIGATION"


class SourceDomain(StrEnum):
    """Where the record comes from."""

    PROCUREMENT = "PROCUREMENT"
    PPP = "PPP"
    INVESTMENT = "INVESTMENT"
    DEBT = "DEBT"
    RIVER_GOVERNANCE = "RIVER_GOVERNANCE"
    ADMINISTRATIVE_APPROVAL = "ADMINISTRATIVE_APPROVAL"
    OTHER = "OTHER"


class Disclosure(StrEnum):
    """公开属性: who may see the record's details."""

    PUBLIC = "PUBLIC"
    GOVERNMENT_SHARED = "GOVERNMENT_SHARED"
    AUTHORIZED_QUERY = "AUTHORIZED_QUERY"


class Audience(StrEnum):
    """The client systems that may be named in a record's share scope (共享范围)."""

    PROCUREMENT = "PROCUREMENT"
    PROJECT_APPROVAL = "PROJECT_APPROVAL"
    PERSONNEL = "PERSONNEL"
    SUPERVISION = "SUPERVISION"
    CREDIT_OFFICE = "CREDIT_OFFICE"


class RecordStatus(StrEnum):
    """A record's status; EXPIRED is derived from validUntil and never stored."""

    ACTIVE = "ACTIVE"
    UNDER_OBJECTION = "UNDER_OBJECTION"
    REVOKED = "REVOKED"
    REPAIRED = "REPAIRED"
    EXEMPTED = "EXEMPTED"
    EXPIRED = "EXPIRED"


class RecordEventKind(StrEnum):
    """What happened to a record; also the tie order of events with the same time."""

    REPORTED = "REPORTED"
    NOTIFIED = "NOTIFIED"
    OBJECTION_FILED = "OBJECTION_FILED"
    OBJECTION_UPHELD = "OBJECTION_UPHELD"
    OBJECTION_REJECTED = "OBJECTION_REJECTED"
    CORRECTED = "CORRECTED"
    REPAIRED = "REPAIRED"
    REVOKED = "REVOKED"
    EXEMPTED = "EXEMPTED"
