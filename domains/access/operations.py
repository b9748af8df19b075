"""The allow-list of persisted operations (production mode, README "Operations").

A document is identified by the SHA-256 (hex) of its UTF-8 text with surrounding blanks
removed, so a file's final newline does not matter; anything else (spacing, comments, field
order) makes another document. Services flush; the caller commits.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access.cache import AccessCache, announce_change
from domains.access.models import PersistedOperation

SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class OperationError(ValueError):
    """An operations command was given bad input; nothing was written."""


def document_hash(document: str) -> str:
    """The allow-list key of a document."""
    return hashlib.sha256(document.strip().encode()).hexdigest()


def checked_hash(value: str) -> str:
    """A hash given on the command line, lower-cased; OperationError unless 64 hex digits."""
    normalised = value.strip().lower()
    if not SHA256_HEX.fullmatch(normalised):
        raise OperationError(f"{value!r} is not a SHA-256 (64 hexadecimal digits)")
    return normalised


async def add_operation(session: AsyncSession, *, document: str,
                        operation_names: Sequence[str]) -> tuple[PersistedOperation, bool]:
    """Put a (checked) document on the allow-list; returns it and whether it was new (adding
    the same document again changes nothing)."""
    if not document.strip():
        raise OperationError("the document is empty")
    sha = document_hash(document)
    existing = await session.get(PersistedOperation, sha)
    if existing is not None:
        return existing, False
    operation = PersistedOperation(sha256=sha, document=document.strip(),
                                   operation_names=",".join(operation_names))
    session.add(operation)
    await session.flush()
    await announce_change(session)
    return operation, True


async def list_operations(session: AsyncSession) -> Sequence[PersistedOperation]:
    stmt = select(PersistedOperation).order_by(PersistedOperation.operation_names,
                                               PersistedOperation.sha256)
    return (await session.scalars(stmt)).all()


async def remove_operation(session: AsyncSession, *, sha256: str) -> PersistedOperation:
    """Take a document off the allow-list: it stops running at once."""
    operation = await session.get(PersistedOperation, checked_hash(sha256))
    if operation is None:
        raise OperationError(f"no persisted operation {sha256.strip().lower()}")
    await session.delete(operation)
    await session.flush()
    await announce_change(session)
    return operation


async def is_allowed(session: AsyncSession, document: str) -> bool:
    """Whether the document is on the allow-list (one primary-key look-up)."""
    found = await session.scalar(select(PersistedOperation.sha256)
                                 .where(PersistedOperation.sha256 == document_hash(document)))
    return found is not None


async def registered_document(session: AsyncSession, sha256: str,
                              cache: AccessCache) -> str | None:
    """The registered document of this hash, through the process's cache; None if unknown."""
    found = cache.document(sha256)
    if found is None:
        generation = cache.generation
        found = await session.scalar(select(PersistedOperation.document)
                                     .where(PersistedOperation.sha256 == sha256))
        if found is not None:
            cache.keep_document(sha256, found, generation)
    return found


async def is_allowed_cached(session: AsyncSession, document: str, cache: AccessCache) -> bool:
    """`is_allowed` through the process's cache (a registered document's text is kept)."""
    return await registered_document(session, document_hash(document), cache) is not None
