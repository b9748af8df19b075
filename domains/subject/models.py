"""Units, civil servants and their employment history."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from domains.core.db import Base


class Unit(Base):
    """A government unit keyed by its unified social credit code."""

    __tablename__ = "subject_unit"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    region_code: Mapped[str | None] = mapped_column(String(12))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("subject_unit.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())


class CivilServant(Base):
    """A civil servant. The identity number is kept only as keyed hash and masked form."""

    __tablename__ = "subject_civil_servant"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    masked_id_number: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Employment(Base):
    """One post held from startedOn to endedOn (open while serving). Never overwritten."""

    __tablename__ = "subject_employment"
    __table_args__ = (UniqueConstraint("civil_servant_id", "started_on"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    civil_servant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("subject_civil_servant.id"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subject_unit.id"), index=True)
    position: Mapped[str | None] = mapped_column(String(200))
    rank: Mapped[str | None] = mapped_column(String(100))
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
