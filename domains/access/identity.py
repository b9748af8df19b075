"""Look-ups by identity number: every one audited, each client within a budget (DOMAIN.md
section 1: a look-up is processing of personal data and an oracle).

The API binds a `LookupRequester` (the client, its request, its budget) to the request's
session with `bind`; `domains.subject.service.audited_people_by_hash`, the one function that
resolves identity numbers to people, calls `admit` before it looks and `record` after. A
session without a requester belongs to an in-process caller (the demo loader, the CLI), which
is no client: nothing is counted or audited for it.

The audit rows must outlive the request's transaction (a refused batch rolls back and must
still be counted), so the API commits them itself: see `keep_after_rollback`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from sqlalchemy import Select, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access.models import IdentityLookup
from domains.core.settings import ConfigurationError

WINDOW: Final = timedelta(hours=1)
# Server default of a client's budget (integrity clients add/limit --id-lookups-per-hour).
DEFAULT_LOOKUPS_PER_HOUR: Final = 100
# Distinct numbers one request may look up while answering reads (see the README's Limits).
READ_LOOKUPS_PER_REQUEST: Final = 5
HOURLY_BUDGET: Final = "HOURLY_BUDGET"
PER_REQUEST: Final = "PER_REQUEST"
_REQUESTER: Final = "identity_lookup_requester"
_LOCK_KEY: Final = "hashtextextended('identity_lookup:' || :client, 0)"


def default_lookups_per_hour() -> int:
    """INTEGRITY_ID_LOOKUPS_PER_HOUR, or DEFAULT_LOOKUPS_PER_HOUR when unset."""
    value = os.environ.get("INTEGRITY_ID_LOOKUPS_PER_HOUR", "")
    if not value:
        return DEFAULT_LOOKUPS_PER_HOUR
    if not value.isdigit() or int(value) < 1:
        raise ConfigurationError("INTEGRITY_ID_LOOKUPS_PER_HOUR must be a whole number of at "
                                 "least 1")
    return int(value)


class IdentityBudgetExceeded(Exception):
    """A client asked for more distinct identity numbers in an hour than its budget allows.
    Raised from `admit` only (HTTP 429 with Retry-After)."""

    code: Final = "ID_LOOKUP_BUDGET_EXCEEDED"

    def __init__(self, client_name: str, per_hour: int, retry_after: int) -> None:
        super().__init__(f"identity look-up budget exceeded: at most {per_hour} distinct "
                         f"identity numbers per hour; retry after {retry_after} s")
        self.client_name = client_name
        self.per_hour = per_hour
        self.retry_after = retry_after


class TooManyLookupsInRequest(Exception):
    """One read request named more distinct identity numbers than READ_LOOKUPS_PER_REQUEST."""

    code: Final = "TOO_MANY_ID_LOOKUPS"

    def __init__(self, limit: int) -> None:
        super().__init__(f"a read request may look up at most {limit} distinct identity "
                         "numbers")


@dataclass
class LookupRequester:
    """The client on whose behalf a session looks identity numbers up, in one request."""

    client_name: str
    request_id: str
    per_hour: int
    # READ_LOOKUPS_PER_REQUEST while answering reads; None in batch writes (budget only)
    per_request: int | None = None
    admitted: set[str] = field(default_factory=set)
    unsaved: list[dict[str, Any]] = field(default_factory=list)
    # the refusal once the budget is spent: the rest of the request is refused without asking
    refusal: IdentityBudgetExceeded | None = None


def bind(session: AsyncSession, requester: LookupRequester) -> LookupRequester:
    session.info[_REQUESTER] = requester
    return requester


def requester_of(session: AsyncSession) -> LookupRequester | None:
    found: LookupRequester | None = session.info.get(_REQUESTER)
    return found


async def admit(session: AsyncSession, hashes: Collection[str]) -> LookupRequester | None:
    """Check that the session's requester may look these hashes up; refused ones are audited
    and raise. Takes the client's lock until the transaction ends (so two requests of one
    client cannot both spend the last of its budget)."""
    requester = requester_of(session)
    if requester is None:
        return None
    new = sorted(set(hashes) - requester.admitted)
    if not new:
        return requester
    cap = requester.per_request
    if cap is not None and len(requester.admitted) + len(new) > cap:
        await _refuse(session, requester, new, PER_REQUEST)
        raise TooManyLookupsInRequest(cap)
    if requester.refusal is None:
        requester.refusal = await _over_budget(session, requester, new)
    if requester.refusal is not None:
        await _refuse(session, requester, new, HOURLY_BUDGET)
        raise requester.refusal
    return requester


async def _over_budget(session: AsyncSession, requester: LookupRequester,
                       new: Sequence[str]) -> IdentityBudgetExceeded | None:
    """The refusal when these numbers do not fit in the client's window, else None."""
    # the rows are stamped with this process's clock (`_row`), so the window is measured on it
    window = (await session.execute(
        text("SELECT id_hash, first_at FROM identity_lookup_window(CAST(:client AS text), "
             "CAST(:since AS timestamptz))"),
        {"client": requester.client_name, "since": datetime.now(UTC) - WINDOW})).all()
    first_at = {h: at for h, at in window}
    overflow = len(first_at) + len([h for h in new if h not in first_at]) - requester.per_hour
    if overflow <= 0:
        return None
    return IdentityBudgetExceeded(requester.client_name, requester.per_hour,
                                  _retry_after(sorted(first_at.values()), overflow))


