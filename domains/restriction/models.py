"""The measure list (应用清单), the promotion rule tables, and the stored formal checks."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    CheckConstraint,
    Computed,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from domains.core.db import Base
from domains.core.texts import NOTE_LENGTH, text_info
from domains.subject.enums import SubjectKind, kind_of


class MeasureRuleRow(Base):
    """One version of a published measure row (DOMAIN.md section 4), from valid_from to valid_to.

    `domains` empty: the row sees every record (the default, domain-blind table).
    """

    __tablename__ = "restriction_measure_rule"
    __table_args__ = (UniqueConstraint("code", "subject_kind", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(Text, info=text_info(500))
    scenario: Mapped[str] = mapped_column(String(40))
    subject_kind: Mapped[str] = mapped_column(String(8))
    condition: Mapped[str] = mapped_column(String(24))
    effect: Mapped[str] = mapped_column(String(24))
    legal_basis: Mapped[str] = mapped_column(Text, info=text_info(4000))
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    domains: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    published_on: Mapped[date] = mapped_column(
        server_default=text("((now() AT TIME ZONE 'Asia/Shanghai')::date)"))


class SanctionPeriodRow(Base):
    """A sanction's promotion-blocking period for sanctions decided from valid_from on.

    `months` NULL: open-ended; sanctions with the same `chain_group` chain (处分期合并计算).
    """

    __tablename__ = "restriction_sanction_period"

    valid_from: Mapped[date] = mapped_column(primary_key=True)
    sanction: Mapped[str] = mapped_column(String(40), primary_key=True)
    months: Mapped[int | None]
    chain_group: Mapped[str | None] = mapped_column(String(24))
    source: Mapped[str] = mapped_column(Text)


class PromotionRuleRow(Base):
    """The other promotion values (chaining cap, assessment periods) from valid_from on."""

    __tablename__ = "restriction_promotion_rule"

    valid_from: Mapped[date] = mapped_column(primary_key=True)
    chain_cap_months: Mapped[int]
    incompetent_months: Mapped[int]
    basic_months: Mapped[int]
    source: Mapped[str] = mapped_column(Text)


class RestrictionCheck(Base):
    """A formal check as it stood when it was made (查询留痕), and later its outcome (反馈).

    Never deleted; a trigger refuses any change to the assessment columns and a second outcome.
    `measures` is the snapshot: a list of applied measures, each with its basis records'
    id, category, severity and decidedOn.
    """

    __tablename__ = "restriction_check"
    __table_args__ = (
        UniqueConstraint("client_name", "business_ref", "subject_id", "scenario", "as_of",
                         name="uq_restriction_check_key"),
        CheckConstraint("(unit_id IS NULL) <> (civil_servant_id IS NULL)", name="one_subject"),
        Index("ix_restriction_check_pending", "checked_at", "id",
              postgresql_where=text("outcome_kind IS NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    client_name: Mapped[str] = mapped_column(String(100))
    business_ref: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("subject_unit.id"))
    civil_servant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("subject_civil_servant.id"))
    subject_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, Computed("coalesce(unit_id, civil_servant_id)", persisted=True))
    scenario: Mapped[str] = mapped_column(String(40))
    as_of: Mapped[date]
    decision: Mapped[str] = mapped_column(String(24))
    measures: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    checked_at: Mapped[datetime]
    outcome_kind: Mapped[str | None] = mapped_column(String(24))
    outcome_codes: Mapped[list[str] | None] = mapped_column(ARRAY(String(120)))
    outcome_reason: Mapped[str | None] = mapped_column(Text, info=text_info(NOTE_LENGTH))
    outcome_reported_at: Mapped[datetime | None]

    @property
    def subject_kind(self) -> SubjectKind:
        return kind_of(self.unit_id)
