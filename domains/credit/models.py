"""Credit records (诚信档案), their events, objections, and the versioned rule tables."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    ARRAY,
    BigInteger,
    CheckConstraint,
    Computed,
    ForeignKey,
    Identity,
    Index,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domains.core.db import Base
from domains.core.texts import NOTE_LENGTH, text_info


class CreditRecord(Base):
    """One record of a unit's or a person's credit file. Never deleted; changes are events."""

    __tablename__ = "credit_record"
    __table_args__ = (
        UniqueConstraint("source_system", "source_ref"),
        CheckConstraint("(unit_id IS NULL) <> (civil_servant_id IS NULL)", name="one_subject"),
        Index("ix_credit_record_source_system_reported_by", "source_system", "reported_by"),
        # Partial (migration 0015_report): most records link to none of these, and every read
        # compares the column with a value.
        *(Index(f"ix_credit_record_{column}", column,
                postgresql_where=text(f"{column} IS NOT NULL"))
          for column in ("procurement_contract_id", "ppp_event_id", "investment_project_id")),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("subject_unit.id"))
    civil_servant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("subject_civil_servant.id"))
    # Loaders key on one column whichever kind of subject holds the record.
    subject_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, Computed("coalesce(unit_id, civil_servant_id)", persisted=True), index=True)
    nature: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str | None] = mapped_column(String(16))
    sanction: Mapped[str | None] = mapped_column(String(40))
    sanction_months: Mapped[int | None]
    domain: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text, info=text_info(500))
    summary: Mapped[str | None] = mapped_column(Text, info=text_info(4000))
    decision_number: Mapped[str | None] = mapped_column(String(200))
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("subject_unit.id"))
    decided_on: Mapped[date]
    valid_from: Mapped[date]
    valid_until: Mapped[date | None]
    act_ended_on: Mapped[date | None]
    disclosure: Mapped[str] = mapped_column(String(24))
    share_scope: Mapped[list[str]] = mapped_column(ARRAY(String(24)))
    status: Mapped[str] = mapped_column(String(24))
    source_system: Mapped[str] = mapped_column(String(100))
    source_ref: Mapped[str] = mapped_column(String(300))
    procurement_contract_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    ppp_event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    investment_project_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    reported_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class RecordEvent(Base):
    """What happened to a record, in order. Append-only: the stored status is their result.

    Migration 0014_replay_indexes adds two indexes for replaying a status on a day: (record_id,
    seq DESC) INCLUDE (at, status_after), and the same key WHERE kind = 'CORRECTED'; the first
    serves every look-up by record_id, so 0015_report dropped the plain one on record_id."""

    __tablename__ = "credit_record_event"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    seq: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("credit_record.id"))
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text, info=text_info(NOTE_LENGTH))
    status_after: Mapped[str] = mapped_column(String(24))
    changes: Mapped[dict[str, object] | None] = mapped_column(JSONB)


class Objection(Base):
    """An objection (异议) to a record; resolved once."""

    __tablename__ = "credit_objection"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("credit_record.id"), index=True)
    filed_at: Mapped[datetime]
    filed_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text, info=text_info(NOTE_LENGTH))
    due_on: Mapped[date]
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(100))
    upheld: Mapped[bool | None]
    resolution_note: Mapped[str | None] = mapped_column(Text, info=text_info(NOTE_LENGTH))


class ValidityRuleRow(Base):
    """Default and bounds of a record's validity, by nature and severity, from valid_from."""

    __tablename__ = "credit_validity_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    valid_from: Mapped[date]
    nature: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str | None] = mapped_column(String(16))
    default_months: Mapped[int]
    min_months: Mapped[int | None]
    max_months: Mapped[int]
    source: Mapped[str] = mapped_column(Text)


class RepairRuleRow(Base):
    """Months after decidedOn before a record of this severity may be repaired."""

    __tablename__ = "credit_repair_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    valid_from: Mapped[date]
    severity: Mapped[str] = mapped_column(String(16))
    minimum_months: Mapped[int]
    source: Mapped[str] = mapped_column(Text)
