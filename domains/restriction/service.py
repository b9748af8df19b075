"""Measure rules, formal checks and their outcomes (DOMAIN.md section 4).

Services flush; the caller commits. The assessment itself is `assessing.assessment`, read
through the reader the caller passes (the request's loaders), so a list of subjects costs a
bounded number of statements; this module validates and stores checks and enforces the
feedback rules.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final, cast

from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access import identity
from domains.core.errors import DomainError, ErrorCollector
from domains.core.texts import column_width
from domains.restriction import assessing, errors, queries
from domains.restriction.models import (
    MeasureRuleRow,
    PromotionRuleRow,
    RestrictionCheck,
    SanctionPeriodRow,
)
from domains.restriction.promotion import (
    PeriodEntry,
    PromotionValues,
    SanctionPeriods,
    build_versions,
)
from domains.restriction.rules import Assessment, CheckOutcomeKind, MeasureEffect, MeasureRow
from domains.subject import keys
from domains.subject import service as subjects
from domains.subject.enums import SubjectKind, subject_columns

BUSINESS_REF_LIMIT = column_width(RestrictionCheck.business_ref)


@dataclass(frozen=True)
class SubjectRef:
    """A unit or a civil servant, by kind and id."""

    kind: SubjectKind
    id: uuid.UUID


# ---------------------------------------------------------------- rule tables

def measure_row(row: MeasureRuleRow) -> MeasureRow:
    return MeasureRow(code=row.code, name=row.name, scenario=row.scenario,
                      subject_kind=SubjectKind(row.subject_kind), condition=row.condition,
                      effect=MeasureEffect(row.effect), legal_basis=row.legal_basis,
                      valid_from=row.valid_from, valid_to=row.valid_to,
                      domains=tuple(row.domains), published_on=row.published_on)


async def measure_rows(session: AsyncSession) -> list[MeasureRow]:
    """Every version of every measure row (the rules pick those published on asOf)."""
    return [measure_row(row) for row in await session.scalars(queries.measure_rules())]


def sanction_period_versions(periods: Sequence[SanctionPeriodRow],
                             values: Sequence[PromotionRuleRow]) -> list[SanctionPeriods]:
    return build_versions(
        [PeriodEntry(p.valid_from, p.sanction, p.months, p.chain_group) for p in periods],
        [PromotionValues(v.valid_from, v.chain_cap_months, v.incompetent_months,
                         v.basic_months) for v in values])


async def sanction_periods(session: AsyncSession) -> list[SanctionPeriods]:
    """Every version of the promotion rule values."""
    periods = (await session.scalars(queries.sanction_periods())).all()
    values = (await session.scalars(queries.promotion_rules())).all()
    return sanction_period_versions(periods, values)


# ---------------------------------------------------------------- checks

@dataclass(frozen=True)
class CheckRequest:
    uscc: str | None
    id_number: str | None
    scenario: str
    business_ref: str
    as_of: date | None


@dataclass(frozen=True)
class PreparedCheck:
    """A valid request: its subject found, businessRef normalised, asOf defaulted."""

    subject: SubjectRef
    scenario: str
    business_ref: str
    as_of: date


async def prepare_check(session: AsyncSession, request: CheckRequest, *, today: date,
                        secret: bytes) -> PreparedCheck:
    """Validate a checkRestrictions input and find its subject; every error at once."""
    collector = ErrorCollector()
    as_of = request.as_of or today
    if as_of > today:
        collector.add(errors.INVALID_VALUE, errors.AS_OF_AFTER_TODAY, field="asOf")
    business_ref = request.business_ref.strip()
    if not business_ref:
        collector.add(errors.INVALID_VALUE, errors.BLANK_REF, field="businessRef")
    elif len(business_ref) > BUSINESS_REF_LIMIT:
        collector.add(errors.INVALID_VALUE, errors.LONG_REF.format(limit=BUSINESS_REF_LIMIT),
                      field="businessRef")
    key_error = keys.subject_key_error(request.uscc, request.id_number, today)
    subject = None
    if key_error is not None:
        field, code = key_error
        collector.add(code, keys.SUBJECT_KEY_MESSAGES[code], field=field)
    else:
        subject = await find_subject(session, request.uscc, request.id_number, secret, collector)
    collector.raise_if_any()
    assert subject is not None
    return PreparedCheck(subject, request.scenario, business_ref, as_of)


async def find_subject(session: AsyncSession, uscc: str | None, id_number: str | None,
                       secret: bytes, collector: ErrorCollector) -> SubjectRef | None:
    """The subject of a well-formed `SubjectKey` (exactly one key given, checked by
    keys.subject_key_error); None (and NOT_FOUND collected on its field) when unknown."""
    if uscc is not None:
        unit = await subjects.unit_by_uscc(session, uscc)
        if unit is None:
            collector.add(errors.NOT_FOUND, errors.NO_SUCH_UNIT, field="subject.uscc")
            return None
        return SubjectRef(SubjectKind.UNIT, unit.id)
    assert id_number is not None
    person = await subjects.person_by_id_number(
        session, keys.normalise_key(id_number), secret=secret)
    if person is None:
        collector.add(errors.NOT_FOUND, errors.NO_SUCH_PERSON, field="subject.idNumber")
        return None
    return SubjectRef(SubjectKind.PERSON, person.id)


async def check_restrictions(session: AsyncSession, request: CheckRequest, *,
                             reader: assessing.AssessmentReader, client_name: str, today: date,
                             secret: bytes, now: datetime) -> RestrictionCheck:
    """A formal check (查询留痕): validate the request, assess its subject as it stands, store
    the check; a retry with the same key returns the check first stored. Every input error is
    raised at once (DomainError) before anything is read or written.

    `reader` must read through `session` without waiting for it: the caller holds the session
    for the whole check (loaders.reader.RequestReader.under_lock). The check is a write, but its
    identity look-up is capped as a read's.
    """
    identity.capped_as_a_read(session)
    prepared = await prepare_check(session, request, today=today, secret=secret)
    subject = prepared.subject
    found = await assessing.assessment(reader, subject.kind, subject.id, prepared.scenario,
                                       prepared.as_of)
    return await record_check(session, prepared, client_name=client_name, assessment=found,
                              now=now)


def snapshot(assessment: Assessment) -> list[dict[str, Any]]:
    """The measures as the client is told them, with each basis record's identifying facts."""
    return [{
        "code": m.code, "name": m.name, "effect": m.effect.value, "legalBasis": m.legal_basis,
        "grade": m.grade, "until": m.until.isoformat() if m.until else None,
        "basis": [{"id": str(r.id), "category": r.category, "severity": r.severity,
                   "decidedOn": r.decided_on.isoformat()} for r in m.basis],
        **({"memorandumId": str(m.memorandum_id),
            "appliedBy": [str(u) for u in m.applied_by]} if m.memorandum_id else {}),
    } for m in assessment.measures]


