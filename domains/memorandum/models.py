"""Memorandum versions, their signatories, joint actions and the signatories' responses.

Never deleted (triggers of migration 0012); versions, signatories and responses never change,
an action changes once, when it closes.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ARRAY, Computed, ForeignKey, String, Text, UniqueConstraint, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domains.core.db import Base
from domains.core.texts import text_info
from domains.subject.enums import SubjectKind, kind_of


class MemorandumVersion(Base):
    """One effective-dated version of a memorandum (key `number`, versions 1, 2, ...).

    `categories` empty: any DISHONEST category; `severities` the findings it covers.
    """

    __tablename__ = "memorandum_version"
    __table_args__ = (
        UniqueConstraint("number", "version", name="uq_memorandum_version_number"),
        UniqueConstraint("number", "effective_from", name="uq_memorandum_version_day"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(100))
    version: Mapped[int]
    title: Mapped[str] = mapped_column(Text, info=text_info(500))
    scenario: Mapped[str] = mapped_column(String(40))
    subject_kind: Mapped[str] = mapped_column(String(8))
    categories: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    severities: Mapped[list[str]] = mapped_column(ARRAY(String(16)))
    effective_from: Mapped[date]
    valid_until: Mapped[date | None]
    response_working_days: Mapped[int]
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime]


class MemorandumSignatory(Base):
    """A signatory unit of a version and the measures it applies (`measures`: a list of
    {code, name, effect, legalBasis, published})."""

    __tablename__ = "memorandum_signatory"
    __table_args__ = (UniqueConstraint("version_id", "unit_id",
                                       name="uq_memorandum_signatory_unit"),)

    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("memorandum_version.id"),
                                                  primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subject_unit.id"), index=True)
    measures: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)


class JointAction(Base):
    """A joint action (联合惩戒行动) started by a signatory against a subject under the version
    in force on its day; key (initiator unit, case_ref)."""

    __tablename__ = "memorandum_joint_action"
    __table_args__ = (UniqueConstraint("initiator_unit_id", "case_ref",
                                       name="uq_memorandum_action_key"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("memorandum_version.id"))
    initiator_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subject_unit.id"))
    case_ref: Mapped[str] = mapped_column(String(200))
    initiated_by: Mapped[str] = mapped_column(String(100))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("subject_unit.id"))
    civil_servant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("subject_civil_servant.id"))
    subject_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, Computed("coalesce(unit_id, civil_servant_id)", persisted=True), index=True)
    basis_record_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid))
    note: Mapped[str | None] = mapped_column(Text, info=text_info(4000))
    initiated_on: Mapped[date]
    initiated_at: Mapped[datetime]
    response_due_on: Mapped[date]
    closing: Mapped[str | None] = mapped_column(String(16))
    closed_on: Mapped[date | None]
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(100))
    withdrawal_reason: Mapped[str | None] = mapped_column(Text, info=text_info(4000))

    @property
    def subject_kind(self) -> SubjectKind:
        return kind_of(self.unit_id)


class JointActionResponse(Base):
    """What one signatory did (响应、反馈), once per (action, unit)."""

    __tablename__ = "memorandum_response"
    __table_args__ = (UniqueConstraint("action_id", "unit_id",
                                       name="uq_memorandum_response_key"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    action_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("memorandum_joint_action.id"))
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subject_unit.id"))
    kind: Mapped[str] = mapped_column(String(24))
    codes: Mapped[list[str]] = mapped_column(ARRAY(String(160)))
    reason: Mapped[str | None] = mapped_column(Text, info=text_info(4000))
    responded_by: Mapped[str] = mapped_column(String(100))
    responded_on: Mapped[date]
    responded_at: Mapped[datetime]