async def _refuse(session: AsyncSession, requester: LookupRequester, hashes: Sequence[str],
                  reason: str) -> None:
    await _write(session, requester, [_row(requester, h, refused=reason) for h in hashes])


def _retry_after(first_seen: Sequence[datetime], overflow: int) -> int:
    """Seconds until `overflow` numbers have left the window (an hour when they never will:
    the request alone names more numbers than the budget)."""
    if overflow > len(first_seen):
        return int(WINDOW.total_seconds())
    leaves_at = first_seen[overflow - 1] + WINDOW
    return max(1, math.ceil((leaves_at - datetime.now(UTC)).total_seconds()))


async def record(session: AsyncSession, requester: LookupRequester | None,
                 hashes: Collection[str], found: Collection[str]) -> None:
    """Audit the admitted look-ups of `hashes` (each once per request), found or not."""
    if requester is None:
        return
    new = sorted(set(hashes) - requester.admitted)
    requester.admitted.update(new)
    await _write(session, requester, [_row(requester, h, found=h in found) for h in new])


def _row(requester: LookupRequester, id_hash: str, *, found: bool | None = None,
         refused: str | None = None) -> dict[str, Any]:
    return {"at": datetime.now(UTC), "client_name": requester.client_name,
            "request_id": requester.request_id, "id_hash": id_hash, "found": found,
            "refused": refused}


async def _write(session: AsyncSession, requester: LookupRequester,
                 rows: list[dict[str, Any]]) -> None:
    """One INSERT for the rows; kept in memory too until the API has committed them."""
    if rows:
        await session.execute(insert(IdentityLookup).values(rows))
        requester.unsaved.extend(rows)


def capped_as_a_read(session: AsyncSession) -> None:
    """Cap the session's look-ups from here on as a read's (READ_LOOKUPS_PER_REQUEST a
    request): for a write that names its subject by number the way a read does (a formal
    check), so that aliasing it in one document is no way around the cap."""
    requester = requester_of(session)
    if requester is not None:
        requester.per_request = READ_LOOKUPS_PER_REQUEST


def saved(session: AsyncSession) -> None:
    """The request's transaction was committed: its audit rows are stored."""
    requester = requester_of(session)
    if requester is not None:
        requester.unsaved = []


async def keep_after_rollback(session: AsyncSession) -> None:
    """Roll the request's transaction back, keeping its identity look-up audit rows: they are
    written again and committed in a transaction of their own, under the client's lock.

    Between the rollback and that commit another request of the same client may count its
    window without these rows, so a race of two requests may admit at most this request's
    numbers more. Holding the lock across the rollback would close that gap, but only with a
    session-level lock, and the rollback hands the connection back to the pool still holding
    it: under load every connection then waits on that lock and nothing can release it (20
    concurrent registerCivilServants hung the service this way).
    """
    requester = requester_of(session)
    await session.rollback()
    if requester is None or not requester.unsaved:
        return
    await session.execute(text(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})"),
                          {"client": requester.client_name})
    await session.execute(insert(IdentityLookup).values(requester.unsaved))
    await session.commit()
    requester.unsaved = []


def lookup_query(*, client: str | None, refused_only: bool) -> Select[IdentityLookup]:
    """The look-ups matching the filters, newest first."""
    stmt = select(IdentityLookup)
    if client is not None:
        stmt = stmt.where(IdentityLookup.client_name == client)
    if refused_only:
        stmt = stmt.where(IdentityLookup.refused.is_not(None))
    return stmt.order_by(IdentityLookup.at.desc(), IdentityLookup.id.desc())


async def lookup_page(session: AsyncSession, *, client: str | None, refused_only: bool,
                      offset: int, limit: int) -> tuple[Sequence[IdentityLookup], int]:
    """A page of `lookup_query` with the total count of matching rows."""
    stmt = lookup_query(client=client, refused_only=refused_only)
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = await session.scalars(stmt.offset(offset).limit(limit))
    return rows.all(), int(total or 0)
