"""Joint actions (联合惩戒行动): a signatory initiates (发起), the others respond (响应) with
what they did (反馈), the initiator may withdraw. Services flush; the caller commits.

Initiating is two steps, like a formal check: `prepare_action` validates the input and finds
the subject, version and initiator; the caller loads the subject's record facts for today
(loaders) and `initiate_action` judges the basis records against the memorandum's conditions.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access import service as access
from domains.core.calendar import overrides_between
from domains.core.errors import DomainError, ErrorCollector
from domains.credit.facts import RecordFacts
from domains.memorandum import errors, queries
from domains.memorandum import service as memoranda
from domains.memorandum.models import JointAction, JointActionResponse, MemorandumVersion
from domains.memorandum.rules import (
    ActionStatus,
    Conditions,
    MeasureSpec,
    basis_problem,
    in_force,
    response_due_on,
)
from domains.restriction import service as restriction
from domains.subject import keys
from domains.subject import service as subjects

CASE_REF_LIMIT = 200
CREDIT_OFFICE = "CREDIT_OFFICE"


@dataclass(frozen=True)
class Acting:
    """The client acting and the units it is bound to; the credit office acts for any."""

    name: str
    audience: str
    units: frozenset[uuid.UUID]

    def may_act_for(self, unit_id: uuid.UUID) -> bool:
        return self.audience == CREDIT_OFFICE or unit_id in self.units


async def acting(session: AsyncSession, name: str, audience: str) -> Acting:
    return Acting(name, audience, frozenset(await access.units_of_client(session, name)))


@dataclass(frozen=True)
class ActionRequest:
    """An initiateJointAction input; a basis id is None when its global id did not decode."""

    memorandum_number: str
    initiator_uscc: str
    uscc: str | None
    id_number: str | None
    basis_ids: Sequence[uuid.UUID | None]
    case_ref: str
    note: str | None


@dataclass(frozen=True)
class PreparedAction:
    """A valid request; `cited` are the basis ids as given (None: did not decode)."""

    version: MemorandumVersion
    subject: restriction.SubjectRef
    initiator_id: uuid.UUID
    cited: tuple[uuid.UUID | None, ...]
    case_ref: str
    note: str | None

    @property
    def basis_ids(self) -> tuple[uuid.UUID, ...]:
        """The records cited, each once, in the order given."""
        return tuple(dict.fromkeys(i for i in self.cited if i is not None))


async def prepare_action(session: AsyncSession, request: ActionRequest, *, caller: Acting,
                         today: date, secret: bytes) -> PreparedAction:
    """Validate the input, find the version in force today, the subject and the initiator."""
    collector = ErrorCollector()
    case_ref = _case_ref(request.case_ref, collector)
    version = await memoranda.version_in_effect(session, request.memorandum_number, today)
    if version is None:
        collector.add(errors.NOT_FOUND, errors.NO_SUCH_MEMORANDUM, field="memorandumNumber")
    elif not in_force(version, today):
        collector.add(errors.INVALID_STATE, errors.NOT_IN_FORCE.format(
            number=version.number, day=today), field="memorandumNumber")
    subject = await _subject(session, request, version, today, secret, collector)
    initiator = await _signatory_unit(session, request.initiator_uscc, version, caller,
                                      "initiatorUscc", collector)
    if not request.basis_ids:
        collector.add(errors.INVALID_VALUE, errors.NO_BASIS, field="basisRecordIds")
    collector.raise_if_any()
    assert version is not None and subject is not None and initiator is not None
    note = (request.note or "").strip() or None
    return PreparedAction(version, subject, initiator, tuple(request.basis_ids), case_ref, note)


def _case_ref(value: str, collector: ErrorCollector) -> str:
    case_ref = value.strip()
    if not case_ref:
        collector.add(errors.INVALID_VALUE, errors.BLANK.format(field="caseRef"), field="caseRef")
    elif len(case_ref) > CASE_REF_LIMIT:
        collector.add(errors.INVALID_VALUE,
                      errors.TOO_LONG.format(field="caseRef", limit=CASE_REF_LIMIT),
                      field="caseRef")
    return case_ref


async def _subject(session: AsyncSession, request: ActionRequest,
                   version: MemorandumVersion | None, today: date, secret: bytes,
                   collector: ErrorCollector) -> restriction.SubjectRef | None:
    key_error = keys.subject_key_error(request.uscc, request.id_number, today)
    if key_error is not None:
        field, code = key_error
        collector.add(code, keys.SUBJECT_KEY_MESSAGES[code], field=field)
        return None
    subject = await restriction.find_subject(session, request.uscc, request.id_number, secret,
                                             collector)
    if subject is not None and version is not None and subject.kind != version.subject_kind:
        collector.add(errors.INVALID_VALUE, errors.WRONG_SUBJECT_KIND.format(
            number=version.number, kind=version.subject_kind), field="subject")
    return subject


async def _signatory_unit(session: AsyncSession, uscc: str, version: MemorandumVersion | None,
                          caller: Acting, field: str,
                          collector: ErrorCollector) -> uuid.UUID | None:
    """The unit of `uscc`, a signatory of `version` the caller acts for."""
    if not keys.is_valid_uscc(keys.normalise_key(uscc)):
        collector.add(errors.INVALID_USCC, keys.SUBJECT_KEY_MESSAGES[errors.INVALID_USCC],
                      field=field)
        return None
    unit = await subjects.unit_by_uscc(session, uscc)
    if unit is None:
        collector.add(errors.NOT_FOUND, errors.NO_SUCH_UNIT, field=field)
        return None
    if not caller.may_act_for(unit.id):
        collector.add(errors.FORBIDDEN, errors.NOT_YOUR_UNIT, field=field)
    elif version is not None and unit.id not in {
            s.unit_id for s in await memoranda.signatories(session, version.id)}:
        collector.add(errors.INVALID_VALUE, errors.NOT_A_SIGNATORY, field=field)
    return unit.id


async def initiate_action(session: AsyncSession, prepared: PreparedAction, *,
                          facts: Sequence[RecordFacts], visible: Mapping[uuid.UUID, uuid.UUID],
                          caller: Acting, today: date, now: datetime) -> JointAction:
    """Start the action, its basis checked against the memorandum's conditions on `today`.

    `facts` are the subject's records replayed for today; `visible` maps each basis record the
    caller may see to its subject. A retry (same initiator and caseRef, same memorandum,
    subject and basis) returns the action first started; other content is CONFLICT.
    """
    existing = await session.scalar(
        queries.action_by_key(prepared.initiator_id, prepared.case_ref))
    if existing is not None:
        return _same_action(existing, prepared)
    _check_basis(prepared, facts, visible, today)
    overrides = await overrides_between(
        session, today, today + timedelta(days=prepared.version.response_working_days * 3 + 31))
    subject = prepared.subject
    action = JointAction(
        id=uuid.uuid4(), version_id=prepared.version.id, initiator_unit_id=prepared.initiator_id,
        case_ref=prepared.case_ref, initiated_by=caller.name,
        unit_id=subject.id if subject.kind == "UNIT" else None,
        civil_servant_id=subject.id if subject.kind == "PERSON" else None,
        basis_record_ids=list(prepared.basis_ids), note=prepared.note, initiated_on=today,
        initiated_at=now, response_due_on=response_due_on(
            today, prepared.version.response_working_days, overrides))
    session.add(action)
    await session.flush()
    return action


def _same_action(existing: JointAction, prepared: PreparedAction) -> JointAction:
    if (existing.version_id, existing.subject_id, set(existing.basis_record_ids)) != (
            prepared.version.id, prepared.subject.id, set(prepared.basis_ids)):
        raise DomainError.single(errors.CONFLICT, errors.ACTION_EXISTS.format(
            ref=prepared.case_ref), "caseRef")
    return existing


def _check_basis(prepared: PreparedAction, facts: Sequence[RecordFacts],
                 visible: Mapping[uuid.UUID, uuid.UUID], today: date) -> None:
    """Every basis record: one the caller sees, of the subject, meeting the conditions."""
    version = prepared.version
    conditions = Conditions(tuple(version.categories), tuple(version.severities))
    by_id = {f.id: f for f in facts}
    collector = ErrorCollector()
    for n, record_id in enumerate(prepared.cited):
        field = f"basisRecordIds.{n}"
        if record_id is None or record_id not in visible:
            collector.add(errors.NOT_FOUND, errors.NO_SUCH_RECORD, field=field)
        elif visible[record_id] != prepared.subject.id:
            collector.add(errors.INVALID_VALUE, errors.OTHER_SUBJECT.format(index=n), field=field)
        elif (problem := basis_problem(by_id.get(record_id), conditions, today)) is not None:
            collector.add(errors.INVALID_VALUE, f"record {n} does not meet memorandum "
                          f"{version.number}: {problem}", field=field)
    collector.raise_if_any()


def status_of(action: JointAction) -> ActionStatus:
    return ActionStatus(action.closing) if action.closing else ActionStatus.OPEN


async def _locked(session: AsyncSession, action_id: uuid.UUID | None) -> JointAction:
    action = None
    if action_id is not None:
        action = await session.scalar(queries.actions_by_id([action_id]).with_for_update())
    if action is None:
        raise DomainError.single(errors.NOT_FOUND, errors.NO_SUCH_ACTION, "actionId")
    return action


async def withdraw_action(session: AsyncSession, action_id: uuid.UUID | None, *, reason: str,
                          caller: Acting, today: date, now: datetime) -> JointAction:
    """The initiator ends an open action, with a reason; the same withdrawal again is a no-op."""
    action = await _locked(session, action_id)
    if not caller.may_act_for(action.initiator_unit_id):
        raise DomainError.single(errors.FORBIDDEN, errors.NOT_THE_INITIATOR, "actionId")
    reason = reason.strip()
    if not reason:
        raise DomainError.single(errors.REASON_REQUIRED, errors.REASON_MISSING, "reason")
    status = status_of(action)
    if status != ActionStatus.OPEN:
        if status == ActionStatus.WITHDRAWN and action.withdrawal_reason == reason:
            return action
        raise DomainError.single(errors.INVALID_STATE,
                                 errors.OTHER_WITHDRAWAL.format(status=status.value))
    _close(action, ActionStatus.WITHDRAWN, caller.name, today, now)
    action.withdrawal_reason = reason
    await session.flush()
    return action


def _close(action: JointAction, status: ActionStatus, actor: str, today: date,
           now: datetime) -> None:
    action.closing, action.closed_on, action.closed_at, action.closed_by = (
        status.value, today, now, actor)


@dataclass(frozen=True)
class ResponseReport:
    """A respondToJointAction input; `action_id` None when the global id did not decode."""

    action_id: uuid.UUID | None
    signatory_uscc: str
    kind: str
    codes: Sequence[str] | None
    reason: str | None


async def respond(session: AsyncSession, report: ResponseReport, *, caller: Acting,
                  today: date, now: datetime) -> JointAction:
    """A signatory's one response (响应、反馈): the same again changes nothing, other content
    is CONFLICT; the last response closes the action."""
    action = await _locked(session, report.action_id)
    collector = ErrorCollector()
    unit_id = await _signatory_unit(session, report.signatory_uscc,
                                    await session.get(MemorandumVersion, action.version_id),
                                    caller, "signatoryUscc", collector)
    collector.raise_if_any()
    assert unit_id is not None
    if unit_id == action.initiator_unit_id:
        raise DomainError.single(errors.INVALID_VALUE, errors.INITIATOR_RESPONDS,
                                 "signatoryUscc")
    specs = await _measures_of(session, action.version_id, unit_id)
    outcome = restriction.validated_outcome(restriction.OutcomeReport(
        None, report.kind, report.codes, report.reason), [m.code for m in specs])
    given = await session.scalar(select(JointActionResponse).where(
        JointActionResponse.action_id == action.id, JointActionResponse.unit_id == unit_id))
    if given is not None:
        if (given.kind, set(given.codes), given.reason) != (
                outcome.kind, set(outcome.codes), outcome.reason):
            raise DomainError.single(errors.CONFLICT, errors.OTHER_RESPONSE)
        return action
    if status_of(action) != ActionStatus.OPEN:
        raise DomainError.single(errors.INVALID_STATE, errors.ACTION_CLOSED.format(
            status=status_of(action).value))
    session.add(JointActionResponse(
        id=uuid.uuid4(), action_id=action.id, unit_id=unit_id, kind=outcome.kind,
        codes=list(outcome.codes), reason=outcome.reason, responded_by=caller.name,
        responded_on=today, responded_at=now))
    await session.flush()
    await _close_when_answered(session, action, caller.name, today, now)
    return action


async def _measures_of(session: AsyncSession, version_id: uuid.UUID,
                       unit_id: uuid.UUID) -> tuple[MeasureSpec, ...]:
    for signatory in await memoranda.signatories(session, version_id):
        if signatory.unit_id == unit_id:
            return tuple(MeasureSpec.of(m) for m in signatory.measures)
    return ()


async def _close_when_answered(session: AsyncSession, action: JointAction, actor: str,
                               today: date, now: datetime) -> None:
    expected = len(await memoranda.signatories(session, action.version_id)) - 1
    answered = await session.scalar(select(func.count()).select_from(JointActionResponse)
                                    .where(JointActionResponse.action_id == action.id))
    if answered == expected:
        _close(action, ActionStatus.CLOSED, actor, today, now)
        await session.flush()


async def pending_page(session: AsyncSession, *, units: frozenset[uuid.UUID] | None,
                       offset: int, limit: int) -> tuple[Sequence[JointAction], int]:
    """Open actions waiting for one of `units` (None: for anyone), oldest first, with the
    total."""
    stmt = queries.pending_actions(units)
    total = await session.scalar(queries.count_of(stmt))
    return (await session.scalars(stmt.offset(offset).limit(limit))).all(), int(total or 0)


async def actions_page(session: AsyncSession, *, units: frozenset[uuid.UUID] | None,
                       offset: int, limit: int) -> tuple[Sequence[JointAction], int]:
    """Actions under versions `units` signed (None: all), newest first, with the total."""
    stmt = queries.visible_actions(units)
    total = await session.scalar(queries.count_of(stmt))
    return (await session.scalars(stmt.offset(offset).limit(limit))).all(), int(total or 0)
