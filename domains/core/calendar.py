"""The working calendar (DOMAIN.md section 0): holidays off, 调休 weekend days on."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from sqlalchemy import Boolean, Date, String, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from domains.core.db import Base


class CalendarDay(Base):
    """A day that differs from the Monday-to-Friday rule, or confirms it, for a loaded year."""

    __tablename__ = "working_calendar"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_working: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200))


async def overrides_between(session: AsyncSession, start: date, end: date) -> dict[date, bool]:
    """The calendar's exceptions in [start, end], for domains.core.dates.add_working_days."""
    rows = await session.execute(
        select(CalendarDay.day, CalendarDay.is_working)
        .where(CalendarDay.day >= start, CalendarDay.day <= end))
    return {day: working for day, working in rows.all()}


class CalendarFileError(ValueError):
    """The calendar file is malformed; nothing was loaded."""


def read_calendar_file(path: Path) -> list[tuple[date, bool, str]]:
    """Rows `YYYY-MM-DD,off|on,note` (a header line `day,status,note` is allowed)."""
    rows: list[tuple[date, bool, str]] = []
    with path.open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            if not row or row[0].strip().startswith("#") or row[0].strip() == "day":
                continue
            if len(row) < 2 or row[1].strip() not in ("on", "off"):
                raise CalendarFileError(f"line {number}: expected day,on|off,note")
            try:
                day = date.fromisoformat(row[0].strip())
            except ValueError:
                raise CalendarFileError(f"line {number}: {row[0]!r} is not a date") from None
            note = row[2].strip() if len(row) > 2 else ""
            rows.append((day, row[1].strip() == "on", note))
    return rows


async def load_days(session: AsyncSession, rows: Iterable[tuple[date, bool, str]]) -> int:
    """Insert or update calendar days; returns how many rows were given."""
    values = [{"day": d, "is_working": w, "note": n} for d, w, n in rows]
    if not values:
        return 0
    stmt = insert(CalendarDay).values(values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[CalendarDay.day],
        set_={"is_working": stmt.excluded.is_working, "note": stmt.excluded.note})
    await session.execute(stmt)
    return len(values)
