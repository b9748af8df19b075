"""reportCreditRecords with investmentProjectCode (DOMAIN.md section 2): the record links to
the project; an unknown project is NOT_FOUND, another domain INVALID_VALUE, and clients may not
report under the reserved sourceSystem `investment`."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import GraphQL
from tests.graph.investment.support import (
    BUILDER,
    CODE,
    errors_of,
    given_departments,
    given_project,
    rows,
)

REPORT = """
mutation Report($records: [CreditRecordInput!]!) {
  reportCreditRecords(records: $records) { accepted ids errors { index field code message } }
}"""
LINKED = """query($id: ID!) { node(id: $id) { ... on CreditRecord { investmentProject {
  code supervisingDepartment { name } } } } }"""


def record(**changes: Any) -> dict[str, Any]:
    return {"subject": {"uscc": BUILDER}, "nature": "DISHONEST",
            "category": "ADMINISTRATIVE_PENALTY", "severity": "GENERAL", "domain": "INVESTMENT",
            "title": "擅自变更建设内容", "decidedOn": "2026-03-01", "disclosure": "PUBLIC",
            "sourceSystem": "xiangmu", "sourceRef": "XM-1",
            "investmentProjectCode": f" {CODE.lower()} ", **changes}


async def test_a_reported_record_links_to_its_project(gql: GraphQL) -> None:
    await given_departments(gql)
    await given_project(gql)
    payload = (await gql.data("PROJECT_APPROVAL", REPORT, {"records": [record()]}))[
        "reportCreditRecords"]
    assert payload["errors"] == []
    linked = await gql.data("PROCUREMENT", LINKED, {"id": payload["ids"][0]})
    assert linked["node"]["investmentProject"] == {
        "code": CODE, "supervisingDepartment": {"name": "金山区水务局"}}


@pytest.mark.parametrize(("changes", "expected"), [
    ({"investmentProjectCode": "2026-310116-48-01-999999"},
     [("investmentProjectCode", "NOT_FOUND")]),
    ({"domain": "PROCUREMENT"}, [("investmentProjectCode", "INVALID_VALUE")]),
    ({"sourceSystem": "Investment"}, [("sourceSystem", "INVALID_VALUE")]),
])
async def test_bad_links_write_nothing(gql: GraphQL, session: AsyncSession,
                                       changes: dict[str, Any],
                                       expected: list[tuple[str, str]]) -> None:
    await given_departments(gql)
    await given_project(gql)
    before = await rows(session)
    payload = (await gql.data("CREDIT_OFFICE", REPORT, {"records": [record(**changes)]}))[
        "reportCreditRecords"]
    assert errors_of(payload) == [(0, field, code) for field, code in expected]
    assert await rows(session) == before
