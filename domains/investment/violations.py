"""Violations in government investment projects (DOMAIN.md section 8): each writes, in the
same transaction, a DISHONEST record on its subject through the credit domain's reporting
path (`domains.credit.service.report_records`), so the credit rules (severity, sanction,
validity defaults, share scope), events and idempotency are the credit domain's own.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Final

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.errors import DomainError, ErrorCollector, InputError
from domains.credit import service as credit
from domains.credit.enums import (
    Disclosure,
    RecordCategory,
    RecordNature,
    Sanction,
    Severity,
    SourceDomain,
)
from domains.credit.models import CreditRecord
from domains.credit.rules import INVESTMENT_SOURCE_SYSTEM
from domains.credit.writing import lock_source_keys
from domains.investment import errors as codes
from domains.investment import service as investment
from domains.investment.models import InvestmentProject, InvestmentViolation
from domains.investment.rules import ViolationKind
from domains.subject import keys
from domains.subject import service as subjects

SOURCE_SYSTEM: Final = INVESTMENT_SOURCE_SYSTEM  # reserved: clients may not report under it
DEFAULT_CATEGORY: Final = RecordCategory.ADMINISTRATIVE_SANCTION
MAX_SOURCE_REF: Final = 199  # <projectCode>/<sourceRef> fits the record's 300 characters
# A credit error's field, as the violation's input names it (same name when not listed).
FIELD_OF_RECORD: Final = {"title": "description", "investmentProjectCode": "projectCode",
                          "nature": "category", "validUntil": "decidedOn",
                          "disclosure": "severity", "sourceSystem": None}


@dataclass(frozen=True)
class ViolationRow:
    """One InvestmentViolationInput; the subject is `subject_uscc` or `subject_id_number`."""

    project_code: str
    kind: ViolationKind
    occurred_on: date
    description: str
    subject_uscc: str | None
    subject_id_number: str | None
    severity: Severity
    decided_on: date
    source_ref: str
    category: RecordCategory | None = None
    sanction: Sanction | None = None
    sanction_months: int | None = None
    decision_number: str | None = None
    decided_by_uscc: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.project_code, self.source_ref)

    def record(self) -> credit.RecordRow:
        """The DISHONEST record the violation writes (section 8)."""
        return credit.RecordRow(
            subject_uscc=self.subject_uscc, subject_id_number=self.subject_id_number,
            nature=RecordNature.DISHONEST, category=self.category or DEFAULT_CATEGORY,
            domain=SourceDomain.INVESTMENT, title=self.description, decided_on=self.decided_on,
            disclosure=Disclosure.GOVERNMENT_SHARED, source_system=SOURCE_SYSTEM,
            source_ref=f"{self.project_code}/{self.source_ref}", severity=self.severity,
            sanction=self.sanction, sanction_months=self.sanction_months,
            decision_number=self.decision_number, decided_by_uscc=self.decided_by_uscc,
            investment_project_code=self.project_code)


def _normalised(row: ViolationRow) -> ViolationRow:
    def key(value: str | None) -> str | None:
        return None if value is None else keys.normalise_key(value)
    return replace(row, project_code=keys.normalise_key(row.project_code),
                   description=row.description.strip(), source_ref=row.source_ref.strip(),
                   subject_uscc=key(row.subject_uscc),
                   subject_id_number=key(row.subject_id_number))


def _check_violation(row: ViolationRow, index: int, today: date,
                     errors: ErrorCollector) -> None:
    """The violation's own fields (the record's are the credit rules')."""
    if row.occurred_on > today:
        errors.add(codes.INVALID_VALUE, codes.NOT_AFTER_TODAY.format(field="occurredOn"), index,
                   "occurredOn")
    elif row.occurred_on > row.decided_on:
        errors.add(codes.INVALID_VALUE, codes.OCCURRED_AFTER_DECISION, index, "occurredOn")
    if not 1 <= len(row.source_ref) <= MAX_SOURCE_REF:
        errors.add(codes.INVALID_VALUE, f"sourceRef must have 1 to {MAX_SOURCE_REF} characters",
                   index, "sourceRef")


