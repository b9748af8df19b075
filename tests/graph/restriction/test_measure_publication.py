"""measureRules: a real publication day (MeasureRule.publishedOn) and legal bases that hold the
basis only (issue 12)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import GraphQL

RULES = "{ measureRules { code validFrom publishedOn legalBasis } }"


async def test_measure_rows_carry_the_day_they_were_published(gql: GraphQL,
                                                              session: AsyncSession) -> None:
    stored = await session.scalar(text(
        "SELECT DISTINCT published_on FROM restriction_measure_rule"))

    rules = (await gql.data("PROCUREMENT", RULES))["measureRules"]

    assert rules and {r["publishedOn"] for r in rules} == {stored.isoformat()}
    assert stored > date(2026, 1, 1)
    assert {r["validFrom"] for r in rules} == {"1900-01-01"}  # the version applies to the past
    assert not [r["code"] for r in rules if "默认" in r["legalBasis"]]
