"""Record lists (DOMAIN.md section 0): Relay paging over a credit file and creditRecords, the
filter (with replay for inForceOn), and SubjectKey errors."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domains.subject.models import Unit
from tests.conftest import GraphQL
from tests.graph.credit.support import add_event, add_person, add_record, add_unit, at
from tests.support import id_number, unit_code

PAGE = """
query Page($uscc: String!, $first: Int, $after: String, $filter: CreditRecordFilter) {
  unit(uscc: $uscc) { creditFile { records(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { sourceRef } }
  } } }
}"""
ACROSS = """
query Across($first: Int, $after: String, $filter: CreditRecordFilter, $subject: SubjectKey) {
  creditRecords(first: $first, after: $after, filter: $filter, subject: $subject) {
    totalCount pageInfo { hasNextPage hasPreviousPage } edges { node { sourceRef } }
  }
}"""


async def records_page(gql: GraphQL, audience: str = "CREDIT_OFFICE",
                       **variables: Any) -> dict[str, Any]:
    data = await gql.data(audience, PAGE, {"uscc": unit_code(1), **variables})
    page: dict[str, Any] = data["unit"]["creditFile"]["records"]
    return page


def refs(page: dict[str, Any]) -> list[str]:
    return [edge["node"]["sourceRef"] for edge in page["edges"]]


async def given_records(session: AsyncSession, count: int) -> Unit:
    """`count` records R00.. decided on consecutive days: R00 is the oldest."""
    unit = await add_unit(session, 1)
    for n in range(count):
        await add_record(session, unit, f"R{n:02d}", decided_on=date(2026, 1, 1 + n))
    await session.commit()
    return unit


async def test_an_empty_file(gql: GraphQL, session: AsyncSession) -> None:
    await given_records(session, 0)
    assert await records_page(gql) == {"totalCount": 0, "edges": [], "pageInfo": {
        "hasNextPage": False, "hasPreviousPage": False, "startCursor": None,
        "endCursor": None}}


async def test_one_record(gql: GraphQL, session: AsyncSession) -> None:
    await given_records(session, 1)
    page = await records_page(gql)
    assert refs(page) == ["R00"] and page["totalCount"] == 1
    assert page["pageInfo"]["hasNextPage"] is False
    assert page["pageInfo"]["hasPreviousPage"] is False


async def test_many_records_page_by_page(gql: GraphQL, session: AsyncSession) -> None:
    # given 5 records; when read 2 at a time
    await given_records(session, 5)
    first = await records_page(gql, first=2)
    second = await records_page(gql, first=2, after=first["pageInfo"]["endCursor"])
    last = await records_page(gql, first=2, after=second["pageInfo"]["endCursor"])
    # then newest first, totalCount ignores paging, hasPreviousPage only after a cursor
    assert [refs(p) for p in (first, second, last)] == [["R04", "R03"], ["R02", "R01"], ["R00"]]
    assert {p["totalCount"] for p in (first, second, last)} == {5}
    assert [(p["pageInfo"]["hasNextPage"], p["pageInfo"]["hasPreviousPage"])
            for p in (first, second, last)] == [(True, False), (True, True), (False, True)]
    assert second["edges"][0]["cursor"] == second["pageInfo"]["startCursor"]
    # after the first cursor, one item precedes it
    again = await records_page(gql, first=1, after=first["edges"][0]["cursor"])
    assert refs(again) == ["R03"] and again["pageInfo"]["hasPreviousPage"] is True


CURSORS = """
query Cursors($uscc: String!, $with: Boolean!) {
  unit(uscc: $uscc) { creditFile {
    plain: records(first: 2) { pageInfo { endCursor } edges { node { sourceRef } } }
    included: records(first: 2) { edges { cursor @include(if: $with) } }
    spread: records(first: 2) { edges { ...EdgeCursor } }
  } }
}
fragment EdgeCursor on CreditRecordEdge { at: cursor }"""


async def test_edge_cursors_are_encoded_whenever_they_may_be_asked(
        gql: GraphQL, session: AsyncSession) -> None:
    # given 3 records, and the cursors a page selecting them answers
    await given_records(session, 3)
    cursors = [e["cursor"] for e in (await records_page(gql, first=2))["edges"]]
    # when pages ask for them under @include, through a fragment and an alias, or not at all
    data = await gql.data("CREDIT_OFFICE", CURSORS, {"uscc": unit_code(1), "with": True})
    file = data["unit"]["creditFile"]
    # then each answers the same cursors (a page that cannot ask for them encodes none)
    assert [e["cursor"] for e in file["included"]["edges"]] == cursors
    assert [e["at"] for e in file["spread"]["edges"]] == cursors
    assert file["plain"]["pageInfo"]["endCursor"] == cursors[-1]
    assert [e["node"]["sourceRef"] for e in file["plain"]["edges"]] == ["R02", "R01"]
    skipped = await gql.data("CREDIT_OFFICE", CURSORS, {"uscc": unit_code(1), "with": False})
    assert skipped["unit"]["creditFile"]["included"]["edges"] == [{}, {}]


async def test_same_day_records_are_ordered_by_id_desc(gql: GraphQL,
                                                       session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    made = [await add_record(session, unit, f"S{n}") for n in range(3)]
    await session.commit()
    expected = [r.source_ref for r in sorted(made, key=lambda r: r.id, reverse=True)]
    assert refs(await records_page(gql)) == expected


@pytest.mark.parametrize("first", [0, 101, -1])
async def test_first_out_of_range_is_an_error(gql: GraphQL, session: AsyncSession,
                                              first: int) -> None:
    await given_records(session, 1)
    body = await gql("CREDIT_OFFICE", PAGE, {"uscc": unit_code(1), "first": first})
    assert body["data"] == {"unit": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID_VALUE"]
    across = await gql("CREDIT_OFFICE", ACROSS, {"first": first})
    assert [e["extensions"]["code"] for e in across["errors"]] == ["INVALID_VALUE"]


async def test_first_100_is_allowed(gql: GraphQL, session: AsyncSession) -> None:
    await given_records(session, 3)
    assert len(refs(await records_page(gql, first=100))) == 3


async def given_a_varied_file(session: AsyncSession) -> None:
    unit = await add_unit(session, 1)
    await add_record(session, unit, "PENALTY", domain="PROCUREMENT", decided_on=date(2026, 1, 5))
    await add_record(session, unit, "JUDGMENT", category="JUDICIAL_JUDGMENT",
                     severity="SERIOUS", valid_until=date(2028, 1, 5),
                     decided_on=date(2026, 1, 6))
    await add_record(session, unit, "OLD", severity="MINOR", valid_until=date(2026, 4, 30),
                     decided_on=date(2026, 2, 1), domain="PPP")
    revoked = await add_record(session, unit, "REVOKED", decided_on=date(2026, 1, 10))
    add_event(session, revoked, "REVOKED", at(date(2026, 5, 1)), "REVOKED")
    await add_record(session, unit, "PRAISE", nature="TRUSTWORTHY", category="COMMENDATION",
                     severity=None, valid_until=date(2029, 1, 1), decided_on=date(2026, 1, 1))
    await session.commit()


FILTERS = [
    ({"nature": "TRUSTWORTHY"}, ["PRAISE"]),
    ({"nature": "DISHONEST"}, ["OLD", "REVOKED", "JUDGMENT", "PENALTY"]),
    ({"categories": ["JUDICIAL_JUDGMENT", "COMMENDATION"]}, ["JUDGMENT", "PRAISE"]),
    ({"categories": []}, []),
    ({"domains": ["PROCUREMENT", "PPP"]}, ["OLD", "PENALTY"]),
    ({"statuses": ["EXPIRED"]}, ["OLD"]),
    ({"statuses": ["ACTIVE"]}, ["JUDGMENT", "PENALTY", "PRAISE"]),
    ({"statuses": ["REVOKED", "EXPIRED"]}, ["OLD", "REVOKED"]),
    # replay: the revocation of 2026-05-01 had not happened on 2026-04-15
    ({"inForceOn": "2026-04-15"}, ["OLD", "REVOKED", "JUDGMENT", "PENALTY", "PRAISE"]),
    ({"inForceOn": "2026-04-30"}, ["OLD", "REVOKED", "JUDGMENT", "PENALTY", "PRAISE"]),
    ({"inForceOn": "2026-05-01"}, ["JUDGMENT", "PENALTY", "PRAISE"]),
    # a record decided after inForceOn does not exist for it
    ({"inForceOn": "2026-01-05"}, ["PENALTY", "PRAISE"]),
    ({"inForceOn": "2026-04-15", "nature": "DISHONEST", "domains": ["OTHER"]},
     ["REVOKED", "JUDGMENT"]),
]


@pytest.mark.parametrize(("record_filter", "expected"), FILTERS)
async def test_filters(gql: GraphQL, session: AsyncSession, record_filter: dict[str, Any],
                       expected: list[str]) -> None:
    await given_a_varied_file(session)
    page = await records_page(gql, filter=record_filter)
    assert refs(page) == expected and page["totalCount"] == len(expected)


async def test_filtered_hidden_records_stay_hidden(gql: GraphQL, session: AsyncSession) -> None:
    await given_a_varied_file(session)
    # the procurement client sees only what is in force today, whatever inForceOn says
    page = await records_page(gql, "PROCUREMENT", filter={"inForceOn": "2026-04-15"})
    assert refs(page) == ["JUDGMENT", "PENALTY", "PRAISE"]


async def test_records_across_subjects(gql: GraphQL, session: AsyncSession) -> None:
    # given two units and a person with records
    first = await add_unit(session, 1)
    second = await add_unit(session, 2)
    person = await add_person(session, 5, first)
    await add_record(session, first, "A", decided_on=date(2026, 1, 1))
    await add_record(session, second, "B", decided_on=date(2026, 1, 2))
    await add_record(session, person, "C", decided_on=date(2026, 1, 3),
                     category="ADMINISTRATIVE_SANCTION", disclosure="GOVERNMENT_SHARED",
                     share_scope=["PERSONNEL"])
    await session.commit()
    everyone = await gql.data("CREDIT_OFFICE", ACROSS, {"first": 2})
    assert everyone["creditRecords"] == {
        "totalCount": 3, "pageInfo": {"hasNextPage": True, "hasPreviousPage": False},
        "edges": [{"node": {"sourceRef": "C"}}, {"node": {"sourceRef": "B"}}]}
    procurement = await gql.data("PROCUREMENT", ACROSS)
    assert [e["node"]["sourceRef"] for e in procurement["creditRecords"]["edges"]] == ["B", "A"]
    by_unit = await gql.data("CREDIT_OFFICE", ACROSS, {"subject": {"uscc": f" {unit_code(2)} "}})
    assert [e["node"]["sourceRef"] for e in by_unit["creditRecords"]["edges"]] == ["B"]
    by_person = await gql.data("PERSONNEL", ACROSS, {"subject": {"idNumber": id_number(5)}})
    assert [e["node"]["sourceRef"] for e in by_person["creditRecords"]["edges"]] == ["C"]
    unknown = await gql.data("CREDIT_OFFICE", ACROSS, {"subject": {"uscc": unit_code(9)}})
    assert unknown["creditRecords"]["totalCount"] == 0


@pytest.mark.parametrize(("subject", "code"), [
    ({"uscc": "91310116MA1FL0XXXX"}, "INVALID_USCC"),
    ({"idNumber": "310116198503150000"}, "INVALID_ID_NUMBER"),
    ({}, "INVALID_VALUE"),
    ({"uscc": unit_code(1), "idNumber": id_number(1)}, "INVALID_VALUE"),
])
async def test_malformed_subject_keys(gql: GraphQL, subject: dict[str, str], code: str) -> None:
    body = await gql("CREDIT_OFFICE", ACROSS, {"subject": subject})
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
