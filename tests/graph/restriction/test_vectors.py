"""The date vectors of DOMAIN.md section 0 through HTTP, with the default validity the credit
service applies: MINOR from 2026-01-31 ends 2026-04-29, GENERAL from 2026-01-31 ends
2027-01-30, a WARNING decided 2026-08-31 blocks through 2027-02-27."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import GraphQL
from tests.graph.restriction.support import (
    PERSON_RESTRICTIONS,
    PROMOTION,
    SANCTION_ENDS,
    add_person,
    add_record,
    add_unit,
)
from tests.support import id_number

DAY = date(2026, 1, 31)


async def decisions(gql: GraphQL, scenario: str, days: list[str]) -> list[str]:
    answers = []
    for day in days:
        data = await gql.data("PERSONNEL", PERSON_RESTRICTIONS, {
            "idNumber": id_number(1), "scenario": scenario, "asOf": day})
        answers.append(data["civilServant"]["restrictions"]["decision"])
    return answers


async def test_a_general_record_from_2026_01_31_counts_through_2027_01_30(
        gql: GraphQL, session: AsyncSession) -> None:
    person = await add_person(session, 1, await add_unit(session, 1))
    record = await add_record(session, person, "G", decided_on=DAY)
    await session.commit()
    assert record.valid_until == date(2027, 1, 30)
    # a read after today is a projection on what is known now
    assert await decisions(gql, "HIRING", ["2026-01-30", "2026-01-31", "2027-01-30",
                                           "2027-01-31"]) == [
        "ALLOW", "REVIEW", "REVIEW", "ALLOW"]


async def test_a_minor_record_from_2026_01_31_triggers_nothing(
        gql: GraphQL, session: AsyncSession) -> None:
    person = await add_person(session, 1, await add_unit(session, 1))
    minor = await add_record(session, person, "M", decided_on=DAY, severity="MINOR",
                             disclosure="GOVERNMENT_SHARED")
    await add_record(session, person, "C", nature="TRUSTWORTHY", category="COMMENDATION",
                     severity=None, decided_on=DAY)
    await session.commit()
    assert minor.valid_until == date(2026, 4, 29)
    for scenario, expected in (("HIRING", "ALLOW"), ("PERFORMANCE_ASSESSMENT", "ALLOW"),
                               ("AWARDS", "ALLOW_WITH_PRIORITY"),
                               ("PROMOTION", "ALLOW_WITH_PRIORITY")):
        assert await decisions(gql, scenario, ["2026-04-29"]) == [expected], scenario


async def test_a_warning_decided_2026_08_31_blocks_through_2027_02_27(
        gql: GraphQL, session: AsyncSession, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTEGRITY_TODAY", "2026-09-01")
    person = await add_person(session, 1, await add_unit(session, 1))
    await add_record(session, person, "W", category="ADMINISTRATIVE_SANCTION",
                     sanction="WARNING", decided_on=date(2026, 8, 31))
    await session.commit()
    answers = []
    for day in ("2026-08-30", "2026-08-31", "2027-02-27", "2027-02-28"):
        data = await gql.data("PERSONNEL", PROMOTION, {"idNumber": id_number(1), "asOf": day})
        result = data["civilServant"]["promotionEligibility"]
        answers.append((result["decision"], result["eligibleFrom"],
                        [b["until"] for b in result["blockers"]]))
    assert answers == [
        ("ALLOW", "2026-08-30", []),
        ("DENY", "2027-02-28", ["2027-02-27"]),
        ("DENY", "2027-02-28", ["2027-02-27"]),
        # its GENERAL record still counts (valid through 2027-08-30) but, carrying a
        # sanction, acts on promotion only through the sanction's period (公务员法第六十五条)
        ("ALLOW", "2027-02-28", [])]
    ends = await gql.data("CREDIT_OFFICE", SANCTION_ENDS, {"ref": "W"})
    assert ends["creditRecord"]["sanctionEndsOn"] == "2027-02-27"
