"""Promotion eligibility and sanctionEndsOn through HTTP (DOMAIN.md sections 3 and 5)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domains.access.models import AuditEntry
from tests.conftest import GraphQL
from tests.graph.restriction.support import (
    PERSON_RESTRICTIONS,
    PROMOTION,
    SANCTION_ENDS,
    add_person,
    add_record,
    add_unit,
    change,
    gid,
)
from tests.support import id_number

# ---------------------------------------------------------------- promotion


async def test_promotion_chains_demotions_and_agrees_with_restrictions(
        gql: GraphQL, session: AsyncSession) -> None:
    # given the chaining vector of DOMAIN.md section 5, GENERAL records valid one year
    unit = await add_unit(session, 1)
    person = await add_person(session, 1, unit)
    chain = [await add_record(session, person, f"D{m}", category="ADMINISTRATIVE_SANCTION",
                        sanction="DEMOTION", decided_on=date(2026, m, 1),
                        severity="SERIOUS") for m in (1, 2, 3)]
    await session.commit()
    data = await gql.data("PERSONNEL", PROMOTION, {"idNumber": id_number(1)})
    ids = [gid("CreditRecord", r) for r in chain]
    assert data["civilServant"]["promotionEligibility"] == {
        "asOf": "2026-06-15", "decision": "DENY", "eligibleFrom": "2030-03-01",
        "blockers": [{"code": "SANCTION_DEMOTION", "until": until, "basis": [{"id": i}]}
                     for until, i in zip(["2027-12-31", "2029-12-31", "2030-02-28"], ids,
                                         strict=True)],
        "cautions": [], "incentives": []}
    restricted = await gql.data("PERSONNEL", PERSON_RESTRICTIONS, {
        "idNumber": id_number(1), "scenario": "PROMOTION"})
    assessment = restricted["civilServant"]["restrictions"]
    assert assessment["decision"] == "DENY"
    assert [(m["code"], m["effect"], m["until"]) for m in assessment["measures"]] == [
        ("PROMOTION.SANCTION_DEMOTION", "PROHIBIT", u)
        for u in ("2027-12-31", "2029-12-31", "2030-02-28")]
    # and each record tells the last day its sanction blocks
    ends = [(await gql.data("CREDIT_OFFICE", SANCTION_ENDS, {"ref": f"D{m}"}))
            ["creditRecord"]["sanctionEndsOn"] for m in (1, 2, 3)]
    assert ends == ["2027-12-31", "2029-12-31", "2030-02-28"]


@pytest.mark.parametrize(("day", "decision"), [
    ("2026-02-27", "DENY"), ("2026-02-28", "ALLOW_WITH_PRIORITY")])
async def test_promotion_boundary_and_incentive(gql: GraphQL, session: AsyncSession, day: str,
                                                decision: str) -> None:
    # given a WARNING decided 2025-08-31 (blocks through 2026-02-27), exempted since January,
    # and a commendation in force
    unit = await add_unit(session, 1)
    person = await add_person(session, 1, unit)
    warning = await add_record(session, person, "W", category="ADMINISTRATIVE_SANCTION",
                         sanction="WARNING", decided_on=date(2025, 8, 31),
                         valid_until=date(2026, 8, 30))
    await change(session, warning, "exempt", date(2026, 1, 5))
    await add_record(session, person, "C", nature="TRUSTWORTHY", category="COMMENDATION",
               severity=None, decided_on=date(2026, 1, 1), valid_until=date(2028, 12, 31))
    await session.commit()
    # when supervision asks on the last blocked day and the day after
    data = await gql.data("SUPERVISION", PROMOTION, {"idNumber": id_number(1), "asOf": day})
    # then the exempted warning blocks through its last day, then the incentive shows
    result = data["civilServant"]["promotionEligibility"]
    assert (result["decision"], result["eligibleFrom"]) == (decision, "2026-02-28")
    assert [f["code"] for f in result["blockers"] + result["incentives"]] == (
        ["SANCTION_WARNING"] if decision == "DENY" else ["TRUSTWORTHY_RECORD"])


async def test_promotion_is_forbidden_outside_personnel_readers(
        gql: GraphQL, session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    await add_person(session, 1, unit)
    await session.commit()
    for audience in ("PROCUREMENT", "PROJECT_APPROVAL"):
        body = await gql(audience, PROMOTION, {"idNumber": id_number(1)})
        assert body["data"] == {"civilServant": None}
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    for audience in ("PERSONNEL", "SUPERVISION", "CREDIT_OFFICE"):
        data = await gql.data(audience, PROMOTION, {"idNumber": id_number(1)})
        assert data["civilServant"]["promotionEligibility"]["decision"] == "ALLOW"
    rows = (await session.scalars(select(AuditEntry.client_name))).all()
    assert sorted(rows) == ["credit_office", "personnel", "supervision"]


async def test_under_investigation_blocks_open_ended_and_counts_nowhere_else(
        gql: GraphQL, session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    person = await add_person(session, 1, unit)
    await add_record(session, person, "I", category="OTHER_ACCOUNTABILITY",
               sanction="UNDER_INVESTIGATION", disclosure="AUTHORIZED_QUERY",
               valid_until=None)
    await session.commit()
    data = await gql.data("PERSONNEL", PROMOTION, {"idNumber": id_number(1)})
    result = data["civilServant"]["promotionEligibility"]
    assert (result["decision"], result["eligibleFrom"], [b["code"] for b in result["blockers"]]
            ) == ("DENY", None, ["SANCTION_UNDER_INVESTIGATION"])
    hiring = await gql.data("PERSONNEL", PERSON_RESTRICTIONS, {
        "idNumber": id_number(1), "scenario": "HIRING"})
    assert hiring["civilServant"]["restrictions"]["decision"] == "ALLOW"
