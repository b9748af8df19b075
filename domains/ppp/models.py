"""PPP projects, the government side's responsibilities per stage, the events that happened,
and the trace each event froze when it was recorded (migration 0008_ppp)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    ARRAY,
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from domains.core.db import Base
from domains.core.texts import text_info


class PppProject(Base):
    """A PPP project (key code); re-sent projects are updated, never deleted. The parties,
    consultants and contracts are public (财金〔2017〕1号)."""

    __tablename__ = "ppp_project"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    implementing_agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subject_unit.id"),
                                                              index=True)
    current_stage: Mapped[str] = mapped_column(String(16))
    social_capital_parties: Mapped[list[str]] = mapped_column(ARRAY(Text), info=text_info(300))
    consultants: Mapped[list[str]] = mapped_column(ARRAY(Text), info=text_info(300))
    contracts: Mapped[list[str]] = mapped_column(ARRAY(Text), info=text_info(300))
    reported_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())


class PppResponsibility(Base):
    """Who answered for a stage from startedOn to endedOn (inclusive; open never ends). Key
    (project, stage, person, startedOn): re-sending updates role and endedOn. Never deleted."""

    __tablename__ = "ppp_responsibility"
    __table_args__ = (
        UniqueConstraint("project_id", "stage", "civil_servant_id", "started_on"),
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="period_order"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ppp_project.id"))
    stage: Mapped[str] = mapped_column(String(16))
    civil_servant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subject_civil_servant.id"),
                                                        index=True)
    role: Mapped[str] = mapped_column(String(200))
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    assigned_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())


class PppEvent(Base):
    """A commitment kept or broken on a day (key project + sourceRef). Append-only."""

    __tablename__ = "ppp_event"
    __table_args__ = (UniqueConstraint("project_id", "source_ref"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ppp_project.id"))
    stage: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(24))
    occurred_on: Mapped[date]
    description: Mapped[str] = mapped_column(Text, info=text_info(500))  # the records' title
    severity: Mapped[str | None] = mapped_column(String(16))
    source_ref: Mapped[str] = mapped_column(String(120))
    recorded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class PppTrace(Base):
    """One responsibility an event traced, as it stood when the event was recorded (role and
    period copied): later changes to the responsibility never rewrite it. Append-only."""

    __tablename__ = "ppp_trace"
    __table_args__ = (UniqueConstraint("event_id", "responsibility_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ppp_event.id"), index=True)
    responsibility_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ppp_responsibility.id"))
    civil_servant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subject_civil_servant.id"))
    role: Mapped[str] = mapped_column(String(200))
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
