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
