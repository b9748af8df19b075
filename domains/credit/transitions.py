"""Status changes of a reported record (DOMAIN.md section 2): objections, their resolution,
correction, revocation, repair and exemption. The table of allowed changes is
`domains.credit.lifecycle.TRANSITIONS`; anything else is INVALID_STATE. Each change locks the
record, appends one event (actor, time, note, status after) and flushes; the caller commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core import clock
from domains.core.calendar import overrides_between
from domains.core.errors import DomainError, ErrorCollector
from domains.credit import defaults, lifecycle, rules
from domains.credit import errors as codes
from domains.credit.enums import (
    Audience,
    Disclosure,
    RecordCategory,
    RecordNature,
    RecordStatus,
    Sanction,
    Severity,
)
from domains.credit.lifecycle import RecordAction, state_message
from domains.credit.models import CreditRecord, Objection
from domains.credit.writing import (
    add_rule_errors,
    clean,
    new_event,
    repair_rules,
    validity_rules,
)

CREDIT_OFFICE: Final = Audience.CREDIT_OFFICE.value
OBJECTORS: Final = frozenset({Audience.SUPERVISION.value, CREDIT_OFFICE})
OFFICE_ONLY: Final = frozenset({CREDIT_OFFICE})
# Seven working days never span more than a month, whatever the holidays.
_CALENDAR_WINDOW = timedelta(days=31)
_T = TypeVar("_T")


async def locked_record(session: AsyncSession, record_id: uuid.UUID | None) -> CreditRecord:
    """The record, locked for this transaction; NOT_FOUND (field recordId) when unknown."""
    record = None
    if record_id is not None:
        record = await session.scalar(
            select(CreditRecord).where(CreditRecord.id == record_id).with_for_update()
            .execution_options(populate_existing=True))
    if record is None:
        raise DomainError.single(codes.NOT_FOUND, codes.NO_RECORD, "recordId")
    return record


def require_audience(audience: str, allowed: frozenset[str]) -> None:
    if audience not in allowed:
        raise DomainError.single(codes.FORBIDDEN, codes.NOT_ALLOWED)


def require_reporter(record: CreditRecord, actor: str, audience: str) -> None:
    """CREDIT_OFFICE, or the client that reported the record."""
    if audience != CREDIT_OFFICE and record.reported_by != actor:
        raise DomainError.single(codes.FORBIDDEN, codes.NOT_YOURS)


def next_status(record: CreditRecord, action: RecordAction) -> RecordStatus:
    """The status after `action`, or INVALID_STATE (the stored status decides: EXPIRED is
    stored ACTIVE)."""
    status, code = lifecycle.next_status(RecordStatus(record.status), action,
                                         RecordNature(record.nature))
    if code is not None or status is None:
        message = state_message(RecordStatus(record.status), RecordNature(record.nature), action)
        raise DomainError.single(code or codes.INVALID_STATE, message)
    return status


def apply(session: AsyncSession, record: CreditRecord, action: RecordAction,
          status: RecordStatus, *, actor: str, today: date, note: str | None,
          changes: dict[str, object] | None = None) -> datetime:
    """Set the status and append the action's event; returns the event's time."""
    at = clock.now_on(today)
    record.status = status.value
    session.add(new_event(record.id, lifecycle.TRANSITIONS[action].event, at=at, actor=actor,
                          status_after=status.value, note=clean(note), changes=changes))
    return at


async def _simple(session: AsyncSession, record_id: uuid.UUID | None, action: RecordAction, *,
                  note: str, actor: str, audience: str, today: date) -> CreditRecord:
    record = await locked_record(session, record_id)
    if action == RecordAction.REVOKE:
        require_reporter(record, actor, audience)
    else:
        require_audience(audience, OFFICE_ONLY)
    status = next_status(record, action)
    if action == RecordAction.REPAIR:
        await _check_repair(session, record, today)
    apply(session, record, action, status, actor=actor, today=today, note=note)
    await session.flush()
    return record


async def _check_repair(session: AsyncSession, record: CreditRecord, today: date) -> None:
    severity = Severity(record.severity or "")  # DISHONEST: next_status checked it
    found = await repair_rules(session)
    if lifecycle.check_repair(record.decided_on, severity, today, found) is None:
        return
    rule = defaults.repair_rule_for(found, severity, today)
    assert rule is not None  # check_repair found it
    allowed = lifecycle.repair_allowed_from(record.decided_on, severity, rule)
    raise DomainError.single(lifecycle.REPAIR_TOO_EARLY, f"a {severity} record may be repaired "
                             f"from {allowed.isoformat()}")


async def revoke_record(session: AsyncSession, record_id: uuid.UUID | None, *, note: str,
                        actor: str, audience: str, today: date) -> CreditRecord:
    """ACTIVE or UNDER_OBJECTION -> REVOKED: the decision was annulled (复议, 诉讼)."""
    return await _simple(session, record_id, RecordAction.REVOKE, note=note, actor=actor,
                         audience=audience, today=today)


async def repair_record(session: AsyncSession, record_id: uuid.UUID | None, *, note: str,
                        actor: str, audience: str, today: date) -> CreditRecord:
    """ACTIVE DISHONEST -> REPAIRED, from decidedOn + the minimum of the repair day's rule."""
    return await _simple(session, record_id, RecordAction.REPAIR, note=note, actor=actor,
                         audience=audience, today=today)