async def record_check(session: AsyncSession, prepared: PreparedCheck, *, client_name: str,
                       assessment: Assessment, now: datetime) -> RestrictionCheck:
    """Store the check; a retry with the same key returns the check first stored, unchanged.

    One fixed statement, `INSERT ... ON CONFLICT DO NOTHING RETURNING`, answers the new check;
    only when the key was taken (a retry, or a concurrent twin that committed first: the
    INSERT waited for it) is the stored check read, by a statement of its own, so it sees
    what that twin committed."""
    subject = prepared.subject
    row = {"id": uuid.uuid4(), "client_name": client_name,
           "business_ref": prepared.business_ref, **subject_columns(subject.kind, subject.id),
           "scenario": prepared.scenario, "as_of": prepared.as_of,
           "decision": assessment.decision.value, "measures": snapshot(assessment),
           "checked_at": now}
    stored: RestrictionCheck | None = await session.scalar(
        select(RestrictionCheck).from_statement(_INSERT_CHECK), row)
    if stored is not None:
        return stored
    check = await session.scalar(queries.check_by_key(
        client_name, prepared.business_ref, subject.id, prepared.scenario, prepared.as_of))
    assert check is not None
    return check


# Built once: the same statement object each time, so SQLAlchemy's compiled cache and
# asyncpg's prepared statement are reused (the ORM's insert().values() compiled it per call).
_CHECKS: Final = cast(Table, RestrictionCheck.__table__)
_INSERT_CHECK: Final = (insert(_CHECKS)
                        .on_conflict_do_nothing(constraint="uq_restriction_check_key")
                        .returning(*_CHECKS.c))


