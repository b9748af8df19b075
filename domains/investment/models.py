"""Government investment projects, their approvals and violations (migration 0011)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from domains.core.db import Base
from domains.core.texts import text_info


class InvestmentProject(Base):
    """A government investment project (政府投资项目), keyed by the national online approval
    platform's project code. Never deleted; re-sent projects are updated."""

    __tablename__ = "investment_project"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    supervising_department_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("subject_unit.id"), index=True)
    reported_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())


class InvestmentApproval(Base):
    """A document submitted on a day (key project + document + submittedOn); updatable while
    unapproved, frozen once approved. Never deleted."""

    __tablename__ = "investment_approval"
    __table_args__ = (
        UniqueConstraint("project_id", "document", "submitted_on"),
        CheckConstraint("approved_on IS NULL OR approved_on >= submitted_on",
                        name="approved_after_submission"),
        CheckConstraint("estimated_total IS NULL OR estimated_total > 0",
                        name="estimate_positive"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("investment_project.id"))
    document: Mapped[str] = mapped_column(String(24))
    submitted_on: Mapped[date]
    approved_on: Mapped[date | None]
    approval_number: Mapped[str | None] = mapped_column(String(200))
    estimated_total: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    recorded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())


class InvestmentViolation(Base):
    """A violation in a project (key project + sourceRef) and the DISHONEST record it wrote on
    its subject. Never changed or deleted."""

    __tablename__ = "investment_violation"
    __table_args__ = (
        UniqueConstraint("project_id", "source_ref"),
        CheckConstraint("(unit_id IS NULL) <> (civil_servant_id IS NULL)", name="one_subject"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("investment_project.id"))
    source_ref: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    occurred_on: Mapped[date]
    description: Mapped[str] = mapped_column(Text, info=text_info(500))  # the record's title
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("subject_unit.id"))
    civil_servant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("subject_civil_servant.id"))
    record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("credit_record.id"), unique=True)
    recorded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
