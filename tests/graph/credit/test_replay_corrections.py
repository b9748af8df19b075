"""Replay of corrections (DOMAIN.md section 0): a computation for asOf uses each record's content
as it stood at the end of asOf; a correctRecord made later (severity, sanction, validUntil) is
ignored for it. Through restrictions, promotionEligibility and the inForceOn filter."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domains.credit import service as credit
from domains.credit.enums import Sanction, Severity
from domains.credit.models import CreditRecord
from tests.conftest import GraphQL
from tests.graph.restriction.support import (
    ACTOR,
    OFFICE,
    PROMOTION,
    UNIT_RESTRICTIONS,
    add_person,
    add_record,
    add_unit,
)
from tests.support import id_number

FILTERED = """
query Filtered($uscc: String!, $filter: CreditRecordFilter) {
  unit(uscc: $uscc) { creditFile { records(filter: $filter) {
    totalCount edges { node { title validUntil } } } } }
}"""


async def correct(session: AsyncSession, record: CreditRecord, on: date, **patch: Any) -> None:
    await credit.correct_record(session, record.id, patch=credit.RecordPatch(**patch),
                                note="更正", actor=ACTOR, audience=OFFICE, today=on)


async def procurement_view(gql: GraphQL, uscc: str, as_of: str) -> tuple[str, list[Any]]:
    data = await gql.data("CREDIT_OFFICE", UNIT_RESTRICTIONS, {
        "uscc": uscc, "scenario": "GOVERNMENT_PROCUREMENT", "asOf": as_of})
    assessment = data["unit"]["restrictions"]
    return assessment["decision"], [(m["code"], m["until"]) for m in assessment["measures"]]


async def test_a_later_severity_correction_is_ignored_before_its_day(
        gql: GraphQL, session: AsyncSession) -> None:
    # given a GENERAL record decided 2026-03-01, corrected to SERIOUS on 2026-05-01
    unit = await add_unit(session, 1)
    record = await add_record(session, unit, "C")
    await correct(session, record, date(2026, 5, 1), severity=Severity.SERIOUS)
    await session.commit()
    assert (record.severity, record.valid_until) == ("SERIOUS", date(2029, 2, 28))
    # then the day before the correction sees the GENERAL record with its one-year validity
    assert await procurement_view(gql, unit.uscc, "2026-04-30") == ("REVIEW", [
        ("GOVERNMENT_PROCUREMENT.GENERAL.WRITTEN_EXPLANATION", "2027-02-28")])
    # and from the correction's day the SERIOUS one
    serious = ("REVIEW", [("GOVERNMENT_PROCUREMENT.SERIOUS.RESTRICT", "2029-02-28"),
                          ("GOVERNMENT_PROCUREMENT.SERIOUS.RECTIFICATION", "2029-02-28")])
    assert await procurement_view(gql, unit.uscc, "2026-05-01") == serious
    assert await procurement_view(gql, unit.uscc, "2026-06-15") == serious


async def test_corrections_are_undone_newest_first(gql: GraphQL, session: AsyncSession) -> None:
    # given a GENERAL record valid to 2026-05-31, extended on 04-01, then made SERIOUS on 05-01
    unit = await add_unit(session, 1)
    record = await add_record(session, unit, "C", valid_until=date(2026, 5, 31))
    await correct(session, record, date(2026, 4, 1), valid_until=date(2026, 12, 31))
    await correct(session, record, date(2026, 5, 1), severity=Severity.SERIOUS,
                  valid_until=date(2027, 6, 30))
    await session.commit()
    # then each day sees the content of that day
    general = "GOVERNMENT_PROCUREMENT.GENERAL.WRITTEN_EXPLANATION"
    assert await procurement_view(gql, unit.uscc, "2026-03-31") == (
        "REVIEW", [(general, "2026-05-31")])
    assert await procurement_view(gql, unit.uscc, "2026-04-30") == (
        "REVIEW", [(general, "2026-12-31")])
    assert (await procurement_view(gql, unit.uscc, "2026-05-01"))[1][0] == (
        "GOVERNMENT_PROCUREMENT.SERIOUS.RESTRICT", "2027-06-30")


async def test_a_later_extension_does_not_revive_a_record_that_had_ended(
        gql: GraphQL, session: AsyncSession) -> None:
    # given a GENERAL record decided 2026-01-01 valid through 2026-04-30, extended on 06-01
    unit = await add_unit(session, 1)
    record = await add_record(session, unit, "E", decided_on=date(2026, 1, 1),
                              valid_until=date(2026, 4, 30))
    await correct(session, record, date(2026, 6, 1), valid_until=date(2026, 12, 31))
    await session.commit()
    # then on 2026-05-15 it was no longer in force, for decisions and for inForceOn alike
    assert await procurement_view(gql, unit.uscc, "2026-05-15") == ("ALLOW", [])
    page = (await gql.data("CREDIT_OFFICE", FILTERED, {
        "uscc": unit.uscc, "filter": {"inForceOn": "2026-05-15"}}))["unit"]["creditFile"]
    assert page["records"] == {"totalCount": 0, "edges": []}
    # and from the extension on it is
    page = (await gql.data("CREDIT_OFFICE", FILTERED, {
        "uscc": unit.uscc, "filter": {"inForceOn": "2026-06-01"}}))["unit"]["creditFile"]
    assert page["records"]["edges"] == [{"node": {"title": "记录 E",
                                                  "validUntil": "2026-12-31"}}]


async def test_a_later_shortening_does_not_end_a_record_early(
        gql: GraphQL, session: AsyncSession) -> None:
    # given a GENERAL record valid through 2027-02-28, shortened to 2026-06-30 on 06-10
    unit = await add_unit(session, 1)
    record = await add_record(session, unit, "S")
    await correct(session, record, date(2026, 6, 10), valid_until=date(2026, 6, 30))
    await session.commit()
    # then before the correction it was in force on 2026-06-05 with its old end
    assert await procurement_view(gql, unit.uscc, "2026-06-05") == ("REVIEW", [
        ("GOVERNMENT_PROCUREMENT.GENERAL.WRITTEN_EXPLANATION", "2027-02-28")])
    page = (await gql.data("CREDIT_OFFICE", FILTERED, {
        "uscc": unit.uscc, "filter": {"inForceOn": "2026-06-05"}}))["unit"]["creditFile"]
    assert page["records"]["totalCount"] == 1


async def test_promotion_uses_the_sanction_as_it_stood_on_as_of(
        gql: GraphQL, session: AsyncSession) -> None:
    # given a WARNING decided 2026-01-10, corrected to DEMERIT on 2026-06-01
    unit = await add_unit(session, 1)
    person = await add_person(session, 1, unit)
    record = await add_record(session, person, "W", category="ADMINISTRATIVE_SANCTION",
                              sanction="WARNING", decided_on=date(2026, 1, 10))
    await correct(session, record, date(2026, 6, 1), sanction=Sanction.DEMERIT)
    await session.commit()

    async def blockers(as_of: str) -> list[Any]:
        data = await gql.data("PERSONNEL", PROMOTION, {"idNumber": id_number(1), "asOf": as_of})
        answer = data["civilServant"]["promotionEligibility"]
        return [answer["decision"], answer["eligibleFrom"],
                [(b["code"], b["until"]) for b in answer["blockers"]]]

    # then on 2026-05-31 the WARNING blocks for its 6 months
    assert await blockers("2026-05-31") == [
        "DENY", "2026-07-10", [("SANCTION_WARNING", "2026-07-09")]]
    # and from 2026-06-01 the DEMERIT for 12
    assert await blockers("2026-06-01") == [
        "DENY", "2027-01-10", [("SANCTION_DEMERIT", "2027-01-09")]]
