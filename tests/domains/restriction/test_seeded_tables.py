"""The rule tables the migration seeds are the values DOMAIN.md sections 4 and 5 give (the
pure-rule tests run on `domains.restriction.defaults`, the service on the tables)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domains.restriction import service as restriction
from domains.restriction.defaults import DEFAULT_MEASURE_ROWS, DEFAULT_SANCTION_PERIODS
from domains.restriction.rules import MeasureRow


def _key(row: MeasureRow) -> tuple[str, str]:
    return row.code, row.subject_kind


async def test_the_seeded_measure_rows_are_the_default_rows(session: AsyncSession) -> None:
    seeded = sorted(await restriction.measure_rows(session), key=_key)
    assert seeded == sorted(DEFAULT_MEASURE_ROWS, key=_key)


async def test_the_seeded_promotion_rules_are_the_default_periods(session: AsyncSession) -> None:
    assert await restriction.sanction_periods(session) == [DEFAULT_SANCTION_PERIODS]
