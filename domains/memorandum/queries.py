"""Select builders shared by the memorandum service and its loaders."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.dialects.postgresql import distinct_on

from domains.memorandum.models import (
    JointAction,
    JointActionResponse,
    MemorandumSignatory,
    MemorandumVersion,
)


def versions_of(numbers: Collection[str]) -> Select[MemorandumVersion]:
    """Every version of these memoranda, by number then version."""
    return (select(MemorandumVersion).where(MemorandumVersion.number.in_(numbers))
            .order_by(MemorandumVersion.number, MemorandumVersion.version))


def versions_by_id(ids: Collection[uuid.UUID]) -> Select[MemorandumVersion]:
    return select(MemorandumVersion).where(MemorandumVersion.id.in_(ids))


def versions_on(day: date) -> Select[MemorandumVersion]:
    """The version of each memorandum that has taken effect by `day`, by number."""
    return (select(MemorandumVersion)
            .where(MemorandumVersion.effective_from <= day)
            .ext(distinct_on(MemorandumVersion.number))
            .order_by(MemorandumVersion.number, MemorandumVersion.effective_from.desc()))


def signatories_of(version_ids: Collection[uuid.UUID]) -> Select[MemorandumSignatory]:
    """The signatories of these versions, in their memorandum's order."""
    return (select(MemorandumSignatory).where(MemorandumSignatory.version_id.in_(version_ids))
            .order_by(MemorandumSignatory.version_id, MemorandumSignatory.position))


def actions_by_id(ids: Collection[uuid.UUID]) -> Select[JointAction]:
    return select(JointAction).where(JointAction.id.in_(ids))


def action_by_key(initiator_unit_id: uuid.UUID, case_ref: str) -> Select[JointAction]:
    return select(JointAction).where(JointAction.initiator_unit_id == initiator_unit_id,
                                     JointAction.case_ref == case_ref)


def responses_of(action_ids: Collection[uuid.UUID]) -> Select[JointActionResponse]:
    return (select(JointActionResponse).where(JointActionResponse.action_id.in_(action_ids))
            .order_by(JointActionResponse.responded_at, JointActionResponse.id))


def open_actions_of(subjects: ColumnElement[bool],
                    day: ColumnElement[date]) -> Select[*tuple[Any, ...]]:
    """The actions against the subjects `subjects` selects standing open at the end of `day`,
    with what the restriction rules take of their version, as plain columns (closing on `day`
    ends an action: rules.open_on says the same). The subjects and the day are expressions, so
    that a loader builds the statement once with bind parameters."""
    return (select(JointAction.subject_id, JointAction.id.label("action_id"),
                   JointAction.basis_record_ids, MemorandumVersion.id.label("version_id"),
                   MemorandumVersion.number, MemorandumVersion.scenario,
                   MemorandumVersion.valid_until)
            .join(MemorandumVersion, MemorandumVersion.id == JointAction.version_id)
            .where(subjects, JointAction.initiated_on <= day,
                   or_(JointAction.closed_on.is_(None), JointAction.closed_on > day))
            .order_by(JointAction.initiated_at, JointAction.id))


def _addressed_to(units: Collection[uuid.UUID] | None) -> ColumnElement[bool]:
    """A signatory of the action's version other than its initiator (of `units` when given)
    that has not responded."""
    signatory = and_(MemorandumSignatory.version_id == JointAction.version_id,
                     MemorandumSignatory.unit_id != JointAction.initiator_unit_id,
                     ~exists().where(JointActionResponse.action_id == JointAction.id,
                                     JointActionResponse.unit_id == MemorandumSignatory.unit_id))
    if units is not None:
        signatory = and_(signatory, MemorandumSignatory.unit_id.in_(units))
    return exists().where(signatory)


def pending_actions(units: Collection[uuid.UUID] | None) -> Select[JointAction]:
    """Open actions waiting for a response of one of `units` (None: of any signatory),
    oldest first."""
    return (select(JointAction)
            .where(JointAction.closed_at.is_(None), _addressed_to(units))
            .order_by(JointAction.initiated_at, JointAction.id))


def visible_actions(units: Collection[uuid.UUID] | None) -> Select[JointAction]:
    """Actions whose version `units` signed (None: every action), newest first."""
    stmt = select(JointAction)
    if units is not None:
        stmt = stmt.where(exists().where(
            MemorandumSignatory.version_id == JointAction.version_id,
            MemorandumSignatory.unit_id.in_(units)))
    return stmt.order_by(JointAction.initiated_at.desc(), JointAction.id.desc())


def count_of(stmt: Select[JointAction]) -> Select[int]:
    return select(func.count()).select_from(stmt.order_by(None).subquery())
