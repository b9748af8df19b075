"""Writes of one natural key, one at a time (issue 7): transaction-level advisory locks.

Two requests that create the same new key (a unit's uscc, a person's identity number, a
contract's code, a record's source key) both found nothing, then both inserted: a unique
violation (INTERNAL), or, for a person, two employment histories interleaved. A write first
locks its batch's keys, then reads: the later request waits until the earlier commits, then
finds its rows and answers as for a re-send (the idempotent accept, an update, or CONFLICT).

The PPP project's own row (SELECT ... FOR UPDATE) serialises its assignments and events, and a
joint action's row its responses: those rows exist before such writes, a new key does not.

Locks are taken in one order (by hash, within a space) and every write locks keys of one space
only, so two batches cannot deadlock on each other. They end with the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


class LockSpace(IntEnum):
    """One per kind of natural key (the first argument of pg_advisory_xact_lock)."""

    CREDIT_RECORD = 0x4352          # "CR": (sourceSystem, sourceRef)
    UNIT = 0x554E                   # "UN": uscc
    CIVIL_SERVANT = 0x4353          # "CS": keyed hash of the identity number
    PROCUREMENT_CONTRACT = 0x5043   # "PC": contract code (its milestones too)
    PPP_PROJECT = 0x5050            # "PP": PPP project code (new projects; see below)
    INVESTMENT_PROJECT = 0x4950     # "IP": investment project code (its approvals too)
    MEMORANDUM = 0x4D4D             # "MM": memorandum number (all its versions)
    JOINT_ACTION = 0x4A41           # "JA": (initiator unit id, caseRef)


_LOCK_KEYS = text(
    "SELECT count(pg_advisory_xact_lock(:space, h)) FROM (SELECT DISTINCT hashtext(k) AS h "
    "FROM unnest(CAST(:keys AS text[])) AS k ORDER BY h) AS ordered")


async def lock_keys(session: AsyncSession, space: LockSpace, keys: Iterable[str]) -> None:
    """Lock these keys of `space` until the transaction ends (one statement; none if empty)."""
    wanted = sorted(set(keys))
    if wanted:
        await session.execute(_LOCK_KEYS, {"space": int(space), "keys": wanted})
