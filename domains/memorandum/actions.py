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

from sqlalchemy.ext.asyncio import AsyncSession

from domains.access import service as access
from domains.core.calendar import overrides_between
from domains.core.errors import DomainError, ErrorCollector
from domains.core.locks import LockSpace, lock_keys
from domains.credit.facts import RecordFacts
from domains.memorandum import errors, queries
from domains.memorandum import service as memoranda
from domains.memorandum.models import JointAction, MemorandumVersion
from domains.memorandum.rules import (
    ActionStatus,
    Conditions,
    basis_problem,
    in_force,
    response_due_on,
)
from domains.restriction import service as restriction
from domains.subject import keys
from domains.subject import service as subjects
from domains.subject.enums import subject_columns

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
    initiator = await signatory_unit(session, request.initiator_uscc, version, caller,
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


async def signatory_unit(session: AsyncSession, uscc: str, version: MemorandumVersion | None,
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
    await lock_keys(session, LockSpace.JOINT_ACTION,
                    [f"{prepared.initiator_id}\x1f{prepared.case_ref}"])
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
        **subject_columns(subject.kind, subject.id),
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
