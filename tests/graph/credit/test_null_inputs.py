"""Null and omitted are the same for every optional input (DOMAIN.md section 0): a report with
every optional field null is the same record as one that omits them, so it replays onto it;
a patch of nulls changes nothing."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import GraphQL
from tests.graph.credit.test_mutations import (
    CORRECT,
    FINANCE,
    REPORT,
    counts,
    given_subjects,
    record,
)

OPTIONAL = ("sanction", "sanctionMonths", "summary", "decisionNumber", "decidedByUscc",
            "actEndedOn", "validUntil", "shareScope", "procurementContractCode",
            "investmentProjectCode")
PATCH = ("severity", "sanction", "sanctionMonths", "title", "summary", "validUntil",
         "disclosure", "shareScope")


async def test_null_is_omitted_in_a_report_and_a_patch(gql: GraphQL,
                                                        session: AsyncSession) -> None:
    await given_subjects(gql)
    omitted = {k: v for k, v in record("N").items() if k != "decidedByUscc"}
    first = await gql.data("PROCUREMENT", REPORT, {"records": [omitted]})
    [record_id] = first["reportCreditRecords"]["ids"]
    before = await counts(session)
    nulls = {**omitted, **dict.fromkeys(OPTIONAL), "subject": {"uscc": FINANCE, "idNumber": None}}
    again = await gql.data("PROCUREMENT", REPORT, {"records": [nulls]})
    assert again["reportCreditRecords"] == {"accepted": 1, "ids": [record_id], "errors": []}
    patched = await gql.data("PROCUREMENT", CORRECT, {
        "id": record_id, "patch": dict.fromkeys(PATCH), "note": "无变化"})
    assert patched["correctRecord"]["errors"] == []
    assert await counts(session) == before
