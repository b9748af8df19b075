"""Relay global ids: base64("<Type>:<uuid>")."""

from __future__ import annotations

import base64
import binascii
import uuid


def to_global_id(type_name: str, pk: uuid.UUID) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def parse_global_id(value: str) -> tuple[str, uuid.UUID] | None:
    """(type, uuid) of a global id, or None when it does not decode."""
    try:
        raw = base64.b64decode(value.encode(), validate=True).decode()
        type_name, _, pk = raw.partition(":")
        return type_name, uuid.UUID(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def from_global_id(value: str, expected_type: str) -> uuid.UUID | None:
    """The uuid of a global id of `expected_type`; None if it does not decode or names another."""
    parsed = parse_global_id(value)
    if parsed is None or parsed[0] != expected_type:
        return None
    return parsed[1]
