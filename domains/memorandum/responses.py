"""Answers to joint actions (响应、反馈) and their withdrawal: each signatory other than the
initiator answers once, the last answer closes the action; the initiator may withdraw it.
Services flush; the caller commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.errors import DomainError, ErrorCollector
from domains.memorandum import errors, queries
from domains.memorandum import service as memoranda
from domains.memorandum.actions import Acting, signatory_unit, status_of
from domains.memorandum.models import JointAction, JointActionResponse, MemorandumVersion
from domains.memorandum.rules import ActionStatus, MeasureSpec
from domains.restriction import service as restriction


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
    unit_id = await signatory_unit(session, report.signatory_uscc,
                                    await session.get(MemorandumVersion, action.version_id),
                                    caller, "signatoryUscc", collector)
    collector.raise_if_any()
    assert unit_id is not None
    if unit_id == action.initiator_unit_id:
        raise DomainError.single(errors.INVALID_VALUE, errors.INITIATOR_RESPONDS,
                                 "signatoryUscc")
    specs = await _measures_of(session, action.version_id, unit_id)
    outcome = restriction.validated_outcome(restriction.OutcomeReport(
        None, report.kind, report.codes, report.reason), [m.code for m in specs],
        owner="signatory")
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
