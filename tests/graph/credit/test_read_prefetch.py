"""A page of records loads the relations its selection asks for once for the page (look-ahead):
the same answer as a record read alone, no statement more, none for a skipped relation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

import graph.credit.types as record_types
from tests.conftest import GraphQL
from tests.graph.credit.support import add_objection, add_record, add_unit

FIELDS = "title status decidedBy { name } history { kind at actor } objections { dueOn }"
PAGE = """
query Page($uscc: String!) { unit(uscc: $uscc) { creditFile { records { edges {
  node { ...Record } again: node { title } } } } } }
fragment Record on CreditRecord { id ... on CreditRecord { FIELDS } }""".replace(
    "FIELDS", FIELDS)
ALONE = """
query Alone($ref: String!) { creditRecord(sourceSystem: "TEST", sourceRef: $ref) { id FIELDS } }
""".replace("FIELDS", FIELDS)
SKIPPED = """
query Skipped($uscc: String!, $skip: Boolean!) { unit(uscc: $uscc) { creditFile { records {
  edges { node { title history @skip(if: $skip) { kind } } } } } } }"""


async def given_records(session: AsyncSession) -> str:
    """A unit with three records decided by another unit, the last under objection."""
    unit = await add_unit(session, 1)
    decider = await add_unit(session, 2, "金山区市场监督管理局")
    for k in range(3):
        record = await add_record(session, unit, f"R-{k}", decided_by_id=decider.id,
                                  decided_on=date(2026, 3, 1 + k))
    add_objection(session, record, date(2026, 3, 10), date(2026, 3, 19))
    await session.commit()
    return unit.uscc


async def test_a_page_answers_as_each_record_read_alone(
        gql: GraphQL, session: AsyncSession) -> None:
    # given three records
    uscc = await given_records(session)
    # when the page is read through a fragment, and each record alone
    page = await gql.data("CREDIT_OFFICE", PAGE, {"uscc": uscc})
    edges = page["unit"]["creditFile"]["records"]["edges"]
    alone = [(await gql.data("CREDIT_OFFICE", ALONE, {"ref": f"R-{k}"}))["creditRecord"]
             for k in (2, 1, 0)]
    # then the page shows what each record shows alone, newest first
    assert [e["node"] for e in edges] == alone
    assert [e["again"]["title"] for e in edges] == ["记录 R-2", "记录 R-1", "记录 R-0"]
    assert alone[0]["objections"] == [{"dueOn": "2026-03-19"}]
    assert [h["kind"] for h in alone[0]["history"]][:2] == ["REPORTED", "NOTIFIED"]


async def test_a_page_never_asks_the_per_record_path(
        gql: GraphQL, session: AsyncSession, monkeypatch: pytest.MonkeyPatch) -> None:
    # given three records, and the per-record loader path out of service
    uscc = await given_records(session)

    async def refused(*_: Any) -> Any:
        raise AssertionError("a prefetched relation went through its per-record loader")

    for name in ("record_history", "record_objections", "unit_by_id"):
        monkeypatch.setattr(record_types, name, refused)
    # when the page is read, then its relations come from the look-ahead
    page = await gql.data("CREDIT_OFFICE", PAGE, {"uscc": uscc})
    assert len(page["unit"]["creditFile"]["records"]["edges"]) == 3
    # while a record read alone still takes its loaders (the fallback)
    body = await gql("CREDIT_OFFICE", ALONE, {"ref": "R-0"})
    assert body["data"] == {"creditRecord": None}
    assert body["errors"]


async def test_a_skipped_relation_costs_no_statement(
        gql: GraphQL, session: AsyncSession, count_statements: Any) -> None:
    # given three records
    uscc = await given_records(session)
    # when the page is read with the history skipped, and with it
    with count_statements() as skipped:
        data = await gql.data("CREDIT_OFFICE", SKIPPED, {"uscc": uscc, "skip": True})
    with count_statements() as shown:
        shown_data = await gql.data("CREDIT_OFFICE", SKIPPED, {"uscc": uscc, "skip": False})
    # then the history costs one statement for the page, and none when skipped
    assert all("history" not in e["node"] for e in data["unit"]["creditFile"]["records"]["edges"])
    assert all(len(e["node"]["history"]) >= 2
               for e in shown_data["unit"]["creditFile"]["records"]["edges"])
    assert shown.count == skipped.count + 1
