"""Client systems (API keys) and the audit trail of credit reads (查询留痕)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ARRAY, ForeignKey, String, Text, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from domains.core.db import Base


class Client(Base):
    """A calling system. Only the SHA-256 of its key is stored."""

    __tablename__ = "access_client"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    audience: Mapped[str] = mapped_column(String(32))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class AuditEntry(Base):
    """One read of credit data: append-only (no UPDATE or DELETE is ever issued)."""

    __tablename__ = "access_audit_entry"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    at: Mapped[datetime] = mapped_column(index=True)
    client_name: Mapped[str] = mapped_column(String(100), index=True)
    operation: Mapped[str | None] = mapped_column(Text)
    field: Mapped[str] = mapped_column(Text)
    request_id: Mapped[str] = mapped_column(String(64))
    subject_ids: Mapped[list[str]] = mapped_column(ARRAY(Text))


class ClientUnit(Base):
    """A unit a client acts for (a signatory's system answers for that signatory). Never
    deleted."""

    __tablename__ = "access_client_unit"

    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("access_client.id"),
                                                 primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subject_unit.id"), primary_key=True)
    bound_at: Mapped[datetime]