async def exempt_record(session: AsyncSession, record_id: uuid.UUID | None, *, note: str,
                        actor: str, audience: str, today: date) -> CreditRecord:
    """ACTIVE or UNDER_OBJECTION DISHONEST -> EXEMPTED (免责/容错)."""
    return await _simple(session, record_id, RecordAction.EXEMPT, note=note, actor=actor,
                         audience=audience, today=today)


async def file_objection(session: AsyncSession, record_id: uuid.UUID | None, *, reason: str,
                         actor: str, audience: str, today: date) -> CreditRecord:
    """ACTIVE -> UNDER_OBJECTION, with an objection due 7 working days after today."""
    record = await locked_record(session, record_id)
    require_audience(audience, OBJECTORS)
    status = next_status(record, RecordAction.FILE_OBJECTION)
    if not reason.strip():
        raise DomainError.single(codes.INVALID_VALUE, codes.BLANK, "reason")
    overrides = await overrides_between(session, today, today + _CALENDAR_WINDOW)
    at = apply(session, record, RecordAction.FILE_OBJECTION, status, actor=actor, today=today,
               note=reason)
    due_on = lifecycle.objection_due_on(today, overrides)
    session.add(Objection(id=uuid.uuid4(), record_id=record.id, filed_at=at, filed_by=actor,
                          reason=reason.strip(), due_on=due_on))
    await session.flush()
    return record


async def resolve_objection(session: AsyncSession, record_id: uuid.UUID | None, *,
                            upheld: bool, note: str, actor: str, audience: str,
                            today: date) -> CreditRecord:
    """UNDER_OBJECTION -> REVOKED (upheld) or ACTIVE (rejected); closes the open objection."""
    record = await locked_record(session, record_id)
    require_audience(audience, OFFICE_ONLY)
    action = lifecycle.resolution_action(upheld)
    status = next_status(record, action)
    objection = await session.scalar(
        select(Objection).where(Objection.record_id == record.id, Objection.resolved_at.is_(None))
        .order_by(Objection.filed_at.desc()).limit(1).with_for_update())
    if objection is None:
        raise DomainError.single(codes.INVALID_STATE, "the record has no open objection")
    at = apply(session, record, action, status, actor=actor, today=today, note=note)
    objection.resolved_at, objection.resolved_by = at, actor
    objection.upheld, objection.resolution_note = upheld, clean(note)
    await session.flush()
    return record


# ---------------------------------------------------------------- correction


@dataclass(frozen=True)
class RecordPatch:
    """One CreditRecordPatch: None (null or omitted) leaves a field as it is."""

    severity: Severity | None = None
    sanction: Sanction | None = None
    sanction_months: int | None = None
    title: str | None = None
    summary: str | None = None
    valid_until: date | None = None
    disclosure: Disclosure | None = None
    share_scope: tuple[Audience, ...] | None = None


# Patched column -> field in input casing, for errors and the event's `changes`.
PATCH_FIELDS: Final = {"severity": "severity", "sanction": "sanction",
                       "sanction_months": "sanctionMonths", "title": "title",
                       "summary": "summary", "valid_until": "validUntil",
                       "disclosure": "disclosure", "share_scope": "shareScope"}


