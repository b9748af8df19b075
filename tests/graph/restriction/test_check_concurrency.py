"""Twenty identical checkRestrictions at once (issue 13: the check's INSERT answers the new row
itself and reads the stored one only when its key was taken): each answers the one check that
was stored, over its own connection, in a database of their own (dropped afterwards)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from domains.restriction.models import RestrictionCheck
from tests.graph.restriction.support import add_record, add_unit
from tests.graph.support import CALLS, clients_in_own_database
from tests.support import unit_code

pytestmark = pytest.mark.slow

CHECK = """
mutation Check($input: CheckRestrictionsInput!) {
  checkRestrictions(input: $input) {
    check { id businessRef checkedAt assessment { decision measures { code } } }
    errors { code }
  }
}"""


async def test_twenty_identical_checks_at_once_store_one(database_url: str) -> None:
    async with clients_in_own_database(database_url) as clients:
        async with clients.sessionmaker() as session:
            unit = await add_unit(session, 1)
            await add_record(session, unit, "S", severity="SERIOUS")
            await session.commit()
        check = {"input": {"subject": {"uscc": unit_code(1)}, "scenario": "GOVERNMENT_PROCUREMENT",
                           "businessRef": "SP-2026-020"}}

        answers = await clients.at_once("PROCUREMENT", CHECK, [check] * CALLS)

        assert all(a["checkRestrictions"]["errors"] == [] for a in answers)
        assert len({str(a["checkRestrictions"]["check"]) for a in answers}) == 1
        assert answers[0]["checkRestrictions"]["check"]["assessment"]["decision"] == "REVIEW"
        async with clients.sessionmaker() as session:
            assert await session.scalar(select(func.count()).select_from(RestrictionCheck)) == 1