async def _stored(session: AsyncSession, projects: dict[str, InvestmentProject],
                  rows: Sequence[ViolationRow]) -> dict[tuple[str, str], InvestmentViolation]:
    """The stored violations of the batch's keys, by (project code, sourceRef)."""
    wanted = {(projects[r.project_code].id, r.source_ref) for r in rows
              if r.project_code in projects}
    if not wanted:
        return {}
    codes_by_id = {p.id: code for code, p in projects.items()}
    found = await session.scalars(select(InvestmentViolation).where(
        tuple_(InvestmentViolation.project_id, InvestmentViolation.source_ref).in_(wanted)))
    return {(codes_by_id[v.project_id], v.source_ref): v for v in found}


def _record_errors(error: DomainError) -> list[InputError]:
    """The credit path's errors in the violation's terms (its input's field names)."""
    mapped = []
    for e in error.errors:
        field = FIELD_OF_RECORD.get(e.field, e.field) if e.field else None
        message = codes.VIOLATION_CHANGED if e.code == codes.CONFLICT else e.message
        mapped.append(InputError(e.code, message, e.index, field))
    return mapped


async def _report(session: AsyncSession, rows: Sequence[ViolationRow], errors: ErrorCollector,
                  *, actor: str, audience: str, today: date, secret: bytes) -> list[uuid.UUID]:
    """Write the records through the credit path; its errors join the batch's."""
    try:
        return await credit.report_records(
            session, [r.record() for r in rows], actor=actor, audience=audience, today=today,
            secret=secret, reserved_source=SOURCE_SYSTEM)
    except DomainError as error:
        seen = {(e.index, e.field, e.code) for e in errors.errors}
        for e in _record_errors(error):
            if (e.index, e.field, e.code) not in seen:
                errors.add(e.code, e.message, e.index, e.field)
        return []


async def record_violations(session: AsyncSession, rows: Sequence[ViolationRow], *, actor: str,
                            audience: str, today: date, secret: bytes) -> list[uuid.UUID]:
    """Record violations (key project + sourceRef) and their DISHONEST records; all-or-nothing,
    idempotent. Returns the records' ids in row order."""
    rows = [_normalised(row) for row in rows]
    errors = ErrorCollector()
    for index, row in enumerate(rows):
        _check_violation(row, index, today, errors)
    first = subjects.dedupe(rows, lambda r: r.key, errors, "sourceRef")
    # the keys of the records they write: the credit path takes the same locks again
    await lock_source_keys(session, {(SOURCE_SYSTEM, r.record().source_ref) for r in rows})
    projects = await investment.projects_by_code(session, [r.project_code for r in rows])
    stored = await _stored(session, projects, rows)
    for index, row in enumerate(rows):
        old = stored.get(row.key)
        if old is not None and (old.kind, old.occurred_on) != (row.kind.value, row.occurred_on):
            errors.add(codes.CONFLICT, codes.VIOLATION_CHANGED, index, "sourceRef")
    record_ids = await _report(session, rows, errors, actor=actor, audience=audience,
                               today=today, secret=secret)
    errors.raise_if_any()
    new = [i for i, row in enumerate(rows) if first[i] == i and row.key not in stored]
    subjects_ = await _record_subjects(session, [record_ids[i] for i in new])
    session.add_all(InvestmentViolation(
        id=uuid.uuid4(), project_id=projects[rows[i].project_code].id,
        source_ref=rows[i].source_ref, kind=rows[i].kind.value, occurred_on=rows[i].occurred_on,
        description=rows[i].description, unit_id=subjects_[record_ids[i]][0],
        civil_servant_id=subjects_[record_ids[i]][1], record_id=record_ids[i],
        recorded_by=actor) for i in new)
    await session.flush()
    return record_ids


async def _record_subjects(session: AsyncSession, record_ids: Sequence[uuid.UUID],
                           ) -> dict[uuid.UUID, tuple[uuid.UUID | None, uuid.UUID | None]]:
    """(unit id, civil servant id) of each record: the subject the credit path resolved."""
    if not record_ids:
        return {}
    found = await session.execute(
        select(CreditRecord.id, CreditRecord.unit_id, CreditRecord.civil_servant_id)
        .where(CreditRecord.id.in_(record_ids)))
    return {pk: (unit, person) for pk, unit, person in found.all()}