async def checks_for_ref(session: AsyncSession, *, client_name: str,
                         business_ref: str) -> Sequence[RestrictionCheck]:
    return (await session.scalars(queries.checks_by_ref(client_name,
                                                        business_ref.strip()))).all()


async def pending_checks(session: AsyncSession, *, client_name: str | None, offset: int,
                         limit: int) -> tuple[Sequence[RestrictionCheck], int]:
    """A page of checks still waiting for an outcome, oldest first, with the total."""
    stmt = queries.pending_checks(client_name)
    total = await session.scalar(queries.count_of(stmt))
    rows = (await session.scalars(stmt.offset(offset).limit(limit))).all()
    return rows, int(total or 0)


# ---------------------------------------------------------------- outcomes

@dataclass(frozen=True)
class OutcomeReport:
    """A reportCheckOutcome input; `check_id` None when the global id did not decode."""

    check_id: uuid.UUID | None
    kind: str
    codes: Sequence[str] | None
    reason: str | None


@dataclass(frozen=True)
class Outcome:
    kind: str
    codes: tuple[str, ...]
    reason: str | None

    def same_as(self, check: RestrictionCheck) -> bool:
        return (self.kind == check.outcome_kind
                and set(self.codes) == set(check.outcome_codes or ())
                and self.reason == check.outcome_reason)


async def report_outcome(session: AsyncSession, report: OutcomeReport, *, client_name: str,
                         now: datetime) -> RestrictionCheck:
    """Record what the client did with the check's measures (反馈), once.

    The same report again returns the check unchanged; another one is INVALID_STATE.
    """
    check = None
    if report.check_id is not None:
        check = await session.scalar(
            queries.checks_by_id([report.check_id]).with_for_update())
    if check is None:
        raise DomainError.single(errors.NOT_FOUND, errors.NO_SUCH_CHECK, "checkId")
    if check.client_name != client_name:
        raise DomainError.single(errors.FORBIDDEN, errors.NOT_YOURS, "checkId")
    outcome = validated_outcome(report, [m["code"] for m in check.measures])
    if check.outcome_kind is not None:
        if outcome.same_as(check):
            return check
        raise DomainError.single(errors.INVALID_STATE, errors.OTHER_OUTCOME)
    check.outcome_kind, check.outcome_codes = outcome.kind, list(outcome.codes)
    check.outcome_reason, check.outcome_reported_at = outcome.reason, now
    await session.flush()
    return check


def validated_outcome(report: OutcomeReport, measure_codes: Sequence[str],
                      owner: str = "check") -> Outcome:
    """The normalised outcome, or every error of the report (DOMAIN.md section 4).

    Codes are keys (trimmed, upper-cased), kept once each in the order of `measure_codes`, the
    measures of `owner` (a check; a joint action's signatory answers the same way).
    """
    given = {keys.normalise_key(c) for c in report.codes or ()}
    reason = (report.reason or "").strip() or None
    collector = ErrorCollector()
    if report.kind == CheckOutcomeKind.NOT_APPLIED:
        if reason is None:
            collector.add(errors.REASON_REQUIRED, errors.REASON_MISSING, field="reason")
        if given:
            collector.add(errors.INVALID_VALUE, errors.CODES_NOT_ALLOWED,
                          field="appliedMeasureCodes")
    elif not given:
        collector.add(errors.UNKNOWN_MEASURE, errors.NO_CODES.format(owner=owner),
                      field="appliedMeasureCodes")
    for code in sorted(given - set(measure_codes)):
        collector.add(errors.UNKNOWN_MEASURE, errors.NOT_A_MEASURE.format(code=code, owner=owner),
                      field="appliedMeasureCodes")
    collector.raise_if_any()
    ordered = tuple(dict.fromkeys(c for c in measure_codes if c in given))
    return Outcome(report.kind, ordered, reason)
