"""The audit trail (查询留痕) for a period, streamed oldest first for the credit office's records
(`integrity audit export`): rows are fetched through a server-side cursor in batches, never all
at once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access.models import AuditEntry
from domains.core import clock

BATCH = 1000


def day_start(day: date) -> datetime:
    """Midnight at the start of `day`, Asia/Shanghai."""
    return datetime.combine(day, time(), clock.SHANGHAI)


async def audit_rows(session: AsyncSession, *, from_day: date, to_day: date,
                     batch: int = BATCH) -> AsyncIterator[AuditEntry]:
    """Every audit row from `from_day` to `to_day` (Asia/Shanghai days, both included),
    by time then id. The bounds are instants, so the index on `at` serves the range."""
    stmt = (select(AuditEntry)
            .where(AuditEntry.at >= day_start(from_day),
                   AuditEntry.at < day_start(to_day + timedelta(days=1)))
            .order_by(AuditEntry.at, AuditEntry.id)
            .execution_options(yield_per=batch))
    result = await session.stream_scalars(stmt)
    async for row in result:
        yield row
        session.expunge(row)  # keep the identity map (and memory) flat
