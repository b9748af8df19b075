"""Today and now, as DOMAIN.md section 0 defines them."""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today() -> date:
    """The Asia/Shanghai date of the server clock, or INTEGRITY_TODAY (YYYY-MM-DD) when set."""
    pinned = os.environ.get("INTEGRITY_TODAY")
    if pinned:
        return date.fromisoformat(pinned)
    return datetime.now(SHANGHAI).date()


def now() -> datetime:
    """The current instant in Asia/Shanghai (offset +08:00)."""
    return datetime.now(SHANGHAI)


def local_date(instant: datetime) -> date:
    """The Asia/Shanghai calendar date of an instant."""
    return instant.astimezone(SHANGHAI).date()


def now_on(today: date) -> datetime:
    """The instant a write is stamped with: now, on the request's `today`. The two differ only
    when today is pinned (INTEGRITY_TODAY); replays read a stamp's day from it, so the day wins."""
    instant = now()
    if local_date(instant) == today:
        return instant
    return datetime.combine(today, instant.timetz())
