"""The demo district loads through the services, is deterministic, and loads only once."""

from __future__ import annotations

import time
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.demo import seed
from domains.subject.models import CivilServant, Employment, Unit
from tests.conftest import TEST_SECRET

TODAY = date(2026, 6, 15)


async def test_demo_loads_once(session: AsyncSession) -> None:
    lines: list[str] = []
    started = time.monotonic()
    assert await seed.load_demo(session, secret=TEST_SECRET, today=TODAY, progress=lines.append)
    elapsed = time.monotonic() - started
    print(f"demo loaded in {elapsed:.1f}s", *lines, sep="\n")
    assert (await session.scalar(select(func.count()).select_from(Unit)) or 0) >= 30
    assert await session.scalar(select(func.count()).select_from(CivilServant)) == 300
    assert await session.scalar(select(func.count()).select_from(Employment)) == 330
    assert not await seed.load_demo(session, secret=TEST_SECRET, today=TODAY,
                                    progress=lines.append)
