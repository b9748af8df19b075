"""Who sees what (DOMAIN.md section 3): each audience sees exactly the records in force today
that are PUBLIC or GOVERNMENT_SHARED with it; counts include hidden records."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domains.credit.models import CreditRecord
from tests.conftest import AUDIENCES, GraphQL
from tests.graph.credit.support import (
    add_event,
    add_objection,
    add_person,
    add_record,
    add_unit,
    at,
)
from tests.support import id_number, unit_code

FILE = """
query File($uscc: String!) {
  unit(uscc: $uscc) { creditFile {
    activeDishonestCount trustworthyCount
    records { totalCount edges { node { sourceRef } } }
  } }
}"""
ONE = """
query One($ref: String!) { creditRecord(sourceSystem: "TEST", sourceRef: $ref) { sourceRef } }"""

# ref -> the audiences that see it besides CREDIT_OFFICE
SEEN_BY = {
    "PUBLIC": set(AUDIENCES),
    "SHARED_PROCUREMENT": {"PROCUREMENT"},
    "SHARED_PERSONNEL_SUPERVISION": {"PERSONNEL", "SUPERVISION"},
    "SHARED_NOBODY": set(),
    "AUTHORIZED": set(),
    "EXPIRED": set(),
    "LAST_DAY": set(AUDIENCES),
    "REVOKED": set(),
    "REPAIRED": set(),
    "EXEMPTED": set(),
    "UNDER_OBJECTION": set(AUDIENCES),
    "COMMENDATION": set(AUDIENCES),
    "COMMENDATION_AUTHORIZED": set(),
}


async def given_a_file(session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    day = iter(range(1, 31))

    async def record(ref: str, **fields: object) -> CreditRecord:
        return await add_record(session, unit, ref, decided_on=date(2026, 4, next(day)), **fields)

    await record("PUBLIC")
    await record("SHARED_PROCUREMENT", disclosure="GOVERNMENT_SHARED", share_scope=["PROCUREMENT"])
    await record("SHARED_PERSONNEL_SUPERVISION", disclosure="GOVERNMENT_SHARED",
           share_scope=["SUPERVISION", "PERSONNEL"])
    await record("SHARED_NOBODY", disclosure="GOVERNMENT_SHARED", share_scope=[])
    await record("AUTHORIZED", disclosure="AUTHORIZED_QUERY")
    await record("EXPIRED", severity="MINOR", valid_until=date(2026, 6, 14))
    await record("LAST_DAY", severity="MINOR", valid_until=date(2026, 6, 15))
    for ref in ("REVOKED", "REPAIRED", "EXEMPTED"):
        add_event(session, await record(ref), ref, at(date(2026, 6, 1)), ref)
    add_objection(session, await record("UNDER_OBJECTION"), date(2026, 6, 2), date(2026, 6, 11))
    await record("COMMENDATION", nature="TRUSTWORTHY", category="COMMENDATION", severity=None,
           valid_until=date(2029, 3, 31))
    await record("COMMENDATION_AUTHORIZED", nature="TRUSTWORTHY", category="COMMENDATION",
           severity=None, disclosure="AUTHORIZED_QUERY", valid_until=date(2029, 3, 31))
    await record("COMMENDATION_EXPIRED", nature="TRUSTWORTHY", category="COMMENDATION",
           severity=None, valid_until=date(2026, 6, 1))
    await session.commit()


def expected_refs(audience: str) -> list[str]:
    refs = [ref for ref, seen in SEEN_BY.items() if audience in seen]
    if audience == "CREDIT_OFFICE":
        refs = [*SEEN_BY, "COMMENDATION_EXPIRED"]
    return list(reversed(refs))  # decided one day apart in this order: newest first


@pytest.mark.parametrize("audience", AUDIENCES)
async def test_each_audience_sees_its_records_and_every_count(
        gql: GraphQL, session: AsyncSession, audience: str) -> None:
    await given_a_file(session)
    data = await gql.data(audience, FILE, {"uscc": unit_code(1)})
    refs = expected_refs(audience)
    # counts: PUBLIC, both SHARED, SHARED_NOBODY, AUTHORIZED, LAST_DAY, UNDER_OBJECTION
    assert data == {"unit": {"creditFile": {
        "activeDishonestCount": 7, "trustworthyCount": 2,
        "records": {"totalCount": len(refs),
                    "edges": [{"node": {"sourceRef": ref}} for ref in refs]}}}}


@pytest.mark.parametrize("audience", AUDIENCES)
async def test_each_audience_reads_one_record_only_while_visible(
        gql: GraphQL, session: AsyncSession, audience: str) -> None:
    await given_a_file(session)
    for ref, seen in SEEN_BY.items():
        data = await gql.data(audience, ONE, {"ref": ref})
        visible = audience in seen or audience == "CREDIT_OFFICE"
        assert data == {"creditRecord": {"sourceRef": ref} if visible else None}, ref


async def test_a_person_file_under_investigation_is_not_counted(gql: GraphQL,
                                                               session: AsyncSession) -> None:
    # given a person with a sanction record and an open investigation (AUTHORIZED_QUERY)
    unit = await add_unit(session, 1)
    person = await add_person(session, 3, unit)
    await add_record(session, person, "SANCTION", category="ADMINISTRATIVE_SANCTION",
               sanction="DEMERIT", disclosure="GOVERNMENT_SHARED",
               share_scope=["PERSONNEL", "SUPERVISION", "CREDIT_OFFICE"])
    await add_record(session, person, "INVESTIGATION", category="OTHER_ACCOUNTABILITY",
               sanction="UNDER_INVESTIGATION", valid_until=None,
               disclosure="AUTHORIZED_QUERY", decided_on=date(2026, 5, 1))
    await session.commit()
    query = """query P($n: String!) { civilServant(idNumber: $n) { creditFile {
      activeDishonestCount records { edges { node { sourceRef } } } } } }"""
    personnel = await gql.data("PERSONNEL", query, {"n": id_number(3)})
    office = await gql.data("CREDIT_OFFICE", query, {"n": id_number(3)})
    assert personnel == {"civilServant": {"creditFile": {
        "activeDishonestCount": 1, "records": {"edges": [{"node": {"sourceRef": "SANCTION"}}]}}}}
    assert office["civilServant"]["creditFile"]["records"]["edges"] == [
        {"node": {"sourceRef": "INVESTIGATION"}}, {"node": {"sourceRef": "SANCTION"}}]
    # a procurement client has no view on a person's shared records
    procurement = await gql.data("PROCUREMENT", query, {"n": id_number(3)})
    assert procurement == {"civilServant": {"creditFile": {
        "activeDishonestCount": 1, "records": {"edges": []}}}}
