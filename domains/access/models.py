"""Client systems (API keys) and the audit trail of credit reads (查询留痕)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ARRAY, Boolean, ForeignKey, Integer, String, Text, Uuid, func
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
    # Distinct identity numbers this client may look up per hour; null: the server default.
    id_lookups_per_hour: Mapped[int | None] = mapped_column(Integer)


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


class IdentityLookup(Base):
    """One identity number looked up by a client, found or not, admitted or refused:
    append-only (DOMAIN.md section 1). Only the keyed hash of the number is kept."""

    __tablename__ = "access_identity_lookup"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    at: Mapped[datetime] = mapped_column(server_default=func.now())
    client_name: Mapped[str] = mapped_column(String(100))
    request_id: Mapped[str] = mapped_column(String(64))
    id_hash: Mapped[str] = mapped_column(String(64))
    # null when refused: the number was not looked up
    found: Mapped[bool | None] = mapped_column(Boolean)
    # null when admitted; HOURLY_BUDGET or PER_REQUEST when refused
    refused: Mapped[str | None] = mapped_column(String(32))


class PersistedOperation(Base):
    """A GraphQL document on the allow-list, keyed by the SHA-256 of its text (kept, so that a
    client may later send the hash alone)."""

    __tablename__ = "access_persisted_operation"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    document: Mapped[str] = mapped_column(Text)
    operation_names: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(server_default=func.now())


class ClientUnit(Base):
    """A unit a client acts for (a signatory's system answers for that signatory). Never
    deleted."""

    __tablename__ = "access_client_unit"

    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("access_client.id"),
                                                 primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subject_unit.id"), primary_key=True)
    bound_at: Mapped[datetime]
