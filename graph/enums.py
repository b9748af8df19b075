"""The domain enumerations as GraphQL enums (member names as in the contract).

`strawberry.enum` registers the domain class itself, so GraphQL types annotate fields with the
same classes the domains use (no conversion, and mypy sees real classes).
"""

from __future__ import annotations

import strawberry

from domains.credit import enums as credit
from domains.subject import enums as subject

UnitKind = subject.UnitKind
strawberry.enum(subject.UnitKind, description="What kind of unit (单位类别).")
SubjectKind = subject.SubjectKind
strawberry.enum(subject.SubjectKind, description="Who a memorandum covers: units (UNIT) or civil "
                "servants (PERSON).")
Audience = credit.Audience
strawberry.enum(
    credit.Audience,
    description="The client systems that may be named in a record's share scope (共享范围).",
)
RecordNature = credit.RecordNature
strawberry.enum(credit.RecordNature, description="Good or bad: 守信 or 失信.")
RecordCategory = credit.RecordCategory
strawberry.enum(credit.RecordCategory, description="The plan's record types.")
Severity = credit.Severity
strawberry.enum(credit.Severity, description="轻微 / 一般 / 严重. Null for TRUSTWORTHY records.")
Sanction = credit.Sanction
strawberry.enum(
    credit.Sanction,
    description="The sanction or handling a record imposes on a person (DOMAIN.md section 5).",
)
SourceDomain = credit.SourceDomain
strawberry.enum(credit.SourceDomain, description="Where the record comes from.")
Disclosure = credit.Disclosure
strawberry.enum(credit.Disclosure, description="公开属性: who may see the record's details.")
RecordStatus = credit.RecordStatus
strawberry.enum(credit.RecordStatus, description="Where a record stands.")
RecordEventKind = credit.RecordEventKind
strawberry.enum(credit.RecordEventKind, description="What happened to a record.")
