"""recordInvestmentApprovals (DOMAIN.md sections 8 and 9): order, updates while unapproved,
CONFLICT once approved, dates, and the estimate overrun as read back."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import GraphQL
from tests.graph.investment.support import (
    APPROVALS,
    CODE,
    PROJECT,
    approval,
    approvals_recorded,
    errors_of,
    given_departments,
    given_project,
    rows,
)

FS, PD, PP = "FEASIBILITY_STUDY", "PRELIMINARY_DESIGN", "PROJECT_PROPOSAL"


@pytest.fixture
async def given(gql: GraphQL) -> str:
    await given_departments(gql)
    return await given_project(gql)


async def overrun(gql: GraphQL) -> tuple[Any, Any]:
    project = (await gql.data("PERSONNEL", PROJECT, {"code": CODE}))["investmentProject"]
    return project["estimateOverrun"], project["requiresReapproval"]


async def test_the_procedure_in_one_batch_in_any_row_order(gql: GraphQL, given: str) -> None:
    payload = await approvals_recorded(
        gql, approval(PD, "2026-04-01", "2026-04-20", "1100000.00",
                      approvalNumber="金发改投〔2026〕3号"),
        approval(FS, "2026-02-01", "2026-03-01", "1000000.00"),
        approval(PP, "2026-01-05", "2026-01-20"))
    assert payload == {"accepted": 3, "ids": [given] * 3, "errors": []}
    project = (await gql.data("PROCUREMENT", PROJECT, {"code": CODE}))["investmentProject"]
    assert project["approvals"] == [
        {"document": PP, "submittedOn": "2026-01-05", "approvedOn": "2026-01-20",
         "approvalNumber": None, "estimatedTotal": None},
        {"document": FS, "submittedOn": "2026-02-01", "approvedOn": "2026-03-01",
         "approvalNumber": None, "estimatedTotal": "1000000.00"},
        {"document": PD, "submittedOn": "2026-04-01", "approvedOn": "2026-04-20",
         "approvalNumber": "金发改投〔2026〕3号", "estimatedTotal": "1100000.00"}]
    assert (project["estimateOverrun"], project["requiresReapproval"]) == (0.1, False)


@pytest.mark.parametrize(("design", "expected"), [
    ("1100000.00", (0.1, False)),          # exactly 10%
    ("1100000.01", (0.1, True)),           # one cent above the line
    ("1250000.00", (0.25, True)),
])
async def test_the_ten_percent_line_is_exact(gql: GraphQL, given: str, design: str,
                                             expected: tuple[float, bool]) -> None:
    await approvals_recorded(gql, approval(FS, "2026-02-01", "2026-03-01", "1000000.00"),
                             approval(PD, "2026-04-01", None, design))
    assert await overrun(gql) == expected


async def test_a_pending_approval_is_updated_then_frozen_once_approved(
        gql: GraphQL, session: AsyncSession, given: str) -> None:
    await approvals_recorded(gql, approval(FS, "2026-02-01", None, "900000.00"))
    assert await overrun(gql) == (None, False)  # no approved study yet
    updated = await approvals_recorded(gql, approval(FS, "2026-02-01", "2026-03-01",
                                                     "1000000.00"))
    assert updated["errors"] == []
    same = await approvals_recorded(gql, approval(FS, "2026-02-01", "2026-03-01", "1000000.00"))
    assert same == {"accepted": 1, "ids": [given], "errors": []}
    before = await rows(session)
    changed = await approvals_recorded(gql, approval(FS, "2026-02-01", "2026-03-02",
                                                     "1000000.00"))
    assert errors_of(changed) == [(0, "submittedOn", "CONFLICT")]
    assert await rows(session) == before
    project = (await gql.data("PROCUREMENT", PROJECT, {"code": CODE}))["investmentProject"]
    assert [a["approvedOn"] for a in project["approvals"]] == ["2026-03-01"]


@pytest.mark.parametrize(("stored", "batch", "expected"), [
    # a design approved while no study is approved
    ([], [approval(PD, "2026-04-01", "2026-04-02")], [(0, "approvedOn", "APPROVAL_OUT_OF_ORDER")]),
    # a design approved before the study's approval, in the same batch
    ([], [approval(FS, "2026-02-01", "2026-03-05"), approval(PD, "2026-02-01", "2026-03-04")],
     [(1, "approvedOn", "APPROVAL_OUT_OF_ORDER")]),
    # a study approved before the stored proposal's approval
    ([approval(PP, "2026-01-01", "2026-02-10")], [approval(FS, "2026-01-15", "2026-02-01")],
     [(0, "approvedOn", "APPROVAL_OUT_OF_ORDER")]),
    # a proposal approved after the stored study: the proposal row is out of order
    ([approval(FS, "2026-01-15", "2026-02-01")], [approval(PP, "2026-01-01", "2026-02-10")],
     [(0, "approvedOn", "APPROVAL_OUT_OF_ORDER")]),
])
async def test_out_of_order_writes_nothing(gql: GraphQL, session: AsyncSession, given: str,
                                           stored: list[dict[str, Any]],
                                           batch: list[dict[str, Any]],
                                           expected: list[tuple[int, str, str]]) -> None:
    if stored:
        assert (await approvals_recorded(gql, *stored))["errors"] == []
    before = await rows(session)
    payload = await approvals_recorded(gql, *batch)
    assert errors_of(payload) == expected
    assert (payload["accepted"], payload["ids"]) == (0, [])
    assert await rows(session) == before


async def test_same_day_and_no_proposal_are_in_order(gql: GraphQL, given: str) -> None:
    payload = await approvals_recorded(gql, approval(FS, "2026-02-01", "2026-03-01"),
                                       approval(PD, "2026-03-01", "2026-03-01"))
    assert payload["errors"] == []


async def test_bad_values_write_nothing(gql: GraphQL, session: AsyncSession, given: str) -> None:
    before = await rows(session)
    payload = await approvals_recorded(
        gql, approval(FS, "2026-03-02", "2026-03-01"),                  # approved before submitted
        approval(FS, "2026-06-16"),                                    # submitted tomorrow
        approval(PP, "2026-01-01", "2026-06-16"),                      # approved tomorrow
        approval(PP, "2026-01-02", estimate="0.00"),                   # estimate not above 0
        approval(PP, "2026-01-03", code="2026-310116-48-01-999999"),   # unknown project
        approval(PP, "2026-01-04", approvalNumber="号" * 200),          # number of full width
        approval(PP, "2026-01-05"), approval(PP, "2026-01-05", estimate="1.00"))  # repeated key
    assert errors_of(payload) == [
        (0, "approvedOn", "INVALID_VALUE"), (1, "submittedOn", "INVALID_VALUE"),
        (2, "approvedOn", "INVALID_VALUE"), (3, "estimatedTotal", "INVALID_VALUE"),
        (4, "projectCode", "NOT_FOUND"), (7, "submittedOn", "CONFLICT")]
    assert await rows(session) == before


async def test_a_text_longer_than_its_column_is_refused_alone(
        gql: GraphQL, session: AsyncSession, given: str) -> None:
    # the input guard answers bad texts before any other check (graph/input_guard.py)
    before = await rows(session)
    payload = await approvals_recorded(
        gql, approval(FS, "2026-03-02", "2026-03-01"),
        approval(PP, "2026-01-04", approvalNumber="号" * 201))
    assert errors_of(payload) == [(1, "approvalNumber", "INVALID_VALUE")]
    assert await rows(session) == before


async def test_a_float_estimate_is_a_graphql_error(gql: GraphQL, given: str) -> None:
    body = await gql("PROJECT_APPROVAL", APPROVALS, {"approvals": [
        approval(FS, "2026-02-01", estimate=1000000.5)]})  # type: ignore[arg-type]
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.parametrize("audience", ["PROCUREMENT", "PERSONNEL", "SUPERVISION"])
async def test_other_audiences_may_not_record_approvals(gql: GraphQL, session: AsyncSession,
                                                        given: str, audience: str) -> None:
    before = await rows(session)
    body = await gql(audience, APPROVALS, {"approvals": [approval(FS, "2026-02-01")]})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await rows(session) == before


async def test_a_refused_batch_leaves_a_pending_approval_as_it_was(
        gql: GraphQL, session: AsyncSession, given: str) -> None:
    await approvals_recorded(gql, approval(FS, "2026-02-01", None, "900000.00"))
    before = await rows(session)
    payload = await approvals_recorded(gql, approval(FS, "2026-02-01", "2026-03-01",
                                                     "1000000.00"),
                                       approval(PD, "2026-02-01", "2026-02-15"))
    assert errors_of(payload) == [(1, "approvedOn", "APPROVAL_OUT_OF_ORDER")]
    assert await rows(session) == before
