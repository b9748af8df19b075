"""The rule tables the migration seeds are the values DOMAIN.md sections 4 and 5 give (the
pure-rule tests run on `domains.restriction.defaults`, the service on the tables)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domains.restriction import service as restriction
from domains.restriction.defaults import DEFAULT_MEASURE_ROWS, DEFAULT_SANCTION_PERIODS
from domains.restriction.rules import MeasureRow


def _key(row: MeasureRow) -> tuple[str, str]:
    return row.code, row.subject_kind


async def test_the_seeded_measure_rows_are_the_default_rows(session: AsyncSession) -> None:
    seeded = sorted(await restriction.measure_rows(session), key=_key)
    assert [replace(row, published_on=None) for row in seeded] == sorted(DEFAULT_MEASURE_ROWS,
                                                                          key=_key)


async def test_the_seeded_rows_were_published_when_the_migration_ran(
        session: AsyncSession) -> None:
    migrated_on = await session.scalar(text(
        "SELECT (min(added_at) AT TIME ZONE 'Asia/Shanghai')::date FROM "
        "(SELECT now() AS added_at) AS t"))
    days = {row.published_on for row in await restriction.measure_rows(session)}
    assert len(days) == 1
    (day,) = days
    assert day is not None and day.year >= 2026 and day <= migrated_on


async def test_legal_bases_hold_the_basis_and_no_remarks_about_defaults(
        session: AsyncSession) -> None:
    for row in await restriction.measure_rows(session):
        assert "默认" not in row.legal_basis and "另列" not in row.legal_basis, row.code
        assert "《上海市社会信用条例》第二十二条、第三十二条" in row.legal_basis


async def test_the_seeded_promotion_rules_are_the_default_periods(session: AsyncSession) -> None:
    assert await restriction.sanction_periods(session) == [DEFAULT_SANCTION_PERIODS]