def _merged_terms(record: CreditRecord, patch: RecordPatch,
                  validity: list[defaults.ValidityRule]) -> rules.RecordTerms:
    """The stored record with the patch on it. A stored validUntil that is the default of the
    stored terms counts as omitted, so it follows the default of the corrected terms."""
    stored = _stored_terms(record)
    valid_until = patch.valid_until
    if valid_until is None and record.valid_until != _default_until(stored, validity):
        valid_until = record.valid_until
    return rules.RecordTerms(
        subject_is_person=stored.subject_is_person, nature=stored.nature,
        category=stored.category, severity=_pick(patch.severity, stored.severity),
        sanction=_pick(patch.sanction, stored.sanction),
        sanction_months=_pick(patch.sanction_months, stored.sanction_months),
        decided_on=stored.decided_on, act_ended_on=stored.act_ended_on,
        valid_until=valid_until, disclosure=_pick(patch.disclosure, stored.disclosure))


def _pick(given: _T | None, stored: _T) -> _T:
    return stored if given is None else given


def _stored_terms(record: CreditRecord) -> rules.RecordTerms:
    return rules.RecordTerms(
        subject_is_person=record.civil_servant_id is not None,
        nature=RecordNature(record.nature), category=RecordCategory(record.category),
        severity=Severity(record.severity) if record.severity else None,
        sanction=Sanction(record.sanction) if record.sanction else None,
        sanction_months=record.sanction_months, decided_on=record.decided_on,
        act_ended_on=record.act_ended_on, valid_until=record.valid_until,
        disclosure=Disclosure(record.disclosure))


def _default_until(terms: rules.RecordTerms, validity: list[defaults.ValidityRule]) -> date | None:
    rule = defaults.validity_rule_for(validity, terms.nature, terms.severity, terms.decided_on)
    if rule is None or terms.sanction == Sanction.UNDER_INVESTIGATION:
        return None
    return rules.validity_bounds(rule, terms.decided_on, terms.act_ended_on).default


def _patched_values(record: CreditRecord, patch: RecordPatch, terms: rules.RecordTerms,
                    validity: list[defaults.ValidityRule]) -> dict[str, object]:
    scope = record.share_scope
    if patch.share_scope is not None:
        scope = [a.value for a in rules.resolve_share_scope(terms.subject_is_person,
                                                            patch.share_scope)]
    return {
        "severity": terms.severity and terms.severity.value,
        "sanction": terms.sanction and terms.sanction.value,
        "sanction_months": terms.sanction_months,
        "title": record.title if patch.title is None else patch.title.strip(),
        "summary": record.summary if patch.summary is None else clean(patch.summary),
        "valid_until": rules.resolved_valid_until(terms, validity),
        "disclosure": terms.disclosure.value, "share_scope": scope,
    }


def _check_patch(patch: RecordPatch, terms: rules.RecordTerms, today: date,
                 validity: list[defaults.ValidityRule]) -> None:
    errors = ErrorCollector()
    add_rule_errors(rules.validate_record(terms, today=today, validity_rules=validity), None,
                    errors)
    if patch.title is not None and not patch.title.strip():
        errors.add(codes.INVALID_VALUE, codes.BLANK, None, "title")
    errors.raise_if_any()


def _json(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return sorted(value)
    return value


def _changes(record: CreditRecord, values: dict[str, object]) -> dict[str, object]:
    """{field: {"old": ..., "new": ...}} of every value the correction changes."""
    changes: dict[str, object] = {}
    for column, new in values.items():
        old = getattr(record, column)
        if _json(old) != _json(new):
            changes[PATCH_FIELDS[column]] = {"old": _json(old), "new": _json(new)}
    return changes


async def correct_record(session: AsyncSession, record_id: uuid.UUID | None, *,
                         patch: RecordPatch, note: str, actor: str, audience: str,
                         today: date) -> CreditRecord:
    """Correct fields of an ACTIVE or UNDER_OBJECTION record; the status is unchanged. The
    merged record must pass every rule of a report. A patch that changes nothing writes
    nothing (a retried correction is not a second event)."""
    record = await locked_record(session, record_id)
    require_reporter(record, actor, audience)
    status = next_status(record, RecordAction.CORRECT)
    validity = await validity_rules(session)
    terms = _merged_terms(record, patch, validity)
    _check_patch(patch, terms, today, validity)
    values = _patched_values(record, patch, terms, validity)
    changes = _changes(record, values)
    if not changes:
        return record
    for column, value in values.items():
        setattr(record, column, value)
    apply(session, record, RecordAction.CORRECT, status, actor=actor, today=today, note=note,
          changes=changes)
    await session.flush()
    return record
