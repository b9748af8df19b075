"""Date arithmetic and the working calendar of DOMAIN.md section 0: its vectors, and the 2025
holiday notice as seeded by migration."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domains.core.calendar import overrides_between
from domains.core.dates import add_months, add_working_days, last_day_of_period


@pytest.mark.parametrize(("start", "months", "last"), [
    (date(2026, 1, 31), 3, date(2026, 4, 29)),     # MINOR from 2026-01-31
    (date(2026, 1, 31), 12, date(2027, 1, 30)),    # GENERAL from 2026-01-31
    (date(2026, 8, 31), 6, date(2027, 2, 27)),     # a WARNING decided 2026-08-31
    (date(2026, 3, 1), 12, date(2027, 2, 28)),
    (date(2024, 2, 29), 12, date(2025, 2, 27)),
])
def test_a_period_ends_the_day_before_the_same_day_number(start: date, months: int,
                                                          last: date) -> None:
    assert last_day_of_period(start, months) == last


def test_months_clamp_to_the_end_of_the_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


# 2025 notice (DOMAIN.md section 0): holidays off, 调休 weekend days on.
OFF_2025 = [(date(2025, 1, 1), date(2025, 1, 1)), (date(2025, 1, 28), date(2025, 2, 4)),
            (date(2025, 4, 4), date(2025, 4, 6)), (date(2025, 5, 1), date(2025, 5, 5)),
            (date(2025, 5, 31), date(2025, 6, 2)), (date(2025, 10, 1), date(2025, 10, 8))]
ON_2025 = [date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27), date(2025, 9, 28),
           date(2025, 10, 11)]


async def test_the_2025_notice_is_seeded(session: AsyncSession) -> None:
    overrides = await overrides_between(session, date(2025, 1, 1), date(2025, 12, 31))
    off = {start + timedelta(days=n) for start, end in OFF_2025
           for n in range((end - start).days + 1)}
    assert {day for day, working in overrides.items() if not working} == off
    assert {day for day, working in overrides.items() if working} == set(ON_2025)


async def test_working_days_follow_the_calendar(session: AsyncSession) -> None:
    overrides = await overrides_between(session, date(2025, 1, 1), date(2025, 12, 31))
    # the day itself is not counted; 9-28 (Sunday) is worked, 10-1..10-8 are off, 10-11 on
    assert add_working_days(date(2025, 9, 26), 1, overrides) == date(2025, 9, 28)
    assert add_working_days(date(2025, 9, 26), 7, overrides) == date(2025, 10, 13)
    assert add_working_days(date(2025, 9, 30), 1, overrides) == date(2025, 10, 9)
    assert add_working_days(date(2025, 10, 9), 2, overrides) == date(2025, 10, 11)


def test_a_year_not_loaded_counts_monday_to_friday() -> None:
    # 2031-01-03 is a Friday: seven working days later is the Tuesday after next
    assert add_working_days(date(2031, 1, 3), 7, {}) == date(2031, 1, 14)
    assert add_working_days(date(2031, 1, 3), 0, {}) == date(2031, 1, 3)
