"""Procurement contracts, their milestones and the versioned rule values (migration 0004)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from domains.core.db import Base
from domains.procurement import rules


class ProcurementContract(Base):
    """A purchaser's (采购人) contract with a supplier. Never deleted; frozen once a milestone
    is recorded."""

    __tablename__ = "procurement_contract"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("acceptance_days BETWEEN 1 AND 365", name="acceptance_days_range"),
        CheckConstraint("payment_days BETWEEN 1 AND 365", name="payment_days_range"),
        # Unit.procurementContracts pages a purchaser's contracts newest first.
        Index("ix_procurement_contract_purchaser", "purchaser_id", text("signed_on DESC"),
              "code"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    purchaser_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subject_unit.id"))
    responsible_person_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("subject_civil_servant.id"), index=True)
    supplier_name: Mapped[str] = mapped_column(String(300))
    supplier_uscc: Mapped[str | None] = mapped_column(String(18))
    supplier_is_sme: Mapped[bool]
    amount: Mapped[Decimal]
    signed_on: Mapped[date]
    acceptance_days: Mapped[int]
    payment_days: Mapped[int]
    reported_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())


class ProcurementMilestone(Base):
    """DELIVERED, ACCEPTED or PAID on a day; one of each per contract, never changed."""

    __tablename__ = "procurement_milestone"
    __table_args__ = (UniqueConstraint("contract_id", "milestone"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("procurement_contract.id"))
    milestone: Mapped[str] = mapped_column(String(16))
    on: Mapped[date]
    recorded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class ProcurementWeightsRow(Base):
    """One version of the section 6 rule values, in force from `valid_from`."""

    __tablename__ = "procurement_weights"

    id: Mapped[int] = mapped_column(primary_key=True)
    valid_from: Mapped[date] = mapped_column(unique=True)
    base_score: Mapped[int]
    accepted_late_deduction: Mapped[int]
    acceptance_overdue_deduction: Mapped[int]
    paid_late_deduction: Mapped[int]
    payment_overdue_deduction: Mapped[int]
    general_record_deduction: Mapped[int]
    serious_record_deduction: Mapped[int]
    score_floor: Mapped[int]
    grade_a_min_score: Mapped[int]
    grade_b_min_score: Mapped[int]
    grade_c_min_score: Mapped[int]
    sme_daily_interest_rate: Mapped[Decimal] = mapped_column(Numeric(8, 6))
    evaluation_years: Mapped[int]
    default_acceptance_days: Mapped[int]
    default_payment_days: Mapped[int]
    sme_max_payment_days: Mapped[int]
    source: Mapped[str] = mapped_column(Text)

    def as_rule(self) -> rules.ProcurementWeights:
        """The plain value the pure rules take."""
        return rules.ProcurementWeights(
            valid_from=self.valid_from, base_score=self.base_score,
            accepted_late_deduction=self.accepted_late_deduction,
            acceptance_overdue_deduction=self.acceptance_overdue_deduction,
            paid_late_deduction=self.paid_late_deduction,
            payment_overdue_deduction=self.payment_overdue_deduction,
            general_record_deduction=self.general_record_deduction,
            serious_record_deduction=self.serious_record_deduction,
            score_floor=self.score_floor, grade_a_min_score=self.grade_a_min_score,
            grade_b_min_score=self.grade_b_min_score, grade_c_min_score=self.grade_c_min_score,
            sme_daily_interest_rate=self.sme_daily_interest_rate,
            evaluation_years=self.evaluation_years,
            default_acceptance_days=self.default_acceptance_days,
            default_payment_days=self.default_payment_days,
            sme_max_payment_days=self.sme_max_payment_days,
        )
